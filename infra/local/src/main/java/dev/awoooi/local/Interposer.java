package dev.awoooi.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

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
 * A pass-through in front of an AWS JSON-protocol endpoint (DynamoDB, SQS, EventBridge) on loopback. It counts every
 * call by its operation ({@code X-Amz-Target}), with the bytes sent and received, so the benchmark can price an
 * incident from the calls it really made; and it injects the faults the service itself shows: an outage (every call
 * answered 500 {@code InternalException}, as the SDK sees a service that is down) and throttling (a share of calls
 * answered 400 with the service's throttling error, which the SDK retries with backoff). In front of any HTTP API (the
 * Kubernetes API too) it can lose an answer: the request reaches the server and takes effect, and the answer is held
 * back until the client stops waiting, as when a timeout strikes after the request was sent.
 */
public final class Interposer implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    /** Per operation: how many calls, and their request and response bytes. */
    public static final class Tally {
        public long calls;
        public long requestBytes;
        public long responseBytes;
    }

    private volatile URI upstream;
    private volatile long downUntilNanos;
    private volatile double throttled;
    private volatile String throttlingError;
    private final java.util.concurrent.atomic.AtomicLong faults = new java.util.concurrent.atomic.AtomicLong();
    /** The next request whose answer is lost; null when none is armed. */
    private final java.util.concurrent.atomic.AtomicReference<LostAnswer> loseAnswer = new java.util.concurrent.atomic.AtomicReference<>();

    private record LostAnswer(String method, String pathFragment, java.time.Duration holdFor) {
    }
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Tally> tallies = new TreeMap<>();

    public Interposer(URI upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    /** Where calls go, once it is known (a stack's endpoints are known only after it started, pointed at this). */
    public void upstream(URI upstream) {
        this.upstream = upstream;
    }

    /** Every call fails as a service outage until {@code duration} has passed. */
    public void down(java.time.Duration duration) {
        downUntilNanos = System.nanoTime() + duration.toNanos();
    }

    /** From now on {@code share} of the calls (0 to 1) are refused with {@code errorType}, e.g. DynamoDB's ProvisionedThroughputExceededException. */
    public void throttle(double share, String errorType) {
        this.throttlingError = errorType;
        this.throttled = share;
    }

    /**
     * The next {@code method} request whose path contains {@code pathFragment} is forwarded, and its answer held back
     * for {@code holdFor} (longer than the client waits), then the connection closed without it.
     */
    public void loseNextAnswer(String method, String pathFragment, java.time.Duration holdFor) {
        loseAnswer.set(new LostAnswer(method, pathFragment, holdFor));
    }

    /** How many calls were answered with a fault instead of being forwarded. */
    public long faults() {
        return faults.get();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public synchronized Map<String, Tally> tallies() {
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

    public synchronized void reset() {
        tallies.clear();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (System.nanoTime() < downUntilNanos) {
                faults.incrementAndGet();
                fail(exchange, 500, "InternalException", "injected outage");
                return;
            }
            if (throttled > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < throttled) {
                faults.incrementAndGet();
                fail(exchange, 400, throttlingError, "injected throttling");
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            LostAnswer lose = loseAnswer.get();
            if (lose != null && lose.method().equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().contains(lose.pathFragment())
                    && loseAnswer.compareAndSet(lose, null)) {
                faults.incrementAndGet();
                Thread.sleep(lose.holdFor().toMillis());
                return; // then closed without a status line
            }
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

    private static void fail(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        // as the services answer: the short code in the header, the namespaced one in the body
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type.substring(type.indexOf('#') + 1));
        HttpApiServer.send(exchange, status, ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
