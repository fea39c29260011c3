package dev.awoooi.scan;

import dev.awoooi.web.Html;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scan's report as a page people look at, server-rendered, phone-first, no script: the headline figures, the
 * scan's chart drawn here as SVG (FinOps: waste by category; capacity: the fleet's worst CPU, memory and disk over the
 * last 30 nights; compliance: a heat map of assets by dimension; assets: how much of the fleet a rule watches), the
 * top recommendations with their typed actions, what the scan could not see, and the findings.
 */
public final class ReportPage {
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final List<String> SCANS = List.of("finops", "capacity", "compliance", "assets");
    static final int HEAT_MAP_ROWS = 60;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'Asia/Taipei'", Locale.ROOT)
            .withZone(ZoneId.of("Asia/Taipei"));
    private static final DateTimeFormatter NIGHT = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT).withZone(ZoneId.of("Asia/Taipei"));
    static final String OK = "#16a34a";
    static final String WARNING = "#d97706";
    static final String CRITICAL = "#dc2626";
    static final String UNKNOWN = "#9ca3af";
    private static final String STYLE = "*{box-sizing:border-box}"
            + "body{font:16px/1.4 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:.6rem .8rem 2rem;color:#111;overflow-wrap:anywhere}"
            + "h1{font-size:1.25rem;margin:.3rem 0}h2{font-size:1rem;margin:1.2rem 0 .3rem;border-top:1px solid #e5e7eb;padding-top:.8rem}"
            + "nav a{margin-right:.8rem}.meta{font-size:.85rem;color:#374151;margin:0}"
            + ".figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem;margin:.6rem 0}"
            + ".figure{border:1px solid #e5e7eb;border-radius:.5rem;padding:.5rem .6rem}.figure b{display:block;font-size:1.3rem}"
            + ".figure span{font-size:.8rem;color:#374151}svg{width:100%;max-width:44rem;height:auto;display:block}"
            + "table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #e5e7eb;vertical-align:top}"
            + ".wrap{overflow-x:auto}.sev{display:inline-block;padding:0 .35rem;border-radius:.3rem;font-weight:600;font-size:.8rem;background:#e5e7eb;white-space:nowrap}"
            + "td.num{white-space:nowrap}"
            + ".CRITICAL,.HIGH{background:#fecaca}.WARNING,.MEDIUM{background:#fde68a}.OK,.LOW{background:#bbf7d0}.UNKNOWN{background:#e5e7eb}"
            + ".note{background:#fffbeb;padding:.4rem .6rem;border-radius:.4rem;margin:.3rem 0}code{font-size:.8rem}"
            + "@media (max-width:40rem){.hide-narrow{display:none}}";

    private ReportPage() {
    }

    /** The page of one scan; {@code latest} empty when it never ran. */
    /** @param listed how many findings the table lists (the chart is drawn from all of them) */
    public static String html(String scan, java.util.Optional<ScanReport> latest, List<ScanReport> history, int listed) {
        return html(scan, latest, history, listed, "/scans/", "");
    }

    /**
     * The page under another path (the console's), with that site's own bar above it.
     *
     * @param base   where the scans' pages are: "/scans/" or "/console/scans/"
     * @param header rendered HTML put first in the body (already escaped)
     */
    public static String html(String scan, java.util.Optional<ScanReport> latest, List<ScanReport> history, int listed, String base, String header) {
        StringBuilder out = new StringBuilder(16_384);
        out.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
                .append("<title>AWOOOI ").append(e(title(scan))).append("</title><style>").append(STYLE)
                .append("header.top{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.3rem;border-bottom:1px solid #e5e7eb;padding-bottom:.4rem}")
                .append("header.top nav a{font-weight:600}header.top form{margin:0;font-size:.85rem}</style></head><body>").append(header)
                .append("<nav>");
        for (String s : SCANS) {
            out.append("<a href=\"").append(base).append(s).append("\"").append(s.equals(scan) ? " aria-current=\"page\"" : "").append(">")
                    .append(e(title(s))).append("</a>");
        }
        out.append("</nav><h1>").append(e(title(scan))).append("</h1>");
        if (latest.isEmpty()) {
            return out.append("<p class=\"note\">This scan has not run yet.</p></body></html>").toString();
        }
        ScanReport report = latest.get();
        int total = (int) Math.round(report.figures().getOrDefault(ScanArchive.FINDINGS_TOTAL, (double) report.findings().size()));
        out.append("<p class=\"meta\">Ran ").append(e(WHEN.format(report.at()))).append(" · ").append(total).append(total == 1 ? " finding" : " findings")
                .append("</p>");
        figures(out, scan, report.figures());
        for (String note : report.notes()) {
            out.append("<p class=\"note\">").append(e(note)).append("</p>");
        }
        switch (scan) {
            case "finops" -> {
                out.append("<h2>Waste by category</h2>").append(Charts.wasteByCategory(report.findings()));
                recommendations(out, report.findings());
            }
            case "capacity" -> out.append("<h2>The last 30 nights</h2>").append(Charts.capacityNights(history));
            case "compliance" -> out.append("<h2>Assets by dimension</h2>").append(Charts.complianceHeatMap(report.findings()));
            case "assets" -> out.append("<h2>Watched by an alerting rule</h2>").append(Charts.watched(report.findings()));
            default -> {
            }
        }
        findings(out, report.findings(), total, listed);
        return out.append("</body></html>").toString();
    }

    static String title(String scan) {
        return switch (scan) {
            case "finops" -> "FinOps";
            case "capacity" -> "Capacity";
            case "compliance" -> "Compliance";
            case "assets" -> "Assets";
            default -> scan;
        };
    }

    private static void figures(StringBuilder out, String scan, Map<String, Double> f) {
        Map<String, String> shown = new LinkedHashMap<>();
        switch (scan) {
            case "finops" -> {
                shown.put("Monthly waste", usd(f.get("monthlyWasteUsd")));
                shown.put("Realizable /mo", usd(f.get("realizableUsdPerMonth")));
                shown.put("Freed /mo", usd(f.get("freedUsdPerMonth")));
                shown.put("Annual (realizable)", usd(f.get("annualUsd")));
            }
            case "capacity" -> {
                shown.put("Nodes", count(f.get("nodes")));
                shown.put("Critical", count(f.get("nodesCritical")));
                shown.put("Warning", count(f.get("nodesWarning")));
                shown.put("Worst CPU busy", percent(f.get("cpuBusyMax")));
                shown.put("Worst memory used", percent(f.get("memoryUsedMax")));
                shown.put("Worst disk fill", percent(f.get("diskFillMax")));
            }
            case "compliance" -> {
                shown.put("Assets", count(f.get("assets")));
                shown.put("Coverage (passing)", percent(f.get("coverage")));
                shown.put("Unknown checks", count(f.get("unknown")));
            }
            case "assets" -> {
                shown.put("Assets", count(f.get("assets")));
                shown.put("New", count(f.get("new")));
                shown.put("Gone", count(f.get("gone")));
                shown.put("Without owner", count(f.get("unowned")));
                shown.put("Alerting rules", count(f.get("rules")));
                shown.put("Watched", percent(f.get("watched")));
            }
            default -> {
            }
        }
        out.append("<div class=\"figures\">");
        shown.forEach((label, value) -> out.append("<div class=\"figure\"><b>").append(e(value)).append("</b><span>").append(e(label))
                .append("</span></div>"));
        out.append("</div>");
    }

    private static void recommendations(StringBuilder out, List<Finding> findings) {
        List<Finding> top = findings.stream().filter(f -> f.recommendation() != null && f.monthlyCostUsd() > 0).limit(10).toList();
        if (top.isEmpty()) {
            return;
        }
        out.append("<h2>Top recommendations</h2><div class=\"wrap\"><table><thead><tr><th>Recommendation</th><th>$/month</th><th>Risk</th>")
                .append("<th class=\"hide-narrow\">Typed action</th></tr></thead><tbody>");
        for (Finding f : top) {
            var r = f.recommendation();
            out.append("<tr><td>").append(e(r.title())).append("</td><td class=\"num\">−").append(e(usd(f.monthlyCostUsd()))).append("</td><td>")
                    .append(r.risk() == null ? "—" : "<span class=\"sev " + r.risk() + "\">" + r.risk() + "</span>").append("</td><td class=\"hide-narrow\">")
                    .append(r.action() == null ? "none: a person changes the manifest" : "<code>" + e(r.action().type()) + "</code> " + e(r.action().describe()))
                    .append("</td></tr>");
        }
        out.append("</tbody></table></div><p class=\"meta\">The scan changes nothing. Each typed action goes through the normal dry run, ")
                .append("risk and signatures when requested (the MCP tool <code>request_action</code>, or an alert that proposes it).</p>");
    }

    private static void findings(StringBuilder out, List<Finding> findings, int total, int listed) {
        List<Finding> shown = findings.stream().filter(f -> !f.kind().startsWith("compliance:")).limit(listed).toList();
        out.append("<h2>Findings</h2>");
        if (shown.isEmpty()) {
            out.append("<p class=\"meta\">None.</p>");
            return;
        }
        out.append("<div class=\"wrap\"><table><thead><tr><th>Severity</th><th>Resource</th><th>Detail</th><th class=\"hide-narrow\">Kind</th></tr></thead><tbody>");
        for (Finding f : shown) {
            out.append("<tr><td><span class=\"sev ").append(e(f.severity())).append("\">").append(e(f.severity())).append("</span></td><td>")
                    .append(e(f.resource())).append("</td><td>").append(e(f.detail()))
                    .append(f.monthlyCostUsd() > 0 ? " (" + e(usd(f.monthlyCostUsd())) + "/mo)" : "").append("</td><td class=\"hide-narrow\">")
                    .append(e(f.kind())).append("</td></tr>");
        }
        out.append("</tbody></table></div>");
        // the table's own count: a compliance report's per-dimension cells are the heat map, not rows
        long listable = findings.stream().filter(f -> !f.kind().startsWith("compliance:")).count();
        boolean whole = findings.size() >= total;
        if (shown.size() < listable || !whole) {
            out.append("<p class=\"meta\">The first ").append(shown.size()).append(" of ").append(whole ? listable : total)
                    .append(" findings, the costliest or worst first.</p>");
        }
    }

    static String usd(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "$%,.2f", value);
    }

    static String percent(Double share) {
        return share == null ? "—" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String count(Double value) {
        return value == null ? "—" : String.valueOf(Math.round(value));
    }

    static String e(String text) {
        return Html.escape(text);
    }

    /** The charts, drawn as SVG with a viewBox so they scale to any width; every mark has a text label too. */
    static final class Charts {
        private Charts() {
        }

        static String wasteByCategory(List<Finding> findings) {
            Map<String, double[]> byKind = new TreeMap<>();
            for (Finding f : findings) {
                if (f.monthlyCostUsd() > 0) {
                    double[] sums = byKind.computeIfAbsent(f.kind(), k -> new double[2]);
                    sums[f.saving() == Finding.Saving.FREED ? 1 : 0] += f.monthlyCostUsd();
                }
            }
            if (byKind.isEmpty()) {
                return "<p class=\"meta\">No waste found.</p>";
            }
            List<Bar> bars = byKind.entrySet().stream().map(e -> new Bar(label(e.getKey()), e.getValue()[0], e.getValue()[1],
                    usd(e.getValue()[0] + e.getValue()[1]))).toList();
            return bars("Monthly waste by category", 140, bars, "#2563eb", "realizable", "#93c5fd", "freed");
        }

        /** One bar per row in two parts, its label left and its value right, and the two parts' legend below. */
        private record Bar(String label, double first, double second, String value) {
        }

        private static String bars(String aria, int labelWidth, List<Bar> bars, String firstColour, String firstName, String secondColour,
                String secondName) {
            double max = bars.stream().mapToDouble(b -> b.first() + b.second()).max().orElse(1);
            int row = 34;
            StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"" + e(aria) + "\" viewBox=\"0 0 440 " + (bars.size() * row + 30)
                    + "\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui,sans-serif\" font-size=\"13\">");
            int y = 6;
            for (Bar bar : bars) {
                double w1 = 200 * bar.first() / max;
                double w2 = 200 * bar.second() / max;
                svg.append("<text x=\"0\" y=\"").append(y + 17).append("\">").append(e(bar.label())).append("</text>")
                        .append(rect(labelWidth, y + 4, w1, 20, firstColour)).append(rect(labelWidth + w1, y + 4, w2, 20, secondColour))
                        .append("<text x=\"").append(fmt(labelWidth + 6 + w1 + w2)).append("\" y=\"").append(y + 19).append("\">")
                        .append(e(bar.value())).append("</text>");
                y += row;
            }
            svg.append(rect(labelWidth, y + 6, 12, 12, firstColour)).append("<text x=\"").append(labelWidth + 18).append("\" y=\"").append(y + 17)
                    .append("\">").append(e(firstName)).append("</text>")
                    .append(rect(labelWidth + 110, y + 6, 12, 12, secondColour)).append("<text x=\"").append(labelWidth + 128).append("\" y=\"")
                    .append(y + 17).append("\">").append(e(secondName)).append("</text>");
            return svg.append("</svg>").toString();
        }

        /** The worst node's CPU busy, memory used and disk fill on each night, oldest left. */
        static String capacityNights(List<ScanReport> history) {
            List<ScanReport> nights = new ArrayList<>(history.stream().filter(r -> r.figures().containsKey("nodes")).limit(30).toList());
            java.util.Collections.reverse(nights);
            if (nights.isEmpty()) {
                return "<p class=\"meta\">No night has been measured yet.</p>";
            }
            int width = 440;
            int height = 240;
            int left = 40;
            int top = 10;
            int plotW = width - left - 10;
            int plotH = 170;
            StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"Worst CPU, memory and disk over the last " + nights.size()
                    + " nights\" viewBox=\"0 0 " + width + " " + height + "\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui,sans-serif\" font-size=\"12\">");
            for (int p = 0; p <= 100; p += 25) {
                double y = top + plotH - plotH * p / 100.0;
                svg.append("<line x1=\"").append(left).append("\" x2=\"").append(left + plotW).append("\" y1=\"").append(fmt(y)).append("\" y2=\"")
                        .append(fmt(y)).append("\" stroke=\"#e5e7eb\"/><text x=\"0\" y=\"").append(fmt(y + 4)).append("\">").append(p).append("%</text>");
            }
            double critical = top + plotH - plotH * 0.8;
            svg.append("<line x1=\"").append(left).append("\" x2=\"").append(left + plotW).append("\" y1=\"").append(fmt(critical))
                    .append("\" y2=\"").append(fmt(critical)).append("\" stroke=\"").append(CRITICAL).append("\" stroke-dasharray=\"4 4\"/>");
            String[][] series = {{"cpuBusyMax", "#2563eb", "CPU busy"}, {"memoryUsedMax", "#9333ea", "memory used"}, {"diskFillMax", "#0d9488", "disk fill"}};
            double step = nights.size() == 1 ? 0 : plotW / (double) (nights.size() - 1);
            for (String[] s : series) {
                StringBuilder points = new StringBuilder();
                for (int i = 0; i < nights.size(); i++) {
                    double v = Math.max(0, Math.min(1, nights.get(i).figures().getOrDefault(s[0], 0.0)));
                    double x = nights.size() == 1 ? left + plotW / 2.0 : left + i * step;
                    double y = top + plotH - plotH * v;
                    points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
                    svg.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"3\" fill=\"").append(s[1])
                            .append("\"><title>").append(e(s[2] + " " + NIGHT.format(nights.get(i).at()) + ": " + percent(v))).append("</title></circle>");
                }
                svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(s[1]).append("\" points=\"").append(points.toString().trim()).append("\"/>");
            }
            svg.append("<text x=\"").append(left).append("\" y=\"").append(top + plotH + 16).append("\">").append(e(NIGHT.format(nights.getFirst().at())))
                    .append("</text><text x=\"").append(left + plotW).append("\" y=\"").append(top + plotH + 16).append("\" text-anchor=\"end\">")
                    .append(e(NIGHT.format(nights.getLast().at()))).append("</text>");
            int x = left;
            for (String[] s : series) {
                svg.append(rect(x, top + plotH + 30, 12, 12, s[1])).append("<text x=\"").append(x + 16).append("\" y=\"").append(top + plotH + 41)
                        .append("\">").append(e(s[2])).append("</text>");
                x += 100;
            }
            svg.append("<text x=\"").append(x).append("\" y=\"").append(top + plotH + 41).append("\" fill=\"").append(CRITICAL).append("\">- - 80%</text>");
            return svg.append("</svg>").toString();
        }

        static String complianceHeatMap(List<Finding> findings) {
            List<String> dimensions = java.util.Arrays.stream(Compliance.Dimension.values()).map(Compliance.Dimension::key).toList();
            Map<String, Map<String, String>> grid = new java.util.LinkedHashMap<>();
            for (Finding f : findings) {
                if (f.kind().startsWith("compliance:")) {
                    grid.computeIfAbsent(f.resource(), k -> new java.util.HashMap<>()).put(f.kind().substring("compliance:".length()), f.severity());
                }
            }
            if (grid.isEmpty()) {
                return "<p class=\"meta\">No asset was judged.</p>";
            }
            int judged = grid.size();
            if (judged > HEAT_MAP_ROWS) {
                // the least compliant first: failures, then warnings, then unknowns
                var worst = grid.entrySet().stream().sorted(java.util.Comparator.comparingInt((Map.Entry<String, Map<String, String>> r) ->
                        -(count(r.getValue(), "CRITICAL") * 10_000 + count(r.getValue(), "WARNING") * 100 + count(r.getValue(), "UNKNOWN"))))
                        .limit(HEAT_MAP_ROWS).toList();
                grid = new java.util.LinkedHashMap<>();
                for (var row : worst) {
                    grid.put(row.getKey(), row.getValue());
                }
            }
            int labelW = 110;
            int cell = 40;
            int head = 120;
            int row = 26;
            // room on the right for the last column's slanted label
            int width = labelW + cell * dimensions.size() + 80;
            int height = head + grid.size() * row + 30;
            StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"Compliance of " + grid.size() + " assets in 7 dimensions\" viewBox=\"0 0 "
                    + width + " " + height + "\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui,sans-serif\" font-size=\"12\">");
            for (int d = 0; d < dimensions.size(); d++) {
                double x = labelW + d * cell + cell / 2.0;
                svg.append("<text transform=\"translate(").append(fmt(x + 4)).append(' ').append(head - 6).append(") rotate(-50)\">")
                        .append(e(dimensions.get(d).replace('_', ' '))).append("</text>");
            }
            int y = head;
            for (var entry : grid.entrySet()) {
                String asset = entry.getKey().replaceFirst("^(deployment|statefulset)/[^/]+/", "");
                String shown = asset.length() > 17 ? asset.substring(0, 16) + "…" : asset;
                svg.append("<text x=\"0\" y=\"").append(y + 17).append("\"><title>").append(e(entry.getKey())).append("</title>")
                        .append(e(shown)).append("</text>");
                for (int d = 0; d < dimensions.size(); d++) {
                    String severity = entry.getValue().getOrDefault(dimensions.get(d), "UNKNOWN");
                    String[] look = switch (severity) {
                        case "OK" -> new String[] {OK, "✓"};
                        case "WARNING" -> new String[] {WARNING, "!"};
                        case "CRITICAL" -> new String[] {CRITICAL, "✗"};
                        default -> new String[] {UNKNOWN, "?"};
                    };
                    int x = labelW + d * cell;
                    svg.append("<rect x=\"").append(x + 2).append("\" y=\"").append(y + 2).append("\" width=\"").append(cell - 4).append("\" height=\"")
                            .append(row - 4).append("\" rx=\"3\" fill=\"").append(look[0]).append("\"><title>").append(e(asset + " " + dimensions.get(d) + ": " + severity))
                            .append("</title></rect><text x=\"").append(x + cell / 2).append("\" y=\"").append(y + 18).append("\" text-anchor=\"middle\" fill=\"#fff\" font-weight=\"700\">")
                            .append(look[1]).append("</text>");
                }
                y += row;
            }
            int x = 0;
            for (String[] legend : new String[][] {{OK, "pass"}, {WARNING, "warning"}, {CRITICAL, "fail"}, {UNKNOWN, "unknown"}}) {
                svg.append(rect(x, y + 10, 12, 12, legend[0])).append("<text x=\"").append(x + 16).append("\" y=\"").append(y + 21).append("\">")
                        .append(legend[1]).append("</text>");
                x += 90;
            }
            svg.append("</svg>");
            return judged > grid.size() ? svg + "<p class=\"meta\">The " + grid.size() + " least compliant of " + judged + " assets.</p>" : svg.toString();
        }

        private static int count(Map<String, String> row, String severity) {
            return (int) row.values().stream().filter(severity::equals).count();
        }

        static String watched(List<Finding> findings) {
            Map<String, int[]> byKind = new TreeMap<>();
            java.util.Set<String> unwatched = new java.util.HashSet<>();
            findings.stream().filter(f -> f.kind().equals("unwatched-asset")).forEach(f -> unwatched.add(f.resource()));
            for (Finding f : findings) {
                if (f.kind().equals("asset") && Assets.WATCHABLE.contains(f.resource().substring(0, f.resource().indexOf('/')))) {
                    int[] counts = byKind.computeIfAbsent(f.resource().substring(0, f.resource().indexOf('/')), k -> new int[2]);
                    counts[unwatched.contains(f.resource()) ? 1 : 0]++;
                }
            }
            if (byKind.isEmpty() || unwatched.isEmpty() && findings.stream().noneMatch(f -> f.kind().equals("alert-rule"))) {
                return "<p class=\"meta\">No rule catalog to compare with.</p>";
            }
            List<Bar> bars = byKind.entrySet().stream().map(e -> new Bar(e.getKey(), e.getValue()[0], e.getValue()[1],
                    e.getValue()[0] + " of " + (e.getValue()[0] + e.getValue()[1]))).toList();
            return bars("Assets watched by an alerting rule, by kind", 160, bars, OK, "watched", CRITICAL, "no rule");
        }

        private static String label(String kind) {
            return switch (kind) {
                case "orphaned-volume" -> "Orphaned volumes";
                case "zombie-pod" -> "Zombie pods";
                case "over-provisioned-workload" -> "Over-provisioned";
                case "oversized-node" -> "Oversized nodes";
                default -> kind;
            };
        }

        private static String rect(double x, double y, double w, double h, String fill) {
            return "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(Math.max(0, w)) + "\" height=\"" + fmt(h) + "\" fill=\"" + fill + "\"/>";
        }

        private static String fmt(double v) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
    }
}
