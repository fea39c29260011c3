package dev.awoooi.scan;

import dev.awoooi.action.Action;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinOpsTest {
    static final Instant NOW = Instant.parse("2026-12-01T17:00:00Z");
    static final Instant LONG_AGO = NOW.minus(Duration.ofDays(30));
    final FinOps finops = new FinOps(FinOps.Policy.DEFAULTS, PriceBook.defaults());

    record Fleet(List<Volume> volumes, List<Node> nodes, List<Pod> pods, List<Workload> workloads) implements FleetInventory {
        @Override
        public List<SecretAge> secrets() {
            return List.of();
        }

        @Override
        public List<Asset> assets() {
            return List.of();
        }
    }

    record Usage(Map<String, PodUsage> pods) implements UsageMetrics {
        @Override
        public Map<String, PodUsage> podUsage(Duration window) {
            return pods;
        }

        @Override
        public List<NodeLoad> nodeLoads() {
            return List.of();
        }
    }

    static Fleet volumes(FleetInventory.Volume... volumes) {
        return new Fleet(List.of(volumes), List.of(), List.of(), List.of());
    }

    static FleetInventory.Volume orphan(String name, Instant created) {
        return new FleetInventory.Volume("production", name, 100, "fast", "io2", false, created);
    }

    @Test
    void anOrphanedVolumeIsPricedByTheTypeItsClassProvisions() {
        ScanReport report = finops.scan(volumes(orphan("old-data", LONG_AGO),
                new FleetInventory.Volume("production", "in-use", 100, "fast", "io2", true, LONG_AGO)), null, Optional.empty(), NOW);
        Finding found = report.findings().getFirst();
        assertThat(report.findings()).hasSize(1);
        assertThat(found.monthlyCostUsd()).isEqualTo(12.50); // 100 GiB of io2 at $0.125
        assertThat(found.recommendation().action()).isEqualTo(new Action.DeletePvc("production", "old-data"));
        assertThat(found.detail()).contains("100 GiB of io2").contains("for 30 days");
        assertThat(report.figures()).containsEntry("realizableUsdPerMonth", 12.5).containsEntry("annualUsd", 150.0);
    }

    @Test
    void withoutUsageOnlyVolumesAreJudgedAndTheReportSaysWhy() {
        ScanReport report = finops.scan(volumes(), null, Optional.empty(), NOW);
        assertThat(report.notes()).singleElement().asString().contains("no Prometheus");
    }

    @Test
    void aVolumeUnmountedSinceTheLastRunWaitsItsDaysAndIsRememberedAcrossRuns() {
        // the last run saw no orphan: this one was mounted then, so it is orphaned since now, and only reported
        ScanReport earlier = new ScanReport("finops", NOW.minus(Duration.ofDays(1)), List.of());
        ScanReport first = finops.scan(volumes(orphan("freshly-freed", LONG_AGO)), null, Optional.of(earlier), NOW);
        Finding fresh = first.findings().getFirst();
        assertThat(fresh.severity()).isEqualTo("INFO");
        assertThat(fresh.monthlyCostUsd()).isZero();
        assertThat(fresh.recommendation()).isNull();
        // eight days later the report remembers since when: now the deletion is proposed
        ScanReport later = finops.scan(volumes(orphan("freshly-freed", LONG_AGO)), null, Optional.of(first), NOW.plus(Duration.ofDays(8)));
        assertThat(later.findings().getFirst().severity()).isEqualTo("WARNING");
        assertThat(later.findings().getFirst().detail()).contains("for 8 days");
        assertThat(later.findings().getFirst().monthlyCostUsd()).isEqualTo(12.5);
    }

    @Test
    void anUnknownClassCostsTheFallbackPrice() {
        var volume = new FleetInventory.Volume("production", "x", 10, "nfs-client", null, false, LONG_AGO);
        assertThat(finops.scan(volumes(volume), null, Optional.empty(), NOW).findings().getFirst().monthlyCostUsd()).isEqualTo(1.0);
    }

    static FleetInventory.Node node(String name, String type) {
        return new FleetInventory.Node(name, type);
    }

    static UsageMetrics.PodUsage idle() {
        return new UsageMetrics.PodUsage(0.001, 0.002, 0.1, LONG_AGO);
    }

    @Test
    void aBareZombiePodIsDeletedAndAStatefulSetOneIsLeftToAPerson() {
        var bare = new FleetInventory.Pod("production", "debug-shell", "worker-1", null, null, 0.5, 1, LONG_AGO);
        var stateful = new FleetInventory.Pod("production", "cache-0", "worker-1", "StatefulSet", "cache", 0.5, 1, LONG_AGO);
        var fleet = new Fleet(List.of(), List.of(node("worker-1", "unknown.type")), List.of(bare, stateful), List.of());
        ScanReport report = finops.scan(fleet, new Usage(Map.of("production/debug-shell", idle(), "production/cache-0", idle())),
                Optional.empty(), NOW);
        assertThat(report.findings()).extracting(Finding::kind).containsOnly("zombie-pod");
        var byName = report.findings().stream().collect(java.util.stream.Collectors.toMap(Finding::resource, f -> f));
        assertThat(byName.get("pod/production/debug-shell").recommendation().action())
                .isEqualTo(new Action.DeletePod("production", "debug-shell"));
        assertThat(byName.get("pod/production/cache-0").recommendation().action()).isNull();
        assertThat(byName.get("pod/production/cache-0").recommendation().title()).contains("StatefulSet 'cache'");
        // an unknown instance type: Kubecost's default rates, (0.5 × 0.031611 + 1 × 0.004237) × 730
        assertThat(byName.get("pod/production/debug-shell").monthlyCostUsd()).isEqualTo(14.63);
    }

    @Test
    void aPodSeenForLessThanTheWholeWindowIsNoZombieYet() {
        var pod = new FleetInventory.Pod("production", "new", "worker-1", null, null, 0.5, 1, NOW);
        var recent = new UsageMetrics.PodUsage(0.001, 0.002, 0.1, NOW.minus(Duration.ofDays(3)));
        var fleet = new Fleet(List.of(), List.of(), List.of(pod), List.of());
        assertThat(finops.scan(fleet, new Usage(Map.of("production/new", recent)), Optional.empty(), NOW).findings())
                .noneMatch(f -> f.kind().equals("zombie-pod"));
    }

    @Test
    void aWorkloadThatCannotShedReplicasIsToldWhatItsRequestsShouldBe() {
        var workload = new FleetInventory.Workload("production", "STATEFULSET", "search", 1, 1, 2, 8);
        var pod = new FleetInventory.Pod("production", "search-0", "worker-1", "StatefulSet", "search", 2, 8, LONG_AGO);
        var fleet = new Fleet(List.of(), List.of(node("worker-1", "m6i.xlarge")), List.of(pod), List.of(workload));
        ScanReport report = finops.scan(fleet, new Usage(Map.of("production/search-0", new UsageMetrics.PodUsage(0.5, 0.9, 2, LONG_AGO))),
                Optional.empty(), NOW);
        Finding found = report.findings().stream().filter(f -> f.kind().equals("over-provisioned-workload")).findFirst().orElseThrow();
        assertThat(found.recommendation().action()).isNull();
        assertThat(found.recommendation().title()).contains("to 600m CPU and 2.40 GiB per replica");
    }

    @Test
    void aWorkloadUsingMostOfWhatItAsksForIsLeftAlone() {
        var workload = new FleetInventory.Workload("production", "DEPLOYMENT", "api", 2, 2, 1, 2);
        var pods = List.of(new FleetInventory.Pod("production", "api-1", "worker-1", "Deployment", "api", 1, 2, LONG_AGO),
                new FleetInventory.Pod("production", "api-2", "worker-1", "Deployment", "api", 1, 2, LONG_AGO));
        var busy = new UsageMetrics.PodUsage(0.7, 0.9, 1.5, LONG_AGO); // × 1.2: 0.84 of 1 CPU, 1.8 of 2 GiB
        var fleet = new Fleet(List.of(), List.of(), pods, List.of(workload));
        assertThat(finops.scan(fleet, new Usage(Map.of("production/api-1", busy, "production/api-2", busy)), Optional.empty(), NOW).findings())
                .isEmpty();
    }

    @Test
    void podsWithoutSeriesAreJudgedByTheirRequestsAndCounted() {
        var pod = new FleetInventory.Pod("production", "dark", "worker-1", null, null, 0.5, 1, LONG_AGO);
        var fleet = new Fleet(List.of(), List.of(), List.of(pod), List.of());
        assertThat(finops.scan(fleet, new Usage(Map.of()), Optional.empty(), NOW).notes())
                .containsExactly("1 of 1 pods have no usage series in Prometheus: node sizing counts them at their requests, and their workloads are not judged");
    }

    @Test
    void aNodeIsOnlyEverResizedWithinItsFamily() {
        // 16 vCPU m7g (arm) nearly idle: the cheaper fitting x86 types are not proposed, an m7g.large is
        var fleet = new Fleet(List.of(), List.of(new FleetInventory.Node("arm-1", "m7g.4xlarge")),
                List.of(new FleetInventory.Pod("kube-system", "proxy", "arm-1", "DaemonSet", "proxy", 0.1, 0.1, LONG_AGO)), List.of());
        ScanReport report = finops.scan(fleet, new Usage(Map.of("kube-system/proxy", new UsageMetrics.PodUsage(0.05, 0.08, 0.05, LONG_AGO))),
                Optional.empty(), NOW);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.recommendation().title()).contains("m7g.large");
            assertThat(f.monthlyCostUsd()).isEqualTo(Math.round((0.6528 - 0.0816) * 730 * 100) / 100.0);
        });
    }

    @Test
    void aWorkloadWithPodsPrometheusDoesNotSeeIsNotRightsizedFromTheOthers() {
        var workload = new FleetInventory.Workload("production", "DEPLOYMENT", "api", 4, 4, 1, 2);
        List<FleetInventory.Pod> pods = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pods.add(new FleetInventory.Pod("production", "api-" + i, "worker-1", "Deployment", "api", 1, 2, LONG_AGO));
        }
        var fleet = new Fleet(List.of(), List.of(), pods, List.of(workload));
        var usage = new Usage(Map.of("production/api-0", new UsageMetrics.PodUsage(0.1, 0.2, 0.2, LONG_AGO)));
        assertThat(finops.scan(fleet, usage, Optional.empty(), NOW).findings()).noneMatch(f -> f.kind().equals("over-provisioned-workload"));
    }

    @Test
    void aResourceNobodyRequestsWastesNothing() {
        // no CPU request; 20 GiB requested, 14 used: × 1.2 is 16.8, 16% to spare (under the 20% that counts), $9.78 a month
        var workload = new FleetInventory.Workload("production", "DEPLOYMENT", "batch", 1, 1, 0, 20);
        var pod = new FleetInventory.Pod("production", "batch-1", "worker-1", "Deployment", "batch", 0, 20, LONG_AGO);
        var fleet = new Fleet(List.of(), List.of(node("worker-1", "m6i.xlarge")), List.of(pod), List.of(workload));
        var usage = new Usage(Map.of("production/batch-1", new UsageMetrics.PodUsage(0.5, 0.9, 14, LONG_AGO)));
        assertThat(finops.scan(fleet, usage, Optional.empty(), NOW).findings()).noneMatch(f -> f.kind().equals("over-provisioned-workload"));
    }

    @Test
    void freedDollarsOnANodeToBeReplacedCountOnceInTheMonthlyWaste() {
        // an m6i.4xlarge whose one idle bare pod is a zombie: the node's resize saves those dollars already
        var fleet = new Fleet(List.of(), List.of(new FleetInventory.Node("big", "m6i.4xlarge")),
                List.of(new FleetInventory.Pod("production", "idle", "big", null, null, 0.5, 1, LONG_AGO)), List.of());
        ScanReport report = finops.scan(fleet, new Usage(Map.of("production/idle", idle())), Optional.empty(), NOW);
        double zombie = report.findings().stream().filter(f -> f.kind().equals("zombie-pod")).findFirst().orElseThrow().monthlyCostUsd();
        double node = report.findings().stream().filter(f -> f.kind().equals("oversized-node")).findFirst().orElseThrow().monthlyCostUsd();
        assertThat(report.figures()).containsEntry("overlapUsdPerMonth", zombie).containsEntry("freedUsdPerMonth", zombie)
                .containsEntry("realizableUsdPerMonth", node).containsEntry("monthlyWasteUsd", node);
        assertThat(report.monthlyWasteUsd()).isEqualTo(node);
    }

    @Test
    void theOverlapIsAtMostWhatTheResizeSaves() {
        // a fully requested m6i.4xlarge whose pod uses 1.5 CPU and 8 GiB: × 1.2 it fits an m6i.xlarge, saving $420.48 a
        // month, while lowering the pod's requests frees about $490: the overlap is the $420.48, not more
        var workload = new FleetInventory.Workload("production", "DEPLOYMENT", "fat", 1, 1, 16, 64);
        var pod = new FleetInventory.Pod("production", "fat-1", "big", "Deployment", "fat", 16, 64, LONG_AGO);
        var fleet = new Fleet(List.of(), List.of(new FleetInventory.Node("big", "m6i.4xlarge")), List.of(pod), List.of(workload));
        ScanReport report = finops.scan(fleet, new Usage(Map.of("production/fat-1", new UsageMetrics.PodUsage(1.5, 2, 8, LONG_AGO))),
                Optional.empty(), NOW);
        double node = report.findings().stream().filter(f -> f.kind().equals("oversized-node")).findFirst().orElseThrow().monthlyCostUsd();
        double freed = report.figures().get("freedUsdPerMonth");
        assertThat(freed).isGreaterThan(node);
        assertThat(report.figures()).containsEntry("overlapUsdPerMonth", node).containsEntry("monthlyWasteUsd", freed);
    }

    @Test
    void aZombieMustBeJudgedWithinTheWindow() {
        assertThatThrownBy(() -> new FinOps.Policy(Duration.ofDays(7), Duration.ofDays(7), 0.01, Duration.ofDays(14), 1.2, 0.2, 1))
                .hasMessageContaining("zombiefor");
    }
}
