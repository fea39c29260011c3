package dev.awoooi.store;

import dev.awoooi.analysis.IncidentHistory;
import dev.awoooi.analysis.PastIncident;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.incident.AlertCounts;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentIndex;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.incident.StaleIncidentException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incidents as one item each: indexed attributes for queries, the whole record as JSON, a version for locking, and
 * the alert counts as numbers beside them (see {@link DynamoIncidentAlerts}). The
 * {@code bySignature} index (service and alert name, hashed) answers "what happened the last times".
 */
public final class DynamoIncidentStore implements IncidentStore, IncidentHistory, IncidentIndex {
    static final String SIGNATURE_INDEX = "bySignature", STATUS_INDEX = "byStatus";
    /** The {@link AlertCounts}, top-level numbers beside the versioned document, moved only by ADD. */
    static final String ALERTS = "alertCount", FIRING = "firingCount", TRUNCATED = "truncatedAlerts";
    /** An open investigation's reminders, beside the document so the stream shows a new one without parsing it. */
    static final String REMINDERS = "reminders";
    /** How many signatures the incident holds: the change stream tells a new one from any other write by it. */
    static final String SIGNED = "signed";

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

    /** The new incident as one write of a transaction (the front door opens it together with its claims). */
    TransactWriteItem creation(Incident incident) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item(incident))
                .conditionExpression("attribute_not_exists(id)")).build();
    }

    @Override
    public Optional<Incident> find(String id) {
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("id", s(id))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(json.readValue(item.get("doc").s(), Incident.class).withAlertCounts(new AlertCounts(
                number(item, ALERTS), number(item, FIRING), number(item, TRUNCATED))));
    }

    @Override
    public Optional<IncidentStatus> status(String id) {
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("id", s(id))).consistentRead(true)
                .projectionExpression("#s").expressionAttributeNames(Map.of("#s", "status"))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(IncidentStatus.valueOf(item.get("status").s()));
    }

    @Override
    public void save(Incident updated, long expectedVersion) {
        Map<String, AttributeValue> item = item(updated);
        item.remove("id");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder("SET ");
        item.forEach((name, value) -> {
            names.put("#" + name, name);
            values.put(":" + name, value);
            set.append(set.length() > 4 ? ", " : "").append('#').append(name).append(" = :").append(name);
        });
        values.put(":expected", n(expectedVersion));
        String condition = "#version = :expected";
        if (updated.status() == IncidentStatus.RESOLVED) {
            names.put("#firing", FIRING);
            values.put(":zero", n(0));
            condition += " AND (#status = :status OR attribute_not_exists(#firing) OR #firing <= :zero)";
        }
        String expression = condition;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(Map.of("id", s(updated.id()))).updateExpression(set.toString())
                    .conditionExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new StaleIncidentException(updated.id(), expectedVersion);
        }
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

    @Override
    public List<String> idsIn(IncidentStatus status, Instant updatedBefore, int limit) {
        var pages = dynamo.queryPaginator(r -> r.tableName(table).indexName(STATUS_INDEX)
                .keyConditionExpression("#s = :s AND updatedAt < :before")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", s(status.name()), ":before", s(updatedBefore.toString())))
                .limit(Math.min(limit, 100)));
        return pages.items().stream().limit(limit).map(item -> item.get("id").s()).toList();
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
        if (incident.reminders().count() > 0) {
            item.put(REMINDERS, n(incident.reminders().count()));
        }
        if (!incident.signatures().isEmpty()) {
            item.put(SIGNED, n(incident.signatures().size()));
        }
        return item;
    }

    /** Hashed so the index key has a fixed size whatever the names, and holds no name in the clear. */
    static String signature(String service, String alertName) {
        return TargetState.sha256(service + "\n" + alertName);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
