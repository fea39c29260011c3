package dev.awoooi.chat;

import dev.awoooi.notify.Card;
import dev.awoooi.notify.CardRefs;
import dev.awoooi.notify.ChatChannel;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;


/**
 * Cards to one Telegram chat (a group the bot is in): plain text, no link previews, and on an approval request an
 * inline keyboard with Approve and Reject. The buttons' {@code callback_data} is only "approve" or "reject": a client can
 * send anything there, so which request a press is about comes from the message it was pressed on, looked up here
 * ({@link #MESSAGES}), and who pressed from Telegram's {@code from.id}.
 */
public final class TelegramChannel implements ChatChannel {
    static final String CARDS = "telegram";
    /** A message id → the incident and plan hash its buttons decide. */
    static final String MESSAGES = "telegram-message";
    static final String APPROVE = "approve";
    static final String REJECT = "reject";

    private final TelegramApi telegram;
    private final String chat;
    private final CardRefs refs;
    private final ObjectMapper json;

    public TelegramChannel(TelegramApi telegram, String chat, CardRefs refs, ObjectMapper json) {
        this.telegram = telegram;
        this.chat = chat;
        this.refs = refs;
        this.json = json;
    }

    @Override
    public void deliver(Card card) {
        String text = card.title() + "\n\n" + card.text();
        if (card.opensRequest()) {
            long message = telegram.sendMessage(chat, text, keyboard(), null);
            refs.remember(MESSAGES, chat + ":" + message, new CardRefs.Ref(card.incidentId() + "|" + card.planHash(), "", ""));
            refs.remember(CARDS, card.incidentId(), new CardRefs.Ref(Long.toString(message), card.title(), card.text()));
            return;
        }
        var request = card.incidentId() == null ? java.util.Optional.<CardRefs.Ref>empty() : refs.recall(CARDS, card.incidentId());
        if (card.updatesRequest()) {
            request.filter(r -> card.planHash() != null && refs.advance(CARDS, card.incidentId(), card.redrawStage())).ifPresent(r -> telegram.editMessageText(chat, Long.parseLong(r.handle()), r.title() + "\n\n" + r.text() + "\n\n" + card.text(), keyboard()));
            return;
        }
        if (request.isEmpty()) {
            telegram.sendMessage(chat, text, null, null);
            return;
        }
        long original = Long.parseLong(request.get().handle());
        telegram.sendMessage(chat, text, null, original);
        if (!card.closesRequest() || !refs.advance(CARDS, card.incidentId(), card.redrawStage())) {
            return; // a reminder while signatures are still wanted (the buttons stay), or a card already showing a later state
        }
        telegram.editMessageText(chat, original, request.get().title() + "\n\n" + request.get().text() + "\n\nNow: " + card.title(), null);
    }

    ArrayNode keyboard() {
        ArrayNode rows = json.createArrayNode();
        ArrayNode row = rows.addArray();
        row.addObject().put("text", "Approve").put("callback_data", APPROVE);
        row.addObject().put("text", "Reject").put("callback_data", REJECT);
        return rows;
    }

    String chat() {
        return chat;
    }

}
