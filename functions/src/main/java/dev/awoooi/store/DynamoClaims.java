package dev.awoooi.store;

import dev.awoooi.alert.AlertLedger;
import dev.awoooi.execution.ExecutionClaims;
import dev.awoooi.incident.Incident;
import dev.awoooi.notify.CardLedger;
import dev.awoooi.reconcile.Sightings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

/**
 * The idempotency table, with the semantics of Powertools' idempotency: a conditional put claims a key until it
 * expires (TTL attribute {@code expiresAt}, epoch seconds); an expired claim that TTL has not swept yet counts as free.
 * Claims are {@code INPROGRESS} or {@code COMPLETED}; group pointers are {@code OPEN}. Keys: alert claims and group
 * pointers as the front door blinds them, {@code execute#…} and {@code target#…} for executions, {@code card#…} for cards.
 */
public final class DynamoClaims implements AlertLedger, ExecutionClaims, CardLedger, Sightings, dev.awoooi.notify.CardRefs {
    private static final String FREE = "attribute_not_exists(#k) OR expiresAt < :now";
    /** A pointer is slid at most this often: a storm of joins does not rewrite it for every alert. */
    private static final Duration SLIDE_STEP = Duration.ofMinutes(1);

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoIncidentStore incidents;
    private final Clock clock;

    public DynamoClaims(DynamoDbClient dynamo, String table, DynamoIncidentStore incidents, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.incidents = incidents;
        this.clock = clock;
    }

    @Override
    public Map<String, Pointer> pointers(List<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        var response = dynamo.batchGetItem(r -> r.requestItems(Map.of(table, KeysAndAttributes.builder()
                .keys(keys.stream().map(k -> Map.of("key", s(k))).toList()).consistentRead(true).build())));
        long now = clock.instant().getEpochSecond();
        Map<String, Pointer> found = new LinkedHashMap<>();
        for (var item : response.responses().getOrDefault(table, List.of())) {
            long expires = Long.parseLong(item.get("expiresAt").n());
            if (expires >= now) {
                found.put(item.get("key").s(), new Pointer(item.get("incidentId").s(), Instant.ofEpochSecond(expires)));
            }
        }
        if (!response.unprocessedKeys().isEmpty()) {
            throw new IllegalStateException("the claims table left group keys unread (throttled); retry the delivery");
        }
        return found;
    }

    @Override
    public Optional<Holder> claim(String key, String incidentId, Instant until) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(claimItem(key, incidentId, until))
                    .conditionExpression(FREE).expressionAttributeNames(Map.of("#k", "key"))
                    .expressionAttributeValues(Map.of(":now", now()))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return Optional.of(holderOf(key, e.item()));
        }
    }

    @Override
    public Opening open(String key, Instant claimUntil, Incident incident, List<String> groupKeys, Map<String, Pointer> replacing,
                        Instant pointersUntil) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(claimItem(key, incident.id(), claimUntil))
                .conditionExpression(FREE).expressionAttributeNames(Map.of("#k", "key"))
                .expressionAttributeValues(Map.of(":now", now()))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
        items.add(incidents.creation(incident));
        for (String groupKey : groupKeys) {
            Pointer stale = replacing.get(groupKey);
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", now()));
            String condition = FREE;
            if (stale != null) {
                condition += " OR incidentId = :stale";
                values.put(":stale", s(stale.incidentId()));
            }
            String expression = condition;
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(pointerItem(groupKey, incident.id(), pointersUntil))
                    .conditionExpression(expression).expressionAttributeNames(Map.of("#k", "key"))
                    .expressionAttributeValues(values)).build());
        }
        Optional<TransactionCanceledException> cancelled = Transactions.write(dynamo, items);
        if (cancelled.isEmpty()) {
            return new Opening.Opened();
        }
        TransactionCanceledException e = cancelled.get();
        if (Transactions.failed(e, 0)) {
            return new Opening.Held(holderOf(key, e.cancellationReasons().getFirst().item()));
        }
        if (Transactions.failed(e, 1)) {
            throw new IllegalStateException("incident id " + incident.id() + " is taken", e);
        }
        return new Opening.GroupTaken(); // a group key's condition failed: another delivery pointed it first
    }

    @Override
    public boolean extend(List<String> groupKeys, Map<String, Pointer> seen, String incidentId, Instant until) {
        boolean changed = false;
        for (String groupKey : groupKeys) {
            Pointer pointer = seen.get(groupKey);
            try {
                if (pointer == null) {
                    changed = true;
                    dynamo.putItem(r -> r.tableName(table).item(pointerItem(groupKey, incidentId, until))
                            .conditionExpression(FREE).expressionAttributeNames(Map.of("#k", "key"))
                            .expressionAttributeValues(Map.of(":now", now())));
                } else if (pointer.incidentId().equals(incidentId) && pointer.expiresAt().plus(SLIDE_STEP).isBefore(until)) {
                    changed = true;
                    dynamo.updateItem(r -> r.tableName(table).key(Map.of("key", s(groupKey)))
                            .updateExpression("SET expiresAt = :until")
                            .conditionExpression("incidentId = :id AND expiresAt < :until")
                            .expressionAttributeValues(Map.of(":id", s(incidentId), ":until", n(until.getEpochSecond()))));
                }
            } catch (ConditionalCheckFailedException e) {
                // Another delivery pointed the key first, or slid it further: either way the key is held.
            }
        }
        return changed;
    }

    @Override
    public void complete(String key, String incidentId, Instant until) {
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("key", s(key)))
                .updateExpression("SET #s = :done, expiresAt = :until")
                .conditionExpression("incidentId = :id")
                .expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":done", s("COMPLETED"), ":until", n(until.getEpochSecond()), ":id", s(incidentId))));
    }

    @Override
    public void release(String key, String incidentId) {
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("key", s(key)))
                .conditionExpression("incidentId = :id AND #s = :inprogress")
                .expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":id", s(incidentId), ":inprogress", s("INPROGRESS"))));
    }

    @Override
    public Optional<String> holder(String key) {
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("key", s(key))).consistentRead(true)).item();
        if (item == null || item.isEmpty() || Long.parseLong(item.get("expiresAt").n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(item.get("incidentId").s());
    }

    @Override
    public boolean claim(String key, Duration ttl) {
        return claim(key, key, clock.instant().plus(ttl)).isEmpty();
    }

    @Override
    public void complete(String key) {
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("key", s(key)))
                .updateExpression("SET #s = :done")
                .expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":done", s("COMPLETED"))));
    }

    @Override
    public Optional<String> holdTarget(String target, String incidentId, Duration ttl) {
        return claim("target#" + target, incidentId, clock.instant().plus(ttl)).map(Holder::incidentId)
                .filter(holder -> !holder.equals(incidentId));
    }

    @Override
    public void releaseTarget(String target, String incidentId) {
        try {
            release("target#" + target, incidentId);
        } catch (ConditionalCheckFailedException e) {
            // Held past its expiry and taken by another execution since: it is theirs now, not ours to release.
        }
    }

    /** The holder from the item a failed condition returned; read it where the store does not return it. */
    private Holder holderOf(String key, Map<String, AttributeValue> old) {
        Map<String, AttributeValue> item = old != null && !old.isEmpty() ? old
                : dynamo.getItem(r -> r.tableName(table).key(Map.of("key", s(key))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            throw new IllegalStateException("a claim was held but is gone; retry the delivery");
        }
        return new Holder(item.get("incidentId").s(), "COMPLETED".equals(item.get("state").s()));
    }

    private static Map<String, AttributeValue> claimItem(String key, String incidentId, Instant until) {
        return Map.of("key", s(key), "state", s("INPROGRESS"), "incidentId", s(incidentId), "expiresAt", n(until.getEpochSecond()));
    }

    private static Map<String, AttributeValue> pointerItem(String key, String incidentId, Instant until) {
        return Map.of("key", s(key), "state", s("OPEN"), "incidentId", s(incidentId), "expiresAt", n(until.getEpochSecond()));
    }

    private AttributeValue now() {
        return n(clock.instant().getEpochSecond());
    }

    @Override
    public CardLedger.Claim claim(String eventId, Instant until) {
        return claim("card#" + eventId, eventId, until)
                .map(holder -> holder.completed() ? CardLedger.Claim.SETTLED : CardLedger.Claim.IN_PROGRESS)
                .orElse(CardLedger.Claim.TAKEN);
    }

    @Override
    public void settled(String eventId, Instant keepUntil) {
        complete("card#" + eventId, eventId, keepUntil);
    }

    @Override
    public void release(String eventId) {
        try {
            release("card#" + eventId, eventId);
        } catch (ConditionalCheckFailedException e) {
            // Our claim lapsed and another delivery holds it now: it is theirs to finish or give back.
        }
    }

    /** A card's handle on a channel ({@code cardref#<channel>#<incident>}), kept as long as its card ledger entry. */
    @Override
    public void remember(String channel, String incidentId, Ref ref) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of("key", s("cardref#" + channel + "#" + incidentId), "state", s("COMPLETED"),
                "incidentId", s(incidentId), "handle", s(ref.handle()), "title", s(ref.title()), "text", s(ref.text()),
                "expiresAt", n(clock.instant().plus(Duration.ofDays(15)).getEpochSecond()))));
    }

    @Override
    public Optional<Ref> recall(String channel, String incidentId) {
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("key", s("cardref#" + channel + "#" + incidentId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty()
                : Optional.of(new Ref(item.get("handle").s(), item.get("title").s(), item.get("text").s()));
    }

    @Override
    public boolean advance(String channel, String incidentId, long stage) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(Map.of("key", s("cardref#" + channel + "#" + incidentId)))
                    .updateExpression("SET stage = :s")
                    .conditionExpression("attribute_exists(#k) AND (attribute_not_exists(stage) OR stage < :s)")
                    .expressionAttributeNames(Map.of("#k", "key"))
                    .expressionAttributeValues(Map.of(":s", n(stage))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Remembered as long as a message can wait in a dead-letter queue (14 days), and a day more. */
    @Override
    public boolean first(String key) {
        return claim(key, key, clock.instant().plus(Duration.ofDays(15))).isEmpty();
    }

    @Override
    public void forget(String key) {
        try {
            release(key, key);
        } catch (ConditionalCheckFailedException e) {
            // already gone or taken over: nothing of ours to forget
        }
    }
}
