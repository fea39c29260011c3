package dev.awoooi.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.awoooi.topology.Edge;
import dev.awoooi.topology.EdgeSource;
import dev.awoooi.topology.NodeKind;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import dev.awoooi.topology.Topology;
import dev.awoooi.topology.TopologySource;
import dev.awoooi.topology.WorkloadRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PrometheusMeshTest {
    private static final String TOKEN = "s3cr3t-prometheus-token";

    private record Canned(int status, String body, long delayMillis) {
    }

    private record Seen(String path, String query, String authorization) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Canned> answers = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private ExecutorService executor;
    private HttpServer server;

    @BeforeEach
    void startPrometheus() throws IOException {
        executor = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/prom/api/v1/query", this::answer);
        server.start();
        answers.put("istio", ok("empty-vector.json"));
        answers.put("linkerd", ok("empty-vector.json"));
    }

    @AfterEach
    void stopPrometheus() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void istioTrafficBecomesEdgesBetweenWorkloads() {
        answers.put("istio", ok("istio-demo.json"));
        ServiceGraph graph = demoCluster();

        mesh(TOKEN).contribute(graph);

        assertThat(graph.edges()).containsExactlyInAnyOrder(
                istio("ingress", "frontend"),
                istio("frontend", "auth-service"),
                istio("frontend", "product-api"),
                istio("frontend", "order-api"));
        assertThat(graph.notes()).isEmpty();
    }

    @Test
    void trafficFromOutsideTheMeshSelfCallsAndIdlePairsAreNoEdges() {
        answers.put("istio", ok("istio-demo.json"));
        ServiceGraph graph = demoCluster();

        mesh(TOKEN).contribute(graph);

        assertThat(graph.callers("frontend")).containsExactly("ingress");
        assertThat(graph.node("unknown")).isEmpty();
        assertThat(graph.callees("order-api")).isEmpty();
        assertThat(graph.callers("auth-service")).containsExactly("frontend");
        assertThat(graph.callers("legacy-api")).isEmpty();
    }

    @Test
    void aDestinationFailingOverTheThresholdGetsASignal() {
        answers.put("istio", ok("istio-demo.json"));
        ServiceGraph graph = demoCluster();

        mesh(TOKEN).contribute(graph);

        assertThat(graph.node("order-api").orElseThrow().signals()).containsExactly("25.0% of requests failing (mesh)");
        // frontend 0.9 % (with the traffic from outside the mesh), auth-service 1.9 %, product-api's 503s are NaN
        for (String healthy : List.of("ingress", "frontend", "auth-service", "product-api", "postgres-db")) {
            assertThat(graph.node(healthy).orElseThrow().healthy()).as(healthy).isTrue();
        }
    }

    @Test
    void linkerdTrafficBecomesEdgesToDeploymentsAndStatefulSets() {
        answers.put("linkerd", ok("linkerd-demo.json"));
        ServiceGraph graph = demoCluster();

        mesh(TOKEN).contribute(graph);

        assertThat(graph.edges()).containsExactlyInAnyOrder(
                linkerd("ingress", "frontend"),
                linkerd("frontend", "auth-service"),
                linkerd("frontend", "product-api"),
                linkerd("frontend", "order-api"),
                linkerd("auth-service", "postgres-db"),
                linkerd("auth-service", "redis-cache"),
                linkerd("product-api", "postgres-db"),
                linkerd("product-api", "redis-cache"),
                linkerd("order-api", "postgres-db"),
                linkerd("order-api", "rabbitmq"));
        assertThat(graph.node("auth-service").orElseThrow().signals()).containsExactly("10.0% of requests failing (mesh)");
        // order-api fails 0.8 %; redis-cache's one failure series is +Inf and says nothing
        assertThat(graph.node("order-api").orElseThrow().healthy()).isTrue();
        assertThat(graph.node("redis-cache").orElseThrow().healthy()).isTrue();
    }

    @Test
    void meshEdgesJoinWhatOtherSourcesAlreadyKnew() {
        answers.put("istio", ok("istio-demo.json"));
        answers.put("linkerd", ok("linkerd-demo.json"));
        ServiceGraph graph = demoCluster().dependsOn("frontend", "order-api", EdgeSource.ENV_VAR);

        mesh(TOKEN).contribute(graph);

        assertThat(graph.sources("frontend", "order-api"))
                .containsExactlyInAnyOrder(EdgeSource.ENV_VAR, EdgeSource.MESH_ISTIO, EdgeSource.MESH_LINKERD);
        assertThat(graph.sources("order-api", "rabbitmq")).containsExactly(EdgeSource.MESH_LINKERD);
    }

    @Test
    void asksBothMeshesWithTheBearerTokenAndEncodedQueries() {
        mesh(TOKEN).contribute(demoCluster());

        assertThat(seen).extracting(Seen::query).containsExactlyInAnyOrder(PrometheusMesh.ISTIO_QUERY, PrometheusMesh.LINKERD_QUERY);
        assertThat(seen).extracting(Seen::path).containsOnly("/prom/api/v1/query");
        assertThat(seen).extracting(Seen::authorization).containsOnly("Bearer " + TOKEN);
    }

    @Test
    void sendsNoAuthorizationWithoutCredentials() {
        mesh(null).contribute(demoCluster());

        assertThat(seen).hasSize(2).extracting(Seen::authorization).containsOnlyNulls();
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuth() {
        new PrometheusMesh(http, URI.create("http://admin:hunter2@" + authority() + "/prom"), null, Duration.ofSeconds(5),
                JsonMapper.builder().build(), 0.05).contribute(demoCluster());

        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:hunter2".getBytes(StandardCharsets.UTF_8));
        assertThat(seen).hasSize(2).extracting(Seen::authorization).containsOnly(basic);
    }

    @Test
    void aPrometheusErrorIsAnExceptionWithItsErrorType() {
        answers.put("istio", new Canned(400, resource("error-bad-data.json"), 0));
        answers.put("linkerd", ok("linkerd-demo.json"));
        ServiceGraph graph = demoCluster();

        assertThatThrownBy(() -> mesh(TOKEN).contribute(graph))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Istio query")
                .hasMessageContaining("HTTP 400, bad_data")
                .hasMessageContaining("parse error");
        assertThat(graph.edgeCount()).as("nothing is added when one query fails").isZero();
        assertThat(graph.notes()).isEmpty();
    }

    @Test
    void anUnavailablePrometheusIsAnExceptionThatShowsNoCredentials() {
        answers.put("linkerd", new Canned(503, "upstream connect error", 0));
        PrometheusMesh mesh = new PrometheusMesh(http, URI.create("http://admin:hunter2@" + authority() + "/prom/"), TOKEN,
                Duration.ofSeconds(5), JsonMapper.builder().build(), 0.05);

        assertThatThrownBy(() -> mesh.contribute(demoCluster()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Prometheus answered HTTP 503 to the Linkerd query")
                .message().doesNotContain(TOKEN).doesNotContain("hunter2");
    }

    @Test
    void anUnreachablePrometheusIsAnExceptionThatShowsNoCredentials() {
        String authority = authority();
        server.stop(0);
        PrometheusMesh mesh = new PrometheusMesh(http, URI.create("http://admin:hunter2@" + authority + "/prom"), TOKEN,
                Duration.ofSeconds(5), JsonMapper.builder().build(), 0.05);

        assertThatThrownBy(() -> mesh.contribute(demoCluster()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Prometheus unreachable")
                .message().doesNotContain(TOKEN).doesNotContain("hunter2").doesNotContain("admin");
    }

    @Test
    void aSlowPrometheusIsAbandonedAtTheTimeout() {
        answers.put("istio", new Canned(200, resource("istio-demo.json"), 5_000));
        PrometheusMesh mesh = new PrometheusMesh(http, URI.create("http://" + authority() + "/prom"), TOKEN,
                Duration.ofMillis(300), JsonMapper.builder().build(), 0.05);

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(() -> mesh.contribute(demoCluster()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Prometheus did not answer the Istio query within 300 ms"));
    }

    @Test
    void anAnswerThatIsNotJsonIsAnException() {
        answers.put("istio", new Canned(200, "<html>login</html>", 0));

        assertThatThrownBy(() -> mesh(TOKEN).contribute(demoCluster()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Prometheus answered the Istio query with something that is not JSON");
    }

    @Test
    void noMeshSeriesAtAllLeavesANote() {
        ServiceGraph graph = demoCluster();

        mesh(TOKEN).contribute(graph);

        assertThat(graph.notes()).containsExactly("no service-mesh traffic metrics in Prometheus");
        assertThat(graph.edgeCount()).isZero();
    }

    @Test
    void theAnalysisCarriesOnWithoutTheMeshAndSaysWhy() {
        answers.put("istio", new Canned(503, "", 0));
        TopologySource cluster = new TopologySource() {
            @Override
            public String name() {
                return "cluster";
            }

            @Override
            public void contribute(ServiceGraph graph) {
                graph.add(ServiceNode.healthy("frontend", NodeKind.SERVICE, null, "3/3 ready", 3));
            }
        };

        ServiceGraph graph = new Topology(cluster, List.of(mesh(TOKEN))).graph();

        assertThat(graph.nodes()).extracting(ServiceNode::name).containsExactly("frontend");
        assertThat(graph.notes()).containsExactly("Prometheus mesh metrics unavailable: Prometheus answered HTTP 503 to the Istio query");
    }

    @Test
    void refusesANonsensicalConfiguration() {
        URI base = URI.create("http://" + authority());
        assertThatThrownBy(() -> new PrometheusMesh(http, base, null, Duration.ofSeconds(5), JsonMapper.builder().build(), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new PrometheusMesh(http, base, null, Duration.ZERO, JsonMapper.builder().build(), 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> new PrometheusMesh(http, URI.create("ftp://u:p@host/"), null, Duration.ofSeconds(5),
                JsonMapper.builder().build(), 0.05)).isInstanceOf(IllegalArgumentException.class).message().doesNotContain("u:p");
        assertThatThrownBy(() -> new PrometheusMesh(http, base, "tok\r\nX-Evil: 1", Duration.ofSeconds(5), JsonMapper.builder().build(), 0.05))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("X-Evil");
    }

    // ------------------------------------------------------------------ fixture

    private PrometheusMesh mesh(String token) {
        return new PrometheusMesh(http, URI.create("http://" + authority() + "/prom/"), token, Duration.ofSeconds(5),
                JsonMapper.builder().build(), 0.05);
    }

    private String authority() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The demo cluster's nodes, as the cluster adapter names them (by workload), without edges. */
    private static ServiceGraph demoCluster() {
        ServiceGraph graph = new ServiceGraph();
        node(graph, "ingress", NodeKind.INGRESS, WorkloadRef.WorkloadKind.DEPLOYMENT);
        node(graph, "frontend", NodeKind.SERVICE, WorkloadRef.WorkloadKind.DEPLOYMENT);
        node(graph, "auth-service", NodeKind.SERVICE, WorkloadRef.WorkloadKind.DEPLOYMENT);
        node(graph, "product-api", NodeKind.SERVICE, WorkloadRef.WorkloadKind.DEPLOYMENT);
        node(graph, "order-api", NodeKind.SERVICE, WorkloadRef.WorkloadKind.DEPLOYMENT);
        node(graph, "postgres-db", NodeKind.DATABASE, WorkloadRef.WorkloadKind.STATEFULSET);
        node(graph, "redis-cache", NodeKind.CACHE, WorkloadRef.WorkloadKind.STATEFULSET);
        node(graph, "rabbitmq", NodeKind.QUEUE, WorkloadRef.WorkloadKind.STATEFULSET);
        return graph;
    }

    private static void node(ServiceGraph graph, String name, NodeKind kind, WorkloadRef.WorkloadKind workload) {
        graph.add(ServiceNode.healthy(name, kind, new WorkloadRef(workload, "production", name), "2/2 ready", 2));
    }

    private static Edge istio(String caller, String callee) {
        return new Edge(caller, callee, Set.of(EdgeSource.MESH_ISTIO));
    }

    private static Edge linkerd(String caller, String callee) {
        return new Edge(caller, callee, Set.of(EdgeSource.MESH_LINKERD));
    }

    private static Canned ok(String resource) {
        return new Canned(200, resource(resource), 0);
    }

    private static String resource(String name) {
        try (InputStream in = PrometheusMeshTest.class.getResourceAsStream("/prometheus/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource prometheus/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String query = "";
        for (String parameter : exchange.getRequestURI().getRawQuery().split("&")) {
            if (parameter.startsWith("query=")) {
                query = URLDecoder.decode(parameter.substring("query=".length()), StandardCharsets.UTF_8);
            }
        }
        seen.add(new Seen(exchange.getRequestURI().getPath(), query, exchange.getRequestHeaders().getFirst("Authorization")));
        Canned canned = answers.get(query.contains("istio_requests_total") ? "istio" : "linkerd");
        try {
            Thread.sleep(canned.delayMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = canned.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(canned.status(), body.length == 0 ? -1 : body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the client gave up waiting: that is the point of the timeout test
        }
        exchange.close();
    }
}
