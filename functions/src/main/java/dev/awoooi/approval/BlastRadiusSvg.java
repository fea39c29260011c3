package dev.awoooi.approval;

import dev.awoooi.web.Html;

import dev.awoooi.analysis.Analysis;
import dev.awoooi.analysis.Impact;
import dev.awoooi.analysis.RootCause;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The blast radius drawn on the server, so the page needs no script to show it: the services that suffer in rows above
 * (one row per hop, circles sized by their pods), the alerting service in the middle, and below it the path down to
 * each root cause. Edges are drawn only where the analysis recorded them (a root cause and the service that depends on
 * it; the first hop up); a deeper hop's exact path is not recorded, so it is dashed to the row beneath.
 */
final class BlastRadiusSvg {
    private static final int WIDTH = 360;
    private static final int ROW = 70;
    private static final int PER_ROW = 5;

    private BlastRadiusSvg() {
    }

    private record Node(String label, int x, int y, int radius, String kind) {
    }

    static String render(String alertingService, Analysis analysis) {
        String alerting = alertingService == null || alertingService.isBlank() ? "the alerting service" : alertingService;
        Map<Integer, List<Impact>> up = new TreeMap<>(java.util.Comparator.reverseOrder());
        analysis.blastRadius().stream().filter(i -> !i.service().equals(alerting)).forEach(i -> up.computeIfAbsent(i.depth(), d -> new ArrayList<>()).add(i));
        Map<Integer, List<RootCause>> down = new TreeMap<>();
        boolean alertingUnhealthy = false;
        for (RootCause cause : analysis.rootCauses()) {
            if (cause.depth() == 0) {
                alertingUnhealthy = true;
            } else {
                down.computeIfAbsent(cause.depth(), d -> new ArrayList<>()).add(cause);
            }
        }
        int rows = up.size() + 1 + down.size();
        int height = rows * ROW + 30;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"blast-graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"Blast radius: ").append(analysis.blastRadius().size()).append(" affected, ")
                .append(analysis.rootCauses().size()).append(" root causes\">");
        List<String> edges = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        Map<String, Node> byName = new HashMap<>();
        int y = 30;
        Map<Integer, List<Node>> upRows = new LinkedHashMap<>();
        for (var row : up.entrySet()) {
            List<Node> placed = place(row.getValue().stream().map(i -> new Node(i.service(), 0, 0, radius(i.pods()), "affected")).toList(), y,
                    row.getValue().size());
            upRows.put(row.getKey(), placed);
            placed.forEach(n -> byName.putIfAbsent(n.label(), n));
            nodes.addAll(placed);
            y += ROW;
        }
        Node centre = new Node(alerting, WIDTH / 2, y, 16, alertingUnhealthy ? "cause" : "alerting");
        nodes.add(centre);
        byName.put(alerting, centre); // the alerting service is drawn once, in the middle, even if it is also affected
        for (var row : upRows.entrySet()) {
            Node below = row.getKey() == 1 ? centre : upRows.getOrDefault(row.getKey() - 1, List.of(centre)).getFirst();
            boolean known = row.getKey() == 1;
            row.getValue().forEach(n -> edges.add(line(n, below, known)));
        }
        y += ROW;
        for (var row : down.entrySet()) {
            List<Node> placed = place(row.getValue().stream().map(c -> new Node(c.service(), 0, 0, 11, "cause")).toList(), y, row.getValue().size());
            for (int i = 0; i < placed.size(); i++) {
                byName.putIfAbsent(placed.get(i).label(), placed.get(i));
            }
            nodes.addAll(placed);
            y += ROW;
        }
        for (RootCause cause : analysis.rootCauses()) {
            Node node = byName.get(cause.service());
            if (node != null && node != centre) {
                Node parent = cause.via() == null ? centre : byName.getOrDefault(cause.via(), centre);
                edges.add(line(node, parent, cause.via() == null || byName.containsKey(cause.via())));
            }
        }
        edges.forEach(svg::append);
        for (Node n : nodes) {
            String fill = switch (n.kind()) {
                case "cause" -> "#dc2626";
                case "alerting" -> "#f59e0b";
                case "more" -> "#9ca3af";
                default -> "#2563eb";
            };
            svg.append("<g class=\"").append(n.kind()).append("\"><title>").append(Html.escape(n.label())).append("</title>")
                    .append("<circle cx=\"").append(n.x()).append("\" cy=\"").append(n.y()).append("\" r=\"").append(n.radius())
                    .append("\" fill=\"").append(fill).append("\"/><text x=\"").append(n.x()).append("\" y=\"").append(n.y() + n.radius() + 13)
                    .append("\" text-anchor=\"middle\" font-size=\"11\">").append(Html.escape(shorten(n.label()))).append("</text></g>");
        }
        return svg.append("</svg>").toString();
    }

    /** Up to {@value #PER_ROW} nodes spread across the row; the rest as one "+N more". */
    private static List<Node> place(List<Node> row, int y, int total) {
        List<Node> shown = new ArrayList<>(row.subList(0, Math.min(row.size(), total > PER_ROW ? PER_ROW - 1 : PER_ROW)));
        if (total > shown.size()) {
            shown.add(new Node("+" + (total - shown.size()) + " more", 0, y, 10, "more"));
        }
        List<Node> placed = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            int x = WIDTH * (2 * i + 1) / (2 * shown.size());
            Node n = shown.get(i);
            placed.add(new Node(n.label(), x, y, n.radius(), n.kind()));
        }
        return placed;
    }

    private static int radius(int pods) {
        return (int) Math.min(18, 6 + Math.round(2 * Math.sqrt(Math.max(0, pods))));
    }

    private static String line(Node a, Node b, boolean known) {
        return "<line x1=\"" + a.x() + "\" y1=\"" + a.y() + "\" x2=\"" + b.x() + "\" y2=\"" + b.y() + "\" stroke=\"#6b7280\" stroke-width=\"1.5\""
                + (known ? "" : " stroke-dasharray=\"4 3\"") + "/>";
    }

    private static String shorten(String label) {
        return label.length() <= 16 ? label : label.substring(0, 15) + "…";
    }
}
