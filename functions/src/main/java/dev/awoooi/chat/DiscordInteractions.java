package dev.awoooi.chat;

import dev.awoooi.approval.ApprovalDesk;
import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Decision;
import dev.awoooi.approval.Identity;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.notify.CardRefs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Discord's interactions endpoint: every request Ed25519-signed by the application ({@link DiscordSignature}); 401 for
 * any other, which Discord checks on purpose. PING answers PONG. A button press counts only on a card AWOOOI posted to
 * its channel, from a user id the directory holds as someone the request asks: the card is then updated in the same
 * answer (type 7); anyone else gets an ephemeral refusal (type 4, flag 64) and nothing changes.
 */
public final class DiscordInteractions {

    public record Answer(int status, String body) {
    }

    private final Supplier<PublicKey> publicKey;
    private final ApprovalDesk desk;
    private final DiscordChannel channel;
    private final CardRefs refs;
    private final AuditLog audit;
    private final Clock clock;
    private final ObjectMapper json;

    public DiscordInteractions(Supplier<PublicKey> publicKey, ApprovalDesk desk, DiscordChannel channel, CardRefs refs, AuditLog audit,
                               Clock clock, ObjectMapper json) {
        this.publicKey = publicKey;
        this.desk = desk;
        this.channel = channel;
        this.refs = refs;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    public Answer handle(byte[] body, String timestamp, String signature) {
        PublicKey key;
        try {
            key = publicKey.get();
        } catch (IllegalStateException e) {
            return new Answer(404, "Discord is not connected to this deployment");
        }
        String forged = DiscordSignature.refusal(key, timestamp, signature, body, clock.instant());
        if (forged != null) {
            audit.record("discord", "chat-refused", Map.of("reason", forged));
            return new Answer(401, "invalid request signature");
        }
        JsonNode interaction;
        try {
            interaction = json.readTree(body);
        } catch (RuntimeException e) {
            return new Answer(400, "not an interaction");
        }
        int type = interaction.path("type").asInt(0);
        if (type == 1) {
            return new Answer(200, "{\"type\":1}");
        }
        if (type != 3) {
            return new Answer(400, "AWOOOI answers only PING and button presses");
        }
        String user = interaction.path("member").path("user").path("id").asString(interaction.path("user").path("id").asString(""));
        String customId = interaction.path("data").path("custom_id").asString("");
        String channelId = interaction.path("channel_id").asString("");
        String messageId = interaction.path("message").path("id").asString("");
        var ref = channelId.equals(channel.channel()) ? refs.recall(DiscordChannel.MESSAGES, channelId + ":" + messageId)
                : java.util.Optional.<CardRefs.Ref>empty();
        if (ref.isEmpty() || !(DiscordChannel.APPROVE.equals(customId) || DiscordChannel.REJECT.equals(customId))) {
            return ephemeral("Nothing was recorded: this is not an AWOOOI approval card.");
        }
        Identity presser;
        try {
            presser = new Identity(Channel.DISCORD, user);
        } catch (IllegalArgumentException e) {
            return new Answer(400, "no Discord user in the interaction");
        }
        String[] decided = ref.get().handle().split("\\|", 2);
        Decision decision = DiscordChannel.APPROVE.equals(customId) ? Decision.APPROVE : Decision.REJECT;
        return switch (desk.decideAs(decided[0], presser, decided[1], decision)) {
            case ApprovalDesk.Verdict.Refused refused -> ephemeral("Nothing was recorded: " + refused.reason());
            case ApprovalDesk.Verdict.Recorded recorded -> {
                if (!refs.advance(DiscordChannel.CARDS, decided[0], CardRefs.signed(recorded.incident().signatures().size()))) {
                    // the card already shows a later state (the grant, say): it is not drawn back
                    yield ephemeral("Your " + decision.name().toLowerCase(Locale.ROOT) + " is recorded.");
                }
                var card = refs.recall(DiscordChannel.CARDS, decided[0]);
                ObjectNode answer = json.createObjectNode().put("type", 7);
                String content = card.map(c -> DiscordChannel.content(c.title(), c.text())).orElse("AWOOOI")
                        + "\n\n" + dev.awoooi.notify.Cards.standing(recorded.incident());
                answer.set("data", DiscordApi.message(json, content, recorded.incident().status() == dev.awoooi.incident.IncidentStatus.AWAITING_APPROVAL ? channel.buttons() : null));
                yield new Answer(200, json.writeValueAsString(answer));
            }
        };
    }

    private Answer ephemeral(String text) {
        ObjectNode answer = json.createObjectNode().put("type", 4);
        answer.putObject("data").put("content", text).put("flags", 64).putObject("allowed_mentions").putArray("parse");
        return new Answer(200, json.writeValueAsString(answer));
    }

}
