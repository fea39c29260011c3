package dev.awoooi.local.e2e;

import dev.awoooi.local.LocalStack;
import dev.awoooi.local.cluster.KubernetesMcpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tracer bullet's variant through MCP: execute acts for scale_deployment, delete_pod and restart_deployment (a
 * server-side apply) through the real
 * kubernetes-mcp-server (npm 0.0.67, its Go binary, as ServiceAccount awoooi-mcp) against the demo API server, after
 * AWOOOI's own dry run, signatures and fingerprint re-check; each effect is then re-read through the Kubernetes API.
 * Needs the binary in {@code $AWOOOI_NPM_PEERS} (default {@code ~/.cache/awoooi/npm}, where {@code .ci/run} installs it):
 * skipped without it.
 */
class McpTracerBulletIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static LocalStack stack;
    static KubernetesMcpServer server;

    @BeforeAll
    static void start() {
        assumeTrue(KubernetesMcpServer.installedBinary() != null, "skipped: kubernetes-mcp-server is not installed; "
                + "npm install --prefix ~/.cache/awoooi/npm kubernetes-mcp-server-linux-amd64@0.0.67 (.ci/run does)");
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false).withProperties(Map.of(
                "awoooi.execution.mcpurl", LocalStack.LOCAL_MCP_SERVER, "awoooi.execution.mcpactions", "scale_deployment,delete_pod,restart_deployment")));
        server = stack.kubernetesMcpServer().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** An object as the API server has it now, read as the demo's operator; null when it is gone. */
    static JsonNode read(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.clusterUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 404 ? null : JSON.readTree(response.body());
    }

    /** A runbook's remediation on an alert, signed by whoever its risk asks for, until it ends; the incident then. */
    static JsonNode signedAndDone(String service, String remediation) throws Exception {
        String id = StackContents.alert(stack, UUID.randomUUID().toString().replace("-", "").substring(0, 16), service, "production", remediation);
        JsonNode asked = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> incident(id),
                i -> !List.of("RECEIVED", "ANALYZED").contains(i.get("status").asString()));
        assertThat(asked.get("status").asString()).as(asked.toString()).isEqualTo("AWAITING_APPROVAL");
        StackContents.press(stack, "slack", id, "T0AWOOOI/U0ALICE", "approve");
        if (asked.get("requiredSignatures").asInt() > 1) {
            StackContents.press(stack, "telegram", id, "100002", "approve");
        }
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> incident(id),
                i -> List.of("SUCCEEDED", "FAILED", "VOIDED", "REJECTED", "EXPIRED").contains(i.get("status").asString()));
    }

    /** How many calls of one tool the server served (its own /stats). */
    static int calls(String tool) {
        return JSON.readTree(server.stats()).get("tool_calls_by_name").path(tool).asInt(0);
    }

    static JsonNode incident(String id) throws Exception {
        return JSON.readTree(StackContents.get(stack, "/incidents/" + id).body());
    }

    @Test
    void aScaleAndAPodDeletionRunThroughTheRealKubernetesMcpServerAndAreReadBackThroughTheApi() throws Exception {
        int scales = calls("resources_scale");
        int deletes = calls("resources_delete");
        int before = read("/apis/apps/v1/namespaces/production/deployments/frontend").get("spec").get("replicas").asInt();
        int wanted = before + 1;
        JsonNode scaled = signedAndDone("frontend", "kubectl scale deployment frontend --replicas=" + wanted + " -n production");
        assertThat(scaled.get("status").asString()).as(scaled.toString()).isEqualTo("SUCCEEDED");
        assertThat(scaled.get("execution").get("verified").asBoolean()).isTrue();
        assertThat(read("/apis/apps/v1/namespaces/production/deployments/frontend").get("spec").get("replicas").asInt()).isEqualTo(wanted);
        assertThat(calls("resources_scale")).as(server.stats()).isEqualTo(scales + 1);

        JsonNode pods = read("/api/v1/namespaces/production/pods?labelSelector=app%3Dorder-api");
        JsonNode pod = pods.get("items").get(0);
        String name = pod.get("metadata").get("name").asString();
        String uid = pod.get("metadata").get("uid").asString();
        JsonNode deleted = signedAndDone("order-api", "kubectl delete pod " + name + " -n production");
        assertThat(deleted.get("status").asString()).as(deleted.toString()).isEqualTo("SUCCEEDED");
        JsonNode now = read("/api/v1/namespaces/production/pods/" + name);
        assertThat(now == null || !uid.equals(now.get("metadata").get("uid").asString())).as("the pod is gone or replaced").isTrue();
        assertThat(calls("resources_delete")).as(server.stats()).isEqualTo(deletes + 1);

        // a restart is a server-side apply of the template's restartedAt stamp alone
        int applies = calls("resources_create_or_update");
        JsonNode restarted = signedAndDone("product-api", "kubectl rollout restart deployment product-api -n production");
        assertThat(restarted.get("status").asString()).as(restarted.toString()).isEqualTo("SUCCEEDED");
        assertThat(read("/apis/apps/v1/namespaces/production/deployments/product-api").get("spec").get("template").get("metadata")
                .get("annotations").get("kubectl.kubernetes.io/restartedAt").asString()).isNotBlank();
        assertThat(calls("resources_create_or_update")).as(server.stats()).isEqualTo(applies + 1);
    }

    @Test
    void whatTheServerRefusesIsAFailureWithItsTextNeverASuccess() throws Exception {
        // the server's identity may not delete a pod outside its Role's namespace; AWOOOI's scope keeps such a plan from
        // ever being made, so the refusal is shown here on the MCP server alone: an isError, its text, nothing deleted
        var client = new dev.awoooi.cluster.McpToolClient(HTTP, server.url(), Duration.ofSeconds(20), JSON);
        var result = client.call("resources_delete", Map.of("apiVersion", "v1", "kind", "Secret", "namespace", "production", "name", "db-credentials"));
        assertThat(result.isError()).as(result.text()).isTrue();
        assertThat(result.text()).containsIgnoringCase("not allowed");
        var unknown = client.call("pods_exec", Map.of("name", "x", "command", List.of("sh")));
        assertThat(unknown.isError()).as("a tool the configuration does not enable").isTrue();
    }
}
