package dev.awoooi.scan;

/** Port: keeps scan snapshots for trends and audits. */
public interface ScanArchive {
    void keep(ScanReport report);
}
