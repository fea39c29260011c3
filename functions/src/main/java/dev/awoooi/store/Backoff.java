package dev.awoooi.store;

import java.util.concurrent.ThreadLocalRandom;

/** Full-jitter exponential backoff between retries of a write that lost to a concurrent one (10 ms base, 640 ms cap). */
final class Backoff {
    private Backoff() {
    }

    static void pause(int attempt) {
        long cap = Math.min(640, 10L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
