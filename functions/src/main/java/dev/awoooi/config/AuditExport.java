package dev.awoooi.config;

import dev.awoooi.audit.AuditChain;
import dev.awoooi.audit.AuditEntry;
import dev.awoooi.store.DynamoAuditLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code scripts/audit-export <day>}: a day's audit trail (UTC) as JSON Lines on stdout, one item per line in time
 * order, each with its chain link and hash; on stderr, whether each subject's part of its chain verifies.
 * Environment: AWOOOI_TABLES_AUDIT (the stack output AuditTableName), optionally AWOOOI_ENDPOINTS_DYNAMODB.
 */
public final class AuditExport {
    private AuditExport() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: audit-export <day, e.g. 2026-12-01>");
            System.exit(2);
        }
        String audit = OperatorTables.names(Map.of("AWOOOI_TABLES_AUDIT", "AuditTableName")).get("AWOOOI_TABLES_AUDIT");
        LocalDate day;
        try {
            day = LocalDate.parse(args[0]);
        } catch (DateTimeParseException e) {
            System.err.println("not a day (YYYY-MM-DD): " + args[0]);
            System.exit(2);
            return;
        }
        try (DynamoDbClient dynamo = OperatorTables.dynamo()) {
            System.exit(export(new DynamoAuditLog(dynamo, audit, Clock.systemUTC()).day(day), System.out, System.err));
        }
    }

    /** Writes the lines; returns 0 if every subject's part verifies, 1 if not (the problems on {@code err}). */
    public static int export(List<AuditEntry> items, PrintStream out, PrintStream err) {
        var json = JsonMapper.builder().build();
        items.stream().sorted(Comparator.comparing(AuditEntry::at).thenComparing(AuditEntry::subject).thenComparingLong(AuditEntry::seq))
                .forEach(entry -> out.println(json.writeValueAsString(ReadViews.entry(entry))));
        Map<String, List<AuditEntry>> bySubject = items.stream().collect(Collectors.groupingBy(AuditEntry::subject, TreeMap::new,
                Collectors.collectingAndThen(Collectors.toList(), l -> l.stream().sorted(Comparator.comparingLong(AuditEntry::seq)).toList())));
        int broken = 0;
        for (var chain : bySubject.entrySet()) {
            var verification = AuditChain.verifyPart(chain.getValue());
            if (!verification.verified()) {
                broken++;
                err.println(chain.getKey() + ": " + String.join("; ", verification.problems()));
            }
        }
        err.println(items.size() + " items, " + bySubject.size() + " subjects, " + (broken == 0 ? "every chain verifies" : broken + " chain(s) do not verify"));
        return broken == 0 ? 0 : 1;
    }
}
