package dev.awoooi.scan;

import java.util.Optional;

/** Port: keeps scan snapshots for trends and audits. */
public interface ScanArchive {
    void keep(ScanReport report);

    /** The newest report of one scan (finops, capacity, compliance, assets), if it ever ran. */
    Optional<ScanReport> latest(String scan);
}
