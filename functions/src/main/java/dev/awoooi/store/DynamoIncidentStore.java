package dev.awoooi.store;

import dev.awoooi.analysis.IncidentHistory;
import dev.awoooi.analysis.PastIncident;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.incident.AlertCounts;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentIndex;
import dev.awoooi.incident.IncidentList;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.incident.StaleIncidentException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Incidents as one item each: indexed attributes for queries, the whole record as JSON, a version for locking, and
 * the alert counts as numbers beside them (see {@link DynamoIncidentAlerts}). The
 * {@code bySignature} index (service and alert name, hashed) answers "what happened the last times"; the {@code byStatus}
 * index (status, then last update) projects what a list shows of each, so the console reads no document to list them.
 */
public final class DynamoIncidentStore implements IncidentStore, IncidentHistory, IncidentIndex, IncidentList {
    static final String SIGNATURE_INDEX = "bySignature", STATUS_INDEX = "byStatus";
    /** The {@link AlertCounts}, top-level numbers beside the versioned document, moved only by ADD. */
    static final String ALERTS = "alertCount", FIRING = "firingCount", TRUNCATED = "truncatedAlerts";
    /** An open investigation's reminders, beside the document so the stream shows a new one without parsing it. */
    static final String REMINDERS = "reminders";
    /** How many signatures the incident holds: the change stream tells a new one from any other write by it. */
    static final String SIGNED = "signed";

    /** What the status index projects for a list (template.yaml names the same, a test holds them equal). */
    public static final List<String> LISTED = List.of("receivedAt", "alertName", "service", "namespace", "severity", "risk", "action",
            "rootCause", "required", "asked", "signers", "requestExpires");
    /** A listed action's description is cut here: the list shows a line of it. */
    static final int LISTED_ACTION_CHARS = 300;

    private final DynamoDbClient dynamo;
    private final String table;
    private final ObjectMapper json;
    private final int filteredReads;

    public DynamoIncidentStore(DynamoDbClient dynamo, String table, ObjectMapper json) {
        this(dynamo, table, json, FILTERED_READS);
    }

    /** @param filteredReads the fewest index items a filtered page reads per status (tests make it small) */
    public DynamoIncidentStore(DynamoDbClient dynamo, String table, ObjectMapper json, int filteredReads) {
        this.dynamo = dynamo;
        this.table = table;
        this.json = json;
        this.filteredReads = filteredReads;
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
                .expressionAttributeValues(Map.of(":s", s(status.name()), ":before", s(sortable(updatedBefore))))
                .limit(Math.min(limit, 100)));
        return pages.items().stream().limit(limit).map(item -> item.get("id").s()).toList();
    }

    private Map<String, AttributeValue> item(Incident incident) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "id", s(incident.id()),
                "version", n(incident.version()),
                "status", s(incident.status().name()),
                "updatedAt", s(sortable(incident.updatedAt())),
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
        listed(incident, item);
        return item;
    }

    /** The attributes a list shows, beside the document (the status index projects them). */
    private static void listed(Incident incident, Map<String, AttributeValue> item) {
        text(item, "alertName", incident.alertName());
        text(item, "service", incident.service());
        text(item, "namespace", incident.labels().get("namespace"));
        text(item, "severity", incident.labels().get("severity"));
        var analysis = incident.analysis();
        if (analysis != null) {
            text(item, "risk", analysis.risk().level().name());
            String action = analysis.action().describe();
            text(item, "action", action.length() > LISTED_ACTION_CHARS ? action.substring(0, LISTED_ACTION_CHARS - 1) + "…" : action);
            text(item, "rootCause", analysis.rootCauses().isEmpty() ? null : analysis.rootCauses().getFirst().service());
        }
        var request = incident.approval();
        if (request != null) {
            item.put("required", n(request.requirement().count()));
            text(item, "asked", request.approvers().stream().map(dev.awoooi.approval.Approver::name).collect(Collectors.joining(" ")));
            text(item, "signers", incident.signatures().stream().filter(sig -> sig.planHash().equals(request.planHash()))
                    .map(sig -> sig.approver() + ":" + sig.decision().name()).collect(Collectors.joining(" ")));
            text(item, "requestExpires", request.expiresAt().toString());
        }
    }

    private static void text(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isEmpty()) {
            item.put(name, s(value));
        }
    }

    // ------------------------------------------------------------------ the console's list

    /** The fewest index items a filtered page reads per status. */
    static final int FILTERED_READS = 200;

    /** Index items a page reads per status: a filtered page reads more, to fill itself, but never unboundedly many. */
    private int reads(Filter filter, int limit) {
        boolean narrowed = filter.service() != null || filter.namespace() != null || filter.risk() != null || filter.severity() != null;
        return narrowed ? Math.max(filteredReads, limit * 4) : limit;
    }

    @Override
    public Listing list(Set<IncidentStatus> statuses, Filter filter, String cursor, int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("a page lists 1 to 500 incidents");
        }
        Map<IncidentStatus, Optional<Map<String, AttributeValue>>> from = ListCursor.read(cursor, statuses);
        // one query per status, all at once: a page costs the slowest of them, not their sum
        List<Batch> batches;
        try (var parallel = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var pending = from.entrySet().stream().map(e -> parallel.submit(() -> query(e.getKey(), e.getValue().orElse(null), filter,
                    reads(filter, limit)))).toList();
            batches = new ArrayList<>();
            for (var one : pending) {
                batches.add(one.get());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing incidents", e);
        }
        // Nothing unread of a status that still has more can be newer than the key it stopped at: rows older than the
        // newest such key wait for the next page, so the pages merge the statuses in one order without gaps.
        String threshold = batches.stream().filter(b -> b.last() != null).map(b -> b.last().get("updatedAt").s())
                .max(Comparator.naturalOrder()).orElse("");
        List<Map<String, AttributeValue>> page = batches.stream().flatMap(b -> b.items().stream())
                .filter(item -> item.get("updatedAt").s().compareTo(threshold) >= 0)
                .sorted(Comparator.comparing((Map<String, AttributeValue> item) -> item.get("updatedAt").s()).reversed())
                .limit(limit).toList();
        Map<IncidentStatus, Optional<Map<String, AttributeValue>>> next = new LinkedHashMap<>();
        for (Batch batch : batches) {
            List<Map<String, AttributeValue>> taken = batch.items().stream().filter(page::contains).toList();
            if (taken.size() == batch.items().size()) {
                if (batch.last() != null) {
                    next.put(batch.status(), Optional.of(batch.last()));
                }
            } else {
                next.put(batch.status(), taken.isEmpty() ? batch.start() : Optional.of(indexKey(taken.getLast())));
            }
        }
        return new Listing(page.stream().map(DynamoIncidentStore::listed).toList(), next.isEmpty() ? null : ListCursor.write(next));
    }

    /** One status's part of a page: the matching items read, where it started, and the last key read (null: no more). */
    private record Batch(IncidentStatus status, Optional<Map<String, AttributeValue>> start, List<Map<String, AttributeValue>> items,
                         Map<String, AttributeValue> last) {
    }

    private Batch query(IncidentStatus status, Map<String, AttributeValue> start, Filter filter, int reads) {
        Map<String, String> names = new HashMap<>(Map.of("#s", "status"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":s", s(status.name())));
        String key = "#s = :s";
        if (filter.since() != null) {
            key += " AND updatedAt >= :since";
            values.put(":since", s(sortable(filter.since())));
        }
        List<String> conditions = new ArrayList<>();
        Map<String, String> equal = new LinkedHashMap<>();
        equal.put("service", filter.service());
        equal.put("namespace", filter.namespace());
        equal.put("risk", filter.risk());
        equal.put("severity", filter.severity());
        equal.forEach((name, value) -> {
            if (value != null) {
                names.put("#" + name, name);
                values.put(":" + name, s(value));
                conditions.add("#" + name + " = :" + name);
            }
        });
        String keyCondition = key;
        var response = dynamo.query(r -> r.tableName(table).indexName(STATUS_INDEX).keyConditionExpression(keyCondition)
                .filterExpression(conditions.isEmpty() ? null : String.join(" AND ", conditions))
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .scanIndexForward(false).limit(reads).exclusiveStartKey(start));
        var last = response.lastEvaluatedKey() == null || response.lastEvaluatedKey().isEmpty() ? null : response.lastEvaluatedKey();
        return new Batch(status, Optional.ofNullable(start), response.items(), last);
    }

    private static Map<String, AttributeValue> indexKey(Map<String, AttributeValue> item) {
        return Map.of("id", item.get("id"), "status", item.get("status"), "updatedAt", item.get("updatedAt"));
    }

    private static Listed listed(Map<String, AttributeValue> item) {
        Map<String, String> signers = new LinkedHashMap<>();
        for (String signer : optional(item, "signers", "").split(" ")) {
            int colon = signer.lastIndexOf(':');
            if (colon > 0) {
                signers.put(signer.substring(0, colon), signer.substring(colon + 1));
            }
        }
        String asked = optional(item, "asked", "");
        String expires = optional(item, "requestExpires", null);
        return new Listed(item.get("id").s(), IncidentStatus.valueOf(item.get("status").s()), Instant.parse(item.get("updatedAt").s()),
                item.containsKey("receivedAt") ? Instant.parse(item.get("receivedAt").s()) : null, optional(item, "alertName", null),
                optional(item, "severity", null), optional(item, "service", null), optional(item, "namespace", null),
                optional(item, "rootCause", null), optional(item, "action", null), optional(item, "risk", null), (int) number(item, "required"),
                asked.isEmpty() ? List.of() : List.of(asked.split(" ")), signers, expires == null ? null : Instant.parse(expires));
    }

    private static String optional(Map<String, AttributeValue> item, String name, String otherwise) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? otherwise : value.s();
    }

    /**
     * The index's sort key: fixed-width UTC with nanoseconds, so text order is time order (Instant.toString drops trailing
     * zeros: "…:00Z" would sort after "…:00.5Z"). Items written before it sort by their old text within their second.
     */
    static final java.time.format.DateTimeFormatter SORTABLE = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    public static String sortable(Instant instant) {
        return SORTABLE.format(instant);
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
