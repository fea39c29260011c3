package dev.awoooi.execution;

import dev.awoooi.dryrun.TargetState;

import java.time.Instant;

/**
 * What was done, when, and whether the result was verified on the cluster. Written twice: just before the mutation is
 * sent ({@code finishedAt} null: what is about to change, from what state, stamped when), and once it is settled.
 * An execution that dies in between is settled from the first record, by re-reading the target.
 *
 * @param before the target as probed just before the mutation; what verification compares against
 */
public record ExecutionReport(String action, String target, Instant startedAt, Instant finishedAt, boolean verified, String detail,
                              TargetState before) {

    /** The record written before the mutation is sent. */
    public static ExecutionReport applying(String action, String target, Instant startedAt, TargetState before) {
        return new ExecutionReport(action, target, startedAt, null, false, "sent to the cluster; not settled yet", before);
    }

    public boolean settled() {
        return finishedAt != null;
    }
}
