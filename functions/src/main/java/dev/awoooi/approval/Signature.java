package dev.awoooi.approval;

import java.time.Instant;

/** One person's decision, bound to the exact plan they saw. */
public record Signature(String approver, Role role, Decision decision, String planHash, Instant at) {
}
