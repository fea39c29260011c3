package dev.awoooi.scan;

import dev.awoooi.scan.FleetInventory.Asset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The hourly asset scan: the inventory with owners, what is new and what is gone since the last run, and the catalog
 * of alerting rules with the assets each one watches, so that what no rule watches is a finding.
 * <p>
 * A rule watches an asset when its PromQL selects it: a label matcher naming a workload, pod, claim or node
 * ({@code deployment="frontend"}, {@code pod=~"frontend-.*"}, {@code persistentvolumeclaim="data-x"}); a rule on
 * kube-state-metrics or cAdvisor series that selects a namespace and names nothing in it watches the namespace's
 * workloads; a rule on node_exporter's series that names no node watches every node.
 */
public final class Assets {
    static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Set<String> WORKLOAD_LABELS = Set.of("deployment", "statefulset", "daemonset", "workload", "app", "service", "container",
            "job", "pod", "job_name", "app_kubernetes_io_name");
    static final Set<String> NODE_LABELS = Set.of("node", "instance", "nodename", "kubernetes_io_hostname");
    static final Set<String> WATCHABLE = Set.of("deployment", "statefulset", "node", "persistentvolumeclaim");

    public ScanReport scan(List<Asset> assets, RuleCatalog rules, Optional<ScanReport> previous, Instant now) {
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Asset> byId = new LinkedHashMap<>();
        assets.forEach(a -> byId.put(a.id(), a));

        Map<String, Set<String>> watchedBy = new LinkedHashMap<>();
        int ruleCount = 0;
        if (rules == null) {
            notes.add("the alert-rule catalog is unknown: no Prometheus is configured for the scans, so no asset is known to be watched");
        } else {
            for (var rule : rules.alertRules()) {
                ruleCount++;
                Set<String> covered = covered(rule.expr(), assets);
                covered.forEach(id -> watchedBy.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(rule.name()));
                String list = covered.stream().limit(10).collect(Collectors.joining(", "));
                findings.add(new Finding("alert-rule", "rule/" + rule.group() + "/" + rule.name(), "ok".equals(rule.health()) ? "INFO" : "WARNING",
                        String.format(Locale.ROOT, "%s%s, severity %s; watches %d asset%s%s", rule.state(),
                                "ok".equals(rule.health()) ? "" : " (health " + rule.health() + ")", rule.severity() == null ? "none" : rule.severity(),
                                covered.size(), covered.size() == 1 ? "" : "s", covered.isEmpty() ? "" : ": " + list + (covered.size() > 10 ? ", …" : "")),
                        0, null, null, Map.of("watches", (double) covered.size())));
            }
        }
        int watchable = 0;
        int watched = 0;
        for (Asset asset : assets) {
            Set<String> by = watchedBy.getOrDefault(asset.id(), Set.of());
            String owner = asset.owner() == null ? "no owner" : "owner " + asset.owner();
            findings.add(new Finding("asset", asset.id(), "INFO", owner + "; " + asset.detail()
                    + (by.isEmpty() ? "" : "; watched by " + String.join(", ", by)), 0, null, null, Map.of("watchedBy", (double) by.size())));
            if (rules != null && WATCHABLE.contains(asset.kind())) {
                watchable++;
                if (by.isEmpty()) {
                    findings.add(new Finding("unwatched-asset", asset.id(), "WARNING", "no alerting rule watches it (" + owner + ")", 0));
                } else {
                    watched++;
                }
            }
        }
        int added = 0;
        int gone = 0;
        if (previous.isPresent()) {
            Set<String> before = previous.get().findings().stream().filter(f -> f.kind().equals("asset")).map(Finding::resource)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            for (String id : byId.keySet()) {
                if (!before.contains(id)) {
                    added++;
                    findings.add(new Finding("asset-new", id, "INFO", "new since " + previous.get().at(), 0));
                }
            }
            for (String id : before) {
                if (!byId.containsKey(id)) {
                    gone++;
                    findings.add(new Finding("asset-gone", id, "INFO", "gone since " + previous.get().at(), 0));
                }
            }
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("assets", (double) assets.size());
        figures.put("new", (double) added);
        figures.put("gone", (double) gone);
        figures.put("unowned", (double) assets.stream().filter(a -> a.owner() == null).count());
        if (rules != null) {
            figures.put("rules", (double) ruleCount);
            figures.put("watched", watchable == 0 ? 0 : watched / (double) watchable);
        }
        return new ScanReport("assets", now, findings, figures, notes);
    }

    /** The ids of the assets a rule's expression selects. */
    static Set<String> covered(String expr, List<Asset> assets) {
        List<String[]> matchers = new ArrayList<>();
        Matcher m = MATCHER.matcher(expr == null ? "" : expr);
        while (m.find()) {
            matchers.add(new String[] {m.group(1), m.group(2), m.group(3)});
        }
        boolean namesWorkload = matchers.stream().anyMatch(x -> WORKLOAD_LABELS.contains(x[0]) && positive(x[1]));
        boolean namesNode = matchers.stream().anyMatch(x -> NODE_LABELS.contains(x[0]) && positive(x[1]));
        boolean namesClaim = matchers.stream().anyMatch(x -> x[0].equals("persistentvolumeclaim") && positive(x[1]));
        Set<String> namespaces = matchers.stream().filter(x -> x[0].equals("namespace") && x[1].equals("=")).map(x -> x[2])
                .collect(Collectors.toSet());
        boolean clusterSeries = expr != null && (expr.contains("kube_") || expr.contains("container_"));
        boolean nodeSeries = expr != null && expr.contains("node_");
        Set<String> out = new LinkedHashSet<>();
        for (Asset asset : assets) {
            boolean workload = asset.kind().equals("deployment") || asset.kind().equals("statefulset");
            boolean yes = switch (asset.kind()) {
                case "deployment", "statefulset" -> namesWorkload ? matchers.stream().anyMatch(x -> WORKLOAD_LABELS.contains(x[0])
                        && selects(x, asset.name(), x[0].equals("pod") || x[0].equals("container")))
                        : clusterSeries && !namesClaim && !namesNode && namespaces.contains(asset.namespace());
                case "node" -> namesNode ? matchers.stream().anyMatch(x -> NODE_LABELS.contains(x[0]) && selects(x, asset.name(), true))
                        : nodeSeries && !namesWorkload && !namesClaim;
                case "persistentvolumeclaim" -> namesClaim && matchers.stream().anyMatch(x -> x[0].equals("persistentvolumeclaim")
                        && selects(x, asset.name(), false)) && (namespaces.isEmpty() || namespaces.contains(asset.namespace()));
                default -> false;
            };
            if (yes && (!workload || namespaces.isEmpty() || namespaces.contains(asset.namespace()))) {
                out.add(asset.id());
            }
        }
        return out;
    }

    private static boolean positive(String op) {
        return op.equals("=") || op.equals("=~");
    }

    /** Whether a positive matcher selects the name (or, for pods and instances, a name starting with it and a dash or colon). */
    private static boolean selects(String[] matcher, String name, boolean prefixed) {
        String op = matcher[1];
        String value = matcher[2];
        if (op.equals("=")) {
            return value.equals(name) || prefixed && (value.startsWith(name + "-") || value.startsWith(name + ":"));
        }
        if (op.equals("=~")) {
            try {
                Pattern p = Pattern.compile(value.replace("\\\\", "\\"));
                return p.matcher(name).matches() || prefixed && (p.matcher(name + "-0").matches() || p.matcher(name + "-abc12-xyz34").matches());
            } catch (PatternSyntaxException e) {
                return false;
            }
        }
        return false;
    }
}
