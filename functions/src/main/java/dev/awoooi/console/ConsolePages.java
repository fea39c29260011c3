package dev.awoooi.console;

import dev.awoooi.approval.ApprovalPage;
import dev.awoooi.approval.ApproverEntry;
import dev.awoooi.approval.Identity;
import dev.awoooi.approval.Role;
import dev.awoooi.audit.AuditChain;
import dev.awoooi.audit.AuditEntry;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentAlerts;
import dev.awoooi.incident.IncidentList.Listed;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.trust.TrustLedger;
import dev.awoooi.trust.TrustRecord;
import dev.awoooi.web.Html;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The console's pages, server-rendered and phone first like the approval page (whose style and content they share):
 * the incidents, one incident, trust, the directory. Every text is escaped; pseudonyms are shown as stored. Forms carry
 * the session's CSRF token. A small script refreshes the parts marked live (see {@link #LIVE}); without it a reload
 * shows the same.
 */
public final class ConsolePages {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /**
     * Refreshes the elements the body names in data-live every 15 s (plus jitter) while the tab is visible, asking with
     * the page's ETag so an unchanged page costs a 304; backs off to 5 min on errors; leaves alone what holds the focus.
     */
    static final String LIVE = "(function(){var b=document.body,ids=(b.getAttribute('data-live')||'').split(' ').filter(Boolean);"
            + "if(!ids.length||!window.fetch||!window.DOMParser)return;var tag=b.getAttribute('data-etag'),base=15000,wait=base;"
            + "function next(){setTimeout(tick,wait+Math.random()*3000)}"
            + "function tick(){if(document.hidden){next();return}var h={'X-Console-Live':'1'};if(tag)h['If-None-Match']=tag;"
            + "fetch(location.href,{headers:h,credentials:'same-origin',cache:'no-store',redirect:'error'}).then(function(r){"
            + "if(r.status===304)return null;if(!r.ok)throw new Error(r.status);tag=r.headers.get('ETag');return r.text()}).then(function(t){"
            + "if(t){var d=new DOMParser().parseFromString(t,'text/html');ids.forEach(function(id){var o=document.getElementById(id),"
            + "n=d.getElementById(id);if(o&&n&&!o.contains(document.activeElement))o.replaceWith(n)})}wait=base;next()})"
            + "['catch'](function(){wait=Math.min(wait*2,300000);next()})}next()})();";
    /** Scripts: the live refresh and the approval page's countdown, nothing else; fetches go to this site alone. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src '"
            + Html.scriptHash(LIVE) + "' '" + Html.scriptHash(ApprovalPage.countdown()) + "'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String STYLE = "header.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.3rem;"
            + "border-bottom:1px solid #e5e7eb;padding-bottom:.4rem;margin-bottom:.4rem}header.top nav a{margin-right:.7rem;font-weight:600}"
            + "header.top form{margin:0;font-size:.85rem}header.top button{font-size:.8rem}"
            + "body{max-width:64rem}a.row{display:grid;grid-template-columns:1fr auto;gap:.1rem .6rem;padding:.45rem .3rem;"
            + "border-bottom:1px solid #e5e7eb;color:inherit;text-decoration:none}a.row:hover{background:#f9fafb}"
            + ".row .what{font-weight:600}.row .when{font-size:.8rem;color:#374151;text-align:right;white-space:nowrap}"
            + ".row .detail{grid-column:1/-1;font-size:.85rem;color:#374151}.mine{border-left:4px solid #1d4ed8}.stuck{border-left:4px solid #b91c1c}"
            + "form.filters{display:flex;flex-wrap:wrap;gap:.3rem .5rem;align-items:end;font-size:.85rem;margin:.4rem 0}"
            + "form.filters label{display:flex;flex-direction:column}form.filters input,form.filters select{font-size:.9rem;max-width:10rem}"
            + "table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{text-align:left;padding:.25rem .35rem;border-bottom:1px solid #e5e7eb;vertical-align:top}"
            + ".wrap{overflow-x:auto}.empty{color:#6b7280;font-size:.9rem;margin:.25rem 0}.pager{margin:.6rem 0}"
            + ".manage{border:1px solid #e5e7eb;border-radius:.5rem;padding:.5rem .6rem;margin:.6rem 0}.manage textarea{width:100%;min-height:4rem}"
            + ".inline{display:inline;margin:0}";

    private ConsolePages() {
    }

    /** Who is looking, as the directory says now: an approver with roles, or a viewer (empty roles). */
    public record Person(String name, String approverId, Set<Role> roles, String via, String csrf) {
        public boolean admin() {
            return roles.contains(Role.ADMIN);
        }

        public boolean viewer() {
            return approverId == null;
        }

        public String describe() {
            return viewer() ? via + " · viewer" : approverId + " · " + roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted()
                    .collect(Collectors.joining("+"));
        }
    }

    /** A whole page: head, the console's bar, the content, the live script. {@code live}: the ids the script refreshes. */
    public static String page(String title, Person person, String content, List<String> live, String etag, boolean countdown) {
        StringBuilder html = new StringBuilder(content.length() + 4096);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
                .append("<title>").append(e(title)).append(" · AWOOOI</title><style>").append(ApprovalPage.style()).append(STYLE)
                .append("</style></head><body");
        if (!live.isEmpty()) {
            html.append(" data-live=\"").append(e(String.join(" ", live))).append("\" data-etag=\"").append(e(etag)).append('"');
        }
        html.append('>').append(bar(person)).append(content);
        if (countdown) {
            html.append("<script>").append(ApprovalPage.countdown()).append("</script>");
        }
        if (!live.isEmpty()) {
            html.append("<script>").append(LIVE).append("</script>");
        }
        return html.append("</body></html>").toString();
    }

    /** The console's bar: where to go, who is signed in, and the way out. */
    public static String bar(Person person) {
        return "<header class=\"top\"><nav><a href=\"/console\">Incidents</a><a href=\"/console/trust\">Trust</a>"
                + "<a href=\"/console/scans\">Scans</a><a href=\"/console/directory\">Directory</a></nav>"
                + "<form method=\"post\" action=\"/console/signout\"><span id=\"who\">" + e(person.describe()) + "</span> "
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + e(person.csrf()) + "\"><button>Sign out</button></form></header>";
    }

    /** What a list shows and where it is: the filter as given, for the form and the links. */
    public record Query(String status, String service, String namespace, String risk, String severity, String since, String cursor) {
        String params(String nextCursor) {
            StringBuilder q = new StringBuilder();
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            fields.put("status", status);
            fields.put("service", service);
            fields.put("namespace", namespace);
            fields.put("risk", risk);
            fields.put("severity", severity);
            fields.put("since", since);
            fields.put("cursor", nextCursor);
            fields.forEach((k, v) -> {
                if (v != null && !v.isEmpty()) {
                    q.append(q.isEmpty() ? "?" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            });
            return q.toString();
        }
    }

    /** The open incidents in their sections, for the list's first page. */
    public record Open(List<Listed> mine, List<Listed> others, List<Listed> executing, List<Listed> stuck, List<Listed> analyzing,
                       List<Listed> investigating, boolean more) {
    }

    /**
     * The incidents: the filter, then (first page) the open ones, awaiting my signature first, then the recent ones,
     * newest first, a page at a time.
     */
    public static String incidents(Query query, Open open, List<Listed> recent, String next, Instant now, Person person) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<h1>Incidents</h1>");
        filters(html, query);
        html.append("<div id=\"lists\">");
        if (open != null) {
            if (!person.viewer()) {
                section(html, "awaiting-me", "Awaiting your signature", open.mine(), now, person, "Nothing awaits your signature.");
            }
            section(html, "awaiting-others", person.viewer() ? "Awaiting signatures" : "Awaiting others", open.others(), now, person,
                    "Nothing awaits signatures.");
            section(html, "executing", "Approved and executing", open.executing(), now, person, "Nothing is executing.");
            section(html, "stuck", "Stuck", open.stuck(), now, person, "Nothing is stuck.");
            section(html, "analyzing", "Being analyzed", open.analyzing(), now, person, "Nothing is being analyzed.");
            section(html, "investigating", "Investigating (left to a person)", open.investigating(), now, person, "No open investigation.");
            if (open.more()) {
                html.append("<p class=\"note\">More open incidents than one page shows: filter by service, namespace or status.</p>");
            }
        }
        section(html, "recent", open == null && query.status() != null ? "Status " + query.status() : "Recent", recent, now, person,
                "No incident matches.");
        if (next != null) {
            html.append("<p class=\"pager\"><a id=\"older\" href=\"/console").append(e(query.params(next))).append("\">Older →</a></p>");
        }
        return html.append("</div>").toString();
    }

    private static void filters(StringBuilder html, Query q) {
        html.append("<form class=\"filters\" method=\"get\" action=\"/console\"><label>Status<select name=\"status\">");
        option(html, "", "open and recent", q.status());
        for (IncidentStatus s : IncidentStatus.values()) {
            option(html, s.name(), s.name().toLowerCase(Locale.ROOT).replace('_', ' '), q.status());
        }
        html.append("</select></label><label>Service<input name=\"service\" value=\"").append(e(q.service())).append("\"></label>")
                .append("<label>Namespace<input name=\"namespace\" value=\"").append(e(q.namespace())).append("\"></label><label>Risk<select name=\"risk\">");
        option(html, "", "any", q.risk());
        for (String r : List.of("LOW", "MEDIUM", "HIGH", "CRITICAL")) {
            option(html, r, r.toLowerCase(Locale.ROOT), q.risk());
        }
        html.append("</select></label><label>Severity<input name=\"severity\" value=\"").append(e(q.severity()))
                .append("\" placeholder=\"critical\"></label><label>Updated<select name=\"since\">");
        option(html, "", "any time", q.since());
        for (String s : List.of("1h", "24h", "7d", "30d")) {
            option(html, s, "last " + s, q.since());
        }
        html.append("</select></label><button>Filter</button></form>");
    }

    private static void option(StringBuilder html, String value, String label, String selected) {
        html.append("<option value=\"").append(e(value)).append('"').append(value.equals(selected == null ? "" : selected) ? " selected" : "")
                .append('>').append(e(label)).append("</option>");
    }

    private static void section(StringBuilder html, String id, String title, List<Listed> rows, Instant now, Person person, String empty) {
        if (rows.isEmpty()) {
            // one line, so what does need someone stays within the first screen
            html.append("<section id=\"").append(id).append("\" class=\"none\"><p class=\"empty\"><strong>").append(e(title))
                    .append(":</strong> ").append(e(empty)).append("</p></section>");
            return;
        }
        html.append("<section id=\"").append(id).append("\"><h2>").append(e(title)).append(" <span class=\"badge\">").append(rows.size())
                .append("</span></h2>");
        for (Listed row : rows) {
            row(html, row, now, person, "stuck".equals(id));
        }
        html.append("</section>");
    }

    private static void row(StringBuilder html, Listed row, Instant now, Person person, boolean stuck) {
        html.append("<a class=\"row").append(row.awaits(person.approverId()) ? " mine" : "").append(stuck ? " stuck" : "")
                .append("\" href=\"/console/incidents/").append(e(row.id())).append("\" data-incident=\"").append(e(row.id())).append("\">")
                .append("<span class=\"what\">").append(e(row.alertName() == null ? row.id() : row.alertName()));
        if (row.severity() != null) {
            html.append(" <span class=\"badge\">").append(e(row.severity())).append("</span>");
        }
        if (row.risk() != null) {
            html.append(" <span class=\"badge ").append(e(row.risk())).append("\">").append(e(row.risk())).append("</span>");
        }
        html.append("</span><span class=\"when\">").append(age(now, row.updatedAt())).append("</span><span class=\"detail\">")
                .append(e(row.status().name().toLowerCase(Locale.ROOT).replace('_', ' '))).append(" · ")
                .append(e(row.service() == null ? "?" : row.service())).append(row.namespace() == null ? "" : " in " + e(row.namespace()));
        if (row.rootCause() != null) {
            html.append(" · root cause ").append(e(row.rootCause()));
        }
        if (row.action() != null) {
            html.append(" · ").append(e(row.action()));
        }
        if (row.required() > 0 || !row.signers().isEmpty()) {
            long approvals = row.signers().values().stream().filter("APPROVE"::equals).count();
            html.append(" · signatures ").append(approvals).append('/').append(row.required());
            if (!row.signers().isEmpty()) {
                html.append(" (").append(e(row.signers().entrySet().stream().map(s -> s.getKey() + ("APPROVE".equals(s.getValue()) ? " ✓" : " ✗"))
                        .collect(Collectors.joining(", ")))).append(')');
            }
        }
        if (row.status() == IncidentStatus.AWAITING_APPROVAL && row.expiresAt() != null) {
            String until = ApprovalPage.until(now, row.expiresAt());
            html.append(" · ").append(until.equals("expired") ? "expired" : "expires " + e(until));
        }
        html.append("</span></a>");
    }

    /** "just now", "7 min ago", "3 h ago", "2 d ago". */
    static String age(Instant now, Instant then) {
        Duration ago = Duration.between(then, now);
        if (ago.isNegative()) {
            ago = Duration.ZERO;
        }
        // minutes at the finest: the page, and so its ETag, changes at most once a minute by itself
        return ago.toMinutes() < 1 ? "just now" : ago.toHours() < 1 ? ago.toMinutes() + " min ago"
                : ago.toDays() < 2 ? ago.toHours() + " h ago" : ago.toDays() + " d ago";
    }

    /** How the person may decide on the request, if at all: the console's decision section. */
    public enum Say { SIGN, SIGN_IN_AGAIN, READ_ONLY }

    /** One incident: the approval page's content with the console's decision, then its alerts, evidence and audit chain. */
    public static String incident(Incident incident, List<AuditEntry> chain, IncidentAlerts.Page alerts, String alertsCursor, Instant now,
                                  Person person, Say say, String notice) {
        StringBuilder decision = new StringBuilder();
        var request = incident.approval();
        if (request != null) {
            decision.append("<section id=\"decision\">");
            ApprovalPage.needs(decision, incident, request);
            String asked = request.approvers().stream().map(a -> a.name()).collect(Collectors.joining(", "));
            switch (say) {
                case SIGN -> decision.append("<form method=\"post\" action=\"/console/incidents/").append(e(incident.id())).append("\">")
                        .append("<input type=\"hidden\" name=\"plan\" value=\"").append(e(request.planHash())).append("\">")
                        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(e(person.csrf())).append("\">")
                        .append("<div class=\"decide\"><button name=\"decision\" value=\"approve\" id=\"approve\">Approve</button>")
                        .append("<button name=\"decision\" value=\"reject\" id=\"reject\">Reject</button></div><p class=\"meta\">Deciding as <strong id=\"signer\">")
                        .append(e(person.approverId())).append("</strong>, signed in as ").append(e(person.via()))
                        .append(". A decision cannot be changed.</p></form>");
                case SIGN_IN_AGAIN -> decision.append("<p>A ").append(request.risk()).append(" request is signed only within 15 minutes of signing in.</p>")
                        .append("<a class=\"signin\" id=\"signin\" href=\"/console/signin?next=/console/incidents/").append(e(incident.id()))
                        .append("\">Sign in again to decide as ").append(e(person.approverId())).append("</a>");
                case READ_ONLY -> {
                    if (incident.status() == IncidentStatus.AWAITING_APPROVAL) {
                        var mine = incident.signatures().stream().filter(sig -> sig.planHash().equals(request.planHash())
                                && sig.approver().equals(person.approverId())).findFirst();
                        decision.append("<p class=\"meta\" id=\"read-only\">").append(person.viewer()
                                ? "You are a viewer: you can read this request, not sign it. It asks " + e(asked) + "."
                                : mine.isPresent() ? "You " + (mine.get().decision() == dev.awoooi.approval.Decision.APPROVE ? "approved" : "rejected")
                                        + " this plan at " + e(DAY.format(mine.get().at())) + "; it waits for the others it asks (" + e(asked) + ")."
                                : "You are not one of its approvers: it asks " + e(asked) + ".").append("</p>");
                    }
                }
            }
            decision.append("</section>");
        }
        StringBuilder html = new StringBuilder(16_384);
        ApprovalPage.body(html, incident, now, notice, chain, null, decision.toString());
        alerts(html, incident, alerts, alertsCursor);
        similar(html, incident);
        evidence(html, incident);
        audit(html, chain);
        return html.toString();
    }

    private static void alerts(StringBuilder html, Incident incident, IncidentAlerts.Page page, String cursor) {
        var counts = incident.alertCounts();
        html.append("<h2>Alerts</h2><p class=\"meta\" id=\"alert-counts\">").append(counts.alerts()).append(" alert(s), ").append(counts.firing())
                .append(" firing").append(counts.truncated() > 0 ? ", " + counts.truncated() + " beyond what one delivery kept" : "").append("</p>");
        html.append("<div class=\"wrap\"><table id=\"alerts\"><thead><tr><th>Alert</th><th>Service</th><th>Status</th><th>Started</th><th>Summary</th></tr></thead><tbody>");
        for (var alert : page.alerts()) {
            html.append("<tr><td>").append(e(alert.name())).append("</td><td>").append(e(alert.service())).append("</td><td>").append(e(alert.status()))
                    .append("</td><td>").append(e(DAY.format(alert.startsAt()))).append("</td><td>").append(e(alert.summary())).append("</td></tr>");
        }
        html.append("</tbody></table></div><p class=\"pager\">");
        if (cursor != null) {
            html.append("<a href=\"/console/incidents/").append(e(incident.id())).append("\">Newest alerts</a> ");
        }
        if (page.next() != null) {
            html.append("<a id=\"older-alerts\" href=\"/console/incidents/").append(e(incident.id())).append("?alerts=")
                    .append(e(URLEncoder.encode(page.next(), StandardCharsets.UTF_8))).append("\">Older alerts →</a>");
        }
        html.append("</p>");
    }

    private static void similar(StringBuilder html, Incident incident) {
        var similar = incident.analysis() == null ? null : incident.analysis().similar();
        if (similar == null || similar.incidents().isEmpty()) {
            return;
        }
        html.append("<h2>Similar incidents</h2><ul id=\"similar-incidents\">");
        similar.incidents().forEach(p -> html.append("<li><a href=\"/console/incidents/").append(e(p.id())).append("\">").append(e(p.id()))
                .append("</a> ").append(e(DAY.format(p.receivedAt()))).append(" — ").append(e(p.status().toLowerCase(Locale.ROOT)))
                .append(p.actionType() == null ? "" : ", " + e(p.actionType())).append("</li>"));
        html.append("</ul>");
    }

    private static void evidence(StringBuilder html, Incident incident) {
        var execution = incident.execution();
        var findings = incident.analysis() == null ? null : incident.analysis().findings();
        if (execution == null && findings == null) {
            return;
        }
        html.append("<h2>Evidence</h2><section id=\"evidence\">");
        if (execution != null) {
            html.append("<dl id=\"execution\"><dt>Action</dt><dd><code>").append(e(execution.action())).append("</code> on <code>")
                    .append(e(execution.target())).append("</code></dd><dt>Started</dt><dd>").append(e(DAY.format(execution.startedAt())))
                    .append("</dd><dt>Finished</dt><dd>").append(execution.finishedAt() == null ? "not yet" : e(DAY.format(execution.finishedAt())))
                    .append("</dd><dt>Verified</dt><dd>").append(execution.verified() ? "yes" : "no").append("</dd><dt>What it saw</dt><dd>")
                    .append(e(execution.detail())).append("</dd></dl>");
        }
        if (findings != null) {
            html.append("<dl id=\"findings\">");
            list(html, "Events", findings.events());
            list(html, "Restarts", findings.restarts());
            list(html, "Rollouts", findings.rollouts());
            findings.logs().forEach(log -> list(html, "Logs of " + log.pod() + "/" + log.container() + (log.previous() ? " (the run that died)" : ""),
                    log.lines()));
            list(html, "Not looked at", findings.gaps());
            html.append("</dl>");
        }
        html.append("</section>");
    }

    private static void list(StringBuilder html, String title, List<String> lines) {
        if (lines == null || lines.isEmpty()) {
            return;
        }
        html.append("<dt>").append(e(title)).append("</dt><dd><ul>");
        lines.forEach(line -> html.append("<li><code>").append(e(line)).append("</code></li>"));
        html.append("</ul></dd>");
    }

    /** Every item of the incident's audit chain, with its hash links, under the verification the timeline states. */
    private static void audit(StringBuilder html, List<AuditEntry> chain) {
        if (chain.isEmpty()) {
            return;
        }
        var verification = AuditChain.verify(chain);
        html.append("<details id=\"audit\"><summary>The audit chain: ").append(verification.length()).append(" items, ")
                .append(verification.verified() ? "verified" : "NOT verified").append("</summary><div class=\"wrap\"><table><thead><tr><th>#</th>")
                .append("<th>At</th><th>What</th><th>Detail</th><th>Hash</th></tr></thead><tbody>");
        for (AuditEntry entry : chain) {
            html.append("<tr><td>").append(entry.seq()).append("</td><td>").append(e(DAY.format(entry.at()))).append("</td><td>").append(e(entry.what()))
                    .append("</td><td>").append(e(entry.detail().entrySet().stream().map(d -> d.getKey() + "=" + d.getValue())
                            .collect(Collectors.joining(", ")))).append("</td><td><code>").append(e(entry.hash() == null ? "" : entry.hash()
                            .substring(0, Math.min(12, entry.hash().length())))).append("</code></td></tr>");
        }
        html.append("</tbody></table></div></details>");
    }

    /** The trust ledger: thresholds, then each pattern with its score, resets, brake and history; admins may reset. */
    public static String trust(TrustLedger ledger, Function<String, List<AuditEntry>> history, Instant now, Person person, String notice) {
        var limits = ledger.thresholds();
        StringBuilder html = new StringBuilder(8192);
        html.append("<h1>Trust</h1>");
        if (notice != null) {
            html.append("<p id=\"notice\" role=\"status\"><strong>").append(e(notice)).append("</strong></p>");
        }
        html.append("<p class=\"meta\">A MEDIUM plan runs unsigned at ").append(limits.mediumUnsigned()).append(" verified approvals of its pattern;")
                .append(" a HIGH plan needs one signature at ").append(limits.highOneSignature()).append("; CRITICAL never gets easier. At most ")
                .append(limits.perPatternHour()).append(" unsigned runs per pattern and ").append(limits.perClusterHour())
                .append(" per cluster an hour; trust halves every ").append(e(limits.halfLife().toString())).append(".</p>");
        List<TrustRecord> records = ledger.all();
        if (records.isEmpty()) {
            html.append("<p class=\"empty\">No pattern has earned trust yet.</p>");
        }
        html.append("<div class=\"wrap\"><table id=\"patterns\"><thead><tr><th>Pattern</th><th>Score</th><th>Credits</th><th>Resets</th><th>Last reset</th>")
                .append("<th>Brake</th><th>Unsigned, last hour</th>").append(person.admin() ? "<th></th>" : "").append("</tr></thead><tbody>");
        for (TrustRecord record : records) {
            html.append("<tr data-pattern=\"").append(e(record.key())).append("\"><td><code>").append(e(record.key())).append("</code></td><td>")
                    .append(record.score(now, limits.halfLife())).append("</td><td>").append(record.credits()).append("</td><td>").append(record.resets())
                    .append("</td><td>").append(record.lastReset() == null ? "—" : e(DAY.format(record.lastReset().at()) + ": " + record.lastReset().reason()))
                    .append("</td><td>").append(record.tripped() == null ? "—" : e("tripped " + DAY.format(record.tripped().at()) + ": " + record.tripped().reason()))
                    .append("</td><td>").append(record.lastHour(now).size()).append("</td>");
            if (person.admin()) {
                html.append("<td><form class=\"inline\" method=\"post\" action=\"/console/trust\"><input type=\"hidden\" name=\"csrf\" value=\"")
                        .append(e(person.csrf())).append("\"><input type=\"hidden\" name=\"pattern\" value=\"").append(e(record.key()))
                        .append("\"><button name=\"op\" value=\"reset\">Reset</button>")
                        .append(record.tripped() == null ? "" : " <button name=\"op\" value=\"clear\">Clear brake</button>").append("</form></td>");
            }
            html.append("</tr><tr><td colspan=\"").append(person.admin() ? 8 : 7).append("\"><details><summary>History</summary><ol>");
            history.apply(record.key()).forEach(h -> html.append("<li>").append(e(DAY.format(h.at()))).append(" ").append(e(h.what())).append(": ")
                    .append(e(h.detail().entrySet().stream().map(d -> d.getKey() + "=" + d.getValue()).collect(Collectors.joining(", ")))).append("</li>"));
            html.append("</ol></details></td></tr>");
        }
        return html.append("</tbody></table></div>").toString();
    }

    /**
     * The approver directory: each person's roles and identities (masked for everyone but admins, who manage them;
     * an e-mail address is masked for them too); admins add, change and remove.
     */
    public static String directory(List<ApproverEntry> people, Person person, String notice) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<h1>Approver directory</h1>");
        if (notice != null) {
            html.append("<p id=\"notice\" role=\"status\"><strong>").append(e(notice)).append("</strong></p>");
        }
        html.append("<p class=\"meta\">Who may sign, in which roles: MEDIUM and HIGH need admin, devops or sre; CRITICAL the CTO and the CISO."
                + " Everyone else who signs in is a viewer. Every change is audited.</p>");
        html.append("<div class=\"wrap\"><table id=\"people\"><thead><tr><th>Id</th><th>Roles</th><th>Identities</th>")
                .append(person.admin() ? "<th></th>" : "").append("</tr></thead><tbody>");
        for (ApproverEntry entry : people) {
            html.append("<tr data-approver=\"").append(e(entry.id())).append("\"><td>").append(e(entry.id())).append("</td><td>")
                    .append(e(entry.roles().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", "))))
                    .append("</td><td>").append(e(entry.identities().stream().map(person.admin() ? Identity::display : Identity::masked)
                            .collect(Collectors.joining("; ")))).append("</td>");
            if (person.admin()) {
                html.append("<td><form class=\"inline\" method=\"post\" action=\"/console/directory\"><input type=\"hidden\" name=\"csrf\" value=\"")
                        .append(e(person.csrf())).append("\"><input type=\"hidden\" name=\"id\" value=\"").append(e(entry.id()))
                        .append("\"><button name=\"op\" value=\"remove\">Remove</button></form></td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table></div>");
        if (person.admin()) {
            html.append("<form class=\"manage\" id=\"put\" method=\"post\" action=\"/console/directory\"><h2>Add or change a person</h2>")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(e(person.csrf())).append("\"><input type=\"hidden\" name=\"op\" value=\"put\">")
                    .append("<p><label>Id <input name=\"id\" required pattern=\"").append(e(ApproverEntry.ID_PATTERN)).append("\"></label></p><p>Roles: ");
            for (Role role : List.of(Role.ADMIN, Role.DEVOPS, Role.SRE)) {
                String name = role.name().toLowerCase(Locale.ROOT);
                html.append("<label><input type=\"checkbox\" name=\"role\" value=\"").append(name).append("\"> ").append(name).append("</label> ");
            }
            html.append("</p><p><label>Identities, one per line (<code>email:…</code>, <code>slack:T…/U…</code>, <code>telegram:…</code>,")
                    .append(" <code>discord:…</code>, <code>oidc:issuer|subject</code>); left empty, a person's identities stay as they are.")
                    .append(" Your own entry, and the CTO and the CISO, are changed by another admin or the operator's command only.")
                    .append("<textarea name=\"identities\"></textarea></label></p><button>Save</button></form>");
        }
        return html.toString();
    }

    /** A page with one message: a refusal, the sign-in's outcome. */
    public static String notice(String message) {
        return ApprovalPage.notice(message);
    }

    /** The ETag of a rendered page: what the live refresh sends back to learn nothing changed. */
    public static String etag(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String e(String text) {
        return Html.escape(text);
    }
}
