package dev.awoooi.store;

import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.approval.ApproverEntry;
import dev.awoooi.approval.Identity;
import dev.awoooi.approval.Role;
import dev.awoooi.audit.AuditLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.awoooi.store.DynamoIncidentStore.s;

/**
 * The approver directory in one table keyed by {@code pk}: a person is {@code approver#<id>} (roles, identity keys,
 * a version), and each identity is its own item {@code identity#<channel>:<subject>} naming its person, so one identity
 * can belong to one person only (a conditional put in the same transaction as the person). Every change is audited
 * under the subject {@code directory}, identities masked.
 */
public final class DynamoApproverDirectory implements ApproverDirectory {
    private static final String PERSON = "approver#";
    private static final String IDENTITY = "identity#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final AuditLog audit;
    private final Clock clock;

    public DynamoApproverDirectory(DynamoDbClient dynamo, String table, AuditLog audit, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public List<ApproverEntry> all() {
        List<ApproverEntry> out = new ArrayList<>();
        dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true).filterExpression("begins_with(pk, :p)")
                        .expressionAttributeValues(Map.of(":p", s(PERSON))))
                .items().forEach(item -> out.add(entry(item)));
        out.sort(Comparator.comparing(ApproverEntry::id));
        return out;
    }

    @Override
    public Optional<ApproverEntry> find(String id) {
        return person(id).map(DynamoApproverDirectory::entry);
    }

    @Override
    public Optional<ApproverEntry> byIdentity(Identity identity) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of("pk", s(IDENTITY + identity.key())))).item();
        return item == null || item.isEmpty() ? Optional.empty() : find(item.get("approver").s());
    }

    @Override
    public void put(ApproverEntry entry, String by) {
        Optional<Map<String, AttributeValue>> existing = person(entry.id());
        Set<String> before = existing.map(item -> Set.copyOf(item.getOrDefault("identities", AttributeValue.fromSs(List.of())).ss())).orElse(Set.of());
        Set<String> after = entry.identities().stream().map(Identity::key).collect(Collectors.toCollection(LinkedHashSet::new));
        long version = existing.map(item -> Long.parseLong(item.get("version").n())).orElse(0L);

        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, AttributeValue> person = new HashMap<>();
        person.put("pk", s(PERSON + entry.id()));
        person.put("roles", AttributeValue.fromSs(entry.roles().stream().map(Role::name).sorted().toList()));
        if (!after.isEmpty()) {
            person.put("identities", AttributeValue.fromSs(List.copyOf(after)));
        }
        person.put("version", AttributeValue.fromN(Long.toString(version + 1)));
        person.put("updatedAt", s(clock.instant().toString()));
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(person)
                .conditionExpression(existing.isEmpty() ? "attribute_not_exists(pk)" : "version = :v")
                .expressionAttributeValues(existing.isEmpty() ? null : Map.of(":v", AttributeValue.fromN(Long.toString(version))))).build());
        List<String> claimed = new ArrayList<>();
        for (String key : after) {
            if (!before.contains(key)) {
                claimed.add(key);
                writes.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                        .item(Map.of("pk", s(IDENTITY + key), "approver", s(entry.id())))
                        .conditionExpression("attribute_not_exists(pk) OR approver = :me")
                        .expressionAttributeValues(Map.of(":me", s(entry.id())))).build());
            }
        }
        for (String key : before) {
            if (!after.contains(key)) {
                writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of("pk", s(IDENTITY + key)))
                        .conditionExpression("approver = :me").expressionAttributeValues(Map.of(":me", s(entry.id())))).build());
            }
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.getFirst().code())) {
                throw new IllegalStateException("approver " + entry.id() + " changed meanwhile; nothing was written, try again");
            }
            for (int i = 0; i < claimed.size(); i++) {
                if (i + 1 < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(i + 1).code())) {
                    throw new IllegalArgumentException("the " + masked(claimed.get(i)) + " identity belongs to another approver; nothing was written");
                }
            }
            throw e;
        }
        audit.record("directory", existing.isEmpty() ? "approver-added" : "approver-changed", Map.of("approver", entry.id(),
                "roles", entry.roles().stream().map(Role::name).sorted().collect(Collectors.joining(",")),
                "identities", entry.identities().stream().map(Identity::masked).collect(Collectors.joining(",")), "by", by));
    }

    @Override
    public boolean remove(String id, String by) {
        Optional<Map<String, AttributeValue>> existing = person(id);
        if (existing.isEmpty()) {
            return false;
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of("pk", s(PERSON + id)))
                .conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", existing.get().get("version")))).build());
        for (String key : existing.get().getOrDefault("identities", AttributeValue.fromSs(List.of())).ss()) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of("pk", s(IDENTITY + key)))
                    .conditionExpression("approver = :me").expressionAttributeValues(Map.of(":me", s(id)))).build());
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes));
        } catch (TransactionCanceledException e) {
            throw new IllegalStateException("approver " + id + " changed meanwhile; nothing was removed, try again");
        }
        audit.record("directory", "approver-removed", Map.of("approver", id, "by", by));
        return true;
    }

    private Optional<Map<String, AttributeValue>> person(String id) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of("pk", s(PERSON + id)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static ApproverEntry entry(Map<String, AttributeValue> item) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        item.get("roles").ss().forEach(r -> roles.add(Role.valueOf(r)));
        List<Identity> identities = item.getOrDefault("identities", AttributeValue.fromSs(List.of())).ss().stream()
                .sorted().map(Identity::parse).toList();
        return new ApproverEntry(item.get("pk").s().substring(PERSON.length()), roles, identities);
    }

    private static String masked(String key) {
        return Identity.parse(key).masked();
    }
}
