package dev.awoooi.llm;

import dev.awoooi.analysis.ModelFailure;
import dev.awoooi.privacy.PrivacyShield;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one way a request reaches a model provider, and the Privacy Shield's chokepoint: the exact bytes about to be
 * sent are scanned, as they are and with every JSON string unescaped, and any detection refuses the call before a
 * connection is opened. Failures come back in AWOOOI's words (a status, a timeout), never with the provider's text.
 */
public final class ModelWire {
    private final HttpClient http;
    private final Duration timeout;
    private final PrivacyShield shield;
    private final ObjectMapper json;

    public ModelWire(HttpClient http, Duration timeout, PrivacyShield shield, ObjectMapper json) {
        this.http = http;
        this.timeout = timeout;
        this.shield = shield;
        this.json = json;
    }

    public ObjectMapper json() {
        return json;
    }

    /** Sends the body if the shield finds nothing in it, and returns the provider's JSON answer. */
    public JsonNode post(URI uri, Map<String, String> headers, byte[] body) {
        refuseLeaks(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::setHeader);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw ModelFailure.unavailable("no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw ModelFailure.unavailable("unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ModelFailure.unavailable("interrupted while waiting");
        }
        int status = response.statusCode();
        if (status == 429) {
            throw ModelFailure.unavailable("throttled, HTTP 429");
        }
        if (status >= 500) {
            throw ModelFailure.unavailable("HTTP " + status);
        }
        if (status < 200 || status > 299) {
            throw ModelFailure.unavailable("HTTP " + status + ": the provider refused the request");
        }
        try {
            return json.readTree(response.body());
        } catch (JacksonException e) {
            throw ModelFailure.invalid("the provider's response is not JSON");
        }
    }

    /** Fail closed: anything the shield detects in what would be sent stops the call. */
    void refuseLeaks(byte[] body) {
        String raw = new String(body, StandardCharsets.UTF_8);
        TreeSet<String> found = new TreeSet<>(shield.detectedTypes(raw));
        try {
            List<String> strings = new ArrayList<>();
            strings(json.readTree(raw), strings);
            for (String text : strings) {
                found.addAll(shield.detectedTypes(text));
            }
        } catch (JacksonException e) {
            throw new IllegalStateException("a model request body that is not JSON", e);
        }
        if (!found.isEmpty()) {
            throw ModelFailure.leak(List.copyOf(found));
        }
    }

    private static void strings(JsonNode node, List<String> out) {
        if (node.isString()) {
            out.add(node.asString());
        }
        for (JsonNode child : node) {
            strings(child, out);
        }
    }
}
