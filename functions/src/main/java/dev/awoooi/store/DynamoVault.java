package dev.awoooi.store;

import dev.awoooi.alert.Sealer;
import dev.awoooi.privacy.Vault;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

/** The vault table: one item per (incident, label), the raw value sealed with the incident as context, with a TTL. */
public final class DynamoVault implements Vault {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Sealer sealer;
    private final Clock clock;
    private final Duration retention;

    public DynamoVault(DynamoDbClient dynamo, String table, Sealer sealer, Clock clock, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.sealer = sealer;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public Map<String, String> open(String incidentId) {
        Map<String, String> out = new HashMap<>();
        var pages = dynamo.queryPaginator(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("incidentId = :id")
                .expressionAttributeValues(Map.of(":id", s(incidentId))));
        pages.items().forEach(item -> out.put(item.get("label").s(), sealer.open(item.get("sealed").s(), incidentId + item.get("label").s())));
        return out;
    }

    @Override
    public void keep(String incidentId, Map<String, String> valueByLabel) {
        long expires = clock.instant().plus(retention).getEpochSecond();
        valueByLabel.forEach((label, value) -> {
            Map<String, AttributeValue> item = Map.of("incidentId", s(incidentId), "label", s(label),
                    "sealed", s(sealer.seal(value, incidentId + label)), "expiresAt", n(expires));
            try {
                dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(label)"));
            } catch (ConditionalCheckFailedException e) {
                // A redelivered batch already stored this label; labels are never reassigned.
            }
        });
    }

    @Override
    public Optional<String> reveal(String incidentId, String label) {
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("incidentId", s(incidentId), "label", s(label)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(sealer.open(item.get("sealed").s(), incidentId + label));
    }
}
