package dev.awoooi.scan;

import java.util.List;
import java.util.Optional;

/** Port: keeps scan reports for trends and audits; a fleet's report holds thousands of findings. */
public interface ScanArchive {
    /** The figure {@link #latest(String, int)} adds: how many findings the report holds in all. */
    String FINDINGS_TOTAL = "findingsTotal";

    void keep(ScanReport report);

    /** The newest report of one scan (finops, capacity, compliance, assets), with all its findings, if it ever ran. */
    default Optional<ScanReport> latest(String scan) {
        return latest(scan, Integer.MAX_VALUE);
    }

    /** The newest report with its first {@code findings} findings (the costliest or worst first) and the total as a figure. */
    Optional<ScanReport> latest(String scan, int findings);

    /** The newest {@code reports} reports of one scan, newest first: their figures and notes, without findings. */
    List<ScanReport> history(String scan, int reports);
}
