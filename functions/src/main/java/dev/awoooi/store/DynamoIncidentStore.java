package dev.awoooi.store;

import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.incident.StaleIncidentException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import tools.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.Optional;

/** Incidents as one item each: indexed attributes for queries, the whole record as JSON, a version for locking. */
public final class DynamoIncidentStore implements IncidentStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final ObjectMapper json;

    public DynamoIncidentStore(DynamoDbClient dynamo, String table, ObjectMapper json) {
        this.dynamo = dynamo;
        this.table = table;
        this.json = json;
    }

    @Override
    public void create(Incident incident) {
        dynamo.putItem(r -> r.tableName(table).item(item(incident))
                .conditionExpression("attribute_not_exists(id)"));
    }

    @Override
    public Optional<Incident> find(String id) {
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("id", s(id))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(json.readValue(item.get("doc").s(), Incident.class));
    }

    @Override
    public void save(Incident updated, long expectedVersion) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(item(updated))
                    .conditionExpression("#v = :expected")
                    .expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":expected", n(expectedVersion))));
        } catch (ConditionalCheckFailedException e) {
            throw new StaleIncidentException(updated.id(), expectedVersion);
        }
    }

    @Override
    public void delete(String id) {
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("id", s(id))));
    }

    private Map<String, AttributeValue> item(Incident incident) {
        return Map.of(
                "id", s(incident.id()),
                "version", n(incident.version()),
                "status", s(incident.status().name()),
                "updatedAt", s(incident.updatedAt().toString()),
                "doc", s(json.writeValueAsString(incident)));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
