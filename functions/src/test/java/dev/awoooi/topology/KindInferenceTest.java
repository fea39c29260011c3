package dev.awoooi.topology;

import dev.awoooi.topology.KindInference.WorkloadFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.awoooi.topology.KindInference.infer;
import static org.assertj.core.api.Assertions.assertThat;

class KindInferenceTest {

    private static WorkloadFacts deployment(String image, Integer... ports) {
        return new WorkloadFacts("w", false, List.of(image), List.of(ports), Map.of(), Map.of());
    }

    private static WorkloadFacts statefulSet(String image, Integer... ports) {
        return new WorkloadFacts("w", true, List.of(image), List.of(ports), Map.of(), Map.of());
    }

    private static WorkloadFacts annotated(String kind, String image) {
        return new WorkloadFacts("w", true, List.of(image), List.of(), Map.of(), Map.of(KindInference.KIND_ANNOTATION, kind));
    }

    private static WorkloadFacts component(String component, String image) {
        return new WorkloadFacts("w", false, List.of(image), List.of(), Map.of(KindInference.COMPONENT_LABEL, component), Map.of());
    }

    @Test
    void theAnnotationWinsOverEverythingAndIgnoresCase() {
        assertThat(infer(annotated("cache", "postgres:16.4"))).isEqualTo(NodeKind.CACHE);
        assertThat(infer(annotated(" Database ", "registry.example/awoooi-demo/frontend:1.8.2"))).isEqualTo(NodeKind.DATABASE);
        WorkloadFacts everything = new WorkloadFacts("w", true, List.of("redis:7.4"), List.of(6379),
                Map.of(KindInference.COMPONENT_LABEL, "database"), Map.of(KindInference.KIND_ANNOTATION, "queue"));
        assertThat(infer(everything)).isEqualTo(NodeKind.QUEUE);
    }

    @Test
    void anAnnotationNamingNoKindIsIgnored() {
        assertThat(infer(annotated("datastore", "postgres:16.4"))).isEqualTo(NodeKind.DATABASE);
        assertThat(infer(annotated("", "redis:7.4"))).isEqualTo(NodeKind.CACHE);
    }

    @ParameterizedTest
    @CsvSource({
            "database, DATABASE", "db, DATABASE", "cache, CACHE", "queue, QUEUE", "broker, QUEUE",
            "messaging, QUEUE", "ingress, INGRESS", "gateway, INGRESS", "proxy, INGRESS", "Cache, CACHE"})
    void theComponentLabelBeatsTheImage(String value, NodeKind expected) {
        assertThat(infer(component(value, "registry.example/awoooi-demo/frontend:1.8.2"))).isEqualTo(expected);
    }

    @Test
    void anUnknownComponentFallsThrough() {
        assertThat(infer(component("primary", "bitnami/postgresql:16"))).isEqualTo(NodeKind.DATABASE);
        assertThat(infer(component("backend", "registry.example/awoooi-demo/frontend:1.8.2"))).isEqualTo(NodeKind.SERVICE);
    }

    @ParameterizedTest
    @CsvSource({
            "postgres:16.4, DATABASE",
            "docker.io/library/postgres:16, DATABASE",
            "ghcr.io/cloudnative-pg/postgresql:16.4, DATABASE",
            "postgis/postgis:16-3.4, DATABASE",
            "mysql:8.4, DATABASE",
            "mariadb:11, DATABASE",
            "mongo:7, DATABASE",
            "bitnami/mongodb:7.0, DATABASE",
            "cassandra:5, DATABASE",
            "cockroachdb/cockroach:v24.1.0, DATABASE",
            "timescale/timescaledb:latest-pg16, DATABASE",
            "clickhouse/clickhouse-server:24.8, DATABASE",
            "docker.elastic.co/elasticsearch/elasticsearch:8.15.0, DATABASE",
            "opensearchproject/opensearch:2, DATABASE",
            "redis:7.4, CACHE",
            "valkey/valkey:8, CACHE",
            "eqalpha/keydb, CACHE",
            "memcached:1.6, CACHE",
            "docker.dragonflydb.io/dragonflydb/dragonfly:v1.21.0, CACHE",
            "rabbitmq:3.13-management, QUEUE",
            "apache/kafka:3.8.0, QUEUE",
            "quay.io/strimzi/kafka:0.43.0-kafka-3.8.0, QUEUE",
            "nats:2.10, QUEUE",
            "apache/activemq-artemis:2.37.0, QUEUE",
            "apachepulsar/pulsar:3.3, QUEUE",
            "redpandadata/redpanda:v24.2.1, QUEUE",
            "registry.k8s.io/ingress-nginx/controller:v1.11.3, INGRESS",
            "nginx/nginx-ingress:3.6, INGRESS",
            "traefik:v3.1, INGRESS",
            "docker.io/envoyproxy/gateway:v1.1.0, INGRESS",
            "ghcr.io/projectcontour/contour:v1.30.0, INGRESS",
            "kong:3.7, INGRESS",
            "registry.example/awoooi-demo/frontend:1.8.2, SERVICE"})
    void imagesByRepositoryName(String image, NodeKind expected) {
        assertThat(infer(deployment(image))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "postgres@sha256:4ec37d2a07a0067f176fdcc9d4bb633a5724d2cc3fb8eaaf2a0e5d4c87f1c9a3, DATABASE",
            "postgres:16.4@sha256:4ec37d2a07a0067f176fdcc9d4bb633a5724d2cc3fb8eaaf2a0e5d4c87f1c9a3, DATABASE",
            "localhost:5000/redis:7.4, CACHE",
            "registry.example:5000/team/rabbitmq@sha256:0123, QUEUE",
            "REDIS:7.4, CACHE"})
    void digestsTagsAndRegistryPortsAreNotPartOfTheName(String image, NodeKind expected) {
        assertThat(infer(deployment(image))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "registry.example/awoooi/postgres-exporter:0.15",
            "quay.io/prometheuscommunity/postgres-exporter:v0.15.0",
            "oliver006/redis_exporter:v1.62.0",
            "quay.io/prometheus-operator/prometheus-operator:v0.76.0",
            "ghcr.io/cloudnative-pg/cloudnative-pg:1.24.0",
            "registry.example/tools/postgres-backup:1",
            "registry.example/foo/controller:1.0",
            "bitnami/zookeeper:3.9",
            "mongo-express:1.0"})
    void exportersOperatorsAndLookAlikesAreServices(String image) {
        assertThat(infer(deployment(image, 9187))).isEqualTo(NodeKind.SERVICE);
    }

    @Test
    void aKnownPoolerOnADatabasePortIsStillAService() {
        assertThat(infer(deployment("bitnami/pgbouncer:1.23.1", 5432))).isEqualTo(NodeKind.SERVICE);
        assertThat(infer(statefulSet("registry.example/awoooi/postgres-exporter:0.15", 5432))).isEqualTo(NodeKind.SERVICE);
    }

    @Test
    void anyContainerRunningAStoreMakesTheWorkloadThatStore() {
        WorkloadFacts withSidecar = new WorkloadFacts("postgres-db", true,
                List.of("quay.io/prometheuscommunity/postgres-exporter:v0.15.0", "postgres:16.4"), List.of(9187, 5432), Map.of(), Map.of());
        assertThat(infer(withSidecar)).isEqualTo(NodeKind.DATABASE);
    }

    @Test
    void anExporterSidecarDoesNotHideTheStoreItWatches() {
        WorkloadFacts custom = new WorkloadFacts("orders-db", true,
                List.of("registry.example/awoooi-demo/orders-db:2", "registry.example/awoooi/postgres-exporter:0.15"),
                List.of(5432, 9187), Map.of(), Map.of());
        assertThat(infer(custom)).isEqualTo(NodeKind.DATABASE);
    }

    @Test
    void istioIngressGatewayButNotEveryIstioSidecar() {
        WorkloadFacts gateway = new WorkloadFacts("istio-ingressgateway", false, List.of("docker.io/istio/proxyv2:1.23.0"),
                List.of(8080, 8443), Map.of("istio", "ingressgateway"), Map.of());
        assertThat(infer(gateway)).isEqualTo(NodeKind.INGRESS);
        WorkloadFacts meshed = new WorkloadFacts("frontend", false,
                List.of("registry.example/awoooi-demo/frontend:1.8.2", "docker.io/istio/proxyv2:1.23.0"), List.of(8080, 15090), Map.of(), Map.of());
        assertThat(infer(meshed)).isEqualTo(NodeKind.SERVICE);
    }

    @Test
    void wellKnownPortsDecideWhenTheImageSaysNothing() {
        assertThat(infer(statefulSet("registry.example/awoooi-demo/orders-db:2", 5432))).isEqualTo(NodeKind.DATABASE);
        assertThat(infer(statefulSet("registry.example/x/store:1", 27017))).isEqualTo(NodeKind.DATABASE);
        assertThat(infer(deployment("registry.example/x/session-store:1", 6379))).isEqualTo(NodeKind.CACHE);
        assertThat(infer(deployment("registry.example/x/bus:1", 5672))).isEqualTo(NodeKind.QUEUE);
        assertThat(infer(deployment("registry.example/x/events:1", 9092))).isEqualTo(NodeKind.QUEUE);
        assertThat(infer(deployment("registry.example/x/web:1", 8080, 9090))).isEqualTo(NodeKind.SERVICE);
    }

    @Test
    void theMostSuspiciousPortWins() {
        assertThat(infer(statefulSet("registry.example/x/allinone:1", 8080, 6379, 5432))).isEqualTo(NodeKind.DATABASE);
    }

    @Test
    void aWorkloadWithNothingToGoOnIsAService() {
        assertThat(infer(new WorkloadFacts("w", false, null, null, null, null))).isEqualTo(NodeKind.SERVICE);
        assertThat(infer(new WorkloadFacts("w", false, List.of(""), List.of(), Map.of(), Map.of()))).isEqualTo(NodeKind.SERVICE);
    }
}
