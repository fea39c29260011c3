package dev.awoooi.store;

import dev.awoooi.incident.IncidentAlert;
import dev.awoooi.incident.IncidentAlerts;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.awoooi.store.DynamoIncidentStore.n;
import static dev.awoooi.store.DynamoIncidentStore.s;

/**
 * The alerts table: one item per (incident, firing), written in one transaction with the incident's counts. Two
 * local indexes answer the incident's views: {@code byTime} (newest first) and {@code byFiring}, sparse: only items
 * that are still firing carry its key.
 */
public final class DynamoIncidentAlerts implements IncidentAlerts {
    static final String BY_TIME = "byTime", BY_FIRING = "byFiring";
    /** Fixed width, so the index sorts by time (Instant.toString drops trailing zeros). */
    static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    /** An alert's summary is kept in full on the redact queue; the item keeps what a card or a list shows. */
    static final int MAX_SUMMARY_CHARS = 1_000;
    /** Alerts recorded in one transaction with their counts: TransactWriteItems takes 100 items. */
    static final int MAX_TOGETHER = 99;

    private final DynamoDbClient dynamo;
    private final String table;
    private final String incidentsTable;
    private final Clock clock;
    private final Duration retention;

    public DynamoIncidentAlerts(DynamoDbClient dynamo, String table, String incidentsTable, Clock clock, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.incidentsTable = incidentsTable;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public boolean fired(String incidentId, IncidentAlert alert, int truncated) {
        boolean recorded = recordNew(incidentId, alert, true);
        raiseTruncated(incidentId, truncated);
        return recorded;
    }

    @Override
    public int firedAll(String incidentId, List<IncidentAlert> alerts, int truncated) {
        // A transaction takes one write per item: a firing delivered twice in one batch goes alone, after its twin.
        Map<String, IncidentAlert> distinct = new LinkedHashMap<>();
        List<IncidentAlert> twins = new ArrayList<>();
        alerts.forEach(alert -> {
            if (distinct.putIfAbsent(firingKey(alert), alert) != null) {
                twins.add(alert);
            }
        });
        List<IncidentAlert> unique = List.copyOf(distinct.values());
        List<IncidentAlert> alone = new ArrayList<>();
        int recorded = 0;
        for (int from = 0; from < unique.size(); from += MAX_TOGETHER) {
            List<IncidentAlert> part = unique.subList(from, Math.min(unique.size(), from + MAX_TOGETHER));
            List<TransactWriteItem> items = new ArrayList<>();
            part.forEach(alert -> items.add(newItem(incidentId, alert, true)));
            items.add(counts(incidentId, part.size(), part.size()));
            Optional<TransactionCanceledException> cancelled = Transactions.write(dynamo, items);
            if (cancelled.isEmpty()) {
                recorded += part.size();
            } else if (Transactions.failed(cancelled.get(), part.size())) {
                throw new IllegalStateException("no incident for these alerts", cancelled.get());
            } else {
                alone.addAll(part); // one of them is recorded already (a redelivery): one by one, each counted once
            }
        }
        alone.addAll(twins);
        for (IncidentAlert alert : alone) {
            recorded += recordNew(incidentId, alert, true) ? 1 : 0;
        }
        raiseTruncated(incidentId, truncated);
        return recorded;
    }

    @Override
    public boolean resolved(String incidentId, IncidentAlert alert, int truncated) {
        raiseTruncated(incidentId, truncated);
        var firing = TransactWriteItem.builder().update(u -> u.tableName(table).key(key(incidentId, alert))
                .updateExpression("SET #status = :resolved, endsAt = :endsAt REMOVE firingAt")
                .conditionExpression("#status = :firing")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":resolved", s("resolved"), ":firing", s("firing"),
                        ":endsAt", s(alert.endsAt() == null ? clock.instant().toString() : alert.endsAt().toString())))).build();
        if (transact(List.of(firing, counts(incidentId, 0, -1)))) {
            return true;
        }
        // Its firing is unknown here (the resolution overtook it) or already resolved: record the resolution itself.
        return recordNew(incidentId, alert, false);
    }

    @Override
    public List<IncidentAlert> firing(String incidentId, int limit) {
        return query(incidentId, BY_FIRING, limit);
    }

    @Override
    public List<IncidentAlert> newest(String incidentId, int limit) {
        return query(incidentId, BY_TIME, limit);
    }

    private boolean recordNew(String incidentId, IncidentAlert alert, boolean firing) {
        return transact(List.of(newItem(incidentId, alert, firing), counts(incidentId, 1, firing ? 1 : 0)));
    }

    /** The alert's item, written only if its firing is not recorded yet. */
    private TransactWriteItem newItem(String incidentId, IncidentAlert alert, boolean firing) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(key(incidentId, alert));
        item.put("status", s(firing ? "firing" : "resolved"));
        item.put("startsAt", s(alert.startsAt().toString()));
        item.put("at", s(SORTABLE.format(now) + "#" + firingKey(alert)));
        item.put("expiresAt", n(now.plus(retention).getEpochSecond()));
        if (firing) {
            item.put("firingAt", s(SORTABLE.format(now)));
        }
        if (alert.endsAt() != null) {
            item.put("endsAt", s(alert.endsAt().toString()));
        }
        putText(item, "name", alert.name());
        putText(item, "service", alert.service());
        putText(item, "summary", alert.summary());
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(firing)")).build();
    }

    private TransactWriteItem counts(String incidentId, long alerts, long firing) {
        return TransactWriteItem.builder().update(u -> u.tableName(incidentsTable).key(Map.of("id", s(incidentId)))
                .updateExpression("ADD #alerts :alerts, #firing :firing")
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeNames(Map.of("#alerts", DynamoIncidentStore.ALERTS, "#firing", DynamoIncidentStore.FIRING))
                .expressionAttributeValues(Map.of(":alerts", n(alerts), ":firing", n(firing)))).build();
    }

    /**
     * Runs the transaction; false if the alert item's condition failed. A missing incident is an error, never a
     * false.
     */
    private boolean transact(List<TransactWriteItem> items) {
        Optional<TransactionCanceledException> cancelled = Transactions.write(dynamo, items);
        if (cancelled.isPresent() && Transactions.failed(cancelled.get(), 1)) {
            throw new IllegalStateException("no incident for this alert", cancelled.get());
        }
        return cancelled.isEmpty();
    }

    /** Keeps the largest number of alerts any delivery said it left out; a larger one already there is the answer. */
    private void raiseTruncated(String incidentId, int truncated) {
        if (truncated <= 0) {
            return;
        }
        try {
            dynamo.updateItem(u -> u.tableName(incidentsTable).key(Map.of("id", s(incidentId)))
                    .updateExpression("SET #t = :t")
                    .conditionExpression("attribute_exists(id) AND (attribute_not_exists(#t) OR #t < :t)")
                    .expressionAttributeNames(Map.of("#t", DynamoIncidentStore.TRUNCATED))
                    .expressionAttributeValues(Map.of(":t", n(truncated))));
        } catch (ConditionalCheckFailedException e) {
            // the stored count is as large or larger: nothing to raise
        }
    }

    @Override
    public Page page(String incidentId, String cursor, int limit) {
        Map<String, AttributeValue> start = null;
        if (cursor != null) {
            String[] parts;
            try {
                parts = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8).split("\n");
            } catch (IllegalArgumentException e) {
                parts = new String[0];
            }
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty() || parts[0].length() > 200 || parts[1].length() > 600) {
                throw new IllegalArgumentException("not a cursor of this incident's alerts");
            }
            start = Map.of("incidentId", s(incidentId), "at", s(parts[0]), "firing", s(parts[1]));
        }
        var from = start;
        var response = dynamo.query(q -> q.tableName(table).indexName(BY_TIME).keyConditionExpression("incidentId = :id")
                .expressionAttributeValues(Map.of(":id", s(incidentId))).scanIndexForward(false).limit(limit).exclusiveStartKey(from));
        var last = response.lastEvaluatedKey();
        String next = last == null || last.isEmpty() ? null : java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (last.get("at").s() + "\n" + last.get("firing").s()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Page(response.items().stream().map(DynamoIncidentAlerts::alert).toList(), next);
    }

    private List<IncidentAlert> query(String incidentId, String index, int limit) {
        return dynamo.query(q -> q.tableName(table).indexName(index).keyConditionExpression("incidentId = :id")
                        .expressionAttributeValues(Map.of(":id", s(incidentId))).scanIndexForward(false).limit(limit))
                .items().stream().map(DynamoIncidentAlerts::alert).toList();
    }

    private static IncidentAlert alert(Map<String, AttributeValue> item) {
        String firing = item.get("firing").s();
        return new IncidentAlert(firing.substring(0, firing.indexOf('#')), Instant.parse(item.get("startsAt").s()),
                item.get("status").s(), item.containsKey("endsAt") ? Instant.parse(item.get("endsAt").s()) : null,
                text(item, "name"), text(item, "service"), text(item, "summary"));
    }

    private static Map<String, AttributeValue> key(String incidentId, IncidentAlert alert) {
        return Map.of("incidentId", s(incidentId), "firing", s(firingKey(alert)));
    }

    private static String firingKey(IncidentAlert alert) {
        return alert.fingerprint() + "#" + alert.startsAt();
    }

    private static void putText(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value.length() > MAX_SUMMARY_CHARS ? value.substring(0, MAX_SUMMARY_CHARS) + "…" : value));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }
}
