package dev.awoooi.store;

import dev.awoooi.trust.TrustRecord;
import dev.awoooi.trust.TrustStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

/**
 * The trust table: one item per pattern (and per cluster brake), the record as a document beside its version and
 * score, each put only over the version it was made from; records saved together go in one transaction.
 */
public final class DynamoTrustStore implements TrustStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final ObjectMapper json;

    public DynamoTrustStore(DynamoDbClient dynamo, String table, ObjectMapper json) {
        this.dynamo = dynamo;
        this.table = table;
        this.json = json;
    }

    @Override
    public Optional<TrustRecord> find(String key) {
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("pattern", s(key))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(record(item));
    }

    @Override
    public boolean save(List<TrustRecord> records) {
        List<Put> puts = records.stream().map(this::put).toList();
        try {
            if (puts.size() == 1) {
                Put put = puts.getFirst();
                dynamo.putItem(r -> r.tableName(put.tableName()).item(put.item()).conditionExpression(put.conditionExpression())
                        .expressionAttributeNames(put.expressionAttributeNames()).expressionAttributeValues(put.expressionAttributeValues()));
            } else {
                dynamo.transactWriteItems(r -> r.transactItems(puts.stream().map(p -> TransactWriteItem.builder().put(p).build()).toList()));
            }
            return true;
        } catch (ConditionalCheckFailedException | TransactionCanceledException lost) {
            return false;
        }
    }

    @Override
    public List<TrustRecord> all() {
        List<TrustRecord> records = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var from = start;
            var page = dynamo.scan(r -> r.tableName(table).consistentRead(true).exclusiveStartKey(from));
            page.items().forEach(item -> records.add(record(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        records.sort(java.util.Comparator.comparing(TrustRecord::key));
        return records;
    }

    private Put put(TrustRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pattern", s(record.key()));
        item.put("version", n(record.version()));
        item.put("score", n(record.score()));
        item.put("doc", s(json.writeValueAsString(record)));
        Map<String, AttributeValue> values = new HashMap<>();
        String condition;
        if (record.version() <= 1) {
            condition = "attribute_not_exists(#version)";
        } else {
            condition = "#version = :before";
            values.put(":before", n(record.version() - 1));
        }
        return Put.builder().tableName(table).item(item).conditionExpression(condition)
                .expressionAttributeNames(Map.of("#version", "version")).expressionAttributeValues(values.isEmpty() ? null : values).build();
    }

    private TrustRecord record(Map<String, AttributeValue> item) {
        return json.readValue(item.get("doc").s(), TrustRecord.class);
    }
}
