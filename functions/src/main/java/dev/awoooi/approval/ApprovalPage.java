package dev.awoooi.approval;

import dev.awoooi.incident.Incident;

import java.util.stream.Collectors;

/** The page an approval link opens: the whole card, and two buttons that POST. Viewing it changes nothing. */
public final class ApprovalPage {
    private ApprovalPage() {
    }

    public static String render(Incident incident, String approver, String token, String notice) {
        var analysis = incident.analysis();
        var request = incident.approval();
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
                .append("<title>AWOOOI approval ").append(e(incident.id())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111}")
                .append(".risk{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;background:#fde68a}")
                .append(".CRITICAL,.HIGH{background:#fecaca}.PASS{color:#166534}.FAIL{color:#991b1b}.UNKNOWN{color:#92400e}")
                .append("button{font-size:1rem;padding:.5rem 1.2rem;margin-right:1rem}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left}")
                .append("</style></head><body>");
        html.append("<h1>").append(e(incident.summary() == null ? incident.alertName() : incident.summary())).append("</h1>");
        html.append("<p>Incident <code>").append(e(incident.id())).append("</code> — status <strong id=\"status\">")
                .append(incident.status()).append("</strong></p>");
        if (notice != null) {
            html.append("<p id=\"notice\"><strong>").append(e(notice)).append("</strong></p>");
        }
        if (analysis != null) {
            html.append("<h2>Root cause</h2><ul id=\"root-causes\">");
            analysis.rootCauses().forEach(c -> html.append("<li>").append(e(c.service())).append(" (").append(c.kind())
                    .append(", depth ").append(c.depth()).append(c.via() == null ? "" : ", via " + e(c.via())).append("): ")
                    .append(e(c.health())).append("</li>"));
            html.append("</ul><h2>Blast radius</h2><ul id=\"blast-radius\">");
            analysis.blastRadius().forEach(i -> html.append("<li>").append(e(i.service())).append(" (depth ").append(i.depth())
                    .append(", ").append(i.pods()).append(" pods)</li>"));
            html.append("</ul><p>Outage cost: about $").append(String.format("%.2f", analysis.costPerMinuteUsd())).append(" per minute.</p>");
            html.append("<h2>Proposed action</h2><p id=\"action\">").append(e(analysis.action().describe())).append("</p>")
                    .append("<p id=\"why\"><small>").append(e(analysis.proposal())).append("</small></p>");
            if (analysis.similar() != null) {
                html.append("<p id=\"similar\">History: ").append(e(analysis.similar().summary())).append("</p>");
            }
            html.append("<p>Risk <span class=\"risk ").append(analysis.risk().level()).append("\">").append(analysis.risk().level())
                    .append("</span>: ").append(e(String.join("; ", analysis.risk().reasons()))).append("</p>");
            html.append("<h2>Dry run</h2><table>");
            analysis.dryRun().checks().forEach(c -> html.append("<tr><th>").append(e(c.name())).append("</th><td class=\"")
                    .append(c.outcome()).append("\">").append(c.outcome()).append("</td><td>").append(e(c.reason())).append("</td></tr>"));
            html.append("</table>");
        }
        if (request != null) {
            html.append("<h2>Signatures</h2><p>").append(e(request.requirement().describe()))
                    .append("; expires ").append(request.expiresAt()).append(".</p><ul id=\"signatures\">");
            incident.signatures().forEach(s -> html.append("<li>").append(e(s.approver())).append(" (")
                    .append(e(request.approver(s.approver()).map(a -> a.roles().stream().map(r -> r.name().toLowerCase()).sorted()
                            .collect(Collectors.joining("+"))).orElse("?")))
                    .append(") ").append(s.decision()).append(" via ").append(e(s.via() == null ? "unknown" : s.via().display()))
                    .append(" at ").append(s.at()).append("</li>"));
            html.append("</ul><p><small>Plan hash <code>").append(e(request.planHash())).append("</code></small></p>");
            boolean signed = incident.signatures().stream().anyMatch(s -> s.approver().equals(approver));
            if (incident.status() == dev.awoooi.incident.IncidentStatus.AWAITING_APPROVAL && !signed) {
                html.append("<form method=\"post\" action=\"/approvals/").append(e(incident.id())).append("\">")
                        .append("<input type=\"hidden\" name=\"approver\" value=\"").append(e(approver)).append("\">")
                        .append("<input type=\"hidden\" name=\"token\" value=\"").append(e(token)).append("\">")
                        .append("<p>Signing as <strong>").append(e(approver)).append("</strong></p>")
                        .append("<button name=\"decision\" value=\"approve\" id=\"approve\">Approve</button>")
                        .append("<button name=\"decision\" value=\"reject\" id=\"reject\">Reject</button></form>");
            }
        }
        return html.append("</body></html>").toString();
    }

    /** A page with one message, for refusals: escaped like every other text on these pages. */
    public static String notice(String message) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>AWOOOI</title></head><body><p>"
                + e(message) + "</p></body></html>";
    }

    private static String e(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
