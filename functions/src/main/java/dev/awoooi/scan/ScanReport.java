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

    public double monthlyWasteUsd() {
        return Finding.cents(findings.stream().mapToDouble(Finding::monthlyCostUsd).sum());
    }
}
