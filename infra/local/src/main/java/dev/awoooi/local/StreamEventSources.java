package dev.awoooi.local;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Reads each DynamoDB stream event source the way Lambda's event source mapping does: per shard, in order, a batch
 * per invocation; with ReportBatchItemFailures the batch is retried from the first reported record (the records
 * before it are done), otherwise from its start; after MaximumRetryAttempts the batch is described on the OnFailure
 * queue (Lambda's invocation record, naming the shard and sequence numbers) and the shard moves on. With
 * BisectBatchOnFunctionError a failing batch is split in two, each half retried on its own, so a record at fault is
 * given up alone rather than with the records behind it. Child shards are read once their parent is done. Not done
 * here: parallelization factors.
 */
public final class StreamEventSources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamEventSources.class);
    /** Lambda polls a stream's shards about four times a second. */
    private static final long IDLE_MILLIS = 250;
    private static final long SHARD_REFRESH_MILLIS = 2000;

    /** One stream feeding one function. */
    public record Subscription(String functionLogicalId, String tableName, String startingPosition, int batchSize,
                               boolean reportsBatchItemFailures, int maximumRetryAttempts, boolean bisect, String onFailureQueueUrl) {
    }

    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;
    private final Functions functions;
    private final String region;
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean running = true;

    private final boolean chaos;
    private final java.util.concurrent.atomic.AtomicLong repeats = new java.util.concurrent.atomic.AtomicLong();

    private StreamEventSources(DynamoDbClient dynamo, DynamoDbStreamsClient streams, SqsClient sqs, Functions functions, String region,
                               boolean chaos) {
        this.chaos = chaos;
        this.dynamo = dynamo;
        this.streams = streams;
        this.sqs = sqs;
        this.functions = functions;
        this.region = region;
    }

    long repeats() {
        return repeats.get();
    }

    /** @param chaos every batch handed over twice, as a retried invocation would (see LocalStack.Options#withRedeliveryChaos) */
    public static StreamEventSources start(List<Subscription> subscriptions, DynamoDbClient dynamo, DynamoDbStreamsClient streams,
                                           SqsClient sqs, Functions functions, String region, boolean chaos) {
        StreamEventSources sources = new StreamEventSources(dynamo, streams, sqs, functions, region, chaos);
        for (Subscription subscription : subscriptions) {
            String streamArn = dynamo.describeTable(b -> b.tableName(subscription.tableName())).table().latestStreamArn();
            if (streamArn == null) {
                throw new IllegalStateException(subscription.functionLogicalId() + " reads the stream of " + subscription.tableName()
                        + ", which has none: the table needs a StreamSpecification");
            }
            sources.readers.add(Thread.ofPlatform().daemon().name("stream-" + subscription.functionLogicalId())
                    .start(() -> sources.read(subscription, streamArn)));
        }
        if (!subscriptions.isEmpty()) {
            log.info("reading {} DynamoDB stream event sources", subscriptions.size());
        }
        return sources;
    }

    private void read(Subscription subscription, String streamArn) {
        Map<String, String> iterators = new LinkedHashMap<>();
        /** The last record of each shard that was delivered (or given up): a lost iterator resumes after it. */
        Map<String, String> checkpoints = new HashMap<>();
        Set<String> done = new HashSet<>();
        Set<String> known = new HashSet<>();
        long refreshed = 0;
        boolean first = true;
        while (running) {
            try {
                if (System.currentTimeMillis() - refreshed > SHARD_REFRESH_MILLIS) {
                    refreshed = System.currentTimeMillis();
                    for (Shard shard : shards(streamArn)) {
                        boolean parentDone = shard.parentShardId() == null || done.contains(shard.parentShardId())
                                || !known.contains(shard.parentShardId()) && first;
                        if (!known.contains(shard.shardId()) && parentDone) {
                            known.add(shard.shardId());
                            // the starting position holds for the shards there at the start; later ones are read whole
                            ShardIteratorType type = first ? ShardIteratorType.fromValue(subscription.startingPosition())
                                    : ShardIteratorType.TRIM_HORIZON;
                            iterators.put(shard.shardId(), streams.getShardIterator(b -> b.streamArn(streamArn)
                                    .shardId(shard.shardId()).shardIteratorType(type)).shardIterator());
                        }
                    }
                    first = false;
                }
                boolean any = false;
                for (var entry : List.copyOf(iterators.entrySet())) {
                    String shardId = entry.getKey();
                    GetRecordsResponse page;
                    try {
                        page = streams.getRecords(b -> b.shardIterator(entry.getValue()).limit(subscription.batchSize()));
                    } catch (TrimmedDataAccessException | ExpiredIteratorException e) {
                        // DynamoDB Local trims an iterator taken on a shard with no records yet; any iterator expires
                        // after 15 minutes: take a new one after what was delivered, or from the oldest record.
                        String after = checkpoints.get(shardId);
                        iterators.put(shardId, streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                                .shardIteratorType(after == null ? ShardIteratorType.TRIM_HORIZON : ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                .sequenceNumber(after)).shardIterator());
                        continue;
                    }
                    if (!page.records().isEmpty()) {
                        any = true;
                        deliver(subscription, streamArn, shardId, page.records());
                        if (chaos) {
                            deliver(subscription, streamArn, shardId, page.records());
                            repeats.incrementAndGet();
                        }
                        checkpoints.put(shardId, page.records().getLast().dynamodb().sequenceNumber());
                    }
                    if (page.nextShardIterator() == null) {
                        iterators.remove(entry.getKey());
                        done.add(entry.getKey());
                    } else {
                        iterators.put(entry.getKey(), page.nextShardIterator());
                    }
                }
                if (!any) {
                    Thread.sleep(IDLE_MILLIS);
                }
            } catch (AbortedException | InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("reading the stream of {} for {} failed; retrying", subscription.tableName(), subscription.functionLogicalId(), e);
                pause(1000);
                refreshed = 0;
            }
        }
    }

    private List<Shard> shards(String streamArn) {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            var description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from)).streamDescription();
            shards.addAll(description.shards());
            start = description.lastEvaluatedShardId();
        } while (start != null);
        return shards;
    }

    /** One batch until it is done or given up: the shard does not move past it before. */
    private void deliver(Subscription subscription, String streamArn, String shardId, List<Record> records) throws InterruptedException {
        List<Record> pending = records;
        for (int retries = 0; running; retries++) {
            int failedFrom;
            try {
                Object output = functions.invoke(subscription.functionLogicalId(), event(streamArn, pending));
                failedFrom = subscription.reportsBatchItemFailures() ? failedFrom(output, pending) : -1;
            } catch (RuntimeException e) {
                log.error("{} failed on a batch of {} stream records of {}", subscription.functionLogicalId(), pending.size(),
                        subscription.tableName(), e);
                failedFrom = 0;
            }
            if (failedFrom < 0) {
                return;
            }
            pending = pending.subList(failedFrom, pending.size());
            if (subscription.bisect() && pending.size() > 1) {
                int half = pending.size() / 2;
                deliver(subscription, streamArn, shardId, pending.subList(0, half));
                deliver(subscription, streamArn, shardId, pending.subList(half, pending.size()));
                return;
            }
            if (subscription.maximumRetryAttempts() >= 0 && retries >= subscription.maximumRetryAttempts()) {
                giveUp(subscription, streamArn, shardId, pending);
                return;
            }
            log.warn("{}: {} stream records of {} from {} are retried", subscription.functionLogicalId(), pending.size(),
                    subscription.tableName(), pending.getFirst().dynamodb().sequenceNumber());
            Thread.sleep(Math.min(5000, 200L * (retries + 1)));
        }
    }

    /** The index of the first record to retry, or -1 when the batch is done; an answer that names no record of it fails it whole. */
    private static int failedFrom(Object output, List<Record> records) {
        List<String> reported = new ArrayList<>();
        switch (output) {
            case null -> {
            }
            case StreamsEventResponse response when response.getBatchItemFailures() != null ->
                    response.getBatchItemFailures().forEach(f -> reported.add(f.getItemIdentifier()));
            case StreamsEventResponse ignored -> {
            }
            case Map<?, ?> map when map.get("batchItemFailures") instanceof List<?> failures ->
                    failures.forEach(f -> reported.add(f instanceof Map<?, ?> m ? (String) m.get("itemIdentifier") : null));
            default -> {
                return 0;
            }
        }
        int first = -1;
        for (String sequence : reported) {
            int index = indexOf(records, sequence);
            if (index < 0) {
                log.error("a batch item failure names stream record '{}', which is not in the batch; the whole batch fails", sequence);
                return 0;
            }
            first = first < 0 ? index : Math.min(first, index);
        }
        return first;
    }

    private static int indexOf(List<Record> records, String sequenceNumber) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).dynamodb().sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    /** Lambda's invocation record for an OnFailure destination of a stream source. */
    private void giveUp(Subscription subscription, String streamArn, String shardId, List<Record> records) {
        String first = records.getFirst().dynamodb().sequenceNumber();
        String last = records.getLast().dynamodb().sequenceNumber();
        log.error("{} gave up on {} stream records of {} ({} to {})", subscription.functionLogicalId(), records.size(),
                subscription.tableName(), first, last);
        if (subscription.onFailureQueueUrl() == null) {
            return;
        }
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("shardId", shardId);
        batch.put("startSequenceNumber", first);
        batch.put("endSequenceNumber", last);
        batch.put("approximateArrivalOfFirstRecord", String.valueOf(records.getFirst().dynamodb().approximateCreationDateTime()));
        batch.put("approximateArrivalOfLastRecord", String.valueOf(records.getLast().dynamodb().approximateCreationDateTime()));
        batch.put("batchSize", records.size());
        batch.put("streamArn", streamArn);
        Map<String, Object> invocation = new LinkedHashMap<>();
        invocation.put("requestContext", Map.of("requestId", UUID.randomUUID().toString(), "functionArn", subscription.functionLogicalId(),
                "condition", "RetryAttemptsExhausted", "approximateInvokeCount", subscription.maximumRetryAttempts() + 1));
        invocation.put("version", "1.0");
        invocation.put("timestamp", Instant.now().toString());
        invocation.put("DDBStreamBatchInfo", batch);
        sqs.sendMessage(b -> b.queueUrl(subscription.onFailureQueueUrl()).messageBody(Json.write(invocation)));
    }

    private DynamodbEvent event(String streamArn, List<Record> records) {
        List<DynamodbEvent.DynamodbStreamRecord> converted = new ArrayList<>();
        for (Record record : records) {
            var source = record.dynamodb();
            StreamRecord stream = new StreamRecord()
                    .withKeys(attributes(source.keys()))
                    .withNewImage(source.hasNewImage() ? attributes(source.newImage()) : null)
                    .withOldImage(source.hasOldImage() ? attributes(source.oldImage()) : null)
                    .withSequenceNumber(source.sequenceNumber())
                    .withSizeBytes(source.sizeBytes())
                    .withStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.fromValue(source.streamViewTypeAsString()));
            if (source.approximateCreationDateTime() != null) {
                stream.setApproximateCreationDateTime(java.util.Date.from(source.approximateCreationDateTime()));
            }
            DynamodbEvent.DynamodbStreamRecord one = new DynamodbEvent.DynamodbStreamRecord();
            one.setEventSourceARN(streamArn);
            one.setEventID(record.eventID());
            one.setEventName(record.eventNameAsString());
            one.setEventVersion(record.eventVersion());
            one.setEventSource("aws:dynamodb");
            one.setAwsRegion(region);
            one.setDynamodb(stream);
            converted.add(one);
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(converted);
        return event;
    }

    private static Map<String, AttributeValue> attributes(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values) {
        Map<String, AttributeValue> out = new HashMap<>();
        values.forEach((name, value) -> out.put(name, attribute(value)));
        return out;
    }

    private static AttributeValue attribute(software.amazon.awssdk.services.dynamodb.model.AttributeValue value) {
        AttributeValue out = new AttributeValue();
        switch (value.type()) {
            case S -> out.setS(value.s());
            case N -> out.setN(value.n());
            case B -> out.setB(value.b().asByteBuffer());
            case BOOL -> out.setBOOL(value.bool());
            case NUL -> out.setNULL(true);
            case SS -> out.setSS(value.ss());
            case NS -> out.setNS(value.ns());
            case BS -> out.setBS(value.bs().stream().map(b -> (ByteBuffer) b.asByteBuffer()).toList());
            case M -> out.setM(attributes(value.m()));
            case L -> out.setL(value.l().stream().map(StreamEventSources::attribute).toList());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("an attribute of a type this SDK does not know");
        }
        return out;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread reader : readers) {
            try {
                reader.join(3000);
                if (reader.isAlive()) {
                    reader.interrupt();
                    reader.join(2000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
