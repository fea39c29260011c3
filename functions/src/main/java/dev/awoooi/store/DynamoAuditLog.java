package dev.awoooi.store;

import dev.awoooi.audit.AuditEntry;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.audit.AuditTrail;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

/**
 * The audit table: one item per record, keyed by subject and its number in the subject's hash chain. Writers hold
 * PutItem alone, and every put is conditioned on its key being new, so nothing recorded can be changed or removed by
 * them. A writer learns where a chain ends from the puts themselves: a put that finds its number taken returns the
 * item holding it ({@code ReturnValuesOnConditionCheckFailure}), and a put conditioned on an attribute no item has
 * never writes and only shows what is stored there. The ends it learned are kept, so a warm function appends with
 * one put; a racing writer costs a retry, never a fork.
 */
public final class DynamoAuditLog implements AuditLog, AuditTrail {
    static final String BY_DAY = "byDay";
    private static final int RACES = 20;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Map<String, AuditEntry.Head> heads = new ConcurrentHashMap<>();

    public DynamoAuditLog(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void record(String subject, String what, Map<String, String> detail) {
        AuditEntry.Head head = heads.get(subject);
        if (head == null) {
            head = findHead(subject, null);
        }
        for (int race = 0; race < RACES; race++) {
            AuditEntry entry = AuditEntry.after(head, subject, clock.instant(), what, detail);
            try {
                dynamo.putItem(r -> r.tableName(table).item(item(entry)).conditionExpression("attribute_not_exists(#seq)")
                        .expressionAttributeNames(Map.of("#seq", "seq"))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                heads.put(subject, entry.head());
                return;
            } catch (ConditionalCheckFailedException taken) {
                // others appended since this writer last looked: find the end again, from the item that was in the way
                head = findHead(subject, taken.hasItem() && !taken.item().isEmpty() ? entry(taken.item()) : null);
            }
        }
        throw new IllegalStateException("could not append to the audit trail of " + subject + " after " + RACES + " races");
    }

    /**
     * The chain's last item, by puts that never write: doubling the step past a used number until one is unused,
     * then halving back to the last used. A cold writer finds the end of n items in about 2·log2(n) puts.
     *
     * @param known an item of the chain already seen, or null to start from the first
     */
    private AuditEntry.Head findHead(String subject, AuditEntry known) {
        AuditEntry last = known;
        if (last == null) {
            Optional<AuditEntry> first = peek(subject, 1);
            if (first.isEmpty()) {
                return AuditEntry.Head.EMPTY;
            }
            last = first.get();
        }
        long step = 1;
        long unused;
        while (true) {
            Optional<AuditEntry> seen = peek(subject, last.seq() + step);
            if (seen.isEmpty()) {
                unused = last.seq() + step;
                break;
            }
            last = seen.get();
            step *= 2;
        }
        long low = last.seq();
        while (unused - low > 1) {
            long middle = low + (unused - low) / 2;
            Optional<AuditEntry> seen = peek(subject, middle);
            if (seen.isPresent()) {
                last = seen.get();
                low = middle;
            } else {
                unused = middle;
            }
        }
        return last.head();
    }

    /** What is stored at that number, read by a put whose condition no item meets, so it writes nothing. */
    private Optional<AuditEntry> peek(String subject, long seq) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(Map.of("subject", s(subject), "seq", n(seq)))
                    .conditionExpression("attribute_exists(#never)").expressionAttributeNames(Map.of("#never", "peekOnly"))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException refused) {
            return refused.hasItem() && !refused.item().isEmpty() ? Optional.of(entry(refused.item())) : Optional.empty();
        }
        throw new IllegalStateException("a peek at the audit trail wrote an item: the table does not honour conditions");
    }

    @Override
    public List<AuditEntry> chain(String subject) {
        List<AuditEntry> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var from = start;
            var page = dynamo.query(r -> r.tableName(table).keyConditionExpression("subject = :s")
                    .expressionAttributeValues(Map.of(":s", s(subject))).consistentRead(true).exclusiveStartKey(from));
            page.items().forEach(item -> entries.add(entry(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return entries;
    }

    @Override
    public List<AuditEntry> newest(String subject, int limit) {
        List<AuditEntry> entries = new ArrayList<>(dynamo.query(r -> r.tableName(table).keyConditionExpression("subject = :s")
                .expressionAttributeValues(Map.of(":s", s(subject))).scanIndexForward(false).limit(limit)).items().stream()
                .map(DynamoAuditLog::entry).toList());
        java.util.Collections.reverse(entries);
        return entries;
    }

    @Override
    public List<AuditEntry> day(LocalDate day) {
        List<AuditEntry> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var from = start;
            var page = dynamo.query(r -> r.tableName(table).indexName(BY_DAY).keyConditionExpression("#day = :d")
                    .expressionAttributeNames(Map.of("#day", "day")).expressionAttributeValues(Map.of(":d", s(day.toString())))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> entries.add(entry(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return entries;
    }

    private static Map<String, AttributeValue> item(AuditEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("subject", s(entry.subject()));
        item.put("seq", n(entry.seq()));
        item.put("at", s(entry.at().toString()));
        item.put("day", s(LocalDate.ofInstant(entry.at(), ZoneOffset.UTC).toString()));
        item.put("what", s(entry.what()));
        if (!entry.detail().isEmpty()) {
            item.put("detail", AttributeValue.fromM(entry.detail().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> s(e.getValue())))));
        }
        item.put("prev", s(entry.prev()));
        item.put("hash", s(entry.hash()));
        return item;
    }

    static AuditEntry entry(Map<String, AttributeValue> item) {
        Map<String, String> detail = item.containsKey("detail") ? item.get("detail").m().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().s())) : Map.of();
        return new AuditEntry(item.get("subject").s(), Long.parseLong(item.get("seq").n()), Instant.parse(item.get("at").s()),
                item.get("what").s(), detail, item.get("prev").s(), item.get("hash").s());
    }
}
