package dev.awoooi.local.cluster;

import dev.awoooi.action.Action;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.action.RiskMatrix;
import dev.awoooi.action.Scope;
import dev.awoooi.analysis.Analysis;
import dev.awoooi.analysis.AnalysisRequest;
import dev.awoooi.analysis.Analyzer;
import dev.awoooi.analysis.CostModel;
import dev.awoooi.analysis.Impact;
import dev.awoooi.analysis.RootCause;
import dev.awoooi.cluster.KubernetesActions;
import dev.awoooi.cluster.KubernetesFindings;
import dev.awoooi.cluster.KubernetesTopology;
import dev.awoooi.dryrun.Check;
import dev.awoooi.dryrun.DryRun;
import dev.awoooi.privacy.PrivacyShield;
import dev.awoooi.topology.EdgeSource;
import dev.awoooi.topology.NodeKind;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import dev.awoooi.topology.Topology;
import dev.awoooi.topology.TopologyFile;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service graph as the adapter reads it from the demo API server (workloads, Services, pods, ConfigMaps,
 * events), merged with the demo's topology file, and the analysis of the seed incident on top of it.
 */
class ClusterTopologyIT {
    private static DemoCluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        cluster = DemoCluster.start(null);
        client = new ClientBuilder().setBasePath(cluster.url()).build();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ServiceGraph clusterGraph() {
        ServiceGraph graph = new ServiceGraph();
        new KubernetesTopology(client, "production", Clock.systemUTC()).contribute(graph);
        return graph;
    }

    private static TopologyFile demoFile() throws IOException {
        Path file = Path.of("infra/local/demo-topology.yaml");
        for (Path dir = Path.of("").toAbsolutePath(); !Files.exists(file) && dir != null; dir = dir.getParent()) {
            file = dir.resolve("infra/local/demo-topology.yaml");
        }
        return TopologyFile.parse(Files.readString(file), "demo-topology.yaml");
    }

    @Test
    void kindsAreInferredFromImagesAndTheIngressAnnotation() {
        ServiceGraph graph = clusterGraph();
        assertThat(graph.nodes()).extracting(ServiceNode::name, ServiceNode::kind).contains(
                org.assertj.core.groups.Tuple.tuple("ingress", NodeKind.INGRESS),
                org.assertj.core.groups.Tuple.tuple("frontend", NodeKind.SERVICE),
                org.assertj.core.groups.Tuple.tuple("postgres-db", NodeKind.DATABASE),
                org.assertj.core.groups.Tuple.tuple("redis-cache", NodeKind.CACHE),
                org.assertj.core.groups.Tuple.tuple("rabbitmq", NodeKind.QUEUE));
        assertThat(graph.nodes()).as("the eight of the incident and the two FinOps finds wasteful (legacy-api, report-worker)").hasSize(10);
    }

    @Test
    void everyEdgeRecordsTheSourcesThatShowIt() {
        ServiceGraph graph = clusterGraph();
        assertThat(graph.sources("ingress", "frontend")).containsExactly(EdgeSource.ANNOTATION);
        assertThat(graph.sources("frontend", "auth-service")).containsExactlyInAnyOrder(EdgeSource.ANNOTATION, EdgeSource.ENV_VAR);
        assertThat(graph.sources("auth-service", "postgres-db")).containsExactly(EdgeSource.ENV_VAR);
        assertThat(graph.sources("auth-service", "redis-cache")).containsExactly(EdgeSource.CONFIG_MAP);
        assertThat(graph.sources("product-api", "postgres-db")).containsExactly(EdgeSource.ENV_VAR);
        assertThat(graph.sources("product-api", "redis-cache")).containsExactly(EdgeSource.CONFIG_MAP);
        assertThat(graph.sources("order-api", "rabbitmq")).containsExactlyInAnyOrder(EdgeSource.ANNOTATION, EdgeSource.ENV_VAR);
        assertThat(graph.sources("order-api", "postgres-db")).containsExactly(EdgeSource.ANNOTATION);
        // A non-reference env var names no service.
        assertThat(graph.callees("frontend")).containsExactlyInAnyOrder("auth-service", "product-api", "order-api");
        assertThat(graph.edgeCount()).isEqualTo(10);
    }

    @Test
    void healthComesFromReadinessAndCrashLoops() {
        ServiceGraph graph = clusterGraph();
        ServiceNode db = graph.node("postgres-db").orElseThrow();
        assertThat(db.healthy()).isFalse();
        assertThat(db.health()).contains("0/1 ready").contains("replicas not ready").contains("CrashLoopBackOff");
        assertThat(db.pods()).isEqualTo(1);
        ServiceNode frontend = graph.node("frontend").orElseThrow();
        assertThat(frontend.healthy()).as(frontend.health()).isTrue();
        assertThat(frontend.pods()).isEqualTo(3);
    }

    @Test
    void aReferenceFollowsTheServiceNotAWorkloadThatSharesItsName() throws Exception {
        // Service orders-db selects the StatefulSet orders-postgres; an unrelated Deployment is also called orders-db.
        var apps = new io.kubernetes.client.openapi.apis.AppsV1Api(client);
        var core = new io.kubernetes.client.openapi.apis.CoreV1Api(client);
        apps.createNamespacedStatefulSet("shop", new io.kubernetes.client.openapi.models.V1StatefulSet().apiVersion("apps/v1").kind("StatefulSet")
                .metadata(new io.kubernetes.client.openapi.models.V1ObjectMeta().name("orders-postgres").namespace("shop"))
                .spec(new io.kubernetes.client.openapi.models.V1StatefulSetSpec().serviceName("orders-db")
                        .selector(new io.kubernetes.client.openapi.models.V1LabelSelector().matchLabels(Map.of("app", "orders-postgres")))
                        .template(template("orders-postgres", "postgres:16.4", Map.of())))).execute();
        apps.createNamespacedDeployment("shop", deployment("orders-db", "registry.example/orders-db-migrator:2", Map.of())).execute();
        apps.createNamespacedDeployment("shop", deployment("api", "registry.example/api:1", Map.of("DB_HOST", "orders-db"))).execute();
        core.createNamespacedService("shop", new io.kubernetes.client.openapi.models.V1Service().apiVersion("v1").kind("Service")
                .metadata(new io.kubernetes.client.openapi.models.V1ObjectMeta().name("orders-db").namespace("shop"))
                .spec(new io.kubernetes.client.openapi.models.V1ServiceSpec().clusterIP("10.96.9.9").selector(Map.of("app", "orders-postgres"))))
                .execute();
        ServiceGraph graph = new ServiceGraph();
        new KubernetesTopology(client, "shop", Clock.systemUTC()).contribute(graph);
        assertThat(graph.callees("api")).containsExactly("orders-postgres");
        assertThat(graph.node("orders-postgres").orElseThrow().kind()).isEqualTo(NodeKind.DATABASE);
    }

    private static io.kubernetes.client.openapi.models.V1Deployment deployment(String name, String image, Map<String, String> env) {
        return new io.kubernetes.client.openapi.models.V1Deployment().apiVersion("apps/v1").kind("Deployment")
                .metadata(new io.kubernetes.client.openapi.models.V1ObjectMeta().name(name).namespace("shop"))
                .spec(new io.kubernetes.client.openapi.models.V1DeploymentSpec()
                        .selector(new io.kubernetes.client.openapi.models.V1LabelSelector().matchLabels(Map.of("app", name)))
                        .template(template(name, image, env)));
    }

    private static io.kubernetes.client.openapi.models.V1PodTemplateSpec template(String app, String image, Map<String, String> env) {
        var container = new io.kubernetes.client.openapi.models.V1Container().name(app).image(image);
        env.forEach((k, v) -> container.addEnvItem(new io.kubernetes.client.openapi.models.V1EnvVar().name(k).value(v)));
        return new io.kubernetes.client.openapi.models.V1PodTemplateSpec()
                .metadata(new io.kubernetes.client.openapi.models.V1ObjectMeta().labels(Map.of("app", app)))
                .spec(new io.kubernetes.client.openapi.models.V1PodSpec().addContainersItem(container));
    }

    @Test
    void theTopologyFileAddsWhatTheClusterCannotShow() throws IOException {
        ServiceGraph graph = new Topology(new KubernetesTopology(client, "production", Clock.systemUTC()), List.of(demoFile())).graph();
        assertThat(graph.node("stripe-api")).map(ServiceNode::kind).contains(NodeKind.EXTERNAL);
        assertThat(graph.sources("order-api", "stripe-api")).containsExactly(EdgeSource.TOPOLOGY_FILE);
        assertThat(graph.node("api.stripe.com")).map(ServiceNode::name).contains("stripe-api");
        // The file names cluster services for their costs: the cluster's kind and workload stand.
        assertThat(graph.node("postgres-db").orElseThrow().workload()).isNotNull();
        assertThat(graph.node("postgres-db").orElseThrow().kind()).isEqualTo(NodeKind.DATABASE);
    }

    @Test
    void theSeedIncidentIsAnalyzedOnTheLiveDemoCluster() throws IOException {
        TopologyFile file = demoFile();
        KubernetesActions actions = new KubernetesActions(client);
        Analyzer analyzer = new Analyzer(new Topology(new KubernetesTopology(client, "production", Clock.systemUTC()), List.of(file)),
                new RiskMatrix(Set.of("production"), 6), new DryRun(actions), new KubernetesFindings(client, new PrivacyShield()),
                (s, a, e, l) -> List.of(), new CostModel(600, Map.of()).withDefaults(file.costPerHourUsd()),
                new Scope(Set.of("production"), false), "production", 3, Clock.systemUTC());
        Analysis analysis = analyzer.analyze(new AnalysisRequest("inc-seed", "frontend", "HighErrorRate",
                List.of(new AnalysisRequest.AlertSignal("frontend", "HighErrorRate")), "production", null));
        assertThat(analysis.rootCauses()).extracting(RootCause::service).containsExactly("postgres-db");
        assertThat(analysis.blastRadius()).extracting(Impact::service).contains("frontend", "ingress");
        assertThat(analysis.action()).isEqualTo(new Action.RestartStatefulSet("production", "postgres-db"));
        assertThat(analysis.risk().level()).isEqualTo(RiskLevel.HIGH);
        assertThat(analysis.dryRun().checks()).extracting(Check::name)
                .contains("parameters", "rbac: patch apps/statefulsets", "existence", "pdb", "server-dry-run");
        assertThat(analysis.dryRun().passed()).as(analysis.dryRun().checks().toString()).isTrue();
        // postgres-db $1200/h, auth/product $600/h each, order-api $2400/h, frontend $1800/h, ingress $600/h: $7200/h
        assertThat(analysis.costPerMinuteUsd()).isEqualTo(120.0);
    }
}
