package dev.awoooi.store;

import dev.awoooi.alert.Sealer;
import dev.awoooi.privacy.Pseudonym;
import dev.awoooi.privacy.Vault;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

/**
 * The vault table, three kinds of item per incident (sort key {@code label}):
 * <ul>
 *   <li>{@code [IP_3]}: the raw value, sealed with the incident and label as context;</li>
 *   <li>{@code v#<keyed hash of the value>}: which label the value wears, written once, by condition;</li>
 *   <li>{@code n#IP}: the last ordinal given to the type, moved by an atomic ADD.</li>
 * </ul>
 * A redaction reads only the values of its own alert (one batch get), never the incident's whole vault, and a new
 * value costs three writes (several new values of one type: one counter write and one transaction for all), so an
 * incident of 50,000 alerts redacts as fast as one of five.
 */
public final class DynamoVault implements Vault {
    private static final int BATCH_GET_LIMIT = 100;
    /** New values labelled in one transaction: two items each, and TransactWriteItems takes 100. */
    private static final int MAX_TOGETHER = 50;
    /** Label and index items are written once, never over another. */
    private static final String NEW = "attribute_not_exists(label)";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Sealer sealer;
    private final Function<String, String> blind;
    private final Clock clock;
    private final Duration retention;

    /** @param blind keyed hash of a value, so the index that finds a value's label holds no value in the clear */
    public DynamoVault(DynamoDbClient dynamo, String table, Sealer sealer, Function<String, String> blind, Clock clock, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.sealer = sealer;
        this.blind = blind;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public Map<String, String> labels(String incidentId, Map<String, String> typeByValue) {
        Map<String, String> indexByValue = new HashMap<>();
        Map<String, String> valueByIndex = new HashMap<>();
        typeByValue.keySet().forEach(value -> {
            String index = "v#" + blind.apply(value);
            indexByValue.put(value, index);
            valueByIndex.put(index, value);
        });
        Map<String, String> labelByValue = new HashMap<>();
        List<String> indexKeys = new ArrayList<>(valueByIndex.keySet());
        for (int from = 0; from < indexKeys.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys = indexKeys.subList(from, Math.min(indexKeys.size(), from + BATCH_GET_LIMIT))
                    .stream().map(k -> key(incidentId, k)).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> ask = request;
                var response = dynamo.batchGetItem(r -> r.requestItems(ask));
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> labelByValue.put(valueByIndex.get(item.get("label").s()), item.get("target").s()));
                request = response.unprocessedKeys();
                if (!request.isEmpty()) {
                    Backoff.pause(1); // throttled: DynamoDB asks for a pause before the rest
                }
            }
        }
        // Sorted, so the ordinals of one alert's new values come out in a stable order.
        Map<String, List<String>> newByType = new TreeMap<>();
        new TreeMap<>(typeByValue).forEach((value, type) -> {
            if (!labelByValue.containsKey(value)) {
                newByType.computeIfAbsent(type, t -> new ArrayList<>()).add(value);
            }
        });
        newByType.forEach((type, values) -> {
            for (int from = 0; from < values.size(); from += MAX_TOGETHER) {
                List<String> part = values.subList(from, Math.min(values.size(), from + MAX_TOGETHER));
                labelByValue.putAll(part.size() == 1
                        ? Map.of(part.getFirst(), allocate(incidentId, type, part.getFirst(), indexByValue.get(part.getFirst())))
                        : allocate(incidentId, type, part, indexByValue));
            }
        });
        return labelByValue;
    }

    /**
     * Labels for several new values of one type: their ordinals taken by one atomic ADD, each value and its index
     * item written in one transaction. If a redaction running beside this one labelled any of them first, the
     * transaction writes nothing, the ordinals taken are skipped, and each value is labelled alone.
     */
    private Map<String, String> allocate(String incidentId, String type, List<String> values, Map<String, String> indexByValue) {
        long last = reserve(incidentId, type, values.size());
        Map<String, String> labelByValue = new HashMap<>();
        List<TransactWriteItem> items = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String label = new Pseudonym(type, (int) (last - values.size() + 1 + i)).toString();
            labelByValue.put(value, label);
            Map<String, AttributeValue> sealed = labelItem(incidentId, label, value);
            Map<String, AttributeValue> index = indexItem(incidentId, indexByValue.get(value), label);
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(sealed).conditionExpression(NEW)).build());
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(index).conditionExpression(NEW)).build());
        }
        if (Transactions.write(dynamo, items).isEmpty()) {
            return labelByValue;
        }
        Map<String, String> alone = new HashMap<>();
        values.forEach(value -> alone.put(value, allocate(incidentId, type, value, indexByValue.get(value))));
        return alone;
    }

    /** A new label for the value, unless a redaction running beside this one labelled it first: then theirs. */
    private String allocate(String incidentId, String type, String value, String indexKey) {
        String label = new Pseudonym(type, (int) reserve(incidentId, type, 1)).toString();
        // The value first: a label that any reader can see must be revealable.
        dynamo.putItem(r -> r.tableName(table).item(labelItem(incidentId, label, value)).conditionExpression(NEW));
        try {
            dynamo.putItem(r -> r.tableName(table).item(indexItem(incidentId, indexKey, label)).conditionExpression(NEW));
            return label;
        } catch (ConditionalCheckFailedException e) {
            String theirs = dynamo.getItem(r -> r.tableName(table).key(key(incidentId, indexKey)).consistentRead(true)).item()
                    .get("target").s();
            // Our ordinal is skipped: nothing wears it, and two labels never stand for one value.
            dynamo.deleteItem(r -> r.tableName(table).key(key(incidentId, label)));
            return theirs;
        }
    }

    /** Takes the type's next {@code count} ordinals by an atomic ADD; returns the last of them. */
    private long reserve(String incidentId, String type, int count) {
        return Long.parseLong(dynamo.updateItem(r -> r.tableName(table).key(key(incidentId, "n#" + type))
                .updateExpression("ADD #c :k SET expiresAt = :expires")
                .expressionAttributeNames(Map.of("#c", "count"))
                .expressionAttributeValues(Map.of(":k", n(count), ":expires", expires()))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get("count").n());
    }

    /** The raw value under its label, sealed with the incident and the label as context. */
    private Map<String, AttributeValue> labelItem(String incidentId, String label, String value) {
        return Map.of("incidentId", s(incidentId), "label", s(label), "sealed", s(sealer.seal(value, incidentId + label)), "expiresAt", expires());
    }

    /** Which label a value wears, found by the value's keyed hash. */
    private Map<String, AttributeValue> indexItem(String incidentId, String indexKey, String label) {
        return Map.of("incidentId", s(incidentId), "label", s(indexKey), "target", s(label), "expiresAt", expires());
    }

    @Override
    public Map<String, String> open(String incidentId) {
        Map<String, String> out = new HashMap<>();
        var pages = dynamo.queryPaginator(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("incidentId = :id AND begins_with(label, :bracket)")
                .expressionAttributeValues(Map.of(":id", s(incidentId), ":bracket", s("["))));
        pages.items().forEach(item -> out.put(item.get("label").s(), sealer.open(item.get("sealed").s(), incidentId + item.get("label").s())));
        return out;
    }

    @Override
    public Optional<String> reveal(String incidentId, String label) {
        if (!Pseudonym.isLabel(label)) {
            return Optional.empty();
        }
        var item = dynamo.getItem(r -> r.tableName(table).key(key(incidentId, label))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(sealer.open(item.get("sealed").s(), incidentId + label));
    }

    private AttributeValue expires() {
        return n(clock.instant().plus(retention).getEpochSecond());
    }

    private static Map<String, AttributeValue> key(String incidentId, String label) {
        return Map.of("incidentId", s(incidentId), "label", s(label));
    }
}
