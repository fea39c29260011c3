package dev.awoooi.execution;

import java.time.Duration;
import java.util.Optional;

/** Port: at most one execution per plan, however often the work item is delivered. */
public interface ExecutionClaims {
    /** True if this caller now owns the execution; false if somebody claimed it before. */
    boolean claim(String key, Duration ttl);

    void complete(String key);

    /**
     * Holds a target object (a keyed hash of it) for this incident's execution until it is released or {@code ttl}
     * passes (a killed execution holds it no longer); the incident whose execution holds it, if another.
     */
    Optional<String> holdTarget(String target, String incidentId, Duration ttl);

    void releaseTarget(String target, String incidentId);
}
