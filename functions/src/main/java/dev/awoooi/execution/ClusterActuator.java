package dev.awoooi.execution;

import dev.awoooi.topology.WorkloadRef;

import java.time.Duration;
import java.time.Instant;

/** Port: the mutations AWOOOI may perform, and their verification. */
public interface ClusterActuator {
    /** Triggers a rolling restart stamped with {@code at}. */
    void restart(WorkloadRef target, Instant at);

    /** Waits until the restart stamped {@code at} has rolled out and every replica is ready; returns what it saw. */
    Verification awaitRollout(WorkloadRef target, Instant at, Duration timeout);

    record Verification(boolean complete, String detail) {
    }
}
