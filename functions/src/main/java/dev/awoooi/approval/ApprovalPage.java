package dev.awoooi.approval;

import dev.awoooi.web.Html;

import dev.awoooi.audit.AuditEntry;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The page a personal link opens, phone first: the decision (what, why, risk, cost, who has signed, the time left) and
 * its two buttons within the first screen at 390 × 844, then the blast radius drawn as SVG, the root causes, the dry
 * run and the timeline. It works without script (a small one only ticks the countdown); every rendered text is
 * escaped. Viewing it changes nothing: only the POST decides, and only with the form's CSRF token.
 */
public final class ApprovalPage {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String COUNTDOWN = "(function(){var t=document.getElementById('expires');if(!t)return;"
            + "var end=Date.parse(t.getAttribute('datetime'));function f(){var s=Math.round((end-Date.now())/1000);"
            + "if(s<=0){t.textContent='expired';return}var h=Math.floor(s/3600),m=Math.floor(s%3600/60),x=s%60;"
            + "t.textContent='in '+(h?h+' h ':'')+m+' min '+x+' s';setTimeout(f,1000)}f()})();";
    /** The Content-Security-Policy that lets the countdown, and no other script, run. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src '" + Html.scriptHash(COUNTDOWN)
            + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String STYLE = "*{box-sizing:border-box}"
            + "body{font:16px/1.4 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:.6rem .8rem 2rem;color:#111;overflow-wrap:anywhere}"
            + "h1{font-size:1.2rem;margin:.3rem 0}h2{font-size:1rem;margin:1.2rem 0 .3rem;border-top:1px solid #e5e7eb;padding-top:.8rem}"
            + ".meta{font-size:.85rem;color:#374151;margin:0}.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#e5e7eb;font-weight:600}"
            + ".LOW{background:#bbf7d0}.MEDIUM{background:#fde68a}.HIGH,.CRITICAL,.critical{background:#fecaca}"
            + ".PASS{color:#166534}.FAIL{color:#991b1b}.UNKNOWN{color:#92400e}"
            + ".facts{display:flex;flex-wrap:wrap;gap:.3rem .9rem;margin:.4rem 0;font-size:.95rem}"
            + ".decide{display:grid;grid-template-columns:1fr 1fr;gap:.6rem;margin:.6rem 0}"
            + ".decide button,.signin{font-size:1.05rem;padding:.8rem;border-radius:.5rem;border:0;color:#fff;font-weight:600;text-align:center;text-decoration:none}"
            + "#approve{background:#15803d}#reject{background:#b91c1c}.signin{display:block;background:#1d4ed8;margin:.6rem 0}"
            + "#notice{background:#eff6ff;padding:.4rem .6rem;border-radius:.4rem}"
            + "ul,ol{padding-left:1.2rem;margin:.2rem 0}svg{width:100%;height:auto;max-height:26rem}"
            + "dl{margin:0}dt{font-weight:600}dd{margin:0 0 .4rem}small,code{font-size:.8rem}";

    private ApprovalPage() {
    }

    /** Who is looking: the approver the link was made for, and what signing needs of them. */
    public record Viewer(String approver, String token, String csrf, SignIn signIn, String signedInAs, String realTarget) {
        public Viewer(String approver, String token, String csrf, SignIn signIn, String signedInAs) {
            this(approver, token, csrf, signIn, signedInAs, null);
        }

        public Viewer withRealTarget(String target) {
            return new Viewer(approver, token, csrf, signIn, signedInAs, target);
        }

        public enum SignIn {
            /** The link alone signs (not CRITICAL). */
            NOT_NEEDED,
            /** CRITICAL: the buttons appear only after sign-in with the identity provider. */
            NEEDED,
            /** Signed in: {@code signedInAs} says as whom. */
            SIGNED_IN
        }
    }

    /** @param trail the incident's audit chain, in order: the timeline is read from it */
    public static String render(Incident incident, Viewer viewer, Instant now, String notice, List<AuditEntry> trail) {
        var request = incident.approval();
        StringBuilder html = new StringBuilder(8192);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
                .append("<title>").append(e(title(incident))).append("</title><style>").append(STYLE).append("</style></head><body>");
        StringBuilder decision = new StringBuilder();
        if (request != null) {
            decision(decision, incident, request, viewer);
        }
        body(html, incident, now, notice, trail, viewer.realTarget(), decision.toString());
        return html.append("<script>").append(COUNTDOWN).append("</script></body></html>").toString();
    }

    /** The page's title: the request's risk and the alert. */
    public static String title(Incident incident) {
        return (incident.approval() == null ? "AWOOOI" : incident.approval().risk() + " approval") + " · " + incident.alertName();
    }

    /**
     * The page's content, for the approval page and the console alike: the decision (what, why, risk, cost, who has
     * signed, the time left) with {@code decision}, the way to decide that this viewer has, then the blast radius, the
     * root causes, the model's opinion, the dry run and the timeline with its verification.
     *
     * @param realTarget the target's real name for a signer, or null
     */
    public static void body(StringBuilder html, Incident incident, Instant now, String notice, List<AuditEntry> trail, String realTarget,
                            String decision) {
        var analysis = incident.analysis();
        var request = incident.approval();
        String severity = incident.labels().get("severity");
        html.append("<p class=\"meta\">AWOOOI · <strong>").append(e(incident.alertName())).append("</strong>")
                .append(severity == null ? "" : " <span class=\"badge" + (severity.matches("[A-Za-z]{1,20}") ? " " + severity.toLowerCase(Locale.ROOT) : "")
                        + "\" id=\"severity\">" + e(severity) + "</span>")
                .append(" · ").append(e(incident.service())).append(" · status <strong id=\"status\">").append(incident.status()).append("</strong></p>");
        if (notice != null) {
            html.append("<p id=\"notice\" role=\"status\"><strong>").append(e(notice)).append("</strong></p>");
        }
        if (analysis != null) {
            html.append("<h1 id=\"action\">").append(e(analysis.action().describe())).append("</h1>");
            if (realTarget != null) {
                html.append("<p id=\"target\">Target: <strong>").append(e(realTarget))
                        .append("</strong> <small>(its real name, shown to signers only; chat shows pseudonyms)</small></p>");
            }
            html
                    .append("<p id=\"why\">").append(e(analysis.proposal())).append("</p>");
            html.append("<div class=\"facts\"><span>Risk <span class=\"badge ").append(analysis.risk().level()).append("\" id=\"risk\">")
                    .append(analysis.risk().level()).append("</span></span><span id=\"cost\">≈ $")
                    .append(String.format(Locale.ROOT, "%.2f", analysis.costPerMinuteUsd())).append(" / min</span><span>")
                    .append(analysis.blastRadius().size()).append(" services affected</span>");
            if (request != null && incident.status() == IncidentStatus.AWAITING_APPROVAL) {
                html.append("<span>Expires <time id=\"expires\" datetime=\"").append(request.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        .append("\">").append(until(now, request.expiresAt())).append("</time> (").append(CLOCK.format(request.expiresAt())).append(")</span>");
            }
            html.append("</div><p id=\"risk-reasons\"><small>").append(e(String.join("; ", analysis.risk().reasons()))).append("</small></p>");
            links(html, incident);
        } else {
            html.append("<h1>").append(e(incident.summary() == null ? incident.alertName() : incident.summary())).append("</h1>");
        }
        html.append(decision);
        if (analysis != null) {
            html.append("<h2>Blast radius</h2>").append(BlastRadiusSvg.render(incident.service(), analysis));
            html.append("<ul id=\"blast-radius\">");
            analysis.blastRadius().forEach(i -> html.append("<li>").append(e(i.service())).append(" — ").append(i.pods())
                    .append(" pods, ").append(i.depth()).append(i.depth() == 1 ? " hop" : " hops").append(" up</li>"));
            html.append("</ul><h2>Root cause</h2><ul id=\"root-causes\">");
            analysis.rootCauses().forEach(c -> html.append("<li><strong>").append(e(c.service())).append("</strong> (")
                    .append(c.kind()).append(c.depth() == 0 ? ", the alerting service" : ", " + c.depth() + " down")
                    .append(c.via() == null ? "" : ", via " + e(c.via())).append("): ").append(e(c.health())).append("</li>"));
            html.append("</ul>");
            if (analysis.similar() != null) {
                html.append("<p id=\"similar\">History: ").append(e(analysis.similar().summary())).append("</p>");
            }
            if (analysis.model() != null) {
                model(html, analysis.model());
            }
            html.append("<h2>Dry run</h2><dl id=\"dry-run\">");
            analysis.dryRun().checks().forEach(c -> html.append("<dt>").append(e(c.name())).append(" <span class=\"")
                    .append(c.outcome()).append("\">").append(c.outcome()).append("</span></dt><dd>").append(e(c.reason())).append("</dd>"));
            html.append("</dl>");
        }
        html.append("<h2>Timeline</h2><ol id=\"timeline\">");
        timeline(incident, trail).forEach(entry -> html.append("<li><time datetime=\"").append(entry.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append("\">")
                .append(DAY.format(entry.at())).append("</time> ").append(e(entry.what())).append("</li>"));
        html.append("</ol>");
        if (!trail.isEmpty()) {
            // whether the record it is read from is intact: each item sealed by its hash and linked to the one before
            var verification = dev.awoooi.audit.AuditChain.verify(trail);
            html.append("<p id=\"chain\" class=\"meta\">").append(verification.verified()
                    ? "Audit chain verified: " + verification.length() + " items, each linked to the one before."
                    : "Audit chain does NOT verify: " + e(String.join("; ", verification.problems()))).append("</p>");
        }
        if (request != null) {
            html.append("<p><small>Incident <code>").append(e(incident.id())).append("</code> · plan <code>").append(e(request.planHash()))
                    .append("</code></small></p>");
        }
    }

    /** The script the pages may run (the countdown), for a page that adds its own beside it. */
    public static String countdown() {
        return COUNTDOWN;
    }

    /** The page's style, for the console's pages, which share it. */
    public static String style() {
        return STYLE;
    }

    /** The alert's runbook, source and silence links (kept at intake only if http(s) and free of personal data). */
    private static void links(StringBuilder html, Incident incident) {
        var links = incident.links().entrySet().stream()
                .filter(l -> l.getValue().startsWith("https://") || l.getValue().startsWith("http://")).toList();
        if (!links.isEmpty()) {
            html.append("<p id=\"links\" class=\"meta\">").append(links.stream().map(l -> "<a rel=\"noopener noreferrer\" href=\""
                    + e(l.getValue()) + "\">" + e(l.getKey()) + "</a>").collect(Collectors.joining(" · "))).append("</p>");
        }
    }

    /** What the request needs, why that many, and who has signed: the top of every decision section. */
    public static void needs(StringBuilder html, Incident incident, ApprovalRequest request) {
        html.append("<p id=\"needs\">Needs ").append(e(request.requirement().describe())).append('.');
        if (request.why() != null) {
            // why this many: the pattern's trust, or the brake or check that kept trust from counting
            html.append(" <span id=\"why\" class=\"meta\">").append(e(request.why())).append(".</span>");
        }
        List<Signature> signed = incident.signatures().stream().filter(s -> s.planHash().equals(request.planHash())).toList();
        if (!signed.isEmpty()) {
            html.append(" Signed: <span id=\"signatures\">").append(signed.stream().map(s -> e(s.approver()) + " ("
                    + e(roles(request, s.approver())) + ") " + (s.decision() == Decision.APPROVE ? "approved" : "rejected")
                    + " via " + e(s.via() == null ? "unknown" : s.via().display())).collect(Collectors.joining(", "))).append("</span>.");
        }
        html.append("</p>");
    }

    private static void decision(StringBuilder html, Incident incident, ApprovalRequest request, Viewer viewer) {
        html.append("<section id=\"decision\">");
        needs(html, incident, request);
        boolean decided = incident.signatures().stream().anyMatch(s -> s.planHash().equals(request.planHash()) && s.approver().equals(viewer.approver()));
        if (incident.status() != IncidentStatus.AWAITING_APPROVAL || decided) {
            html.append("</section>");
            return;
        }
        String query = "approver=" + URLEncoder.encode(viewer.approver(), StandardCharsets.UTF_8) + "&token="
                + URLEncoder.encode(viewer.token(), StandardCharsets.UTF_8);
        switch (viewer.signIn()) {
            case NEEDED -> html.append("<p>A ").append(request.risk()).append(" request is signed only after you sign in with the identity provider.</p>")
                    .append("<a class=\"signin\" id=\"signin\" href=\"/approvals/").append(e(incident.id())).append("/signin?").append(e(query))
                    .append("\">Sign in to decide as ").append(e(viewer.approver())).append("</a>");
            case NOT_NEEDED, SIGNED_IN -> html.append("<form method=\"post\" action=\"/approvals/").append(e(incident.id())).append("\">")
                    .append("<input type=\"hidden\" name=\"approver\" value=\"").append(e(viewer.approver())).append("\">")
                    .append("<input type=\"hidden\" name=\"token\" value=\"").append(e(viewer.token())).append("\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(e(viewer.csrf())).append("\">")
                    .append("<div class=\"decide\"><button name=\"decision\" value=\"approve\" id=\"approve\">Approve</button>")
                    .append("<button name=\"decision\" value=\"reject\" id=\"reject\">Reject</button></div>")
                    .append("<p class=\"meta\">Deciding as <strong id=\"signer\">").append(e(viewer.approver())).append("</strong>")
                    .append(viewer.signIn() == Viewer.SignIn.SIGNED_IN ? ", signed in as " + e(viewer.signedInAs()) : "")
                    .append(". A decision cannot be changed.</p></form>");
        }
        html.append("</section>");
    }

    private record Entry(Instant at, String what) {
    }

    /**
     * What happened, in order, as the audit trail recorded it (each signature with its channel, the trust the request
     * was weighed with, the execution and its verification), then where the incident stands now.
     */
    private static List<Entry> timeline(Incident incident, List<AuditEntry> trail) {
        List<Entry> entries = new ArrayList<>();
        trail.stream().filter(e -> !QUIET.contains(e.what())).forEach(e -> entries.add(new Entry(e.at(), describe(e))));
        if (incident.resolvedAt() != null) {
            entries.add(new Entry(incident.resolvedAt(), "Alerts resolved"));
        }
        if (incident.status().terminal() && incident.updatedAt() != null && incident.resolvedAt() == null) {
            entries.add(new Entry(incident.updatedAt(), "Now " + incident.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + (incident.reason() == null ? "" : ": " + incident.reason())));
        }
        entries.sort(Comparator.comparing(Entry::at));
        return entries;
    }

    /** Trail items kept for the record but not shown: one per card and channel. */
    private static final java.util.Set<String> QUIET = java.util.Set.of("notified");

    static String describe(AuditEntry entry) {
        Map<String, String> d = entry.detail();
        String why = d.get("why") == null || d.get("why").equals("null") ? "" : " (" + d.get("why") + ")";
        return switch (entry.what()) {
            case "alert-accepted" -> "Alert accepted: " + d.get("alert") + " from " + d.get("source");
            case "analyzed" -> "Analyzed: " + d.get("rootCauses") + " root cause(s), " + d.get("blastRadius") + " service(s) affected; plan: "
                    + d.get("plan") + ", risk " + d.get("risk") + ", dry run " + d.get("dryRun");
            case "approval-requested" -> d.get("risk") + " request opened: needs " + d.get("required") + " signature(s)" + why;
            case "auto-approved" -> d.get("risk") + ": approved without a signature" + why;
            case "signature" -> d.get("approver") + ("REJECT".equals(d.get("decision")) ? " rejected" : " approved") + " via " + d.get("via");
            case "granted" -> "Quorum reached";
            case "rejected" -> "Rejected by " + d.get("by");
            case "execution", "execution-settled" -> "Execution " + String.valueOf(d.get("status")).toLowerCase(Locale.ROOT)
                    + ("true".equals(d.get("verified")) ? ", verified: " : ": ") + d.get("detail");
            case "expired" -> "Nobody decided before the request expired";
            case "trust-credited" -> "Trust in " + d.get("pattern") + ": " + d.get("was") + " → " + d.get("score");
            case "trust-reset" -> "Trust in " + d.get("pattern") + " reset to 0: " + d.get("reason");
            case "breaker-tripped" -> "Circuit breaker tripped: " + d.get("reason");
            case "decision-refused", "sign-in-refused", "page-refused" -> entry.what().replace('-', ' ') + ": " + d.get("reason");
            case "signed-in" -> d.get("approver") + " signed in";
            case "target-revealed" -> "The real target was shown to " + d.get("approver");
            case "undelivered" -> "Not delivered: " + d.get("kind") + (d.get("approver") == null ? "" : " to " + d.get("approver"));
            default -> entry.what().replace('-', ' ').replace('_', ' ');
        };
    }

    private static String roles(ApprovalRequest request, String approver) {
        return request.approver(approver).map(a -> a.roles().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted()
                .collect(Collectors.joining("+"))).orElse("?");
    }

    /** "in 3 h 59 min", "in 42 s", "expired". */
    public static String until(Instant now, Instant end) {
        Duration left = Duration.between(now, end);
        if (left.isNegative() || left.isZero()) {
            return "expired";
        }
        long hours = left.toHours();
        long minutes = left.toMinutesPart();
        return hours > 0 ? "in " + hours + " h " + minutes + " min" : minutes > 0 ? "in " + minutes + " min" : "in " + left.toSecondsPart() + " s";
    }

    /** A page with one message, for refusals: escaped like every other text on these pages. */
    public static String notice(String message) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<title>AWOOOI</title><style>" + STYLE + "</style></head><body><p id=\"notice\" role=\"alert\">" + e(message) + "</p></body></html>";
    }

    private static String e(String text) {
        return Html.escape(text);
    }

    /** The model's reasoning beside AWOOOI's own: what it thinks, on what evidence, and what became of its suggestion. */
    private static void model(StringBuilder html, dev.awoooi.analysis.ModelOpinion model) {
        html.append("<h2>The model's opinion</h2><section id=\"model\"><p><small>").append(e(model.model())).append("</small></p>");
        if (model.status() != dev.awoooi.analysis.ModelOpinion.Status.ANSWERED) {
            html.append("<p id=\"model-note\">").append(e(model.note())).append("</p></section>");
            return;
        }
        html.append("<p id=\"model-hypothesis\">").append(e(model.hypothesis())).append(" <span class=\"badge\">confidence ")
                .append(Math.round(model.confidence() * 100)).append("%</span></p>");
        if (!model.evidence().isEmpty()) {
            html.append("<ul id=\"model-evidence\">");
            model.evidence().forEach(fact -> html.append("<li>").append(e(fact)).append("</li>"));
            html.append("</ul>");
        }
        if (model.suggestion() != null) {
            html.append("<p id=\"model-suggestion\">It suggests <code>").append(e(model.suggestion())).append("</code>")
                    .append(model.verdict() == null ? "" : " — command guard: " + e(model.verdict().outcome()) + " (" + e(model.verdict().reason()) + ")")
                    .append("</p>");
        }
        html.append("<p id=\"model-note\"><strong>").append(model.adopted() ? "Adopted" : "Not adopted").append(":</strong> ")
                .append(e(model.note())).append("</p><p><small>").append(model.inputTokens()).append(" + ").append(model.outputTokens())
                .append(" tokens, $").append(String.format(Locale.ROOT, "%.4f", model.costUsd())).append(", ")
                .append(model.latencyMs()).append(" ms</small></p></section>");
    }
}
