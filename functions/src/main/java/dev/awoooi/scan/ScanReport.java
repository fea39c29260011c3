package dev.awoooi.scan;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of a scan found. {@code figures} are its headline numbers (FinOps: realizable, freed and annual
 * dollars; compliance: coverage), {@code notes} what it could not see and why.
 */
public record ScanReport(String scan, Instant at, List<Finding> findings, Map<String, Double> figures, List<String> notes) {
    public ScanReport {
        findings = List.copyOf(findings);
        figures = figures == null ? Map.of() : new TreeMap<>(figures);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public ScanReport(String scan, Instant at, List<Finding> findings) {
        this(scan, at, findings, Map.of(), List.of());
    }

    /** The headline figure where the scan gives one (FinOps nets out what it would count twice), else the findings' sum. */
    public double monthlyWasteUsd() {
        Double headline = figures.get("monthlyWasteUsd");
        return headline != null ? headline : Finding.cents(findings.stream().mapToDouble(Finding::monthlyCostUsd).sum());
    }

    /**
     * The report as people outside the cluster may see it: every name and text passed through {@code mask} (the
     * Privacy Shield: a node named by its address, an owner that is an e-mail), typed actions retargeted through it.
     */
    public ScanReport masked(java.util.function.UnaryOperator<String> mask) {
        List<Finding> shown = findings.stream().map(f -> new Finding(f.kind(), mask.apply(f.resource()), f.severity(), mask.apply(f.detail()),
                f.monthlyCostUsd(), f.saving(), f.recommendation() == null ? null : new Finding.Recommendation(mask.apply(f.recommendation().title()),
                f.recommendation().action() == null ? null : f.recommendation().action().retarget(mask), f.recommendation().risk()),
                f.measures())).toList();
        return new ScanReport(scan, at, shown, figures, notes.stream().map(mask).toList());
    }
}
