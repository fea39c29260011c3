package dev.awoooi.notify;

/** Port: delivers a card to people. Throws when delivery failed, so the message is retried and dead-lettered. */
public interface ChatChannel {
    void deliver(Card card);
}
