package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Partial batch failures (ReportBatchItemFailures): each message succeeds or fails alone; failed ones come back
 * after the visibility timeout and go to the DLQ after maxReceiveCount. Logs ids and causes, never bodies.
 */
final class Batches {
    private static final Logger log = LoggerFactory.getLogger(Batches.class);

    private Batches() {
    }

    static SQSBatchResponse each(String function, SQSEvent event, Consumer<String> handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                handler.accept(message.getBody());
            } catch (RuntimeException e) {
                String attempt = message.getAttributes() == null ? "?" : message.getAttributes().getOrDefault("ApproximateReceiveCount", "?");
                log.error("{} failed on message {} (attempt {}): {}: {}", function, message.getMessageId(), attempt,
                        e.getClass().getSimpleName(), e.getMessage());
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
