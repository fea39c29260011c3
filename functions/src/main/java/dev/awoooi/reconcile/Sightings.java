package dev.awoooi.reconcile;

/** Port: what has been seen before (a dead letter that was already carded), remembered for a while. */
public interface Sightings {
    /** True the first time {@code key} is seen; remembers it. */
    boolean first(String key);

    /** Forgets {@code key}: it will be seen for the first time again (its card did not go out). */
    void forget(String key);
}
