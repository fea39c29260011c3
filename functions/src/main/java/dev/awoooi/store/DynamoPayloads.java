package dev.awoooi.store;

import dev.awoooi.alert.PayloadSpill;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

/**
 * The payloads table: a sealed alert in parts under DynamoDB's 400 KB item limit. Part 0 says how many parts
 * there are, so a reader can tell a whole payload from a half-written one.
 */
public final class DynamoPayloads implements PayloadSpill {
    public static final int PART_CHARS = 300_000;
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration retention;
    private final SecureRandom random = new SecureRandom();

    public DynamoPayloads(DynamoDbClient dynamo, String table, Clock clock, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public String keep(String incidentId, String sealed) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        String ref = incidentId + "/" + HexFormat.of().formatHex(nonce);
        int parts = (sealed.length() + PART_CHARS - 1) / PART_CHARS;
        long expires = clock.instant().plus(retention).getEpochSecond();
        // Part 0 last: until it exists the payload reads as incomplete.
        for (int part = parts - 1; part >= 0; part--) {
            String data = sealed.substring(part * PART_CHARS, Math.min(sealed.length(), (part + 1) * PART_CHARS));
            Map<String, AttributeValue> item = part == 0
                    ? Map.of("ref", s(ref), "part", n(part), "data", s(data), "parts", n(parts), "expiresAt", n(expires))
                    : Map.of("ref", s(ref), "part", n(part), "data", s(data), "expiresAt", n(expires));
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#r)")
                    .expressionAttributeNames(Map.of("#r", "ref")));
        }
        return ref;
    }

    @Override
    public String take(String ref) {
        StringBuilder sealed = new StringBuilder();
        long expected = -1;
        long seen = 0;
        var pages = dynamo.queryPaginator(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("#r = :ref")
                .expressionAttributeNames(Map.of("#r", "ref"))
                .expressionAttributeValues(Map.of(":ref", s(ref))));
        for (var item : pages.items()) {
            if (Long.parseLong(item.get("part").n()) != seen) {
                throw new IllegalStateException("payload " + ref + " is missing part " + seen);
            }
            if (seen == 0) {
                expected = Long.parseLong(item.get("parts").n());
            }
            sealed.append(item.get("data").s());
            seen++;
        }
        if (expected < 0 || seen != expected) {
            throw new IllegalStateException("payload " + ref + " is incomplete: " + seen + " of " + (expected < 0 ? "?" : expected) + " parts");
        }
        return sealed.toString();
    }
}
