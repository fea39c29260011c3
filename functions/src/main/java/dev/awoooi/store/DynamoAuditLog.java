package dev.awoooi.store;

import dev.awoooi.audit.AuditLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.awoooi.store.DynamoIncidentStore.s;

/** Append-only: items are only ever put with a fresh sort key, never updated. */
public final class DynamoAuditLog implements AuditLog {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoAuditLog(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void record(String subject, String what, Map<String, String> detail) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("subject", s(subject));
        item.put("at", s(clock.instant() + "#" + UUID.randomUUID().toString().substring(0, 8)));
        item.put("what", s(what));
        if (!detail.isEmpty()) {
            item.put("detail", AttributeValue.fromM(detail.entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> s(e.getValue())))));
        }
        dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#at)")
                .expressionAttributeNames(Map.of("#at", "at")));
    }
}
