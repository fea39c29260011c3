package dev.awoooi.scan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapacityTest {
    static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");
    final Capacity capacity = new Capacity(Capacity.Thresholds.DEFAULTS);

    /** A quiet host: 10% busy, 30% of memory used, 40% of / full and not filling. */
    static UsageMetrics.NodeLoad quiet() {
        return load(0.10, 0.70, 0.40, Double.POSITIVE_INFINITY);
    }

    static UsageMetrics.NodeLoad load(double cpuBusy, double memoryAvailable, double diskFill, double daysUntilFull) {
        return new UsageMetrics.NodeLoad("worker-1", 4, 1.2, 0.8, 0.4, cpuBusy, 0.01, memoryAvailable, 0.0, diskFill, "/", daysUntilFull);
    }

    static UsageMetrics usage(UsageMetrics.NodeLoad... loads) {
        return new UsageMetrics() {
            @Override
            public Map<String, PodUsage> podUsage(java.time.Duration window) {
                return Map.of();
            }

            @Override
            public List<NodeLoad> nodeLoads() {
                return List.of(loads);
            }
        };
    }

    @ParameterizedTest(name = "CPU {0}, memory available {1}, disk {2}, full in {3} days: {4}")
    @CsvSource({
            "0.10, 0.70, 0.40, Infinity, OK",
            "0.60, 0.70, 0.40, Infinity, OK",       // at a threshold is not over it
            "0.61, 0.70, 0.40, Infinity, WARNING",
            "0.81, 0.70, 0.40, Infinity, CRITICAL",
            "0.10, 0.29, 0.40, Infinity, WARNING",   // 71% used
            "0.10, 0.14, 0.40, Infinity, CRITICAL",  // 86% used
            "0.10, 0.70, 0.85, Infinity, WARNING",
            "0.10, 0.70, 0.95, Infinity, CRITICAL",
            "0.10, 0.70, 0.40, 20, WARNING",
            "0.10, 0.70, 0.40, 3, CRITICAL",
            "0.70, 0.10, 0.40, Infinity, CRITICAL"   // the worst verdict wins
    })
    void defaultThresholdsJudgeEachMetric(double cpu, double memoryAvailable, double disk, double days, String verdict) {
        Finding snapshot = capacity.judge(load(cpu, memoryAvailable, disk, days));
        assertThat(snapshot.severity()).isEqualTo(verdict);
        assertThat(snapshot.kind()).isEqualTo("node-capacity");
    }

    @Test
    void aViolationSaysWhichThresholdItCrossed() {
        Finding snapshot = capacity.judge(load(0.92, 0.70, 0.40, 3.5));
        assertThat(snapshot.detail()).startsWith("CPU busy 92.0% > 80.0%; / full in 3.5 days — ");
    }

    @Test
    void theSnapshotKeepsEveryMetricPerCoreAndLeavesOutWhatIsUnbounded() {
        Finding snapshot = capacity.judge(quiet());
        assertThat(snapshot.measures()).containsEntry("load1PerCore", 0.3).containsEntry("load5PerCore", 0.2)
                .containsEntry("load15PerCore", 0.1).containsEntry("cpuBusy", 0.1).containsEntry("iowait", 0.01)
                .containsEntry("swapUsed", 0.0).containsEntry("diskFill", 0.4).containsEntry("cores", 4.0)
                .doesNotContainKey("daysUntilFull");
        assertThat(snapshot.measures().get("memoryUsed")).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(snapshot.detail()).contains("not filling").contains("load 0.30/0.20/0.10 per core over 4 cores");
    }

    @Test
    void aHostWithoutCpuOrMemorySeriesIsUnknownNotOk() {
        Finding snapshot = capacity.judge(load(Double.NaN, 0.70, 0.40, Double.POSITIVE_INFINITY));
        assertThat(snapshot.severity()).isEqualTo("UNKNOWN");
        assertThat(snapshot.detail()).startsWith("unknown: no CPU series for this host");
        assertThat(snapshot.measures()).doesNotContainKey("cpuBusy");
        // what is measured still warns
        Finding filling = capacity.judge(load(Double.NaN, Double.NaN, 0.85, Double.POSITIVE_INFINITY));
        assertThat(filling.severity()).isEqualTo("WARNING");
        assertThat(filling.detail()).startsWith("unknown: no CPU or memory series for this host; / full 85.0% > 80.0%");
    }

    @Test
    void theWorstNodesComeFirst() {
        ScanReport report = capacity.scan(usage(quiet(), load(0.9, 0.5, 0.2, Double.POSITIVE_INFINITY)), NOW);
        assertThat(report.findings()).extracting(Finding::severity).containsExactly("CRITICAL", "OK");
    }

    @Test
    void configuredThresholdsReplaceTheDefaults() {
        var strict = new Capacity(new Capacity.Thresholds(0.05, 0.5, 0.2, 0.9, 0.3, 0.95, 60, 10));
        assertThat(strict.judge(quiet()).severity()).isEqualTo("WARNING"); // 10% busy > 5%, 30% used > 20%, 40% full > 30%
    }

    @Test
    void thresholdsOutOfOrderAreRefused() {
        assertThatThrownBy(() -> new Capacity.Thresholds(0.8, 0.6, 0.7, 0.85, 0.8, 0.9, 30, 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Capacity.Thresholds(0.6, 0.8, 0.7, 0.85, 0.8, 0.9, 7, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Capacity.Thresholds(0.6, 1.2, 0.7, 0.85, 0.8, 0.9, 30, 7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReportCountsViolationsAndTheWorstOfEachMetric() {
        ScanReport report = capacity.scan(usage(quiet(), load(0.9, 0.5, 0.2, Double.POSITIVE_INFINITY), load(0.65, 0.5, 0.85, 10)), NOW);
        assertThat(report.figures()).containsEntry("nodes", 3.0).containsEntry("nodesCritical", 1.0).containsEntry("nodesWarning", 1.0)
                .containsEntry("cpuBusyMax", 0.9).containsEntry("diskFillMax", 0.85).containsEntry("memoryUsedMax", 0.5);
    }

    @Test
    void withoutPrometheusTheReportSaysItCannotSee() {
        ScanReport report = capacity.scan(null, NOW);
        assertThat(report.findings()).isEmpty();
        assertThat(report.notes()).singleElement().asString().contains("no Prometheus");
    }

    @Test
    void aPrometheusWithoutNodeExporterIsSaidToBeSo() {
        assertThat(capacity.scan(usage(), NOW).notes()).singleElement().asString().contains("no node_exporter series");
    }
}
