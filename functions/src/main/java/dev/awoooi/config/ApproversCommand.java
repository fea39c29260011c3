package dev.awoooi.config;

import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.approval.ApproverEntry;
import dev.awoooi.approval.Identity;
import dev.awoooi.approval.Role;
import dev.awoooi.store.DynamoApproverDirectory;
import dev.awoooi.store.DynamoAuditLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's command for the approver directory ({@code scripts/approvers}): list, add (or change) and remove
 * people, each change audited with who made it. It talks to DynamoDB with the operator's own credentials; of the
 * functions only the console writes the directory, for a signed-in admin.
 *
 * <pre>
 * approvers list
 * approvers add alice --roles devops,sre --identity email:alice@example.com --identity slack:T0001/U0001
 * approvers remove alice
 * </pre>
 * Environment: AWOOOI_TABLES_APPROVERS, AWOOOI_TABLES_AUDIT (the stack's outputs), optionally
 * AWOOOI_ENDPOINTS_DYNAMODB (an emulator) and AWOOOI_OPERATOR (who is making the change; default the OS user).
 */
public final class ApproversCommand {
    private final ApproverDirectory directory;
    private final String operator;
    private final PrintStream out;

    ApproversCommand(ApproverDirectory directory, String operator, PrintStream out) {
        this.directory = directory;
        this.operator = operator;
        this.out = out;
    }

    public static void main(String[] args) {
        var tables = OperatorTables.names(Map.of("AWOOOI_TABLES_APPROVERS", "ApproversTableName", "AWOOOI_TABLES_AUDIT", "AuditTableName"));
        String approvers = tables.get("AWOOOI_TABLES_APPROVERS");
        String audit = tables.get("AWOOOI_TABLES_AUDIT");
        try (DynamoDbClient dynamo = OperatorTables.dynamo()) {
            Clock clock = Clock.systemUTC();
            var directory = new DynamoApproverDirectory(dynamo, approvers, new DynamoAuditLog(dynamo, audit, clock), clock);
            String operator = System.getenv().getOrDefault("AWOOOI_OPERATOR", System.getProperty("user.name", "unknown"));
            System.exit(new ApproversCommand(directory, operator, System.out).run(List.of(args)));
        }
    }

    /** Returns the exit status: 0 done, 1 refused (the reason on stderr), 2 misused. */
    int run(List<String> args) {
        if (args.isEmpty()) {
            return usage("no command");
        }
        try {
            return switch (args.getFirst()) {
                case "list" -> list();
                case "add" -> add(args.subList(1, args.size()));
                case "remove" -> args.size() == 2 ? remove(args.get(1)) : usage("remove takes one approver id");
                default -> usage("unknown command " + args.getFirst());
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("refused: " + e.getMessage());
            return 1;
        }
    }

    private int list() {
        for (ApproverEntry entry : directory.all()) {
            out.println(entry.id() + "\t" + roles(entry.roles()) + "\t"
                    + entry.identities().stream().map(Identity::key).collect(Collectors.joining(" ")));
        }
        return 0;
    }

    private int add(List<String> args) {
        if (args.isEmpty() || args.getFirst().startsWith("--")) {
            return usage("add needs an approver id first");
        }
        String id = args.getFirst();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        List<Identity> identities = new ArrayList<>();
        for (int i = 1; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) {
                return usage(args.get(i) + " needs a value");
            }
            String value = args.get(i + 1);
            switch (args.get(i)) {
                case "--roles" -> {
                    for (String role : value.split(",")) {
                        try {
                            roles.add(Role.valueOf(role.trim().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            return usage("unknown role " + role + "; one of admin, devops, sre, cto, ciso");
                        }
                    }
                }
                case "--identity" -> identities.add(Identity.parse(value));
                default -> {
                    return usage("unknown option " + args.get(i));
                }
            }
        }
        boolean existed = directory.find(id).isPresent();
        directory.put(new ApproverEntry(id, roles, identities), operator);
        out.println((existed ? "changed " : "added ") + id + " (" + roles(roles) + ")");
        return 0;
    }

    private int remove(String id) {
        if (!directory.remove(id, operator)) {
            System.err.println("refused: no approver " + id);
            return 1;
        }
        out.println("removed " + id);
        return 0;
    }

    private static String roles(Set<Role> roles) {
        return roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(","));
    }

    private static int usage(String why) {
        System.err.println(why + "\nusage: approvers list | approvers add <id> --roles <role,...> [--identity <channel:subject>]... | approvers remove <id>"
                + "\n  roles: admin, devops, sre, cto, ciso; channels: slack:<team>/<user>, telegram:<user id>, discord:<user id>,"
                + " email:<address>, oidc:<issuer>|<subject>");
        return 2;
    }
}
