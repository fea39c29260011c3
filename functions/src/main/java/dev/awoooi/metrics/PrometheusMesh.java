package dev.awoooi.metrics;

import dev.awoooi.topology.EdgeSource;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.TopologySource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Observed traffic from a service mesh, read from Prometheus: who calls whom (Istio's {@code istio_requests_total},
 * Linkerd's {@code response_total}) and which destinations fail too many of their requests. One instant query per
 * mesh, grouped by response code or classification, gives both the edges and the error ratios. Both queries run
 * before the graph is touched, so a failure leaves the graph as the other sources built it.
 */
public final class PrometheusMesh implements TopologySource {
    static final String ISTIO_QUERY = "sum by (source_workload, source_workload_namespace, destination_workload, "
            + "destination_workload_namespace, response_code) (rate(istio_requests_total{reporter=\"source\"}[5m]))";
    static final String LINKERD_QUERY = "sum by (deployment, statefulset, namespace, dst_deployment, dst_statefulset, "
            + "dst_namespace, classification) (rate(response_total{direction=\"outbound\"}[5m]))";
    static final String NO_MESH_NOTE = "no service-mesh traffic metrics in Prometheus";

    /** The meshes read, each with its query and how one of its series reads. */
    private enum Mesh {
        ISTIO("Istio", ISTIO_QUERY, EdgeSource.MESH_ISTIO),
        LINKERD("Linkerd", LINKERD_QUERY, EdgeSource.MESH_LINKERD);

        final String title;
        final String query;
        final EdgeSource edgeSource;

        Mesh(String title, String query, EdgeSource edgeSource) {
            this.title = title;
            this.query = query;
            this.edgeSource = edgeSource;
        }

        /** Null for a series that says nothing usable: no destination, no rate, NaN from an idle window. */
        Series read(JsonNode metric, double rate) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                return null;
            }
            return switch (this) {
                case ISTIO -> {
                    String destination = label(metric, "destination_workload");
                    String code = label(metric, "response_code");
                    yield destination == null ? null
                            : new Series(label(metric, "source_workload"), destination, code != null && code.startsWith("5"), rate);
                }
                case LINKERD -> {
                    String destination = firstLabel(metric, "dst_deployment", "dst_statefulset");
                    yield destination == null ? null
                            : new Series(firstLabel(metric, "deployment", "statefulset"), destination,
                                    "failure".equals(label(metric, "classification")), rate);
                }
            };
        }
    }
    /** Istio's name for a peer it could not identify: traffic from or to outside the mesh. */
    private static final String UNKNOWN = "unknown";

    private final HttpClient http;
    private final URI queryEndpoint;
    private final String authorization;
    private final Duration timeout;
    private final ObjectMapper json;
    private final double errorRatioThreshold;

    /**
     * @param baseUrl             the Prometheus root ({@code https://prometheus.example/} or behind a path prefix);
     *                            userinfo in it is sent as basic auth, and never appears in a message
     * @param bearerToken         sent as {@code Authorization: Bearer}; null for none (wins over userinfo)
     * @param timeout             for the whole contribution: both queries run in parallel within it
     * @param errorRatioThreshold the share of failing requests (0.05 = 5 %) from which a destination gets a signal
     */
    public PrometheusMesh(HttpClient http, URI baseUrl, String bearerToken, Duration timeout, ObjectMapper json,
            double errorRatioThreshold) {
        if (baseUrl == null || baseUrl.getScheme() == null || !baseUrl.getScheme().matches("(?i)https?")
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("the Prometheus URL must be an absolute http or https URL with a host");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Prometheus timeout must be positive");
        }
        if (!(errorRatioThreshold > 0 && errorRatioThreshold <= 1)) {
            throw new IllegalArgumentException("the mesh error ratio threshold must be in (0, 1], not " + errorRatioThreshold);
        }
        if (bearerToken != null && !bearerToken.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            // checked here because the HTTP client's own complaint about a header value may quote it
            throw new IllegalArgumentException("the Prometheus bearer token must be printable ASCII without spaces");
        }
        this.http = http;
        this.queryEndpoint = queryEndpoint(baseUrl);
        this.authorization = bearerToken != null && !bearerToken.isBlank() ? "Bearer " + bearerToken
                : baseUrl.getUserInfo() != null ? "Basic " + Base64.getEncoder().encodeToString(baseUrl.getUserInfo().getBytes(StandardCharsets.UTF_8))
                : null;
        this.timeout = timeout;
        this.json = json;
        this.errorRatioThreshold = errorRatioThreshold;
    }

    @Override
    public String name() {
        return "Prometheus mesh metrics";
    }

    @Override
    public void contribute(ServiceGraph graph) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Mesh, CompletableFuture<HttpResponse<String>>> pending = new EnumMap<>(Mesh.class);
        for (Mesh mesh : Mesh.values()) {
            pending.put(mesh, send(mesh.query));
        }
        Map<Mesh, List<Series>> traffic = new EnumMap<>(Mesh.class);
        try {
            for (Mesh mesh : Mesh.values()) {
                traffic.put(mesh, vector(await(pending.get(mesh), deadline, mesh), mesh));
            }
        } finally {
            pending.values().forEach(response -> response.cancel(true));
        }
        if (traffic.values().stream().allMatch(List::isEmpty)) {
            graph.note(NO_MESH_NOTE);
            return;
        }
        traffic.forEach((mesh, series) -> apply(graph, series, mesh.edgeSource));
    }

    // ------------------------------------------------------------------ traffic to graph

    /** One series reduced to what the graph needs; {@code source} is null when the caller is outside the mesh. */
    private record Series(String source, String destination, boolean failed, double rate) {
    }

    private record Traffic(double total, double failed) {
        static final Traffic NONE = new Traffic(0, 0);

        Traffic plus(Series s) {
            return new Traffic(total + s.rate(), failed + (s.failed() ? s.rate() : 0));
        }
    }

    private void apply(ServiceGraph graph, List<Series> series, EdgeSource mesh) {
        Map<List<String>, Double> pairs = new LinkedHashMap<>();
        Map<String, Traffic> destinations = new LinkedHashMap<>();
        for (Series s : series) {
            // a destination fails its callers whether they are in the mesh or not
            destinations.compute(s.destination(), (name, known) -> (known == null ? Traffic.NONE : known).plus(s));
            if (s.source() != null && !s.source().equals(s.destination())) {
                pairs.merge(List.of(s.source(), s.destination()), s.rate(), Double::sum);
            }
        }
        pairs.forEach((pair, rate) -> {
            if (rate > 0) {
                graph.dependsOn(pair.get(0), pair.get(1), mesh);
            }
        });
        destinations.forEach((destination, traffic) -> {
            if (traffic.total() > 0) {
                double ratio = traffic.failed() / traffic.total();
                if (ratio >= errorRatioThreshold) {
                    graph.signal(destination, String.format(Locale.ROOT, "%.1f%% of requests failing (mesh)", ratio * 100));
                }
            }
        });
    }

    private static String firstLabel(JsonNode metric, String... names) {
        for (String name : names) {
            String value = label(metric, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** A label's value, or null when it is absent, empty or Istio's {@code unknown}. */
    private static String label(JsonNode metric, String name) {
        JsonNode value = metric.path(name);
        if (!value.isString()) {
            return null;
        }
        String text = value.stringValue();
        return text.isEmpty() || text.equals(UNKNOWN) ? null : text;
    }

    // ------------------------------------------------------------------ HTTP API

    private static URI queryEndpoint(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String port = base.getPort() < 0 ? "" : ":" + base.getPort();
        return URI.create(base.getScheme().toLowerCase(Locale.ROOT) + "://" + base.getHost() + port + path + "/api/v1/query");
    }

    private CompletableFuture<HttpResponse<String>> send(String query) {
        // Prometheus abandons the evaluation at its own timeout too, so a slow query does not outlive the request
        String parameters = "query=" + encode(query) + "&timeout=" + Math.max(1, timeout.toMillis()) + "ms";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(queryEndpoint + "?" + parameters))
                .timeout(timeout).header("Accept", "application/json").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> await(CompletableFuture<HttpResponse<String>> response, long deadline, Mesh mesh) {
        try {
            return response.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Prometheus did not answer the " + mesh.title + " query within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while querying Prometheus", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new IllegalStateException("Prometheus did not answer the " + mesh.title + " query within " + timeout.toMillis() + " ms");
            }
            // the class name only: some transport messages carry the address, and the address may carry credentials
            String kind = cause instanceof IOException ? "unreachable" : "failed";
            throw new IllegalStateException("Prometheus " + kind + " (" + cause.getClass().getSimpleName() + ")");
        }
    }

    private List<Series> vector(HttpResponse<String> response, Mesh mesh) {
        JsonNode root;
        try {
            root = json.readTree(response.body());
        } catch (JacksonException e) {
            root = null;
        }
        boolean errorBody = root != null && "error".equals(text(root.path("status")));
        if (errorBody) {
            String error = text(root.path("error"));
            throw new IllegalStateException("Prometheus refused the " + mesh.title + " query (HTTP " + response.statusCode() + ", "
                    + orElse(text(root.path("errorType")), "no errorType") + (error == null ? "" : ": " + abbreviate(error)) + ")");
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Prometheus answered HTTP " + response.statusCode() + " to the " + mesh.title + " query");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalStateException("Prometheus answered the " + mesh.title + " query with something that is not JSON");
        }
        if (!"success".equals(text(root.path("status")))) {
            throw new IllegalStateException("Prometheus answered the " + mesh.title + " query with status '" + orElse(text(root.path("status")), "") + "'");
        }
        JsonNode data = root.path("data");
        String type = text(data.path("resultType"));
        if (!"vector".equals(type)) {
            throw new IllegalStateException("Prometheus answered the " + mesh.title + " query with a " + orElse(type, "missing") + " result, not a vector");
        }
        JsonNode result = data.path("result");
        if (!result.isArray()) {
            throw new IllegalStateException("Prometheus answered the " + mesh.title + " query without a result list");
        }
        List<Series> series = new ArrayList<>(result.size());
        for (JsonNode sample : result) {
            JsonNode value = sample.path("value");
            Series s = mesh.read(sample.path("metric"), rate(value.path(1)));
            if (s != null) {
                series.add(s);
            }
        }
        return series;
    }

    /** Prometheus sends sample values as strings, with Go's spellings of the special values. */
    private static double rate(JsonNode value) {
        String text = text(value);
        if (text == null) {
            return Double.NaN;
        }
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    yield Double.NaN;
                }
            }
        };
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String abbreviate(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200) + "…";
    }
}
