package dev.awoooi.execution;

import java.time.Duration;

/** Port: at most one execution per plan, however often the work item is delivered. */
public interface ExecutionClaims {
    /** True if this caller now owns the execution; false if somebody claimed it before. */
    boolean claim(String key, Duration ttl);

    void complete(String key);
}
