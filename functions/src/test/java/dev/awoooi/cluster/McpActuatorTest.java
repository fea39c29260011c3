package dev.awoooi.cluster;

import com.sun.net.httpserver.HttpServer;
import dev.awoooi.action.Action;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.execution.AnswerLostException;
import dev.awoooi.execution.ClusterActuator;
import dev.awoooi.privacy.PrivacyShield;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MCP actuator against a server that speaks streamable HTTP as kubernetes-mcp-server does (event-stream framed
 * answers, a session id): which tool each action becomes, what stays on the Kubernetes API, an isError answer, and a
 * tool call whose answer is lost after it was sent.
 */
class McpActuatorTest {
    static final Instant AT = Instant.parse("2026-12-02T03:00:00Z");
    static final JsonMapper JSON = JsonMapper.builder().build();
    HttpServer server;
    final List<JsonNode> calls = new ArrayList<>();
    volatile String toolAnswer = "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"isError\":false}";
    volatile long toolDelayMs;
    volatile int toolStatus = 200;
    volatile String toolBody;
    final List<Action> viaApi = new ArrayList<>();
    McpActuator actuator;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mcp", exchange -> {
            if (exchange.getRequestMethod().equals("DELETE")) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            JsonNode message = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String method = message.path("method").asString();
            if (method.startsWith("notifications/")) {
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
                return;
            }
            String result = method.equals("initialize") ? "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                    + "\"serverInfo\":{\"name\":\"kubernetes-mcp-server\",\"version\":\"v0.0.67\"}}" : toolAnswer;
            if (method.equals("tools/call")) {
                calls.add(message.get("params"));
                try {
                    Thread.sleep(toolDelayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean call = method.equals("tools/call");
            byte[] body = (call && toolBody != null ? toolBody
                    : "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + message.get("id") + ",\"result\":" + result + "}\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("Mcp-Session-Id", "session-1");
            exchange.sendResponseHeaders(call ? toolStatus : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        ClusterActuator api = new ClusterActuator() {
            public void apply(Action action, Instant at) {
                viaApi.add(action);
            }

            public Verification verify(Action action, TargetState before, Instant at, Duration timeout) {
                return new Verification(true, "re-read through the Kubernetes API");
            }
        };
        var client = new McpToolClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp"), Duration.ofMillis(800), JSON);
        actuator = new McpActuator(client, api, Set.of("scale_deployment", "delete_pod", "restart_statefulset"), new PrivacyShield(), JSON);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void eachRoutedActionBecomesItsOneToolAndTheRestStayOnTheKubernetesApi() {
        actuator.apply(new Action.ScaleDeployment("production", "frontend", 4), AT);
        actuator.apply(new Action.DeletePod("production", "order-api-7d9f-x2k4q"), AT);
        actuator.apply(new Action.RestartStatefulSet("production", "postgres-db"), AT);
        actuator.apply(new Action.EvictPod("production", "order-api-7d9f-x2k4q"), AT);
        actuator.apply(new Action.RestartDeployment("production", "frontend"), AT);

        assertThat(calls).extracting(c -> c.get("name").asString()).containsExactly("resources_scale", "resources_delete", "resources_create_or_update");
        assertThat(calls.get(0).get("arguments")).isEqualTo(
                JSON.readTree("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"namespace\":\"production\",\"name\":\"frontend\",\"scale\":4}"));
        assertThat(calls.get(1).get("arguments").get("kind").asString()).isEqualTo("Pod");
        JsonNode manifest = JSON.readTree(calls.get(2).get("arguments").get("resource").asString());
        assertThat(manifest.get("kind").asString()).isEqualTo("StatefulSet");
        assertThat(manifest.get("spec").get("template").get("metadata").get("annotations").get(KubernetesActions.RESTARTED_AT).asString())
                .isEqualTo(AT.toString());
        assertThat(manifest.get("spec").size()).as("only the stamp is applied").isEqualTo(1);
        assertThat(viaApi).containsExactly(new Action.EvictPod("production", "order-api-7d9f-x2k4q"), new Action.RestartDeployment("production", "frontend"));
        assertThat(actuator.verify(new Action.DeletePod("production", "x"), null, AT, Duration.ofSeconds(1)).detail())
                .isEqualTo("re-read through the Kubernetes API");
    }

    @Test
    void anIsErrorAnswerIsAFailureWithItsTextMasked() {
        toolAnswer = "{\"content\":[{\"type\":\"text\",\"text\":\"forbidden: token of ops.lead@example.com from 10.1.2.3 expired\"}],\"isError\":true}";
        assertThatThrownBy(() -> actuator.apply(new Action.DeletePod("production", "x"), AT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("kubernetes-mcp-server's resources_delete failed: forbidden")
                .message().doesNotContain("ops.lead@example.com", "10.1.2.3");
    }

    @Test
    void aToolCallWhoseAnswerIsLostAfterSendingIsAnAnswerLostNeverAFailure() {
        toolDelayMs = 2_000;
        assertThatThrownBy(() -> actuator.apply(new Action.ScaleDeployment("production", "frontend", 4), AT))
                .isInstanceOf(AnswerLostException.class);
        assertThat(calls).hasSize(1);
    }

    @Test
    void aCallAnsweredUnreadablyAfterItWasSentIsAnAnswerLostToo() {
        toolStatus = 502;
        assertThatThrownBy(() -> actuator.apply(new Action.DeletePod("production", "x"), AT)).isInstanceOf(AnswerLostException.class);
        toolStatus = 200;
        toolBody = "event: message\ndata: not json\n\n";
        assertThatThrownBy(() -> actuator.apply(new Action.DeletePod("production", "x"), AT)).isInstanceOf(AnswerLostException.class);
        // a request of the server's own that carries the call's id is not its answer
        toolBody = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"elicitation/create\",\"params\":{}}\n\n";
        assertThatThrownBy(() -> actuator.apply(new Action.DeletePod("production", "x"), AT)).isInstanceOf(AnswerLostException.class);
        assertThat(calls).hasSize(3);
    }

    @Test
    void aServerThatIsDownFailsBeforeAnythingIsSent() {
        server.stop(0);
        assertThatThrownBy(() -> actuator.apply(new Action.ScaleDeployment("production", "frontend", 4), AT))
                .isInstanceOf(IllegalStateException.class).isNotInstanceOf(AnswerLostException.class);
    }

    @Test
    void onlyWhatAToolDoesFaithfullyMayBeRoutedThroughMcp() {
        assertThatThrownBy(() -> new McpActuator(null, null, Set.of("scale_deployment", "evict_pod", "drain_node"), new PrivacyShield(), JSON))
                .hasMessageContaining("[drain_node, evict_pod]");
    }
}
