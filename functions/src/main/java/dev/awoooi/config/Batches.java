package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Partial batch failures (ReportBatchItemFailures): each message succeeds or fails alone; failed ones come back
 * after the visibility timeout and go to the DLQ after maxReceiveCount. A batch stops taking messages once less than
 * the longest one may take is left before the invocation's deadline, and reports the rest as failures too: Lambda
 * would otherwise kill the invocation mid-message and fail the whole batch, re-running what had succeeded. Logs ids
 * and causes, never bodies.
 */
final class Batches {
    private static final Logger log = LoggerFactory.getLogger(Batches.class);

    /** When a batch must be done, and how long its slowest message may take. */
    record Deadline(Clock clock, Instant at, Duration longestMessage) {
        static Deadline of(Clock clock, Duration timeout, Duration longestMessage) {
            return new Deadline(clock, clock.instant().plus(timeout), longestMessage);
        }

        boolean roomFor() {
            return !clock.instant().plus(longestMessage).isAfter(at);
        }
    }

    private Batches() {
    }

    static SQSBatchResponse each(String function, SQSEvent event, Deadline deadline, Consumer<String> handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int deferred = 0;
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            // The first message is always taken: left for redelivery it would meet the same deadline again.
            if (message != event.getRecords().getFirst() && !deadline.roomFor()) {
                deferred++;
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
                continue;
            }
            try {
                handler.accept(message.getBody());
            } catch (RuntimeException e) {
                String attempt = message.getAttributes() == null ? "?" : message.getAttributes().getOrDefault("ApproximateReceiveCount", "?");
                log.error("{} failed on message {} (attempt {}): {}: {}", function, message.getMessageId(), attempt,
                        e.getClass().getSimpleName(), e.getMessage());
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        if (deferred > 0) {
            log.warn("{} left {} of {} messages for redelivery: too little time before its deadline", function, deferred,
                    event.getRecords().size());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
