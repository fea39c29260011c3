package dev.awoooi.approval;

import dev.awoooi.action.RiskLevel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the plan needs before it may run: signatures for its risk, from the listed approvers, before expiry.
 *
 * @param why why this many signatures: the pattern's trust, or what kept trust from counting; null if not weighed
 */
public record ApprovalRequest(
        RiskLevel risk,
        SignatureRequirement requirement,
        List<Approver> approvers,
        String planHash,
        Instant requestedAt,
        Instant expiresAt,
        String why) {

    public ApprovalRequest {
        approvers = List.copyOf(approvers);
    }

    public ApprovalRequest(RiskLevel risk, SignatureRequirement requirement, List<Approver> approvers, String planHash, Instant requestedAt,
                           Instant expiresAt) {
        this(risk, requirement, approvers, planHash, requestedAt, expiresAt, null);
    }

    public enum Outcome { PENDING, GRANTED, REJECTED }

    /**
     * Whether each signature must come from an OpenID Connect sign-in on the approval page: CRITICAL requests. A chat
     * click or a link alone proves possession of an account or a mailbox; these need the organisation's sign-in.
     */
    public boolean needsSignIn() {
        return risk == RiskLevel.CRITICAL;
    }

    /** The person the request asks, by directory id. */
    public Optional<Approver> approver(String name) {
        return approvers.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * Counts one signature per person, from people this request asks, for this plan only. A person counts once
     * whatever roles they hold: each mandatory role needs its own person (the CTO cannot sign as the CISO too, even
     * if the directory gives one person both roles).
     */
    public Outcome outcome(List<Signature> signatures) {
        Map<String, Approver> asked = eligible().stream().collect(Collectors.toMap(Approver::name, Function.identity()));
        List<Signature> valid = signatures.stream()
                .filter(s -> s.planHash().equals(planHash) && asked.containsKey(s.approver()))
                .toList();
        if (valid.stream().anyMatch(s -> s.decision() == Decision.REJECT)) {
            return Outcome.REJECTED;
        }
        List<Approver> approving = valid.stream().filter(s -> s.decision() == Decision.APPROVE).map(Signature::approver)
                .distinct().map(asked::get).toList();
        return approving.size() >= requirement.count() && coversMandatory(approving) ? Outcome.GRANTED : Outcome.PENDING;
    }

    /** Whether the people asked could ever grant it: enough of them, and a different one for each mandatory role. */
    public boolean satisfiable() {
        List<Approver> eligible = eligible();
        return eligible.size() >= requirement.count() && coversMandatory(eligible);
    }

    /** The people asked, each with only the roles that count for this request; nobody without one. */
    private List<Approver> eligible() {
        return approvers.stream().map(a -> new Approver(a.name(), a.roles().stream().filter(requirement.eligible()::contains)
                        .collect(Collectors.toSet())))
                .filter(a -> !a.roles().isEmpty()).toList();
    }

    /** Whether each mandatory role can be given to a different one of these people (a small bipartite matching). */
    private boolean coversMandatory(List<Approver> people) {
        return assign(new ArrayList<>(requirement.mandatory()), 0, people, new HashSet<>());
    }

    private static boolean assign(List<Role> roles, int next, List<Approver> people, Set<String> taken) {
        if (next == roles.size()) {
            return true;
        }
        for (Approver person : people) {
            if (!taken.contains(person.name()) && person.roles().contains(roles.get(next))) {
                taken.add(person.name());
                if (assign(roles, next + 1, people, taken)) {
                    return true;
                }
                taken.remove(person.name());
            }
        }
        return false;
    }
}
