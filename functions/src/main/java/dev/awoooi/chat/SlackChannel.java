package dev.awoooi.chat;

import dev.awoooi.notify.Card;
import dev.awoooi.notify.CardRefs;
import dev.awoooi.notify.ChatChannel;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cards to one Slack channel as Block Kit: the title, the text, and on an approval request Approve and Reject buttons
 * that carry the incident and the plan hash (so a stale card cannot sign a changed plan) and never a personal link.
 * Who clicked is proven by Slack's signed request and looked up in the directory ({@code SlackInteractions}).
 */
public final class SlackChannel implements ChatChannel {
    static final String APPROVE = "approve";
    static final String REJECT = "reject";

    private final SlackApi slack;
    private final String channel;
    private final CardRefs refs;
    private final ObjectMapper json;

    public SlackChannel(SlackApi slack, String channel, CardRefs refs, ObjectMapper json) {
        this.slack = slack;
        this.channel = channel;
        this.refs = refs;
        this.json = json;
    }

    /**
     * An approval request is posted and its handle kept. Whatever follows for that incident is a reply in its thread;
     * once nobody can sign any more (the grant, a rejection, the expiry, a void, the execution's result, the alert
     * resolving) the request's card itself is redrawn in place with where things stand and without its buttons.
     */
    @Override
    public void deliver(Card card) {
        if (card.opensRequest()) {
            String ts = slack.postMessage(channel, escape(card.title()), blocks(card, null));
            refs.remember(REF, card.incidentId(), new CardRefs.Ref(ts, card.title(), card.text()));
            return;
        }
        var request = card.incidentId() == null ? java.util.Optional.<CardRefs.Ref>empty() : refs.recall(REF, card.incidentId());
        if (card.updatesRequest()) {
            // a signature from elsewhere (a link, the page, another channel): the card says so and keeps its buttons
            request.filter(r -> card.planHash() != null && refs.advance(REF, card.incidentId(), card.redrawStage())).ifPresent(r -> slack.update(channel, r.handle(), escape(r.title()), blocks(new Card("Approval Requested", card.incidentId(),
                    r.title(), r.text(), java.util.List.of(), card.planHash()), null, card.text())));
            return;
        }
        if (request.isEmpty()) {
            slack.postMessage(channel, escape(card.title()), blocks(card, null));
            return;
        }
        slack.postMessage(channel, escape(card.title()), blocks(card, null), request.get().handle());
        if (!card.closesRequest() || !refs.advance(REF, card.incidentId(), card.redrawStage())) {
            return; // a reminder while signatures are still wanted (the buttons stay), or a card already showing a later state
        }
        Card original = new Card("Approval Requested", card.incidentId(), request.get().title(), request.get().text(), java.util.List.of());
        slack.update(channel, request.get().handle(), escape(request.get().title()), blocks(original, "Now: " + card.title()));
    }

    static final String REF = "slack";

    /** The card's blocks; {@code status}, when given, replaces the buttons (a decision made, a request closed). */
    ArrayNode blocks(Card card, String status) {
        return blocks(card, status, null);
    }

    /** As {@link #blocks(Card, String)}, with {@code standing} (who has signed) under the buttons, which stay. */
    ArrayNode blocks(Card card, String status, String standing) {
        ArrayNode blocks = json.createArrayNode();
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", limit(card.title(), 150));
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", limit(escape(card.text()), 3000));
        if (status != null) {
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn").put("text", limit(escape(status), 3000));
        } else if (card.planHash() != null && card.incidentId() != null) {
            String value = card.incidentId() + "|" + card.planHash();
            ArrayNode buttons = blocks.addObject().put("type", "actions").put("block_id", "decide:" + card.incidentId()).putArray("elements");
            button(buttons, "Approve", APPROVE, value, "primary");
            button(buttons, "Reject", REJECT, value, "danger");
            if (standing != null) {
                blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn").put("text", limit(escape(standing), 3000));
            }
        }
        return blocks;
    }

    private static void button(ArrayNode buttons, String label, String action, String value, String style) {
        ObjectNode button = buttons.addObject().put("type", "button").put("action_id", action).put("value", value).put("style", style);
        button.putObject("text").put("type", "plain_text").put("text", label);
        ObjectNode confirm = button.putObject("confirm");
        confirm.putObject("title").put("type", "plain_text").put("text", label + "?");
        confirm.putObject("text").put("type", "plain_text").put("text", "You sign as yourself; your Slack identity is recorded.");
        confirm.putObject("confirm").put("type", "plain_text").put("text", label);
        confirm.putObject("deny").put("type", "plain_text").put("text", "Cancel");
    }

    /** Slack's mrkdwn control characters: alert text cannot make a mention or a link. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String limit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
