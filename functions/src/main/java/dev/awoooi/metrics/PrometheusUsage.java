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

    /** Queries sent together and awaited under one deadline: the scan's time is its slowest query's, not their sum. */
    private final class Batch {
        private final Map<String, PrometheusClient.Pending> pending = new LinkedHashMap<>();
        private final Map<String, List<PrometheusClient.Sample>> answers = new HashMap<>();

        Batch add(String title, String promql) {
            pending.put(title, prometheus.start(title, promql, null));
            return this;
        }

        Batch await() {
            long deadline = System.nanoTime() + prometheus.timeout().toNanos();
            try {
                for (var entry : pending.entrySet()) {
                    answers.put(entry.getKey(), entry.getValue().await(deadline));
                }
                return this;
            } finally {
                pending.values().forEach(PrometheusClient.Pending::cancel);
            }
        }

        Map<String, Double> by(String title, java.util.function.Function<PrometheusClient.Sample, String> key) {
            Map<String, Double> out = new HashMap<>();
            for (var sample : answers.get(title)) {
                String k = key.apply(sample);
                if (k != null && !Double.isNaN(sample.value())) {
                    out.put(k, sample.value());
                }
            }
            return out;
        }

        Map<String, Map<String, Double>> filesystems(String title) {
            Map<String, Map<String, Double>> out = new HashMap<>();
            Function<String, Map<String, Double>> fresh = k -> new LinkedHashMap<>();
            for (var sample : answers.get(title)) {
                String node = sample.label(nodeLabel);
                String mount = sample.label("mountpoint");
                if (node != null && mount != null && Double.isFinite(sample.value())) {
                    out.computeIfAbsent(node, fresh).put(mount, sample.value());
                }
            }
            return out;
        }
    }

    private static String pod(PrometheusClient.Sample sample) {
        String namespace = sample.label("namespace");
        String pod = sample.label("pod");
        return namespace == null || pod == null ? null : namespace + "/" + pod;
    }

    @Override
    public Map<String, PodUsage> podUsage(Duration window) {
        String range = "[" + window.toSeconds() + "s:5m]";
        var batch = new Batch()
                .add("CPU p95", "quantile_over_time(0.95, " + CPU_RATE + range + ")")
                .add("CPU max", "max_over_time(" + CPU_RATE + range + ")")
                .add("memory p95", "quantile_over_time(0.95, " + MEMORY + range + ")")
                // looked for a day further back than the window, so a pod seen throughout the window is told from one
                // that appeared at its very start
                .add("first seen", "min_over_time(timestamp(" + CPU_RATE + ")[" + window.plusDays(1).toSeconds() + "s:5m])")
                .await();
        var cpuP95 = batch.by("CPU p95", PrometheusUsage::pod);
        var cpuMax = batch.by("CPU max", PrometheusUsage::pod);
        var memoryP95 = batch.by("memory p95", PrometheusUsage::pod);
        var firstSeen = batch.by("first seen", PrometheusUsage::pod);
        Map<String, PodUsage> out = new TreeMap<>();
        cpuP95.forEach((pod, cpu) -> out.put(pod, new PodUsage(cpu, cpuMax.getOrDefault(pod, cpu),
                memoryP95.getOrDefault(pod, 0.0) / GIB, firstSeen.containsKey(pod)
                ? Instant.ofEpochMilli(Math.round(firstSeen.get(pod) * 1000)) : null)));
        return out;
    }

    /**
     * Each host's night: its worst of the last 24 hours for CPU busy, iowait and memory (at a 5-minute resolution, so
     * a scan at 02:00 does not judge the quietest hour), the load averages and swap now, and its fullest filesystem.
     */
    @Override
    public List<NodeLoad> nodeLoads() {
        String by = " by (" + nodeLabel + ") ";
        String day = "[24h:5m]";
        String busy = "1 - avg" + by + "(rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))";
        String iowait = "avg" + by + "(rate(node_cpu_seconds_total{mode=\"iowait\"}[5m]))";
        String memory = "sum" + by + "(node_memory_MemAvailable_bytes) / sum" + by + "(node_memory_MemTotal_bytes)";
        var batch = new Batch()
                .add("load1", "max" + by + "(node_load1)")
                .add("load5", "max" + by + "(node_load5)")
                .add("load15", "max" + by + "(node_load15)")
                .add("cores", "count" + by + "(node_cpu_seconds_total{mode=\"idle\"})")
                // over the day, and now (a host younger than the last 5-minute step has only the latter)
                .add("CPU busy", "max_over_time((" + busy + ")" + day + ")").add("CPU busy now", busy)
                .add("iowait", "max_over_time((" + iowait + ")" + day + ")").add("iowait now", iowait)
                .add("memory", "min_over_time((" + memory + ")" + day + ")").add("memory now", memory)
                // no swap at all is nothing swapped: 0, not 0/0
                .add("swap", "(sum" + by + "(node_memory_SwapTotal_bytes) - sum" + by + "(node_memory_SwapFree_bytes)) / clamp_min(sum" + by
                        + "(node_memory_SwapTotal_bytes), 1)")
                // per filesystem: its fill, and where predict_linear puts its free bytes a day from now
                .add("disk fill", "1 - node_filesystem_avail_bytes" + FILESYSTEMS + " / node_filesystem_size_bytes" + FILESYSTEMS)
                .add("disk free", "node_filesystem_avail_bytes" + FILESYSTEMS)
                .add("disk trend", "predict_linear(node_filesystem_avail_bytes" + FILESYSTEMS + "[6h], 86400)")
                .await();
        java.util.function.Function<PrometheusClient.Sample, String> host = sample -> sample.label(nodeLabel);
        Map<String, Double> load1 = batch.by("load1", host);
        Map<String, Double> load5 = batch.by("load5", host);
        Map<String, Double> load15 = batch.by("load15", host);
        Map<String, Double> cores = batch.by("cores", host);
        Map<String, Double> busiest = worst(batch.by("CPU busy", host), batch.by("CPU busy now", host), Math::max);
        Map<String, Double> waits = worst(batch.by("iowait", host), batch.by("iowait now", host), Math::max);
        Map<String, Double> available = worst(batch.by("memory", host), batch.by("memory now", host), Math::min);
        Map<String, Double> swap = batch.by("swap", host);
        var fill = batch.filesystems("disk fill");
        var avail = batch.filesystems("disk free");
        var inADay = batch.filesystems("disk trend");
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
                    busiest.getOrDefault(node, Double.NaN), waits.getOrDefault(node, Double.NaN), available.getOrDefault(node, Double.NaN),
                    swap.getOrDefault(node, Double.NaN), worstFill, fullest == null ? "no filesystem" : fullest, days));
        }
        return out;
    }

    private static Map<String, Double> worst(Map<String, Double> overTheDay, Map<String, Double> now, java.util.function.BinaryOperator<Double> pick) {
        Map<String, Double> out = new HashMap<>(overTheDay);
        now.forEach((node, value) -> out.merge(node, value, pick));
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

}
