package dev.awoooi.analysis;

/** A service that suffers while the root cause is down. */
public record Impact(String service, int depth, int pods) {
}
