package dev.awoooi.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A person pressing a button on an incident's card in the local Slack, Telegram or Discord: the fake platform builds
 * the request exactly as the platform would (signed by Slack's signing secret, carrying Telegram's secret token,
 * Ed25519-signed as Discord's application) and delivers it to the stack's own interaction route, as the platform's
 * servers do. Behind {@code POST /local/chat/press} (the local bearer token), for the tracer bullet and a person trying
 * the demo; the product's routes see nothing they would not see in production.
 */
final class ChatPresses {
    private final LocalStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ChatPresses(LocalStack stack) {
        this.stack = stack;
    }

    /**
     * @param platform slack, telegram or discord
     * @param user     the platform's id of who presses: {@code T0AWOOOI/U0ALICE} on Slack, the numeric user id elsewhere
     * @param action   approve or reject
     * @return the route's status, and what the platform showed the presser privately
     */
    Map<String, Object> press(String platform, String incidentId, String user, String action) throws IOException, InterruptedException {
        Map<String, Object> answer = new LinkedHashMap<>();
        switch (platform) {
            case "slack" -> {
                var card = stack.slack().messages().stream().filter(m -> m.blocks().toString().contains("\"" + incidentId + "|")).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no Slack card for " + incidentId));
                String[] who = user.split("/", 2);
                if (who.length != 2) {
                    throw new IllegalArgumentException("a Slack user is team/user, e.g. T0AWOOOI/U0ALICE");
                }
                var click = stack.slack().click(stack.slackSigningSecret(), card, who[0], who[1], action, Instant.now());
                answer.put("status", deliver("/chat/slack/interactions", click.body(), click.headers()));
                stack.slack().ephemerals().stream().filter(e -> e.user().equals(who[1])).reduce((a, b) -> b)
                        .ifPresent(e -> answer.put("private", e.text()));
            }
            case "telegram" -> {
                var card = stack.telegram().messages().stream().filter(m -> m.text().contains(incidentId) && m.keyboard() != null
                        && !m.keyboard().isEmpty()).findFirst().orElseThrow(() -> new IllegalArgumentException("no open Telegram card for " + incidentId));
                var press = stack.telegram().press(card, Long.parseLong(user), action);
                answer.put("status", deliver("/chat/telegram/webhook", press.body(), Map.of("Content-Type", "application/json",
                        "X-Telegram-Bot-Api-Secret-Token", stack.telegramWebhookSecret())));
                answer.put("private", stack.telegram().toasts().get(press.queryId()));
            }
            case "discord" -> {
                var card = stack.discord().messages().stream().filter(m -> m.content().contains(incidentId) && m.components() != null
                        && !m.components().isEmpty()).findFirst().orElseThrow(() -> new IllegalArgumentException("no open Discord card for " + incidentId));
                var interaction = stack.discord().press(card, user, action, Instant.now());
                var response = send("/chat/discord/interactions", interaction.body(), interaction.headers());
                answer.put("status", response.statusCode());
                answer.put("private", response.body());
            }
            default -> throw new IllegalArgumentException("platform is slack, telegram or discord");
        }
        return answer;
    }

    private int deliver(String path, byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        return send(path, body, headers).statusCode();
    }

    private HttpResponse<String> send(String path, byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
