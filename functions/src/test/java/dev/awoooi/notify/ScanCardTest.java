package dev.awoooi.notify;

import dev.awoooi.incident.DomainEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A scan's card says what a person acts on: the FinOps waste split three ways, capacity's worst, what could not be seen. */
class ScanCardTest {
    @Test
    void theFinopsCardSplitsTheWasteAndListsTheTopRecommendations() {
        var event = new DomainEvent.ScanCompleted("finops", "2026-12-01T17:00:00Z", 5, 644.07, Map.of("WARNING", 5L),
                Map.of("monthlyWasteUsd", 644.07, "realizableUsdPerMonth", 565.64, "freedUsdPerMonth", 78.43, "annualUsd", 6787.68),
                List.of("Resize node 'worker-large-01' to m6i.large  −$490.56/mo  HIGH"), List.of());
        assertThat(Cards.scanText(event)).isEqualTo("Monthly waste $644.07: realizable $565.64/mo, freed $78.43/mo, annual $6,787.68/yr "
                + "(realizable × 12).\nTop recommendations:\n• Resize node 'worker-large-01' to m6i.large  −$490.56/mo  HIGH");
    }

    @Test
    void theCapacityCardCountsTheViolationsAndNamesTheWorst() {
        var event = new DomainEvent.ScanCompleted("capacity", "2026-12-01T18:00:00Z", 3, 0, Map.of("OK", 2L, "CRITICAL", 1L),
                Map.of("nodes", 3.0, "nodesCritical", 1.0, "nodesWarning", 0.0, "cpuBusyMax", 0.92, "memoryUsedMax", 0.5, "diskFillMax", 0.7),
                List.of("CRITICAL node/worker-1: CPU busy 92.0% > 80.0%"), List.of());
        assertThat(Cards.scanText(event)).isEqualTo("3 nodes: 1 critical, 0 warning; highest CPU busy 92.0%, memory used 50.0%, disk fill 70.0%."
                + "\nWorst findings:\n• CRITICAL node/worker-1: CPU busy 92.0% > 80.0%");
    }

    @Test
    void oneFindingIsOneAndWhatTheScanCouldNotSeeIsSaid() {
        var event = new DomainEvent.ScanCompleted("assets", "2026-12-01T19:05:00Z", 1, 0, Map.of("INFO", 1L), Map.of(), List.of(),
                List.of("the alert-rule catalog is unknown: no Prometheus is configured for the scans"));
        assertThat(Cards.scanText(event)).isEqualTo("1 finding {INFO=1}.\nNote: the alert-rule catalog is unknown: no Prometheus is configured for the scans");
    }
}
