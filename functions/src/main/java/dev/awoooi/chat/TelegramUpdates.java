package dev.awoooi.chat;

import dev.awoooi.approval.ApprovalDesk;
import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Decision;
import dev.awoooi.approval.Identity;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.notify.CardRefs;
import dev.awoooi.reconcile.Sightings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Telegram's webhook: updates, each carrying the secret set with {@code setWebhook} in
 * {@code X-Telegram-Bot-Api-Secret-Token} (Telegram signs no body: that header, compared in constant time, is the whole
 * proof). A button press counts only on a card AWOOOI sent to its chat, from a {@code from.id} the directory holds as
 * someone the request asks; the presser alone is told the result. Telegram redelivers an update it thinks was lost:
 * each {@code update_id} is acted on once.
 */
public final class TelegramUpdates {

    public record Answer(int status, String body) {
    }

    private final Supplier<byte[]> webhookSecret;
    private final ApprovalDesk desk;
    private final TelegramApi telegram;
    private final TelegramChannel channel;
    private final CardRefs refs;
    private final Sightings seen;
    private final AuditLog audit;
    private final ObjectMapper json;

    public TelegramUpdates(Supplier<byte[]> webhookSecret, ApprovalDesk desk, TelegramApi telegram, TelegramChannel channel, CardRefs refs,
                           Sightings seen, AuditLog audit, ObjectMapper json) {
        this.webhookSecret = webhookSecret;
        this.desk = desk;
        this.telegram = telegram;
        this.channel = channel;
        this.refs = refs;
        this.seen = seen;
        this.audit = audit;
        this.json = json;
    }

    public Answer handle(byte[] body, String secretHeader) {
        byte[] secret;
        try {
            secret = webhookSecret.get();
        } catch (IllegalStateException e) {
            return new Answer(404, "Telegram is not connected to this deployment");
        }
        if (secretHeader == null || !MessageDigest.isEqual(secret, secretHeader.getBytes(StandardCharsets.UTF_8))) {
            audit.record("telegram", "chat-refused", Map.of("reason", secretHeader == null ? "no secret token" : "wrong secret token"));
            return new Answer(401, "missing or wrong X-Telegram-Bot-Api-Secret-Token");
        }
        JsonNode update;
        try {
            update = json.readTree(body);
        } catch (RuntimeException e) {
            return new Answer(400, "not a Telegram update");
        }
        if (!update.path("update_id").isNumber()) {
            return new Answer(400, "not a Telegram update");
        }
        JsonNode press = update.path("callback_query");
        if (press.isMissingNode() || !seen.first("telegram-update#" + update.path("update_id").asLong())) {
            return new Answer(200, ""); // not a press, or a press already acted on
        }
        String queryId = press.path("id").asString("");
        String chat = press.path("message").path("chat").path("id").asString("");
        long message = press.path("message").path("message_id").asLong(0);
        String data = press.path("data").asString("");
        var ref = chat.equals(channel.chat()) ? refs.recall(TelegramChannel.MESSAGES, chat + ":" + message) : java.util.Optional.<CardRefs.Ref>empty();
        if (ref.isEmpty() || !(TelegramChannel.APPROVE.equals(data) || TelegramChannel.REJECT.equals(data))) {
            telegram.answerCallbackQuery(queryId, "Nothing was recorded: this is not an AWOOOI approval card.");
            return new Answer(200, "");
        }
        String[] decided = ref.get().handle().split("\\|", 2);
        Identity presser;
        try {
            presser = new Identity(Channel.TELEGRAM, press.path("from").path("id").asString(""));
        } catch (IllegalArgumentException e) {
            return new Answer(400, "no Telegram user in the update");
        }
        Decision decision = TelegramChannel.APPROVE.equals(data) ? Decision.APPROVE : Decision.REJECT;
        switch (desk.decideAs(decided[0], presser, decided[1], decision)) {
            case ApprovalDesk.Verdict.Refused refused -> telegram.answerCallbackQuery(queryId, "Nothing was recorded: " + refused.reason());
            case ApprovalDesk.Verdict.Recorded recorded -> {
                telegram.answerCallbackQuery(queryId, "Your " + decision.name().toLowerCase(Locale.ROOT) + " is recorded.");
                var card = refs.recall(TelegramChannel.CARDS, decided[0]);
                if (card.isPresent() && refs.advance(TelegramChannel.CARDS, decided[0], CardRefs.signed(recorded.incident().signatures().size()))) {
                    telegram.editMessageText(chat, message, card.get().title() + "\n\n" + card.get().text() + "\n\n"
                            + dev.awoooi.notify.Cards.standing(recorded.incident()), recorded.incident().status() == dev.awoooi.incident.IncidentStatus.AWAITING_APPROVAL ? channel.keyboard() : null);
                }
            }
        }
        return new Answer(200, "");
    }
}
