package dev.awoooi.approval;

import java.time.Instant;

/**
 * One person's decision, bound to the exact plan they saw: who (their directory id), through what ({@code via}: the
 * channel and the platform's id for them, or the link made for them), and when. Which of their roles it counts for is
 * decided by the quorum ({@link ApprovalRequest#outcome}), not by the signer.
 */
public record Signature(String approver, Decision decision, String planHash, Instant at, Identity via) {
}
