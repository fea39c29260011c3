package dev.awoooi.config;

import dev.awoooi.action.Scope;
import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.approval.Role;
import dev.awoooi.store.DynamoApproverDirectory;
import dev.awoooi.store.DynamoAuditLog;
import dev.awoooi.store.DynamoTrustStore;
import dev.awoooi.trust.TrustLedger;
import dev.awoooi.trust.TrustPolicy;
import dev.awoooi.trust.TrustRecord;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's command for progressive trust ({@code scripts/trust}): list the patterns, and, as an admin of the
 * approver directory, start a pattern over or clear a tripped circuit breaker. Every change is audited on the
 * pattern's trail with who made it.
 *
 * <pre>
 * trust list
 * trust reset 'restart_statefulset:production/postgres-db@default' --as carol
 * trust clear 'restart_deployment:production/order-api@default' --as carol
 * </pre>
 * Environment: AWOOOI_TABLES_TRUST, AWOOOI_TABLES_AUDIT, AWOOOI_TABLES_APPROVERS (the stack's outputs), optionally
 * AWOOOI_ENDPOINTS_DYNAMODB (an emulator).
 */
public final class TrustCommand {
    private final TrustLedger ledger;
    private final ApproverDirectory directory;
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;

    public TrustCommand(TrustLedger ledger, ApproverDirectory directory, Clock clock, PrintStream out, PrintStream err) {
        this.ledger = ledger;
        this.directory = directory;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    /** The ledger for an operator's changes: it never weighs a plan, so it needs no scope, cluster or event bus. */
    public static TrustLedger operatorsLedger(DynamoDbClient dynamo, String trust, String audit, Clock clock) {
        return new TrustLedger(new DynamoTrustStore(dynamo, trust, JsonMapper.builder().build()), new DynamoAuditLog(dynamo, audit, clock),
                event -> {
                    throw new IllegalStateException("the operator's command publishes nothing");
                }, new TrustPolicy(TrustPolicy.Thresholds.DEFAULT), new Scope(Set.of("operator"), false), "operator", clock);
    }

    public static void main(String[] args) {
        var tables = OperatorTables.names(Map.of("AWOOOI_TABLES_TRUST", "TrustTableName", "AWOOOI_TABLES_AUDIT", "AuditTableName",
                "AWOOOI_TABLES_APPROVERS", "ApproversTableName"));
        String trust = tables.get("AWOOOI_TABLES_TRUST");
        String audit = tables.get("AWOOOI_TABLES_AUDIT");
        String approvers = tables.get("AWOOOI_TABLES_APPROVERS");
        try (DynamoDbClient dynamo = OperatorTables.dynamo()) {
            Clock clock = Clock.systemUTC();
            var directory = new DynamoApproverDirectory(dynamo, approvers, new DynamoAuditLog(dynamo, audit, clock), clock);
            System.exit(new TrustCommand(operatorsLedger(dynamo, trust, audit, clock), directory, clock, System.out, System.err).run(List.of(args)));
        }
    }

    /** Returns the exit status: 0 done, 1 refused (the reason on stderr), 2 misused. */
    public int run(List<String> args) {
        if (args.isEmpty()) {
            return usage("no command");
        }
        return switch (args.getFirst()) {
            case "list" -> list();
            case "reset", "clear" -> {
                if (args.size() != 4 || !args.get(2).equals("--as")) {
                    yield usage(args.getFirst() + " takes a pattern and --as <admin>");
                }
                yield change(args.getFirst(), args.get(1), args.get(3));
            }
            default -> usage("unknown command " + args.getFirst());
        };
    }

    private int list() {
        var halfLife = ledger.thresholds().halfLife();
        for (TrustRecord record : ledger.all()) {
            out.println(record.key() + "\tscore " + record.score(clock.instant(), halfLife) + "\tcredits " + record.credits()
                    + "\tresets " + record.resets()
                    + (record.lastReset() == null ? "" : "\tlast reset " + record.lastReset().at() + ": " + record.lastReset().reason())
                    + (record.tripped() == null ? "" : "\tBREAKER TRIPPED " + record.tripped().at() + ": " + record.tripped().reason()));
        }
        return 0;
    }

    private int change(String what, String key, String admin) {
        if (directory.find(admin).map(entry -> !entry.roles().contains(Role.ADMIN)).orElse(true)) {
            err.println("refused: " + admin + " is not an admin in the approver directory");
            return 1;
        }
        if (ledger.all().stream().noneMatch(record -> record.key().equals(key))) {
            err.println("refused: no pattern " + key + " (scripts/trust list shows them)");
            return 1;
        }
        if (what.equals("reset")) {
            ledger.reset(key, admin);
            out.println("reset " + key + " to 0 (audited, by " + admin + ")");
            return 0;
        }
        if (!ledger.clear(key, admin)) {
            err.println("refused: the circuit breaker of " + key + " does not hold");
            return 1;
        }
        out.println("cleared the circuit breaker of " + key + " (audited, by " + admin + ")");
        return 0;
    }

    private int usage(String why) {
        err.println(why + "\nusage: trust list | trust reset <pattern> --as <admin> | trust clear <pattern or cluster@name> --as <admin>");
        return 2;
    }
}
