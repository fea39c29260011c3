package dev.awoooi.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.awoooi.local.HttpApiServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A counting pass-through in front of an AWS JSON-protocol endpoint (DynamoDB, SQS, EventBridge) on loopback: every
 * call is forwarded unchanged and counted by its operation ({@code X-Amz-Target}), with the bytes sent and received,
 * so the benchmark can price an incident from the calls it really made.
 */
final class CallMeter implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    /** Per operation: how many calls, and their request and response bytes. */
    static final class Tally {
        long calls;
        long requestBytes;
        long responseBytes;
    }

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Tally> tallies = new TreeMap<>();

    CallMeter(URI upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized Map<String, Tally> tallies() {
        Map<String, Tally> copy = new TreeMap<>();
        tallies.forEach((operation, tally) -> {
            Tally t = new Tally();
            t.calls = tally.calls;
            t.requestBytes = tally.requestBytes;
            t.responseBytes = tally.responseBytes;
            copy.put(operation, t);
        });
        return copy;
    }

    synchronized void reset() {
        tallies.clear();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            synchronized (this) {
                Tally tally = tallies.computeIfAbsent(target == null ? exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() : target,
                        k -> new Tally());
                tally.calls++;
                tally.requestBytes += body.length;
                tally.responseBytes += response.body().length;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            HttpApiServer.send(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
