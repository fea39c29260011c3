package dev.awoooi.scan;

import dev.awoooi.scan.FleetInventory.Asset;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AssetsTest {
    static final Instant NOW = Instant.parse("2026-12-01T20:05:00Z");
    static final List<Asset> FLEET = List.of(
            new Asset("deployment", "production", "frontend", "web-team", "3/3 ready"),
            new Asset("deployment", "production", "order-api", null, "2/2 ready"),
            new Asset("statefulset", "production", "postgres-db", "data-team", "1/1 ready"),
            new Asset("deployment", "staging", "frontend", null, "1/1 ready"),
            new Asset("node", null, "worker-1", null, "m6i.xlarge"),
            new Asset("persistentvolumeclaim", "production", "data-postgres-db-0", null, "20 GiB of gp3, mounted"),
            new Asset("namespace", null, "production", "platform", "Active"));

    static RuleCatalog rules(RuleCatalog.AlertRule... rules) {
        return () -> List.of(rules);
    }

    static RuleCatalog.AlertRule rule(String name, String expr) {
        return new RuleCatalog.AlertRule("demo", name, expr, "critical", "inactive", "ok");
    }

    @Test
    void aRuleWatchesWhatItsMatchersSelect() {
        assertThat(Assets.covered("kube_statefulset_status_replicas_ready{namespace=\"production\",statefulset=\"postgres-db\"} < 1", FLEET))
                .containsExactly("statefulset/production/postgres-db");
        assertThat(Assets.covered("sum(rate(http_requests_total{pod=~\"frontend-.*\",code=~\"5..\"}[5m])) > 1", FLEET))
                .as("a pod regex watches the workload in every namespace it names none of")
                .containsExactly("deployment/production/frontend", "deployment/staging/frontend");
        assertThat(Assets.covered("kube_pod_container_status_restarts_total{namespace=\"production\"} > 3", FLEET))
                .as("a namespace-wide cluster rule watches the namespace's workloads")
                .containsExactly("deployment/production/frontend", "deployment/production/order-api", "statefulset/production/postgres-db");
        assertThat(Assets.covered("1 - avg by (node) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])) > 0.9", FLEET))
                .containsExactly("node/worker-1");
        assertThat(Assets.covered("kubelet_volume_stats_available_bytes{persistentvolumeclaim=~\"data-postgres-db-.*\"} < 1e9", FLEET))
                .containsExactly("persistentvolumeclaim/production/data-postgres-db-0");
        assertThat(Assets.covered("up{job=\"blackbox\"} == 0", FLEET)).isEmpty();
        assertThat(Assets.covered("kube_deployment_status_replicas_available{deployment!=\"frontend\"} < 1", FLEET))
                .as("a negative matcher names nothing it watches").isEmpty();
    }

    @Test
    void whatNoRuleWatchesIsAFindingAndTheCatalogSaysWhatEachRuleWatches() {
        ScanReport report = new Assets().scan(FLEET, rules(rule("PostgresDown", "kube_statefulset_status_replicas_ready{statefulset=\"postgres-db\"} < 1"),
                rule("NodeCpu", "node_load15 > 4")), Optional.empty(), NOW);
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("unwatched-asset")).extracting(Finding::resource)
                .containsExactly("deployment/production/frontend", "deployment/production/order-api", "deployment/staging/frontend",
                        "persistentvolumeclaim/production/data-postgres-db-0");
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("alert-rule")).extracting(Finding::resource, Finding::detail)
                .contains(org.assertj.core.groups.Tuple.tuple("rule/demo/PostgresDown", "inactive, severity critical; watches 1 asset: statefulset/production/postgres-db"));
        assertThat(report.figures()).containsEntry("assets", 7.0).containsEntry("rules", 2.0).containsEntry("watched", 2 / 6.0)
                .containsEntry("unowned", 4.0);
        assertThat(report.findings()).filteredOn(f -> f.resource().equals("deployment/production/frontend") && f.kind().equals("asset"))
                .singleElement().satisfies(f -> assertThat(f.detail()).isEqualTo("owner web-team; 3/3 ready"));
    }

    @Test
    void whatIsNewAndWhatIsGoneSinceTheLastRun() {
        ScanReport before = new Assets().scan(FLEET.subList(0, 5), null, Optional.empty(), NOW.minusSeconds(3600));
        List<Asset> now = new java.util.ArrayList<>(FLEET.subList(1, 7));
        ScanReport report = new Assets().scan(now, null, Optional.of(before), NOW);
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("asset-new")).extracting(Finding::resource)
                .containsExactly("persistentvolumeclaim/production/data-postgres-db-0", "namespace/production");
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("asset-gone")).extracting(Finding::resource)
                .containsExactly("deployment/production/frontend");
        assertThat(report.figures()).containsEntry("new", 2.0).containsEntry("gone", 1.0);
    }

    @Test
    void withoutPrometheusTheCatalogIsUnknownAndNothingIsCalledUnwatched() {
        ScanReport report = new Assets().scan(FLEET, null, Optional.empty(), NOW);
        assertThat(report.findings()).noneMatch(f -> f.kind().equals("unwatched-asset"));
        assertThat(report.notes()).singleElement().asString().contains("catalog is unknown");
        assertThat(report.figures()).doesNotContainKey("watched");
    }
}
