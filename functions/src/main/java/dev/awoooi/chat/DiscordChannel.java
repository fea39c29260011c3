package dev.awoooi.chat;

import dev.awoooi.notify.Card;
import dev.awoooi.notify.CardRefs;
import dev.awoooi.notify.ChatChannel;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Cards to one Discord channel, posted by the bot: the text, and on an approval request Approve and Reject buttons whose
 * {@code custom_id} is only "approve" or "reject"; which request a press is about comes from the message it was pressed
 * on ({@link #MESSAGES}), who pressed from the interaction Discord signed.
 */
public final class DiscordChannel implements ChatChannel {
    static final String CARDS = "discord";
    static final String MESSAGES = "discord-message";
    static final String APPROVE = "approve";
    static final String REJECT = "reject";

    private final DiscordApi discord;
    private final String channel;
    private final CardRefs refs;
    private final ObjectMapper json;

    public DiscordChannel(DiscordApi discord, String channel, CardRefs refs, ObjectMapper json) {
        this.discord = discord;
        this.channel = channel;
        this.refs = refs;
        this.json = json;
    }

    @Override
    public void deliver(Card card) {
        String content = content(card.title(), card.text());
        if (card.opensRequest()) {
            // Discord renders <t:…:R> as a live countdown in each reader's client ("in 3 hours", "2 minutes ago")
            String text = card.text() + (card.expiresAt() == null ? "" : "\nCloses <t:" + card.expiresAt().getEpochSecond() + ":R>");
            String message = discord.createMessage(channel, content(card.title(), text), buttons(), null);
            refs.remember(MESSAGES, channel + ":" + message, new CardRefs.Ref(card.incidentId() + "|" + card.planHash(), "", ""));
            refs.remember(CARDS, card.incidentId(), new CardRefs.Ref(message, card.title(), text));
            return;
        }
        var request = card.incidentId() == null ? java.util.Optional.<CardRefs.Ref>empty() : refs.recall(CARDS, card.incidentId());
        if (card.updatesRequest()) {
            request.filter(r -> card.planHash() != null && refs.advance(CARDS, card.incidentId(), card.redrawStage())).ifPresent(r -> discord.editMessage(channel, r.handle(), content(r.title(), r.text()) + "\n\n" + card.text(), buttons()));
            return;
        }
        discord.createMessage(channel, content, null, request.map(CardRefs.Ref::handle).orElse(null));
        if (request.isPresent() && card.closesRequest() && refs.advance(CARDS, card.incidentId(), card.redrawStage())) {
            discord.editMessage(channel, request.get().handle(), content(request.get().title(), request.get().text()) + "\n\nNow: " + card.title(), null);
        }
    }

    static String content(String title, String text) {
        return "**" + title.replace("*", "\\*") + "**\n" + text;
    }

    ArrayNode buttons() {
        ArrayNode rows = json.createArrayNode();
        ArrayNode row = rows.addObject().put("type", 1).putArray("components");
        row.addObject().put("type", 2).put("style", 3).put("label", "Approve").put("custom_id", APPROVE);
        row.addObject().put("type", 2).put("style", 4).put("label", "Reject").put("custom_id", REJECT);
        return rows;
    }

    String channel() {
        return channel;
    }
}
