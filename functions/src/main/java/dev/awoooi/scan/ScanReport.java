package dev.awoooi.scan;

import java.time.Instant;
import java.util.List;

public record ScanReport(String scan, Instant at, List<Finding> findings) {
    public ScanReport {
        findings = List.copyOf(findings);
    }

    public double monthlyWasteUsd() {
        return Math.round(findings.stream().mapToDouble(Finding::monthlyCostUsd).sum() * 100) / 100.0;
    }
}
