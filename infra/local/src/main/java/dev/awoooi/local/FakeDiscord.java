package dev.awoooi.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Discord, where no Discord can be reached: the bot's two REST calls (create and edit a channel message) answered as
 * Discord answers them (401 for another token, 404 "Unknown Channel" / "Unknown Message"), holding the channel as it
 * reads now; and an application with its own Ed25519 key pair whose interactions (PING, a button press) are signed
 * over timestamp and body exactly as Discord signs them.
 */
public final class FakeDiscord implements AutoCloseable {

    public record Posted(String id, String content, JsonNode components, String replyTo) {
    }

    /** One signed interaction as Discord posts it. */
    public record Interaction(byte[] body, String timestamp, String signature) {
        public Map<String, String> headers() {
            return Map.of("Content-Type", "application/json", "X-Signature-Timestamp", timestamp, "X-Signature-Ed25519", signature);
        }
    }

    private static final Pattern MESSAGES = Pattern.compile("/api/v10/channels/([0-9]+)/messages(?:/([0-9]+))?");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final String botToken;
    private final String channel;
    private final KeyPair application;
    private final List<Posted> messages = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1_300_000_000_000_000_000L);

    private FakeDiscord(String botToken, String channel) throws IOException, GeneralSecurityException {
        this.botToken = botToken;
        this.channel = channel;
        this.application = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::api);
        server.start();
    }

    public static FakeDiscord start(String botToken, String channel) {
        try {
            return new FakeDiscord(botToken, channel);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the Discord fake", e);
        }
    }

    public String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v10";
    }

    public String channel() {
        return channel;
    }

    String botToken() {
        return botToken;
    }

    /** The application's public key, hex, as the Developer Portal shows it. */
    public String publicKey() {
        byte[] encoded = application.getPublic().getEncoded();
        return HexFormat.of().formatHex(encoded, encoded.length - 32, encoded.length);
    }

    public List<Posted> messages() {
        return List.copyOf(messages);
    }

    private void api(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
        Matcher path = MESSAGES.matcher(exchange.getRequestURI().getPath());
        ObjectNode answer = json.createObjectNode();
        int status;
        if (auth == null || !MessageDigest.isEqual(("Bot " + botToken).getBytes(StandardCharsets.UTF_8), auth.getBytes(StandardCharsets.UTF_8))) {
            status = 401;
            answer.put("message", "401: Unauthorized").put("code", 0);
        } else if (!path.matches() || !path.group(1).equals(channel)) {
            status = 404;
            answer.put("message", "Unknown Channel").put("code", 10003);
        } else if (path.group(2) == null && exchange.getRequestMethod().equals("POST")) {
            String id = Long.toString(ids.incrementAndGet());
            JsonNode reply = request.path("message_reference").path("message_id");
            messages.add(new Posted(id, request.path("content").asText(), request.path("components"), reply.isMissingNode() ? null : reply.asText()));
            status = 200;
            answer.put("id", id).put("channel_id", channel);
        } else if (path.group(2) != null && exchange.getRequestMethod().equals("PATCH") && indexOf(path.group(2)) >= 0) {
            int index = indexOf(path.group(2));
            messages.set(index, new Posted(path.group(2), request.path("content").asText(), request.path("components"), messages.get(index).replyTo()));
            status = 200;
            answer.put("id", path.group(2)).put("channel_id", channel);
        } else {
            status = 404;
            answer.put("message", "Unknown Message").put("code", 10008);
        }
        byte[] out = json.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private int indexOf(String id) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Discord's endpoint check: a PING, signed. */
    public Interaction ping(Instant at) {
        return sign("{\"type\":1,\"id\":\"1\",\"application_id\":\"1\",\"token\":\"t\",\"version\":1}", at);
    }

    /** User {@code user} pressing the button {@code customId} on {@code message}, in a guild channel. */
    public Interaction press(Posted message, String user, String customId, Instant at) {
        ObjectNode interaction = json.createObjectNode().put("type", 3).put("id", Long.toString(ids.incrementAndGet()))
                .put("application_id", "1").put("token", "interaction-token").put("version", 1).put("channel_id", channel)
                .put("guild_id", "1");
        interaction.putObject("member").putObject("user").put("id", user).put("username", "user" + user);
        interaction.putObject("message").put("id", message.id()).put("content", message.content());
        interaction.putObject("data").put("custom_id", customId).put("component_type", 2);
        return sign(interaction.toString(), at);
    }

    private Interaction sign(String body, Instant at) {
        try {
            String timestamp = Long.toString(at.getEpochSecond());
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(application.getPrivate());
            ed25519.update(timestamp.getBytes(StandardCharsets.UTF_8));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ed25519.update(bytes);
            return new Interaction(bytes, timestamp, HexFormat.of().formatHex(ed25519.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
