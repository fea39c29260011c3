package dev.awoooi.store;

import dev.awoooi.scan.ScanArchive;
import dev.awoooi.scan.ScanReport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

public final class DynamoScanArchive implements ScanArchive {
    /** The sort key: fixed width, so text order is time order (Instant.toString drops trailing zeros: ":00Z" > ":00.5Z"). */
    static final java.time.format.DateTimeFormatter SORTABLE = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private final DynamoDbClient dynamo;
    private final String table;
    private final ObjectMapper json;
    private final Duration retention;

    public DynamoScanArchive(DynamoDbClient dynamo, String table, ObjectMapper json, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.json = json;
        this.retention = retention;
    }

    @Override
    public void keep(ScanReport report) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                "scan", s(report.scan()),
                "at", s(SORTABLE.format(report.at())),
                "findings", n(report.findings().size()),
                "report", s(json.writeValueAsString(report)),
                "expiresAt", n(report.at().plus(retention).getEpochSecond()))));
    }

    @Override
    public Optional<ScanReport> latest(String scan) {
        // "scan" is one of DynamoDB's reserved words: the key is named through a placeholder
        var items = dynamo.query(r -> r.tableName(table).keyConditionExpression("#scan = :scan")
                .expressionAttributeNames(Map.of("#scan", "scan")).expressionAttributeValues(Map.of(":scan", s(scan)))
                .scanIndexForward(false).limit(1)).items();
        return items.stream().findFirst().map(item -> json.readValue(item.get("report").s(), ScanReport.class));
    }
}
