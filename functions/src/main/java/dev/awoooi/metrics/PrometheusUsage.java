package dev.awoooi.metrics;

import dev.awoooi.scan.RuleCatalog;
import dev.awoooi.scan.UsageMetrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the fleet really uses, read from Prometheus: the containers' CPU and memory as cAdvisor (the kubelet) exports
 * them, and each host as node_exporter does. Every query is one instant query; the pod queries reduce the whole
 * window inside Prometheus (subqueries at a 5-minute step), so only one number per pod crosses the wire.
 */
public final class PrometheusUsage implements UsageMetrics, RuleCatalog {
    /** Application containers only: cAdvisor also reports the pod's sandbox ("POD") and the pod as a whole (""). */
    static final String CONTAINERS = "{container!=\"\",container!=\"POD\"}";
    static final String CPU_RATE = "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total" + CONTAINERS + "[5m]))";
    static final String MEMORY = "sum by (namespace, pod) (container_memory_working_set_bytes" + CONTAINERS + ")";
    static final String FILESYSTEMS = "{fstype!~\"tmpfs|ramfs|overlay|squashfs|nsfs|fuse.*\",mountpoint!~\"/(run|var/lib/kubelet)($|/.*)\"}";
    static final double GIB = 1L << 30;

    private final PrometheusClient prometheus;
    private final String nodeLabel;

    /** @param nodeLabel the label that names a host in node_exporter's series ({@code instance}, or {@code node} where relabelled) */
    public PrometheusUsage(PrometheusClient prometheus, String nodeLabel) {
        if (nodeLabel == null || !nodeLabel.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
            throw new IllegalArgumentException("the node label must be a Prometheus label name");
        }
        this.prometheus = prometheus;
        this.nodeLabel = nodeLabel;
    }

    @Override
    public Map<String, PodUsage> podUsage(Duration window) {
        String range = "[" + window.toSeconds() + "s:5m]";
        var cpuP95 = pods("CPU p95", "quantile_over_time(0.95, " + CPU_RATE + range + ")");
        var cpuMax = pods("CPU max", "max_over_time(" + CPU_RATE + range + ")");
        var memoryP95 = pods("memory p95", "quantile_over_time(0.95, " + MEMORY + range + ")");
        // looked for a day further back than the window, so a pod seen throughout the window is told from one that
        // appeared at its very start
        var firstSeen = pods("first seen", "min_over_time(timestamp(" + CPU_RATE + ")[" + window.plusDays(1).toSeconds() + "s:5m])");
        Map<String, PodUsage> out = new TreeMap<>();
        cpuP95.forEach((pod, cpu) -> out.put(pod, new PodUsage(cpu, cpuMax.getOrDefault(pod, cpu),
                memoryP95.getOrDefault(pod, 0.0) / GIB, firstSeen.containsKey(pod)
                ? Instant.ofEpochMilli(Math.round(firstSeen.get(pod) * 1000)) : null)));
        return out;
    }

    private Map<String, Double> pods(String title, String promql) {
        Map<String, Double> out = new HashMap<>();
        for (var sample : prometheus.query(title, promql, null)) {
            String namespace = sample.label("namespace");
            String pod = sample.label("pod");
            if (namespace != null && pod != null && Double.isFinite(sample.value())) {
                out.put(namespace + "/" + pod, sample.value());
            }
        }
        return out;
    }

    @Override
    public List<NodeLoad> nodeLoads() {
        String by = " by (" + nodeLabel + ") ";
        Map<String, Double> load1 = nodes("load1", "max" + by + "(node_load1)");
        Map<String, Double> load5 = nodes("load5", "max" + by + "(node_load5)");
        Map<String, Double> load15 = nodes("load15", "max" + by + "(node_load15)");
        Map<String, Double> cores = nodes("cores", "count" + by + "(node_cpu_seconds_total{mode=\"idle\"})");
        Map<String, Double> busy = nodes("CPU busy", "1 - avg" + by + "(rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))");
        Map<String, Double> iowait = nodes("iowait", "avg" + by + "(rate(node_cpu_seconds_total{mode=\"iowait\"}[5m]))");
        Map<String, Double> available = nodes("memory", "sum" + by + "(node_memory_MemAvailable_bytes) / sum" + by + "(node_memory_MemTotal_bytes)");
        // no swap at all is nothing swapped: 0, not 0/0
        Map<String, Double> swap = nodes("swap", "(sum" + by + "(node_memory_SwapTotal_bytes) - sum" + by + "(node_memory_SwapFree_bytes)) / clamp_min(sum" + by + "(node_memory_SwapTotal_bytes), 1)");
        // per filesystem: its fill, and where predict_linear puts its free bytes a day from now
        var fill = filesystems("disk fill", "1 - node_filesystem_avail_bytes" + FILESYSTEMS + " / node_filesystem_size_bytes" + FILESYSTEMS);
        var avail = filesystems("disk free", "node_filesystem_avail_bytes" + FILESYSTEMS);
        var inADay = filesystems("disk trend", "predict_linear(node_filesystem_avail_bytes" + FILESYSTEMS + "[6h], 86400)");
        List<NodeLoad> out = new ArrayList<>();
        for (var entry : new TreeMap<>(load1).entrySet()) {
            String node = entry.getKey();
            double n = cores.getOrDefault(node, Double.NaN);
            String fullest = null;
            double worstFill = Double.NaN;
            double days = Double.POSITIVE_INFINITY;
            for (var fs : fill.getOrDefault(node, Map.of()).entrySet()) {
                if (fullest == null || fs.getValue() > worstFill) {
                    fullest = fs.getKey();
                    worstFill = fs.getValue();
                }
                double now = avail.getOrDefault(node, Map.of()).getOrDefault(fs.getKey(), Double.NaN);
                double later = inADay.getOrDefault(node, Map.of()).getOrDefault(fs.getKey(), Double.NaN);
                if (now > later) {
                    days = Math.min(days, now / (now - later));
                }
            }
            out.add(new NodeLoad(node, n, entry.getValue(), load5.getOrDefault(node, Double.NaN), load15.getOrDefault(node, Double.NaN),
                    busy.getOrDefault(node, Double.NaN), iowait.getOrDefault(node, Double.NaN), available.getOrDefault(node, Double.NaN),
                    swap.getOrDefault(node, Double.NaN), worstFill, fullest == null ? "no filesystem" : fullest, days));
        }
        return out;
    }

    @Override
    public List<AlertRule> alertRules() {
        List<AlertRule> out = new ArrayList<>();
        for (var group : prometheus.alertingRules()) {
            for (var rule : group.path("rules")) {
                if (!"alerting".equals(rule.path("type").asString(""))) {
                    continue;
                }
                String severity = rule.path("labels").path("severity").asString(null);
                out.add(new AlertRule(group.path("name").asString(""), rule.path("name").asString(""), rule.path("query").asString(""),
                        severity, rule.path("state").asString("unknown"), rule.path("health").asString("unknown")));
            }
        }
        return out;
    }

    private Map<String, Double> nodes(String title, String promql) {
        Map<String, Double> out = new HashMap<>();
        for (var sample : prometheus.query(title, promql, null)) {
            String node = sample.label(nodeLabel);
            if (node != null) {
                out.put(node, sample.value());
            }
        }
        return out;
    }

    private Map<String, Map<String, Double>> filesystems(String title, String promql) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        Function<String, Map<String, Double>> fresh = k -> new LinkedHashMap<>();
        for (var sample : prometheus.query(title, promql, null)) {
            String node = sample.label(nodeLabel);
            String mount = sample.label("mountpoint");
            if (node != null && mount != null && Double.isFinite(sample.value())) {
                out.computeIfAbsent(node, fresh).put(mount, sample.value());
            }
        }
        return out;
    }
}
