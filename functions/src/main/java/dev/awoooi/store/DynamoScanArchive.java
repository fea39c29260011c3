package dev.awoooi.store;

import dev.awoooi.scan.Finding;
import dev.awoooi.scan.ScanArchive;
import dev.awoooi.scan.ScanReport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

/**
 * Scan reports in the scans table, sized for fleets: each finding is its own item in the report's partition
 * ({@code scan = "finops@<at>"}, {@code at} = its zero-padded rank), written 25 at a time; the header
 * ({@code scan = "finops"}, {@code at} = when) is written last, so a report is seen only once it is whole, and a run
 * killed midway leaves findings nobody reads until they expire. Everything expires after the retention.
 */
public final class DynamoScanArchive implements ScanArchive {
    /** The sort key: fixed width, so text order is time order (Instant.toString drops trailing zeros: ":00Z" > ":00.5Z"). */
    static final java.time.format.DateTimeFormatter SORTABLE = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final int BATCH = 25;

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

    /**
     * The header's own report: figures and notes, no findings (they are items). A header written before findings were
     * items holds them itself ({@code findings}), and no figures or notes: it is read as it was written.
     */
    private record Header(String scan, Instant at, Map<String, Double> figures, List<String> notes, List<Finding> findings) {
        Header {
            figures = figures == null ? Map.of() : figures;
            notes = notes == null ? List.of() : notes;
            findings = findings == null ? List.of() : findings;
        }
    }

    @Override
    public void keep(ScanReport report) {
        String at = SORTABLE.format(report.at());
        AttributeValue expires = n(report.at().plus(retention).getEpochSecond());
        List<WriteRequest> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < report.findings().size(); i++) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                    "scan", s(partition(report.scan(), at)),
                    "at", s(String.format("%07d", i)),
                    "finding", s(json.writeValueAsString(report.findings().get(i))),
                    "expiresAt", expires)).build()).build());
            if (batch.size() == BATCH) {
                write(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                "scan", s(report.scan()),
                "at", s(at),
                "findings", n(report.findings().size()),
                "report", s(json.writeValueAsString(new Header(report.scan(), report.at(), report.figures(), report.notes(), null))),
                "expiresAt", expires)));
    }

    /** One batch, with what DynamoDB left unprocessed (throttling) written again, backing off, a bounded number of times. */
    private void write(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(table, batch);
        for (int attempt = 0; !pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty(); attempt++) {
            if (attempt == 8) {
                throw new IllegalStateException("DynamoDB left " + pending.get(table).size() + " scan findings unwritten after 8 attempts");
            }
            if (attempt > 0) {
                try {
                    Thread.sleep(Math.min(2_000, 50L << attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while writing scan findings", e);
                }
            }
            Map<String, List<WriteRequest>> requests = pending;
            pending = dynamo.batchWriteItem(r -> r.requestItems(requests)).unprocessedItems();
        }
    }

    @Override
    public Optional<ScanReport> latest(String scan, int findings) {
        return headers(scan, 1).stream().findFirst().map(header -> {
            List<Finding> kept = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            String partition = partition(scan, header.get("at").s());
            while (kept.size() < findings) {
                Map<String, AttributeValue> from = start;
                int want = Math.min(1_000, findings - kept.size());
                var page = dynamo.query(r -> byKey(r, partition).limit(want).exclusiveStartKey(from));
                page.items().forEach(item -> kept.add(json.readValue(item.get("finding").s(), Finding.class)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                if (start == null) {
                    break;
                }
            }
            return report(header, kept, findings);
        });
    }

    @Override
    public List<ScanReport> history(String scan, int reports) {
        return headers(scan, reports).stream().map(header -> report(header, List.of(), 0)).toList();
    }

    /**
     * A header as a report, with the findings read for it (up to {@code limit}) and their total as a figure; a header
     * written whole, before findings were items, brings its own.
     */
    private ScanReport report(Map<String, AttributeValue> header, List<Finding> read, int limit) {
        Header h = json.readValue(header.get("report").s(), Header.class);
        List<Finding> findings = read.isEmpty() && !h.findings().isEmpty() ? h.findings() : read;
        Map<String, Double> figures = new HashMap<>(h.figures());
        figures.put(FINDINGS_TOTAL, Double.parseDouble(header.get("findings").n()));
        return new ScanReport(h.scan(), h.at(), findings.size() > limit ? findings.subList(0, limit) : findings, figures, h.notes());
    }

    private List<Map<String, AttributeValue>> headers(String scan, int limit) {
        return dynamo.query(r -> byKey(r, scan).scanIndexForward(false).limit(limit)).items();
    }

    /** A query of one partition: "scan" is one of DynamoDB's reserved words, so the key is named through a placeholder. */
    private QueryRequest.Builder byKey(QueryRequest.Builder request, String key) {
        return request.tableName(table).keyConditionExpression("#scan = :scan")
                .expressionAttributeNames(Map.of("#scan", "scan")).expressionAttributeValues(Map.of(":scan", s(key)));
    }

    private static String partition(String scan, String at) {
        return scan + "@" + at;
    }
}
