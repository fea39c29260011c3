package dev.awoooi.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Telegram, where no Telegram can be reached: the Bot API methods AWOOOI calls ({@code sendMessage},
 * {@code editMessageText}, {@code answerCallbackQuery}) at {@code /bot<token>/<method>}, answering as the Bot API
 * does ({@code ok}, {@code description}: 401 for another token, "chat not found", "message is not modified",
 * "query is too old" for a press answered twice), holding the chat as it reads now; and a person's button press as
 * Telegram delivers it to the webhook, with the secret token header.
 */
public final class FakeTelegram implements AutoCloseable {

    public record Sent(long messageId, String text, JsonNode keyboard, Long replyTo) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final String botToken;
    private final String chat;
    private final List<Sent> messages = new CopyOnWriteArrayList<>();
    private final Map<String, String> toasts = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(100);
    private final AtomicLong updates = new AtomicLong(500_000);

    private FakeTelegram(String botToken, String chat) throws IOException {
        this.botToken = botToken;
        this.chat = chat;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::api);
        server.start();
    }

    public static FakeTelegram start(String botToken, String chat) {
        try {
            return new FakeTelegram(botToken, chat);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Telegram fake", e);
        }
    }

    /** The Bot API's base URL, as {@code https://api.telegram.org}. */
    public String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String chat() {
        return chat;
    }

    String botToken() {
        return botToken;
    }

    public List<Sent> messages() {
        return List.copyOf(messages);
    }

    /** The toast each press was answered with, by callback query id. */
    public Map<String, String> toasts() {
        return Map.copyOf(toasts);
    }

    private void api(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
        ObjectNode answer = json.createObjectNode();
        int status = 200;
        String prefix = "/bot" + botToken + "/";
        if (!path.startsWith(prefix)) {
            status = 401;
            answer.put("ok", false).put("error_code", 401).put("description", "Unauthorized");
        } else {
            String method = path.substring(prefix.length());
            switch (method) {
                case "sendMessage" -> {
                    if (!chat.equals(request.path("chat_id").asText())) {
                        status = 400;
                        answer.put("ok", false).put("error_code", 400).put("description", "Bad Request: chat not found");
                    } else {
                        long id = ids.incrementAndGet();
                        JsonNode reply = request.path("reply_parameters").path("message_id");
                        messages.add(new Sent(id, request.path("text").asText(), request.path("reply_markup").path("inline_keyboard"),
                                reply.isMissingNode() ? null : reply.asLong()));
                        answer.put("ok", true).putObject("result").put("message_id", id).putObject("chat").put("id", chat);
                    }
                }
                case "editMessageText" -> {
                    long id = request.path("message_id").asLong();
                    int index = indexOf(id);
                    if (index < 0) {
                        status = 400;
                        answer.put("ok", false).put("error_code", 400).put("description", "Bad Request: message to edit not found");
                    } else if (messages.get(index).text().equals(request.path("text").asText())
                            && messages.get(index).keyboard().equals(request.path("reply_markup").path("inline_keyboard"))) {
                        status = 400;
                        answer.put("ok", false).put("error_code", 400).put("description", "Bad Request: message is not modified");
                    } else {
                        messages.set(index, new Sent(id, request.path("text").asText(), request.path("reply_markup").path("inline_keyboard"),
                                messages.get(index).replyTo()));
                        answer.put("ok", true).putObject("result").put("message_id", id);
                    }
                }
                case "answerCallbackQuery" -> {
                    String query = request.path("callback_query_id").asText();
                    if (toasts.putIfAbsent(query, request.path("text").asText()) != null) {
                        status = 400;
                        answer.put("ok", false).put("error_code", 400)
                                .put("description", "Bad Request: query is too old and response timeout expired or query ID is invalid");
                    } else {
                        answer.put("ok", true).put("result", true);
                    }
                }
                default -> {
                    status = 404;
                    answer.put("ok", false).put("error_code", 404).put("description", "Not Found");
                }
            }
        }
        byte[] out = json.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private int indexOf(long id) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).messageId() == id) {
                return i;
            }
        }
        return -1;
    }

    /** The update Telegram posts when user {@code from} presses the button with {@code data} on {@code message}. */
    public Press press(Sent message, long from, String data) {
        long updateId = updates.incrementAndGet();
        ObjectNode update = json.createObjectNode().put("update_id", updateId);
        ObjectNode query = update.putObject("callback_query").put("id", "cq" + updateId).put("data", data).put("chat_instance", "-42");
        query.putObject("from").put("id", from).put("is_bot", false).put("first_name", "User" + from);
        ObjectNode msg = query.putObject("message").put("message_id", message.messageId()).put("date", 1_764_000_000L).put("text", message.text());
        msg.putObject("chat").put("id", Long.parseLong(chat)).put("type", "supergroup");
        return new Press("cq" + updateId, json.valueToTree(update).toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One update as posted to the webhook, and the callback query it answers to. */
    public record Press(String queryId, byte[] body) {
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
