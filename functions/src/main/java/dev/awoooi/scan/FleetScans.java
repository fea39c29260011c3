package dev.awoooi.scan;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The scheduled scans: money wasted, capacity risk, compliance drift, and the asset inventory. */
public final class FleetScans {
    private final FleetInventory fleet;
    private final Clock clock;
    private final double storageUsdPerGiBMonth;
    private final double nodeUsdPerCpuMonth;
    private final Duration secretMaxAge;

    public FleetScans(FleetInventory fleet, Clock clock, double storageUsdPerGiBMonth, double nodeUsdPerCpuMonth, Duration secretMaxAge) {
        this.fleet = fleet;
        this.clock = clock;
        this.storageUsdPerGiBMonth = storageUsdPerGiBMonth;
        this.nodeUsdPerCpuMonth = nodeUsdPerCpuMonth;
        this.secretMaxAge = secretMaxAge;
    }

    /** Orphaned volumes (mounted by no pod) and nodes whose requests use under a quarter of them. */
    public ScanReport finops() {
        List<Finding> findings = new ArrayList<>();
        for (var volume : fleet.volumes()) {
            if (!volume.mounted()) {
                findings.add(new Finding("orphaned-volume", volume.namespace() + "/" + volume.name(), "LOW",
                        String.format("%.0f GiB claimed, mounted by no pod", volume.sizeGiB()), volume.sizeGiB() * storageUsdPerGiBMonth));
            }
        }
        for (var node : fleet.nodes()) {
            double used = node.cpuRequested() / node.cpuAllocatable();
            if (used < 0.25 && node.cpuAllocatable() >= 8) {
                // Safety buffer: keep 1.2x what is requested so a downsizing recommendation never starves the pods.
                double wastedCpu = node.cpuAllocatable() - node.cpuRequested() * 1.2;
                findings.add(new Finding("oversized-node", node.name(), "HIGH",
                        String.format("%.1f of %.0f CPU requested (%.0f%%)", node.cpuRequested(), node.cpuAllocatable(), used * 100),
                        Math.max(0, wastedCpu) * nodeUsdPerCpuMonth));
            }
        }
        return new ScanReport("finops", clock.instant(), findings);
    }

    public ScanReport capacity() {
        List<Finding> findings = new ArrayList<>();
        for (var node : fleet.nodes()) {
            double cpu = node.cpuRequested() / node.cpuAllocatable();
            double memory = node.memoryRequestedGiB() / node.memoryAllocatableGiB();
            String severity = cpu > 0.8 || memory > 0.85 ? "CRITICAL" : cpu > 0.6 || memory > 0.7 ? "WARNING" : null;
            if (severity != null) {
                findings.add(new Finding("capacity", node.name(), severity,
                        String.format("CPU requests %.0f%%, memory requests %.0f%% of allocatable", cpu * 100, memory * 100), 0));
            }
        }
        return new ScanReport("capacity", clock.instant(), findings);
    }

    public ScanReport compliance() {
        List<Finding> findings = new ArrayList<>();
        var now = clock.instant();
        for (var secret : fleet.secrets()) {
            if (secret.createdAt() != null && secret.createdAt().plus(secretMaxAge).isBefore(now)) {
                long days = Duration.between(secret.createdAt(), now).toDays();
                findings.add(new Finding("secret-not-rotated", secret.namespace() + "/" + secret.name(), "WARNING",
                        "created " + days + " days ago; rotate every " + secretMaxAge.toDays() + " days", 0));
            }
        }
        return new ScanReport("compliance", now, findings);
    }

    public ScanReport assets() {
        List<Finding> findings = new ArrayList<>();
        for (var workload : fleet.workloads()) {
            findings.add(new Finding("asset", workload.kind() + "/" + workload.namespace() + "/" + workload.name(),
                    workload.ready() < workload.replicas() ? "WARNING" : "INFO",
                    workload.ready() + "/" + workload.replicas() + " ready", 0));
        }
        return new ScanReport("assets", clock.instant(), findings);
    }
}
