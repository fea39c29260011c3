package dev.awoooi.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Polls each SQS event source the way Lambda's event source mapping does: a batch in, one invocation, then
 * every message deleted except the reported failures. What is not deleted comes back after the queue's
 * visibility timeout, and the queue's redrive policy moves it to the DLQ after maxReceiveCount receives.
 */
public final class SqsEventSources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqsEventSources.class);
    private static final int WAIT_SECONDS = 1;
    /** SQS hands out (and deletes) at most 10 messages per call; a message is at most 256 KiB; Lambda's payload at most 6 MB. */
    private static final int RECEIVE_LIMIT = 10;
    private static final long MAX_MESSAGE_BYTES = 256 * 1024, PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
    /** How long a gathering batch waits between reads: a few reads per window, not one per message. */
    private static final long GATHER_PAUSE_MS = 100;

    /**
     * One queue feeding one function.
     *
     * @param batchingWindow how long a batch gathers messages before it is delivered unfilled
     * @param concurrency    pollers, each delivering one batch at a time, as Lambda runs that many batches at once
     */
    public record Subscription(String functionLogicalId, String queueUrl, String queueArn, int batchSize, Duration batchingWindow,
                               boolean reportsBatchItemFailures, int concurrency) {
    }

    private final SqsClient sqs;
    private final Functions functions;
    private final String region;
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean running = true;
    /** Every body delivered to a function, newest last: lets tests prove what crossed the queues (bounded). */
    private final java.util.concurrent.ConcurrentLinkedDeque<String> delivered = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static final int DELIVERED_KEPT = 10_000;
    private final java.util.concurrent.atomic.AtomicInteger deliveredCount = new java.util.concurrent.atomic.AtomicInteger();

    /** Marks a copy made by the redelivery chaos, so it is not copied again. */
    static final String CHAOS_COPY = "awoooi-chaos-copy";
    private final boolean chaos;
    private final java.util.concurrent.atomic.AtomicLong copies = new java.util.concurrent.atomic.AtomicLong();

    private SqsEventSources(SqsClient sqs, Functions functions, String region, boolean chaos) {
        this.sqs = sqs;
        this.functions = functions;
        this.region = region;
        this.chaos = chaos;
    }

    long copies() {
        return copies.get();
    }

    List<String> delivered() {
        return List.copyOf(delivered);
    }

    /** @param chaos every message delivered once more later, batches shuffled (see LocalStack.Options#withRedeliveryChaos) */
    public static SqsEventSources start(List<Subscription> subscriptions, SqsClient sqs, Functions functions, String region, boolean chaos) {
        SqsEventSources sources = new SqsEventSources(sqs, functions, region, chaos);
        for (Subscription subscription : subscriptions) {
            for (int i = 1; i <= Math.max(1, subscription.concurrency()); i++) {
                Thread poller = Thread.ofPlatform().daemon()
                        .name("sqs-" + subscription.functionLogicalId() + "-" + i)
                        .start(() -> sources.poll(subscription));
                sources.pollers.add(poller);
            }
        }
        log.info("polling {} SQS event sources", subscriptions.size());
        return sources;
    }

    private void poll(Subscription subscription) {
        while (running) {
            try {
                List<Message> messages = receive(subscription, subscription.batchSize(), WAIT_SECONDS);
                if (!messages.isEmpty() && running) {
                    deliver(subscription, gathered(subscription, messages));
                }
            } catch (AbortedException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("polling {} for {} failed; retrying", subscription.queueUrl(), subscription.functionLogicalId(), e);
                pause();
            }
        }
    }

    /**
     * As Lambda's poller does with a batching window: once a message is in hand, it goes on reading until the batch is
     * full, the window has passed since the first read, or one more read could take the batch past Lambda's 6 MB
     * payload limit.
     */
    private List<Message> gathered(Subscription subscription, List<Message> first) throws InterruptedException {
        if (subscription.batchingWindow().isZero() || first.size() >= subscription.batchSize()) {
            return first;
        }
        List<Message> batch = new ArrayList<>(first);
        long bytes = first.stream().mapToLong(m -> m.body().length()).sum();
        long until = System.nanoTime() + subscription.batchingWindow().toNanos();
        while (batch.size() < subscription.batchSize() && running && bytes + RECEIVE_LIMIT * MAX_MESSAGE_BYTES <= PAYLOAD_LIMIT_BYTES) {
            long left = (until - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            Thread.sleep(Math.min(GATHER_PAUSE_MS, left));
            List<Message> more = receive(subscription, subscription.batchSize() - batch.size(), 0);
            batch.addAll(more);
            bytes += more.stream().mapToLong(m -> m.body().length()).sum();
        }
        return batch;
    }

    /** At most {@code wanted} messages (and SQS's 10), with every attribute, as Lambda's poller reads them. */
    private List<Message> receive(Subscription subscription, int wanted, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(subscription.queueUrl()).maxNumberOfMessages(Math.min(RECEIVE_LIMIT, wanted))
                .waitTimeSeconds(waitSeconds).messageSystemAttributeNamesWithStrings("All").messageAttributeNames("All")).messages();
    }

    /** Lambda's batch semantics; see "Reporting batch item failures" in the Lambda developer guide. */
    private void deliver(Subscription subscription, List<Message> messages) {
        if (chaos) {
            messages = new ArrayList<>(messages);
            java.util.Collections.shuffle(messages);
            for (Message message : messages) {
                if (!message.messageAttributes().containsKey(CHAOS_COPY)) {
                    // the same body again, 0-3 s later: after messages sent since, and maybe while this one is handled
                    sqs.sendMessage(b -> b.queueUrl(subscription.queueUrl()).messageBody(message.body())
                            .delaySeconds(java.util.concurrent.ThreadLocalRandom.current().nextInt(4))
                            .messageAttributes(Map.of(CHAOS_COPY, MessageAttributeValue.builder().dataType("String").stringValue("1").build())));
                    copies.incrementAndGet();
                }
            }
        }
        Set<String> failed;
        try {
            Object output = functions.invoke(subscription.functionLogicalId(), event(subscription, messages));
            failed = subscription.reportsBatchItemFailures() ? failures(output, messages) : Set.of();
        } catch (RuntimeException e) {
            log.error("{} failed on a batch of {} messages from {}; they return after the visibility timeout",
                    subscription.functionLogicalId(), messages.size(), subscription.queueArn(), e);
            return;
        }
        if (!failed.isEmpty()) {
            log.warn("{} reported {} of {} messages from {} as failed; they return after the visibility timeout",
                    subscription.functionLogicalId(), failed.size(), messages.size(), subscription.queueArn());
        }
        List<DeleteMessageBatchRequestEntry> done = messages.stream()
                .filter(m -> !failed.contains(m.messageId()))
                .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build())
                .toList();
        for (int from = 0; from < done.size(); from += RECEIVE_LIMIT) {
            List<DeleteMessageBatchRequestEntry> part = done.subList(from, Math.min(done.size(), from + RECEIVE_LIMIT));
            DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(subscription.queueUrl()).entries(part));
            deleted.failed().forEach(f -> log.error("could not delete message {} from {}: {}",
                    f.id(), subscription.queueArn(), f.message()));
        }
    }

    /**
     * The message ids to keep. An output that is not a batch response, or that names a message not in the
     * batch, fails the whole batch, as Lambda does.
     */
    private Set<String> failures(Object output, List<Message> messages) {
        Set<String> all = new HashSet<>(messages.stream().map(Message::messageId).toList());
        List<String> reported = new ArrayList<>();
        switch (output) {
            case null -> {
            }
            case SQSBatchResponse response when response.getBatchItemFailures() != null ->
                    response.getBatchItemFailures().forEach(f -> reported.add(f.getItemIdentifier()));
            case SQSBatchResponse ignored -> {
            }
            case Map<?, ?> map when map.get("batchItemFailures") instanceof List<?> failures ->
                    failures.forEach(f -> reported.add(f instanceof Map<?, ?> m ? (String) m.get("itemIdentifier") : null));
            case Map<?, ?> ignored -> {
            }
            default -> {
                log.error("a function returned {} instead of an SQSBatchResponse; the whole batch fails", output.getClass().getName());
                return all;
            }
        }
        for (String id : reported) {
            if (id == null || !all.contains(id)) {
                log.error("a batch item failure names message '{}', which is not in the batch; the whole batch fails", id);
                return all;
            }
        }
        return Set.copyOf(reported);
    }

    private SQSEvent event(Subscription subscription, List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : messages) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            delivered.addLast(message.body());
            if (deliveredCount.incrementAndGet() > DELIVERED_KEPT && delivered.pollFirst() != null) {
                deliveredCount.decrementAndGet(); // counted, not size(): a deque's size() walks all of it
            }
            record.setMd5OfBody(message.md5OfBody());
            record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
            record.setAttributes(new HashMap<>(message.attributesAsStrings()));
            Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
            message.messageAttributes().forEach((name, value) -> attributes.put(name, attribute(value)));
            record.setMessageAttributes(attributes);
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(subscription.queueArn());
            record.setAwsRegion(region);
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(value.dataType());
        attribute.setStringValue(value.stringValue());
        if (value.binaryValue() != null) {
            attribute.setBinaryValue(value.binaryValue().asByteBuffer());
        }
        return attribute;
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets each poller finish its current batch; a poller still busy after the grace period is interrupted. */
    @Override
    public void close() {
        running = false;
        for (Thread poller : pollers) {
            try {
                poller.join((WAIT_SECONDS + 4) * 1000L);
                if (poller.isAlive()) {
                    poller.interrupt();
                    poller.join(2000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
