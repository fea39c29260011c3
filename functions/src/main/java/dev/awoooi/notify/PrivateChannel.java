package dev.awoooi.notify;

import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Identity;

/**
 * Port: a message for one person only (a direct message, an e-mail), for what must never reach a shared channel: a
 * personal approval link. Throws when delivery failed, so the message is retried and dead-lettered.
 */
public interface PrivateChannel {

    /** The channel whose identities this one reaches. */
    Channel channel();

    void send(Identity to, PersonalMessage message);

    /** What one person is sent: a subject, the text, and their own link. */
    record PersonalMessage(String subject, String text, String link) {
        /** Never the link: it signs as its owner. */
        @Override
        public String toString() {
            return "PersonalMessage[" + subject + "]";
        }
    }
}
