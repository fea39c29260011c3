package dev.awoooi.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.awoooi.chat.SlackSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slack, where no Slack can be reached: the three Web API methods AWOOOI calls ({@code chat.postMessage},
 * {@code chat.update}, {@code chat.postEphemeral}) as Slack answers them (HTTP 200 with {@code ok}, Slack's error
 * codes: {@code not_authed}, {@code invalid_auth}, {@code channel_not_found}, {@code message_not_found}), holding the
 * channel's messages as they would now read; and a person's click, sent to AWOOOI's interactivity URL as Slack sends it:
 * a form-encoded {@code payload} signed with the app's signing secret.
 */
public final class FakeSlack implements AutoCloseable {
    /** A message in the channel, as it reads now, and only-you messages. */
    public record Posted(String channel, String ts, String text, JsonNode blocks, String threadTs) {
    }

    public record Ephemeral(String channel, String user, String text) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final String botToken;
    private final String channel;
    private final List<Posted> messages = new CopyOnWriteArrayList<>();
    private final List<Ephemeral> ephemerals = new CopyOnWriteArrayList<>();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong clock = new AtomicLong(1_764_000_000_000L);

    private FakeSlack(String botToken, String channel) throws IOException {
        this.botToken = botToken;
        this.channel = channel;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::api);
        server.start();
    }

    public static FakeSlack start(String botToken, String channel) {
        try {
            return new FakeSlack(botToken, channel);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Slack fake", e);
        }
    }

    /** The Web API's base URL, as {@code https://slack.com/api}. */
    public String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    public String channel() {
        return channel;
    }

    public List<Posted> messages() {
        return List.copyOf(messages);
    }

    public List<Ephemeral> ephemerals() {
        return List.copyOf(ephemerals);
    }

    public long updates() {
        return updates.get();
    }

    private void api(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestURI().getPath().substring("/api/".length());
        byte[] body = exchange.getRequestBody().readAllBytes();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        ObjectNode answer = json.createObjectNode();
        if (auth == null) {
            answer.put("ok", false).put("error", "not_authed");
        } else if (!MessageDigest.isEqual(("Bearer " + botToken).getBytes(StandardCharsets.UTF_8), auth.getBytes(StandardCharsets.UTF_8))) {
            answer.put("ok", false).put("error", "invalid_auth");
        } else {
            JsonNode request = json.readTree(body);
            String to = request.path("channel").asText();
            if (!to.equals(channel)) {
                answer.put("ok", false).put("error", "channel_not_found");
            } else {
                switch (method) {
                    case "chat.postMessage" -> {
                        long now = clock.incrementAndGet();
                        String ts = (now / 1000) + "." + String.format("%06d", now % 1000);
                        String thread = request.path("thread_ts").asText(null);
                        if (thread != null && indexOf(thread) < 0) {
                            answer.put("ok", false).put("error", "thread_not_found");
                            break;
                        }
                        messages.add(new Posted(to, ts, request.path("text").asText(), request.path("blocks"), thread));
                        answer.put("ok", true).put("channel", to).put("ts", ts);
                    }
                    case "chat.update" -> {
                        String ts = request.path("ts").asText();
                        int index = indexOf(ts);
                        if (index < 0) {
                            answer.put("ok", false).put("error", "message_not_found");
                        } else {
                            messages.set(index, new Posted(to, ts, request.path("text").asText(), request.path("blocks"), messages.get(index).threadTs()));
                            updates.incrementAndGet();
                            answer.put("ok", true).put("channel", to).put("ts", ts);
                        }
                    }
                    case "chat.postEphemeral" -> {
                        ephemerals.add(new Ephemeral(to, request.path("user").asText(), request.path("text").asText()));
                        answer.put("ok", true).put("message_ts", Long.toString(clock.incrementAndGet()));
                    }
                    default -> answer.put("ok", false).put("error", "unknown_method");
                }
            }
        }
        byte[] out = json.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private int indexOf(String ts) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).ts().equals(ts)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What Slack POSTs to the interactivity URL when {@code team}/{@code user} clicks the button {@code actionId} on a
     * message: the body and its two signature headers, signed with {@code signingSecret} at {@code at}.
     */
    public Click click(byte[] signingSecret, Posted message, String team, String user, String actionId, Instant at) {
        JsonNode button = null;
        for (JsonNode block : message.blocks()) {
            for (JsonNode element : block.path("elements")) {
                if (actionId.equals(element.path("action_id").asText())) {
                    button = element;
                }
            }
        }
        if (button == null) {
            throw new IllegalArgumentException("the message has no " + actionId + " button");
        }
        ObjectNode payload = json.createObjectNode().put("type", "block_actions").put("api_app_id", "A0AWOOOI");
        payload.putObject("user").put("id", user).put("team_id", team).put("username", user.toLowerCase());
        payload.putObject("team").put("id", team);
        payload.putObject("container").put("type", "message").put("message_ts", message.ts()).put("channel_id", message.channel());
        payload.putObject("channel").put("id", message.channel());
        ObjectNode original = payload.putObject("message").put("ts", message.ts()).put("text", message.text());
        original.set("blocks", message.blocks());
        ObjectNode action = payload.putArray("actions").addObject().put("action_id", actionId).put("value", button.path("value").asText())
                .put("type", "button").put("action_ts", at.getEpochSecond() + ".000100");
        action.put("block_id", "decide");
        String body = "payload=" + URLEncoder.encode(json.valueToTree(payload).toString(), StandardCharsets.UTF_8);
        String timestamp = Long.toString(at.getEpochSecond());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Click(bytes, timestamp, SlackSignature.sign(signingSecret, timestamp, bytes));
    }

    /** One signed interactivity request. */
    public record Click(byte[] body, String timestamp, String signature) {
        public Map<String, String> headers() {
            return Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp", timestamp,
                    "X-Slack-Signature", signature);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
