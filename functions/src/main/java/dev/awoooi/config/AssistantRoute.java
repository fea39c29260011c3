package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.awoooi.mcp.AssistantServer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The MCP route ({@code /mcp}): streamable HTTP without sessions or server-sent events. Every method authenticates
 * first, with one bearer token per assistant (McpSecretArn's {@code mcpTokens}, name → token, compared in constant
 * time against every one); the token's name is the caller every request_action is filed as. POST carries one JSON-RPC
 * message; GET and DELETE get 405, since no stream or session exists to open or end.
 */
final class AssistantRoute {
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final AssistantServer server;
    private final Supplier<Map<String, String>> tokens;

    AssistantRoute(AssistantServer server, Supplier<Map<String, String>> tokens) {
        this.server = server;
        this.tokens = tokens;
    }

    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        String caller = caller(Http.bearerToken(event));
        if (caller == null) {
            return Http.unauthorized();
        }
        String method = event.getRequestContext() == null || event.getRequestContext().getHttp() == null ? "POST"
                : event.getRequestContext().getHttp().getMethod();
        if (!"POST".equalsIgnoreCase(method)) {
            APIGatewayV2HTTPResponse refused = Http.error(405, "this MCP server is stateless: POST one JSON-RPC message; it opens no stream");
            refused.getHeaders().put("Allow", "POST");
            return refused;
        }
        String contentType = Http.header(event, "content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Http.error(415, "Content-Type must be application/json");
        }
        String body = Http.body(event);
        if (body == null || body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            return Http.error(body == null ? 400 : 413, body == null ? "no JSON-RPC message" : "a JSON-RPC message larger than 256 KB");
        }
        AssistantServer.Reply reply = server.exchange(body, caller);
        return switch (reply.status()) {
            case 200 -> Http.json(200, reply.body());
            case 202 -> Http.json(202, "");
            default -> Http.json(400, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"not a JSON-RPC message\"}}");
        };
    }

    /** The name of the token sent, checked against every token in constant time; null when none matches. */
    private String caller(byte[] given) {
        if (given == null || given.length == 0) {
            return null;
        }
        String found = null;
        for (Map.Entry<String, String> token : tokens.get().entrySet()) {
            if (MessageDigest.isEqual(given, token.getValue().getBytes(StandardCharsets.UTF_8)) & found == null) {
                found = token.getKey();
            }
        }
        return found;
    }
}
