package dev.awoooi.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.awoooi.local.HttpApiServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Lambda's Runtime API (2018-06-01) for one execution environment, on loopback: what the runtime interface client
 * in a Java runtime talks to. Paths, headers and status codes as the interface client expects them: {@code GET
 * /runtime/invocation/next} blocks until an event is queued and answers 200 with {@code Lambda-Runtime-Aws-Request-Id},
 * {@code -Deadline-Ms}, {@code -Invoked-Function-Arn} and {@code -Trace-Id}; {@code POST .../response} and every
 * error report answer 202; {@code GET /runtime/restore/next} (SnapStart: called after the beforeCheckpoint hooks,
 * where Lambda takes the snapshot) answers 200.
 *
 * <p>It records when the environment reached the end of INIT (the restore call, or the first {@code next} without
 * SnapStart), so a caller can tell init time from invocation time.
 */
final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";

    record Invocation(String requestId, byte[] event, long deadlineEpochMillis, CompletableFuture<Result> result) {
    }

    /** The function's answer, or its error report ({@code errorType} set). */
    record Result(byte[] body, String errorType, long servedNanos, long answeredNanos) {
        boolean failed() {
            return errorType != null;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final String functionArn;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> servedAt = new ConcurrentHashMap<>();
    final CompletableFuture<Long> initDoneNanos = new CompletableFuture<>();
    final CompletableFuture<String> initError = new CompletableFuture<>();

    RuntimeApi(String functionName) throws IOException {
        this.functionArn = "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    CompletableFuture<Result> invoke(byte[] event, Duration timeout) {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event,
                System.currentTimeMillis() + timeout.toMillis(), new CompletableFuture<>());
        pending.add(invocation);
        return invocation.result();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.equals("invocation/next")) {
                initDoneNanos.complete(System.nanoTime());
                Invocation next = pending.take();
                inFlight.put(next.requestId(), next);
                var headers = exchange.getResponseHeaders();
                headers.set("Content-Type", "application/json");
                headers.set("Lambda-Runtime-Aws-Request-Id", next.requestId());
                headers.set("Lambda-Runtime-Deadline-Ms", String.valueOf(next.deadlineEpochMillis()));
                headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                headers.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                servedAt.put(next.requestId(), System.nanoTime());
                HttpApiServer.send(exchange, 200, next.event());
            } else if (method.equals("GET") && path.equals("restore/next")) {
                initDoneNanos.complete(System.nanoTime());
                HttpApiServer.send(exchange, 200, new byte[0]);
            } else if (method.equals("POST") && path.startsWith("invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                String requestId = path.substring("invocation/".length(), path.lastIndexOf('/'));
                Invocation invocation = inFlight.remove(requestId);
                if (invocation == null) {
                    HttpApiServer.send(exchange, 400, "{\"errorMessage\":\"unknown request id\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String errorType = path.endsWith("/error")
                        ? String.valueOf(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type")) : null;
                long answered = System.nanoTime();
                HttpApiServer.send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                invocation.result().complete(new Result(body, errorType, servedAt.remove(requestId), answered));
            } else if (method.equals("POST") && (path.equals("init/error") || path.equals("restore/error"))) {
                initError.complete(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type") + ": "
                        + new String(body, StandardCharsets.UTF_8));
                HttpApiServer.send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                HttpApiServer.send(exchange, 404, "{\"errorMessage\":\"no such route\"}".getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
