package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

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
                failures.add(failure(message));
                continue;
            }
            try {
                handler.accept(message.getBody());
            } catch (RuntimeException e) {
                failed(function, message, e, failures);
            }
        }
        if (deferred > 0) {
            log.warn("{} left {} of {} messages for redelivery: too little time before its deadline", function, deferred,
                    event.getRecords().size());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * As {@link #each}, with the batch's messages of one key handled together (one incident's alerts share their
     * reads and writes). If a group fails, each of its messages is tried alone, so one bad message fails alone; the
     * handler must be safe to redo for messages a failed group had half done.
     */
    static <T> SQSBatchResponse together(String function, SQSEvent event, Deadline deadline, Function<String, T> parse,
                                         Function<T, String> key, Consumer<List<T>> handler) {
        Map<String, List<T>> groups = new LinkedHashMap<>();
        Map<T, SQSEvent.SQSMessage> messageOf = new IdentityHashMap<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                T work = parse.apply(message.getBody());
                messageOf.put(work, message);
                groups.computeIfAbsent(key.apply(work), k -> new ArrayList<>()).add(work);
            } catch (RuntimeException e) {
                failed(function, message, e, failures);
            }
        }
        int deferred = 0;
        boolean first = true;
        for (List<T> group : groups.values()) {
            if (!first && !deadline.roomFor()) {
                deferred += group.size();
                group.forEach(work -> failures.add(failure(messageOf.get(work))));
                continue;
            }
            first = false;
            try {
                handler.accept(group);
                continue;
            } catch (RuntimeException e) {
                if (group.size() == 1) {
                    failed(function, messageOf.get(group.getFirst()), e, failures);
                    continue;
                }
                log.warn("{} failed on {} messages together ({}); trying each alone", function, group.size(), e.getClass().getSimpleName());
            }
            for (T work : group) {
                if (!deadline.roomFor()) {
                    deferred++;
                    failures.add(failure(messageOf.get(work)));
                    continue;
                }
                try {
                    handler.accept(List.of(work));
                } catch (RuntimeException e) {
                    failed(function, messageOf.get(work), e, failures);
                }
            }
        }
        if (deferred > 0) {
            log.warn("{} left {} of {} messages for redelivery: too little time before its deadline", function, deferred,
                    event.getRecords().size());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private static void failed(String function, SQSEvent.SQSMessage message, RuntimeException e, List<SQSBatchResponse.BatchItemFailure> failures) {
        String attempt = message.getAttributes() == null ? "?" : message.getAttributes().getOrDefault("ApproximateReceiveCount", "?");
        log.error("{} failed on message {} (attempt {}): {}: {}", function, message.getMessageId(), attempt,
                e.getClass().getSimpleName(), e.getMessage());
        failures.add(failure(message));
    }

    private static SQSBatchResponse.BatchItemFailure failure(SQSEvent.SQSMessage message) {
        return SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build();
    }

    /**
     * A stream batch, in order: the first record that fails, or that no longer fits before the deadline, is reported
     * and nothing after it is tried, since Lambda redelivers from that record on (later records of the same item must
     * not overtake it). The handler gets each record's old and new image, string and number attributes only.
     */
    static StreamsEventResponse inOrder(String function, DynamodbEvent event, Deadline deadline,
                                        BiConsumer<Map<String, String>, Map<String, String>> handler) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        for (DynamodbEvent.DynamodbStreamRecord record : records) {
            String sequence = record.getDynamodb().getSequenceNumber();
            if (record != records.getFirst() && !deadline.roomFor()) {
                log.warn("{} left the records from {} on for redelivery: too little time before its deadline", function, sequence);
                return failedFrom(sequence);
            }
            try {
                handler.accept(strings(record.getDynamodb().getOldImage()), strings(record.getDynamodb().getNewImage()));
            } catch (RuntimeException e) {
                log.error("{} failed on stream record {}: {}: {}", function, sequence, e.getClass().getSimpleName(), e.getMessage());
                return failedFrom(sequence);
            }
        }
        return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
    }

    private static StreamsEventResponse failedFrom(String sequenceNumber) {
        return StreamsEventResponse.builder().withBatchItemFailures(List.of(
                StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequenceNumber).build())).build();
    }

    private static Map<String, String> strings(Map<String, AttributeValue> image) {
        if (image == null) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        image.forEach((name, value) -> {
            if (value.getS() != null) {
                out.put(name, value.getS());
            } else if (value.getN() != null) {
                out.put(name, value.getN());
            }
        });
        return out;
    }
}
