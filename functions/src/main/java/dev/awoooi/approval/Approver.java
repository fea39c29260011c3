package dev.awoooi.approval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A person who may sign, and in which role. */
public record Approver(String name, Role role) {

    /** Reads "alice:devops,bob:sre" as configured in the template or the environment. */
    public static List<Approver> parseAll(String spec) {
        List<Approver> approvers = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return approvers;
        }
        for (String entry : spec.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 2 || !parts[0].matches("[a-z][a-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException("approver entry must be name:role, got '" + entry.trim() + "'");
            }
            approvers.add(new Approver(parts[0], Role.valueOf(parts[1].trim().toUpperCase(Locale.ROOT))));
        }
        return approvers;
    }
}
