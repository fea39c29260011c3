package dev.awoooi.execution;

import java.time.Instant;

/** What was done, when, and whether the result was verified on the cluster. */
public record ExecutionReport(String action, String target, Instant startedAt, Instant finishedAt, boolean verified, String detail) {
}
