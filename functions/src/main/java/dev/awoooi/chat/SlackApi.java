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
 * The few Slack Web API methods AWOOOI uses, over {@code java.net.http} with the bot token (scope {@code chat:write}):
 * post a card, update it in place, tell one person something only they see. Slack answers HTTP 200 with
 * {@code "ok": false} for its errors; those throw with Slack's error code (never the token).
 */
public final class SlackApi {
    private final Supplier<HttpClient> http;
    private final URI base;
    private final Supplier<String> botToken;
    private final ObjectMapper json;

    /** @param http the client, asked for on each call (it may be built on the first) */
    public SlackApi(Supplier<HttpClient> http, URI base, Supplier<String> botToken, ObjectMapper json) {
        this.http = http;
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.botToken = botToken;
        this.json = json;
    }

    /** Posts a message; returns its {@code ts}, the handle for updating it. Link previews off: no bot fetches a link. */
    public String postMessage(String channel, String text, ArrayNode blocks) {
        return postMessage(channel, text, blocks, null);
    }

    /** As {@link #postMessage(String, String, ArrayNode)}, as a reply in the thread of {@code threadTs}. */
    public String postMessage(String channel, String text, ArrayNode blocks, String threadTs) {
        ObjectNode body = json.createObjectNode().put("channel", channel).put("text", text)
                .put("unfurl_links", false).put("unfurl_media", false);
        if (threadTs != null) {
            body.put("thread_ts", threadTs);
        }
        body.set("blocks", blocks);
        return call("chat.postMessage", body).path("ts").asString();
    }

    public void update(String channel, String ts, String text, ArrayNode blocks) {
        ObjectNode body = json.createObjectNode().put("channel", channel).put("ts", ts).put("text", text);
        body.set("blocks", blocks);
        call("chat.update", body);
    }

    /** A message only {@code user} sees, in {@code channel}. */
    public void postEphemeral(String channel, String user, String text) {
        call("chat.postEphemeral", json.createObjectNode().put("channel", channel).put("user", user).put("text", text));
    }

    private JsonNode call(String method, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(method)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", "Bearer " + botToken.get())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        HttpResponse<String> response;
        try {
            response = http.get().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Slack " + method + " got no answer (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling Slack " + method, e);
        }
        if (response.statusCode() == 429) {
            throw new IllegalStateException("Slack " + method + " rate-limited (Retry-After "
                    + response.headers().firstValue("Retry-After").orElse("?") + " s)");
        }
        JsonNode answer = response.statusCode() == 200 ? json.readTree(response.body()) : json.createObjectNode();
        if (!answer.path("ok").asBoolean(false)) {
            throw new IllegalStateException("Slack " + method + " failed: HTTP " + response.statusCode() + " "
                    + answer.path("error").asString("no error code"));
        }
        return answer;
    }
}
