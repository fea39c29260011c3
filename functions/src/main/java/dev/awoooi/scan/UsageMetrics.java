package dev.awoooi.scan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Port: what the fleet really uses, from a metrics store (Prometheus: cAdvisor's container series, node_exporter). */
public interface UsageMetrics {

    /**
     * One pod's use over the window: CPU cores at the 95th percentile and at their highest (5-minute rates), working
     * set memory at the 95th percentile, and when its series first appear in the window.
     */
    record PodUsage(double cpuP95, double cpuMax, double memoryP95GiB, Instant firstSeen) {
    }

    /**
     * One host as node_exporter sees it now: load averages, cores, the busy and iowait shares of its CPU time
     * (0..1), the share of memory available and of swap used (0..1; swap NaN where there is none), the fullest
     * filesystem's fill (0..1) and the days until it is full at its present trend (infinite when it is not filling).
     */
    record NodeLoad(String node, double cores, double load1, double load5, double load15, double cpuBusy, double iowait,
                    double memoryAvailable, double swapUsed, double diskFill, String fullestMount, double daysUntilFull) {
    }

    /** Per pod, keyed {@code namespace/name}: only pods that have series in the window. */
    Map<String, PodUsage> podUsage(Duration window);

    List<NodeLoad> nodeLoads();
}
