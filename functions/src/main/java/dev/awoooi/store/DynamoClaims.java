package dev.awoooi.store;

import dev.awoooi.alert.DedupeLedger;
import dev.awoooi.alert.OpenIncidents;
import dev.awoooi.execution.ExecutionClaims;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

/**
 * The idempotency table, with the semantics of Powertools' idempotency: a conditional put claims a key until it
 * expires (TTL attribute {@code expiresAt}); an expired claim that TTL has not swept yet counts as free.
 */
public final class DynamoClaims implements DedupeLedger, OpenIncidents, ExecutionClaims {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoClaims(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<String> claim(String key, String incidentId, Duration ttl) {
        if (put(key, "INPROGRESS", incidentId, ttl)) {
            return Optional.empty();
        }
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("key", s(key))).consistentRead(true)).item();
        return Optional.of(item.get("incidentId").s());
    }

    @Override
    public Optional<String> holder(String key) {
        return find(key);
    }

    @Override
    public Optional<String> find(String key) {
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("key", s(key))).consistentRead(true)).item();
        if (item == null || item.isEmpty() || Long.parseLong(item.get("expiresAt").n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(item.get("incidentId").s());
    }

    @Override
    public void remember(String key, String incidentId, Duration window) {
        long expires = clock.instant().plus(window).getEpochSecond();
        dynamo.putItem(r -> r.tableName(table)
                .item(Map.of("key", s(key), "state", s("OPEN"), "incidentId", s(incidentId), "expiresAt", n(expires))));
    }

    @Override
    public void release(String key, String incidentId) {
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("key", s(key)))
                .conditionExpression("incidentId = :id")
                .expressionAttributeValues(Map.of(":id", s(incidentId))));
    }

    @Override
    public boolean claim(String key, Duration ttl) {
        return put(key, "INPROGRESS", key, ttl);
    }

    @Override
    public void complete(String key) {
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("key", s(key)))
                .updateExpression("SET #s = :done")
                .expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":done", s("COMPLETED"))));
    }

    private boolean put(String key, String state, String incidentId, Duration ttl) {
        long now = clock.instant().getEpochSecond();
        try {
            dynamo.putItem(r -> r.tableName(table)
                    .item(Map.of("key", s(key), "state", s(state), "incidentId", s(incidentId), "expiresAt", n(now + ttl.toSeconds())))
                    .conditionExpression("attribute_not_exists(#k) OR expiresAt < :now")
                    .expressionAttributeNames(Map.of("#k", "key"))
                    .expressionAttributeValues(Map.of(":now", n(now))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
