package dev.awoooi.metrics;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Prometheus HTTP API as AWOOOI reads it: instant queries ({@code /api/v1/query}) and the loaded rules
 * ({@code /api/v1/rules}). One request per call, each bounded by the timeout on both sides (Prometheus abandons the
 * evaluation at the same time). Errors name what was asked and how Prometheus answered, never the address (it may
 * carry credentials) nor a sample's labels.
 */
public final class PrometheusClient {

    /** One series of an instant vector: its labels and its value (NaN and infinities as Go spells them). */
    public record Sample(Map<String, String> labels, double value) {
        public String label(String name) {
            String value = labels.get(name);
            return value == null || value.isEmpty() ? null : value;
        }
    }

    /** A query on its way: sent at once, awaited later, so several can run side by side. */
    public final class Pending {
        private final String title;
        private final CompletableFuture<HttpResponse<String>> response;

        private Pending(String title, CompletableFuture<HttpResponse<String>> response) {
            this.title = title;
            this.response = response;
        }

        public List<Sample> await(long deadlineNanos) {
            return vector(title, PrometheusClient.this.await(response, deadlineNanos, title));
        }

        public void cancel() {
            response.cancel(true);
        }
    }

    private final HttpClient http;
    private final String root;
    private final String authorization;
    private final Duration timeout;
    private final ObjectMapper json;

    /**
     * @param baseUrl     the Prometheus root ({@code https://prometheus.example/} or behind a path prefix); userinfo in it
     *                    is sent as basic auth, and never appears in a message
     * @param bearerToken sent as {@code Authorization: Bearer}; null for none (wins over userinfo)
     * @param timeout     for one request
     */
    public PrometheusClient(HttpClient http, URI baseUrl, String bearerToken, Duration timeout, ObjectMapper json) {
        if (baseUrl == null || baseUrl.getScheme() == null || !baseUrl.getScheme().matches("(?i)https?")
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("the Prometheus URL must be an absolute http or https URL with a host");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Prometheus timeout must be positive");
        }
        if (bearerToken != null && !bearerToken.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            // checked here because the HTTP client's own complaint about a header value may quote it
            throw new IllegalArgumentException("the Prometheus bearer token must be printable ASCII without spaces");
        }
        this.http = http;
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
        String port = baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort();
        this.root = baseUrl.getScheme().toLowerCase(Locale.ROOT) + "://" + baseUrl.getHost() + port + path;
        this.authorization = bearerToken != null && !bearerToken.isBlank() ? "Bearer " + bearerToken
                : baseUrl.getUserInfo() != null ? "Basic " + Base64.getEncoder().encodeToString(baseUrl.getUserInfo().getBytes(StandardCharsets.UTF_8))
                : null;
        this.timeout = timeout;
        this.json = json;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Sends an instant query, evaluated now ({@code at} null) or at a given time. */
    public Pending start(String title, String promql, Instant at) {
        String parameters = "query=" + encode(promql) + "&timeout=" + Math.max(1, timeout.toMillis()) + "ms"
                + (at == null ? "" : "&time=" + at.getEpochSecond() + "." + String.format(Locale.ROOT, "%03d", at.getNano() / 1_000_000));
        return new Pending(title, send("/api/v1/query?" + parameters));
    }

    /** An instant query, awaited within the timeout. */
    public List<Sample> query(String title, String promql, Instant at) {
        Pending pending = start(title, promql, at);
        try {
            return pending.await(System.nanoTime() + timeout.toNanos());
        } finally {
            pending.cancel();
        }
    }

    /** The {@code data.groups} of {@code /api/v1/rules?type=alert}: every alerting rule Prometheus has loaded. */
    public JsonNode alertingRules() {
        String title = "rules";
        CompletableFuture<HttpResponse<String>> response = send("/api/v1/rules?type=alert");
        JsonNode data;
        try {
            data = success(title, await(response, System.nanoTime() + timeout.toNanos(), title));
        } finally {
            response.cancel(true);
        }
        JsonNode groups = data.path("groups");
        if (!groups.isArray()) {
            throw new IllegalStateException("Prometheus answered the rules request without a group list");
        }
        return groups;
    }

    private CompletableFuture<HttpResponse<String>> send(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + pathAndQuery))
                .timeout(timeout).header("Accept", "application/json").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> await(CompletableFuture<HttpResponse<String>> response, long deadline, String title) {
        try {
            return response.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw late(title);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while querying Prometheus", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw late(title);
            }
            // the class name only: some transport messages carry the address, and the address may carry credentials
            String kind = cause instanceof IOException ? "unreachable" : "failed";
            throw new IllegalStateException("Prometheus " + kind + " (" + cause.getClass().getSimpleName() + ")");
        }
    }

    private IllegalStateException late(String title) {
        return new IllegalStateException("Prometheus did not answer the " + title + " query within " + timeout.toMillis() + " ms");
    }

    /** The {@code data} of a successful answer, or a failure that says how Prometheus answered. */
    private JsonNode success(String title, HttpResponse<String> response) {
        JsonNode root;
        try {
            root = json.readTree(response.body());
        } catch (JacksonException e) {
            root = null;
        }
        if (root != null && "error".equals(text(root.path("status")))) {
            String error = text(root.path("error"));
            throw new IllegalStateException("Prometheus refused the " + title + " query (HTTP " + response.statusCode() + ", "
                    + orElse(text(root.path("errorType")), "no errorType") + (error == null ? "" : ": " + abbreviate(error)) + ")");
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Prometheus answered HTTP " + response.statusCode() + " to the " + title + " query");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalStateException("Prometheus answered the " + title + " query with something that is not JSON");
        }
        if (!"success".equals(text(root.path("status")))) {
            throw new IllegalStateException("Prometheus answered the " + title + " query with status '" + orElse(text(root.path("status")), "") + "'");
        }
        return root.path("data");
    }

    private List<Sample> vector(String title, HttpResponse<String> response) {
        JsonNode data = success(title, response);
        String type = text(data.path("resultType"));
        if (!"vector".equals(type)) {
            throw new IllegalStateException("Prometheus answered the " + title + " query with a " + orElse(type, "missing") + " result, not a vector");
        }
        JsonNode result = data.path("result");
        if (!result.isArray()) {
            throw new IllegalStateException("Prometheus answered the " + title + " query without a result list");
        }
        List<Sample> samples = new ArrayList<>(result.size());
        for (JsonNode sample : result) {
            Map<String, String> labels = new LinkedHashMap<>();
            sample.path("metric").properties().forEach(e -> {
                if (e.getValue().isString()) {
                    labels.put(e.getKey(), e.getValue().stringValue());
                }
            });
            samples.add(new Sample(labels, number(sample.path("value").path(1))));
        }
        return samples;
    }

    /** Prometheus sends sample values as strings, with Go's spellings of the special values. */
    static double number(JsonNode value) {
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
