package dev.awoooi.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.Duration;

/**
 * MCP's streamable HTTP transport without sessions or streams, as a Lambda behind API Gateway can serve it: each POST
 * carries one JSON-RPC message; a request is answered with one JSON response (200), a notification or a client's
 * response with nothing (202). What is not a JSON-RPC message is the HTTP route's 400.
 */
final class StatelessHttpTransport implements McpStatelessServerTransport {
    private final McpJsonMapper mapper;
    private final Duration timeout;
    private volatile McpStatelessServerHandler handler;

    StatelessHttpTransport(McpJsonMapper mapper, Duration timeout) {
        this.mapper = mapper;
        this.timeout = timeout;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    AssistantServer.Reply exchange(String body, McpTransportContext context) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(mapper, body);
        } catch (IOException | IllegalArgumentException e) {
            return new AssistantServer.Reply(400, null);
        }
        try {
            return switch (message) {
                case McpSchema.JSONRPCRequest request -> new AssistantServer.Reply(200, mapper.writeValueAsString(handler.handleRequest(context, request).block(timeout)));
                case McpSchema.JSONRPCNotification notification -> {
                    handler.handleNotification(context, notification).block(timeout);
                    yield new AssistantServer.Reply(202, null);
                }
                default -> new AssistantServer.Reply(202, null);
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not write the JSON-RPC response", e);
        }
    }
}
