package dev.awoooi.reconcile;

import java.util.List;

/** Port: the dead-letter queues, looked into without taking anything out (a person redrives them). */
public interface DeadLetters {
    /** One message that was given up: its queue's id, and the incident it was about if it names one. */
    record Letter(String messageId, String incidentId) {
    }

    /** A dead-letter queue now: its name and ARN, about how many messages wait in it, and some of them. */
    record Queue(String name, String arn, int waiting, List<Letter> sample) {
    }

    /** Every dead-letter queue that holds messages, each with up to {@code sample} of them. */
    List<Queue> look(int sample);
}
