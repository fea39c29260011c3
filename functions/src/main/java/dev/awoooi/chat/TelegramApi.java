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
 * The Telegram Bot API methods AWOOOI uses, over {@code java.net.http}: send a card with an inline keyboard, edit it in
 * place, answer a button press (a toast only the presser sees). The bot token is part of the URL, so no URL is ever
 * logged or put in an error; Telegram's {@code description} is.
 */
public final class TelegramApi {
    private final Supplier<HttpClient> http;
    private final String base;
    private final Supplier<String> botToken;
    private final ObjectMapper json;

    /** @param http the client, asked for on each call (it may be built on the first) */
    public TelegramApi(Supplier<HttpClient> http, URI base, Supplier<String> botToken, ObjectMapper json) {
        this.http = http;
        this.base = base.toString().endsWith("/") ? base.toString() : base + "/";
        this.botToken = botToken;
        this.json = json;
    }

    /** Sends a message (link previews off); returns its message id. {@code keyboard} may be null. */
    public long sendMessage(String chatId, String text, ArrayNode keyboard, Long replyTo) {
        ObjectNode body = json.createObjectNode().put("chat_id", chatId).put("text", limit(text));
        body.putObject("link_preview_options").put("is_disabled", true);
        if (keyboard != null) {
            body.putObject("reply_markup").set("inline_keyboard", keyboard);
        }
        if (replyTo != null) {
            body.putObject("reply_parameters").put("message_id", replyTo).put("allow_sending_without_reply", true);
        }
        return call("sendMessage", body).path("result").path("message_id").asLong();
    }

    /** Replaces a message's text; with {@code keyboard} null its buttons go. */
    public void editMessageText(String chatId, long messageId, String text, ArrayNode keyboard) {
        ObjectNode body = json.createObjectNode().put("chat_id", chatId).put("message_id", messageId).put("text", limit(text));
        body.putObject("link_preview_options").put("is_disabled", true);
        body.putObject("reply_markup").set("inline_keyboard", keyboard == null ? json.createArrayNode() : keyboard);
        try {
            call("editMessageText", body);
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).contains("message is not modified")) {
                throw e;
            }
        }
    }

    /** The toast only the presser sees; must come within seconds of the press. */
    public void answerCallbackQuery(String callbackQueryId, String text) {
        call("answerCallbackQuery", json.createObjectNode().put("callback_query_id", callbackQueryId)
                .put("text", text.length() <= 200 ? text : text.substring(0, 199) + "…").put("show_alert", true));
    }

    private JsonNode call(String method, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "bot" + botToken.get() + "/" + method)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        HttpResponse<String> response;
        try {
            response = http.get().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Telegram " + method + " got no answer (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling Telegram " + method, e);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (RuntimeException e) {
            answer = json.createObjectNode();
        }
        if (!answer.path("ok").asBoolean(false)) {
            throw new IllegalStateException("Telegram " + method + " failed: HTTP " + response.statusCode() + " "
                    + answer.path("description").asString("no description"));
        }
        return answer;
    }

    private static String limit(String text) {
        return text.length() <= 4096 ? text : text.substring(0, 4095) + "…";
    }
}
