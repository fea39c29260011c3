package dev.awoooi.execution;

import dev.awoooi.action.Action;
import dev.awoooi.dryrun.TargetState;

import java.time.Duration;
import java.time.Instant;

/** Port: the mutations of the catalog, and the verification each declares. */
public interface ClusterActuator {
    /** Performs a mutating action, stamped with {@code at} where the object can carry it (a restart). */
    void apply(Action action, Instant at);

    /** Waits until the action's effect is observed (see its spec's verification), at most {@code timeout}. */
    Verification verify(Action action, TargetState before, Instant at, Duration timeout);

    record Verification(boolean complete, String detail) {
    }
}
