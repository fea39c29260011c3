package dev.awoooi.chat;

import dev.awoooi.approval.ApprovalDesk;
import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Decision;
import dev.awoooi.approval.Identity;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.incident.Incident;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Slack's interactivity requests: a click on a card's Approve or Reject. It counts only when Slack's signature over the
 * raw body holds and the directory maps the clicker's (team, user) to a person this request asks; anyone else is told
 * so privately (an ephemeral message) and nothing changes. The card is then updated in place, for everyone in the
 * channel: who signed, and what is still needed. Slack wants an answer within 3 s: this does two DynamoDB reads, one
 * conditional write and two Slack calls.
 */
public final class SlackInteractions {

    /** What to answer Slack: a status and a short body. */
    public record Answer(int status, String body) {
    }

    private final Supplier<byte[]> signingSecret;
    private final ApprovalDesk desk;
    private final SlackApi slack;
    private final dev.awoooi.notify.CardRefs refs;
    private final AuditLog audit;
    private final Clock clock;
    private final ObjectMapper json;

    public SlackInteractions(Supplier<byte[]> signingSecret, ApprovalDesk desk, SlackApi slack, dev.awoooi.notify.CardRefs refs, AuditLog audit,
                             Clock clock, ObjectMapper json) {
        this.refs = refs;
        this.signingSecret = signingSecret;
        this.desk = desk;
        this.slack = slack;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    public Answer handle(byte[] rawBody, String timestamp, String signature) {
        byte[] secret;
        try {
            secret = signingSecret.get();
        } catch (IllegalStateException e) {
            return new Answer(404, "Slack is not connected to this deployment");
        }
        String forged = SlackSignature.refusal(secret, timestamp, signature, rawBody, clock.instant());
        if (forged != null) {
            audit.record("slack", "chat-refused", Map.of("reason", forged));
            return new Answer(401, forged);
        }
        String form = new String(rawBody, StandardCharsets.UTF_8);
        String payload = null;
        for (String pair : form.split("&")) {
            if (pair.startsWith("payload=")) {
                payload = URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8);
            }
        }
        JsonNode click;
        try {
            click = payload == null ? null : json.readTree(payload);
        } catch (RuntimeException e) {
            click = null;
        }
        if (click == null || !"block_actions".equals(click.path("type").asString()) || click.path("actions").isEmpty()) {
            return new Answer(400, "not a block_actions payload");
        }
        JsonNode action = click.path("actions").get(0);
        String actionId = action.path("action_id").asString();
        String[] value = action.path("value").asString("").split("\\|", 2);
        String team = click.path("user").path("team_id").asString(click.path("team").path("id").asString(""));
        String user = click.path("user").path("id").asString("");
        String channel = click.path("container").path("channel_id").asString(click.path("channel").path("id").asString(""));
        String ts = click.path("container").path("message_ts").asString("");
        if (value.length != 2 || !(SlackChannel.APPROVE.equals(actionId) || SlackChannel.REJECT.equals(actionId))) {
            return new Answer(400, "not an AWOOOI decision button");
        }
        Identity clicker;
        try {
            clicker = new Identity(Channel.SLACK, team + "/" + user);
        } catch (IllegalArgumentException e) {
            return new Answer(400, "no Slack team and user in the payload");
        }
        Decision decision = SlackChannel.APPROVE.equals(actionId) ? Decision.APPROVE : Decision.REJECT;
        switch (desk.decideAs(value[0], clicker, value[1], decision)) {
            case ApprovalDesk.Verdict.Refused refused -> slack.postEphemeral(channel, user, "Nothing was recorded: " + refused.reason());
            case ApprovalDesk.Verdict.Recorded recorded -> {
                slack.postEphemeral(channel, user, "Your " + decision.name().toLowerCase(Locale.ROOT) + " is recorded.");
                if (!ts.isEmpty() && refs.advance(SlackChannel.REF, value[0], dev.awoooi.notify.CardRefs.signed(recorded.incident().signatures().size()))) {
                    slack.update(channel, ts, click.path("message").path("text").asString("AWOOOI"),
                            updated(click.path("message").path("blocks"), recorded.incident()));
                }
            }
        }
        return new Answer(200, "");
    }

    /** The card's blocks with who has signed; the buttons stay only while the request still awaits signatures. */
    private ArrayNode updated(JsonNode original, Incident incident) {
        ArrayNode blocks = json.createArrayNode();
        boolean open = incident.status() == dev.awoooi.incident.IncidentStatus.AWAITING_APPROVAL;
        for (JsonNode block : original) {
            String type = block.path("type").asString();
            if (type.equals("context") || type.equals("actions") && !open) {
                continue;
            }
            blocks.add(block);
        }
        String status = dev.awoooi.notify.Cards.standing(incident);
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn").put("text", SlackChannel.escape(status));
        return blocks;
    }
}
