package dev.awoooi.scan;

import java.time.Clock;

/** The scheduled scans: money wasted, capacity risk, compliance drift, and the asset inventory. */
public final class FleetScans {
    private final FleetInventory fleet;
    private final UsageMetrics usage;
    private final RuleCatalog rules;
    private final ScanArchive archive;
    private final Clock clock;
    private final FinOps finops;
    private final Capacity capacity;
    private final ComplianceSource evidence;
    private final Compliance compliance;

    /** @param usage null when no metrics store is configured: the scans that need one say so in their reports */
    public FleetScans(FleetInventory fleet, UsageMetrics usage, RuleCatalog rules, ScanArchive archive, Clock clock, FinOps finops,
                      Capacity capacity, ComplianceSource evidence, Compliance compliance) {
        this.fleet = fleet;
        this.usage = usage;
        this.rules = rules;
        this.archive = archive;
        this.clock = clock;
        this.finops = finops;
        this.capacity = capacity;
        this.evidence = evidence;
        this.compliance = compliance;
    }

    public ScanReport finops() {
        return finops.scan(fleet, usage, archive.latest("finops"), clock.instant());
    }

    public ScanReport capacity() {
        return capacity.scan(usage, clock.instant());
    }

    public ScanReport compliance() {
        return compliance.scan(evidence.evidence(), clock.instant());
    }

    public ScanReport assets() {
        return new Assets().scan(fleet.assets(), rules, archive.latest("assets"), clock.instant());
    }
}
