package dev.awoooi.chat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The two Discord REST calls AWOOOI makes as its bot ({@code Authorization: Bot …}): create a message in a channel, edit
 * it. Mentions are never parsed ({@code allowed_mentions.parse = []}): alert text cannot ping anyone.
 */
public final class DiscordApi {
    private final Supplier<HttpClient> http;
    private final String base;
    private final Supplier<String> botToken;
    private final ObjectMapper json;

    /** @param http the client, asked for on each call (it may be built on the first) */
    public DiscordApi(Supplier<HttpClient> http, URI base, Supplier<String> botToken, ObjectMapper json) {
        this.http = http;
        this.base = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
        this.botToken = botToken;
        this.json = json;
    }

    /** Creates a message; returns its id. {@code replyTo} may be null. */
    public String createMessage(String channel, String content, ArrayNode components, String replyTo) {
        ObjectNode body = message(json, content, components);
        if (replyTo != null) {
            body.putObject("message_reference").put("message_id", replyTo).put("fail_if_not_exists", false);
        }
        return call("POST", "/channels/" + channel + "/messages", body).path("id").asString();
    }

    public void editMessage(String channel, String messageId, String content, ArrayNode components) {
        call("PATCH", "/channels/" + channel + "/messages/" + messageId, message(json, content, components));
    }

    /** A message body: the content, the buttons (none: an empty list, which removes them), no mentions. */
    static ObjectNode message(ObjectMapper json, String content, ArrayNode components) {
        ObjectNode body = json.createObjectNode().put("content", content.length() <= 2000 ? content : content.substring(0, 1999) + "…");
        body.set("components", components == null ? json.createArrayNode() : components);
        body.putObject("allowed_mentions").putArray("parse");
        return body;
    }

    private JsonNode call(String method, String path, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bot " + botToken.get())
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        HttpResponse<String> response;
        try {
            response = http.get().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Discord " + method + " got no answer (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling Discord", e);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (RuntimeException e) {
            answer = json.createObjectNode();
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Discord " + method + " failed: HTTP " + response.statusCode() + " "
                    + answer.path("code").asString("") + " " + answer.path("message").asString(""));
        }
        return answer;
    }
}
