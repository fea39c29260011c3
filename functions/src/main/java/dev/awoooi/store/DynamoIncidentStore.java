package dev.awoooi.store;

import dev.awoooi.analysis.IncidentHistory;
import dev.awoooi.analysis.PastIncident;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.incident.StaleIncidentException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incidents as one item each: indexed attributes for queries, the whole record as JSON, a version for locking. The
 * {@code bySignature} index (service and alert name, hashed) answers "what happened the last times".
 */
public final class DynamoIncidentStore implements IncidentStore, IncidentHistory {
    static final String SIGNATURE_INDEX = "bySignature";

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

    @Override
    public List<PastIncident> similar(String service, String alertName, String excludeId, int limit) {
        var items = dynamo.query(r -> r.tableName(table).indexName(SIGNATURE_INDEX)
                .keyConditionExpression("signature = :s").expressionAttributeValues(Map.of(":s", s(signature(service, alertName))))
                .scanIndexForward(false).limit(limit + 1)).items();
        return items.stream().filter(item -> !item.get("id").s().equals(excludeId)).limit(limit)
                .map(item -> new PastIncident(item.get("id").s(), Instant.parse(item.get("receivedAt").s()),
                        item.containsKey("actionType") ? item.get("actionType").s() : null, item.get("status").s()))
                .toList();
    }

    private Map<String, AttributeValue> item(Incident incident) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "id", s(incident.id()),
                "version", n(incident.version()),
                "status", s(incident.status().name()),
                "updatedAt", s(incident.updatedAt().toString()),
                "receivedAt", s(incident.receivedAt().toString()),
                "doc", s(json.writeValueAsString(incident))));
        if (incident.service() != null && incident.alertName() != null) {
            item.put("signature", s(signature(incident.service(), incident.alertName())));
        }
        if (incident.analysis() != null) {
            item.put("actionType", s(incident.analysis().action().type()));
        }
        return item;
    }

    /** Hashed so the index key has a fixed size whatever the names, and holds no name in the clear. */
    static String signature(String service, String alertName) {
        return TargetState.sha256(service + "\n" + alertName);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
