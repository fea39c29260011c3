package dev.awoooi.approval;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A person an approval request asks, as the request keeps them: their directory id and the roles they held when it
 * opened. No identity: the request travels in the incident's events.
 */
public record Approver(String name, Set<Role> roles) {

    public Approver {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** Reads requests stored before people could hold several roles ({"name", "role"}) as well as today's. */
    @com.fasterxml.jackson.annotation.JsonCreator
    static Approver fromJson(@com.fasterxml.jackson.annotation.JsonProperty("name") String name,
                             @com.fasterxml.jackson.annotation.JsonProperty("roles") Set<Role> roles,
                             @com.fasterxml.jackson.annotation.JsonProperty("role") Role role) {
        return new Approver(name, roles != null ? roles : role == null ? Set.of() : Set.of(role));
    }

    public Approver(String name, Role role) {
        this(name, Set.of(role));
    }

    /** Reads "alice:devops,bob:sre,dana:cto+ciso" (tests and tools). */
    public static List<Approver> parseAll(String spec) {
        List<Approver> approvers = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return approvers;
        }
        for (String entry : spec.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 2 || !parts[0].matches(ApproverEntry.ID_PATTERN)) {
                throw new IllegalArgumentException("approver entry must be name:role[+role], got '" + entry.trim() + "'");
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String role : parts[1].split("\\+")) {
                roles.add(Role.valueOf(role.trim().toUpperCase(Locale.ROOT)));
            }
            approvers.add(new Approver(parts[0], roles));
        }
        return approvers;
    }
}
