package dev.awoooi.scan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The nightly capacity scan: every host as node_exporter sees it (load per core, CPU busy and iowait, memory, swap,
 * the fullest filesystem and when it fills), judged by thresholds. Each node's finding is that night's snapshot, kept
 * for trends; a WARNING or CRITICAL one is a violation.
 */
public final class Capacity {

    /** Shares (0..1) from which a node is WARNING or CRITICAL; days-until-full below which a filling disk is. */
    public record Thresholds(double cpuWarning, double cpuCritical, double memoryWarning, double memoryCritical,
                             double diskWarning, double diskCritical, double fullWarningDays, double fullCriticalDays) {
        public static final Thresholds DEFAULTS = new Thresholds(0.60, 0.80, 0.70, 0.85, 0.80, 0.90, 30, 7);

        public Thresholds {
            if (!(0 < cpuWarning && cpuWarning < cpuCritical && cpuCritical <= 1) || !(0 < memoryWarning && memoryWarning < memoryCritical && memoryCritical <= 1)
                    || !(0 < diskWarning && diskWarning < diskCritical && diskCritical <= 1) || !(fullCriticalDays > 0 && fullCriticalDays < fullWarningDays)) {
                throw new IllegalArgumentException("capacity thresholds: each warning must be above 0 and below its critical (≤ 1), "
                        + "and the critical days until full below the warning days");
            }
        }
    }

    private final Thresholds thresholds;

    public Capacity(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** @param usage null when no metrics store is configured: the report says so and judges nothing */
    public ScanReport scan(UsageMetrics usage, Instant now) {
        if (usage == null) {
            return new ScanReport("capacity", now, List.of(), Map.of(), List.of(
                    "capacity unknown: no Prometheus with node_exporter metrics is configured for the scans"));
        }
        List<Finding> findings = new ArrayList<>();
        double cpuMax = 0, memoryMax = 0, diskMax = 0;
        int warning = 0, critical = 0;
        for (var node : usage.nodeLoads()) {
            Finding snapshot = judge(node);
            findings.add(snapshot);
            warning += snapshot.severity().equals("WARNING") ? 1 : 0;
            critical += snapshot.severity().equals("CRITICAL") ? 1 : 0;
            cpuMax = Math.max(cpuMax, finite(node.cpuBusy()));
            memoryMax = Math.max(memoryMax, finite(1 - node.memoryAvailable()));
            diskMax = Math.max(diskMax, finite(node.diskFill()));
        }
        // the worst first: a fleet's report is read, and kept, from the top
        findings.sort(Finding.WORST_FIRST.thenComparing(Finding::resource));
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("nodes", (double) findings.size());
        figures.put("nodesWarning", (double) warning);
        figures.put("nodesCritical", (double) critical);
        figures.put("cpuBusyMax", cpuMax);
        figures.put("memoryUsedMax", memoryMax);
        figures.put("diskFillMax", diskMax);
        List<String> notes = findings.isEmpty() ? List.of("no node_exporter series in Prometheus (node_load1 has no results)") : List.of();
        return new ScanReport("capacity", now, findings, figures, notes);
    }

    Finding judge(UsageMetrics.NodeLoad node) {
        double memoryUsed = 1 - node.memoryAvailable();
        List<String> critical = new ArrayList<>();
        List<String> warning = new ArrayList<>();
        over(node.cpuBusy(), thresholds.cpuWarning(), thresholds.cpuCritical(), "CPU busy", warning, critical);
        over(memoryUsed, thresholds.memoryWarning(), thresholds.memoryCritical(), "memory used", warning, critical);
        over(node.diskFill(), thresholds.diskWarning(), thresholds.diskCritical(), node.fullestMount() + " full", warning, critical);
        if (node.daysUntilFull() < thresholds.fullCriticalDays()) {
            critical.add(String.format(Locale.ROOT, "%s full in %.1f days", node.fullestMount(), node.daysUntilFull()));
        } else if (node.daysUntilFull() < thresholds.fullWarningDays()) {
            warning.add(String.format(Locale.ROOT, "%s full in %.1f days", node.fullestMount(), node.daysUntilFull()));
        }
        // a host whose CPU or memory is not measured is not "OK": it is unknown, and says so
        boolean blind = Double.isNaN(node.cpuBusy()) || Double.isNaN(node.memoryAvailable());
        // what is measured still counts: a filling disk warns whether or not CPU is seen
        String severity = !critical.isEmpty() ? "CRITICAL" : !warning.isEmpty() ? "WARNING" : blind ? "UNKNOWN" : "OK";
        if (blind) {
            String missing = Double.isNaN(node.cpuBusy()) && Double.isNaN(node.memoryAvailable()) ? "no CPU or memory series"
                    : Double.isNaN(node.cpuBusy()) ? "no CPU series" : "no memory series";
            warning.add(0, "unknown: " + missing + " for this host");
        }
        String measured = String.format(Locale.ROOT, "CPU %s busy (iowait %s), memory %s used, swap %s used, %s %s full (%s); load %s/%s/%s per core over %s cores",
                percent(node.cpuBusy()), percent(node.iowait()), percent(memoryUsed), Double.isNaN(node.swapUsed()) ? "none" : percent(node.swapUsed()),
                node.fullestMount(), percent(node.diskFill()), Double.isInfinite(node.daysUntilFull()) ? "not filling"
                        : String.format(Locale.ROOT, "full in %.1f days", node.daysUntilFull()),
                perCore(node.load1(), node.cores()), perCore(node.load5(), node.cores()), perCore(node.load15(), node.cores()), FinOps.number(node.cores()));
        List<String> reasons = new ArrayList<>(critical);
        reasons.addAll(warning);
        String detail = reasons.isEmpty() ? measured : String.join("; ", reasons) + " — " + measured;
        Map<String, Double> measures = new LinkedHashMap<>();
        measures.put("cores", node.cores());
        measures.put("load1PerCore", node.load1() / node.cores());
        measures.put("load5PerCore", node.load5() / node.cores());
        measures.put("load15PerCore", node.load15() / node.cores());
        measures.put("cpuBusy", node.cpuBusy());
        measures.put("iowait", node.iowait());
        measures.put("memoryUsed", memoryUsed);
        measures.put("swapUsed", node.swapUsed());
        measures.put("diskFill", node.diskFill());
        measures.put("daysUntilFull", node.daysUntilFull());
        return new Finding("node-capacity", "node/" + node.node(), severity, detail, 0, null, null, measures);
    }

    private static void over(double value, double warn, double crit, String what, List<String> warning, List<String> critical) {
        if (value > crit) {
            critical.add(what + " " + percent(value) + " > " + percent(crit));
        } else if (value > warn) {
            warning.add(what + " " + percent(value) + " > " + percent(warn));
        }
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "unknown" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String perCore(double load, double cores) {
        return String.format(Locale.ROOT, "%.2f", load / cores);
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}
