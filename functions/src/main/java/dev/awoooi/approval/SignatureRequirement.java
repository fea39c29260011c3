package dev.awoooi.approval;

import dev.awoooi.action.RiskLevel;

import java.util.EnumSet;
import java.util.Set;

/** How many signatures a risk needs, from which roles, and which roles must be among them. */
public record SignatureRequirement(int count, Set<Role> eligible, Set<Role> mandatory) {
    private static final Set<Role> OPERATORS = EnumSet.of(Role.ADMIN, Role.DEVOPS, Role.SRE);

    /** "2 of admin, devops, sre" or "2 of cto, ciso, each of cto, ciso by a different person". */
    public String describe() {
        String from = eligible.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted().collect(java.util.stream.Collectors.joining(", "));
        String must = mandatory.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted().collect(java.util.stream.Collectors.joining(", "));
        return count + " of " + from + (mandatory.isEmpty() ? "" : ", each of " + must + " by a different person");
    }

    public static SignatureRequirement forRisk(RiskLevel risk) {
        return switch (risk) {
            case LOW -> new SignatureRequirement(0, Set.of(), Set.of());
            case MEDIUM -> new SignatureRequirement(1, OPERATORS, Set.of());
            case HIGH -> new SignatureRequirement(2, OPERATORS, Set.of());
            case CRITICAL -> new SignatureRequirement(2, EnumSet.of(Role.CTO, Role.CISO), EnumSet.of(Role.CTO, Role.CISO));
        };
    }
}
