package dev.awoooi.scan;

/** Port: gathers what the compliance scan judges, read-only. */
public interface ComplianceSource {
    ComplianceEvidence evidence();
}
