package dev.awoooi.notify;

import java.util.Optional;

/** Port: delivers a card to people. Throws when delivery failed, so the message is retried and dead-lettered. */
public interface ChatChannel {
    void deliver(Card card);

    /**
     * Why no card can reach anyone, if that is so (a deployment with no chat configured): the notifier then records
     * each card as undelivered instead of pretending it went out. Empty for a channel that delivers.
     */
    default Optional<String> nowhere() {
        return Optional.empty();
    }

    /** The channel of a deployment that configured none: it says so, and takes no card. */
    static ChatChannel none(String why) {
        return new ChatChannel() {
            @Override
            public void deliver(Card card) {
                throw new IllegalStateException(why);
            }

            @Override
            public Optional<String> nowhere() {
                return Optional.of(why);
            }
        };
    }
}
