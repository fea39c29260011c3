package dev.awoooi.cluster;

import dev.awoooi.execution.AnswerLostException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Calls one tool of an MCP server over streamable HTTP (protocol 2025-06-18): initialize, the initialized
 * notification, tools/call, then the session is ended; a server that answers with server-sent events or with plain
 * JSON is read alike. Three JSON-RPC messages do not justify the MCP SDK in the cluster package (its 1.7 MB would break
 * the package's size budget). Before tools/call is sent, a failure is an ordinary one; after, a lost answer is an
 * {@link AnswerLostException}: the tool may have acted, and only re-reading the target tells.
 */
public final class McpToolClient {
    static final String PROTOCOL = "2025-06-18";

    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;
    private final ObjectMapper json;

    public McpToolClient(HttpClient http, URI endpoint, Duration timeout, ObjectMapper json) {
        this.http = http;
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.json = json;
    }

    /** What the tool answered: its text, and whether it says it failed ({@code isError}). */
    public record ToolResult(boolean isError, String text, JsonNode structured) {
    }

    public ToolResult call(String tool, Map<String, Object> arguments) {
        ObjectNode init = message(1, "initialize");
        ObjectNode params = init.putObject("params").put("protocolVersion", PROTOCOL);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "awoooi-executor").put("version", "0.1.0");
        HttpResponse<String> initialized = send(init, null, false);
        String session = initialized.headers().firstValue("Mcp-Session-Id").orElse(null);
        JsonNode answer = read(initialized, 1);
        if (answer.has("error")) {
            throw new IllegalStateException("the MCP server refused to initialize: " + answer.get("error").path("message").asString(""));
        }
        send(json.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/initialized"), session, false);
        ObjectNode call = message(2, "tools/call");
        call.putObject("params").put("name", tool).set("arguments", json.valueToTree(arguments));
        try {
            JsonNode reply;
            try {
                reply = read(send(call, session, true), 2);
            } catch (AnswerLostException lost) {
                throw lost;
            } catch (RuntimeException unreadable) {
                // sent, and then a proxy's 502, a body that is not JSON, a stream without the answer: it may have acted
                throw new AnswerLostException("the MCP tool call was sent and its answer is unreadable ("
                        + unreadable.getClass().getSimpleName() + ")", unreadable);
            }
            if (reply.has("error")) {
                // a JSON-RPC error: the server refused the call itself (unknown or disabled tool, bad arguments)
                return new ToolResult(true, reply.get("error").path("message").asString("the MCP server refused the call"), null);
            }
            JsonNode result = reply.path("result");
            StringBuilder text = new StringBuilder();
            result.path("content").forEach(c -> text.append(text.isEmpty() ? "" : "\n").append(c.path("text").asString("")));
            return new ToolResult(result.path("isError").asBoolean(false), text.toString(), result.get("structuredContent"));
        } finally {
            end(session);
        }
    }

    private ObjectNode message(int id, String method) {
        return json.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    }

    private HttpResponse<String> send(ObjectNode message, String session, boolean mutation) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", PROTOCOL)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(message)));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("the MCP server answered HTTP " + response.statusCode() + " to " + message.path("method").asString());
            }
            return response;
        } catch (IOException e) {
            if (mutation) {
                throw new AnswerLostException("the MCP tool call got no answer (" + e.getClass().getSimpleName() + ")", e);
            }
            throw new IllegalStateException("the MCP server is unreachable (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (mutation) {
                throw new AnswerLostException("interrupted while the MCP tool call was in flight", e);
            }
            throw new IllegalStateException("interrupted before the MCP tool call", e);
        }
    }

    /** The JSON-RPC response with {@code id}, from a JSON body or from the data lines of an event stream. */
    private JsonNode read(HttpResponse<String> response, int id) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            JsonNode message = json.readTree(response.body());
            if (!isResponse(message, id)) {
                throw new IllegalStateException("the MCP server's answer is not the response to request " + id);
            }
            return message;
        }
        StringBuilder data = new StringBuilder();
        for (String line : (response.body() + "\n\n").split("\r?\n", -1)) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            } else if (line.isEmpty() && !data.isEmpty()) {
                JsonNode message = json.readTree(data.toString());
                if (isResponse(message, id)) {
                    return message;
                }
                data.setLength(0);
            }
        }
        throw new IllegalStateException("the MCP server's event stream held no response to request " + id);
    }

    /** A response to request {@code id}: its id, a result or an error, and no method (a request of the server's own has one). */
    private static boolean isResponse(JsonNode message, int id) {
        return message != null && message.path("id").asInt(-1) == id && !message.has("method") && (message.has("result") || message.has("error"));
    }

    private void end(String session) {
        if (session == null) {
            return;
        }
        try {
            http.send(HttpRequest.newBuilder(endpoint).timeout(timeout).header("Mcp-Session-Id", session).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the server forgets idle sessions on its own; the call's outcome does not depend on this
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
