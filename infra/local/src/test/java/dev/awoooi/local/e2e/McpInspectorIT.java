package dev.awoooi.local.e2e;

import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * AWOOOI's MCP route as an assistant meets it, through the official MCP Inspector in CLI mode (npm
 * {@code @modelcontextprotocol/inspector} 2.12.0, streamable HTTP): it lists the tools, reads an incident
 * (pseudonymized) and files a request_action whose plan then waits for signatures with nothing executed. Needs Node and
 * the Inspector in {@code $AWOOOI_NPM_PEERS} (default {@code ~/.cache/awoooi/npm}, where {@code .ci/run} installs it):
 * skipped without them.
 */
class McpInspectorIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static LocalStack stack;
    static Path inspector;

    @BeforeAll
    static void start() {
        Path peers = dev.awoooi.local.cluster.KubernetesMcpServer.npmPeers();
        inspector = peers.resolve("node_modules/.bin/mcp-inspector");
        assumeTrue(Files.isExecutable(inspector), "skipped: no MCP Inspector at " + inspector
                + "; install it with: npm install --prefix " + peers + " @modelcontextprotocol/inspector@2.12.0 (.ci/run does)");
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** One Inspector CLI call against the route that succeeds; its JSON output. */
    static JsonNode inspect(String token, String... arguments) throws IOException, InterruptedException {
        return inspect(0, token, arguments);
    }

    /** One Inspector CLI call; it exits {@code exit} (5 when the tool answers isError), and prints the result first. */
    static JsonNode inspect(int exit, String token, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(inspector.toString(), "--cli", stack.baseUrl() + "/mcp", "--transport", "http",
                "--header", "Authorization: Bearer " + token));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("inspector: " + text + err).isEqualTo(exit);
        // the result comes first; on isError the Inspector prints its own error object after it
        try (var values = JSON.readerFor(JsonNode.class).<JsonNode>readValues(text.substring(text.indexOf('{')))) {
            return values.next();
        }
    }

    @Test
    void theInspectorListsTheToolsReadsAnIncidentAndRequestsAPlanThatWaitsForSignatures() throws Exception {
        JsonNode tools = inspect(stack.mcpToken(), "--method", "tools/list").get("tools");
        List<String> names = new ArrayList<>();
        tools.forEach(tool -> names.add(tool.get("name").asString()));
        assertThat(names).containsExactlyInAnyOrder("list_incidents", "get_incident", "explain_incident", "list_scans", "request_action");

        // an alert carrying personal data: the assistant reads only its pseudonyms
        String id = StackContents.alert(stack, "c1", "order-api", "production", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> !StackContents.get(stack, "/incidents/" + id).body().contains("\"status\":\"RECEIVED\""));
        JsonNode incident = inspect(stack.mcpToken(), "--method", "tools/call", "--tool-name", "get_incident", "--tool-arg", "id=" + id);
        assertThat(incident.path("isError").asBoolean(false)).as(incident.toString()).isFalse();
        assertThat(incident.get("structuredContent").get("id").asString()).isEqualTo(id);
        assertThat(incident.get("structuredContent").get("rootCauses")).isNotNull();
        JsonNode explained = inspect(stack.mcpToken(), "--method", "tools/call", "--tool-name", "explain_incident", "--tool-arg", "id=" + id);
        JsonNode scans = inspect(stack.mcpToken(), "--method", "tools/call", "--tool-name", "list_scans");
        assertThat(scans.get("structuredContent").get("scans")).hasSize(4);
        JsonNode listed = inspect(stack.mcpToken(), "--method", "tools/call", "--tool-name", "list_incidents");
        assertThat(listed.get("structuredContent").get("incidents").toString()).contains(id);
        assertThat(explained.get("content").get(0).get("text").asString()).contains("AWOOOI proposes");

        JsonNode requested = inspect(stack.mcpToken(), "--method", "tools/call", "--tool-name", "request_action",
                "--tool-arg", "action=restart_deployment", "namespace=production", "name=product-api",
                "reason=latency after the cache flush", "idempotencyKey=inspector-0001");
        assertThat(requested.path("isError").asBoolean(false)).as(requested.toString()).isFalse();
        assertThat(requested.get("structuredContent").get("executed").asBoolean()).isFalse();
        String planned = requested.get("structuredContent").get("incidentId").asString();

        JsonNode waiting = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(
                () -> JSON.readTree(StackContents.get(stack, "/incidents/" + planned).body()),
                view -> view.has("status") && !List.of("RECEIVED", "ANALYZED").contains(view.get("status").asString()));
        assertThat(waiting.get("status").asString()).as(waiting.toString()).isEqualTo("AWAITING_APPROVAL");
        assertThat(waiting.get("source").asString()).isEqualTo("mcp");
        assertThat(waiting.get("action").get("type").asString()).isEqualTo("restart_deployment");
        assertThat(waiting.get("requiredSignatures").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(waiting.get("signaturesWhy").asString()).contains("mcp:local-assistant asked for it through MCP");
        assertThat(waiting.get("execution").isNull()).isTrue();

        // the same idempotency key files nothing new
        JsonNode again = inspect(stack.mcpToken(), "--method", "tools/call", "--tool-name", "request_action",
                "--tool-arg", "action=restart_deployment", "namespace=production", "name=product-api",
                "reason=latency after the cache flush", "idempotencyKey=inspector-0001");
        assertThat(again.get("structuredContent").get("incidentId").asString()).isEqualTo(planned);
    }

    @Test
    void aCallerWithoutTheTokenIsRefusedAndAHostileRequestFilesNothing() throws Exception {
        var response = StackContents.post(stack, "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                "Content-Type", "application/json", "Authorization", "Bearer " + stack.readerToken());
        assertThat(response.statusCode()).isEqualTo(401);
        int before = StackContents.items(stack, "IncidentsTable").size();
        JsonNode hostile = inspect(5, stack.mcpToken(), "--method", "tools/call", "--tool-name", "request_action",
                "--tool-arg", "action=delete_namespace", "namespace=kube-system", "reason=cleanup", "idempotencyKey=inspector-0002");
        assertThat(hostile.get("isError").asBoolean()).isTrue();
        assertThat(StackContents.items(stack, "IncidentsTable")).hasSize(before);
    }
}
