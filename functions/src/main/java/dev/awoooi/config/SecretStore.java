package dev.awoooi.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The secrets, read on first use and again once they are older than the time to live, so a rotation in Secrets
 * Manager takes effect in every warm Lambda within the TTL, without a redeploy. Nothing reads them at start-up: a
 * SnapStart snapshot never holds them (priming does not touch this store, and {@link #forget()} runs around the
 * checkpoint). When a refresh fails, the value in hand is kept for a short grace period and the failure is logged;
 * with no value in hand the failure is the caller's.
 */
public final class SecretStore {
    private static final Logger log = LoggerFactory.getLogger(SecretStore.class);
    static final Duration GRACE_AFTER_FAILED_REFRESH = Duration.ofSeconds(30);

    private final Supplier<Secrets> source;
    private final Duration ttl;
    private final Clock clock;
    private Secrets current;
    private Instant freshUntil = Instant.MIN;

    public SecretStore(Supplier<Secrets> source, Duration ttl, Clock clock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("the secrets' time to live must not be negative");
        }
        this.source = source;
        this.ttl = ttl;
        this.clock = clock;
    }

    public synchronized Secrets current() {
        Instant now = clock.instant();
        if (current != null && now.isBefore(freshUntil)) {
            return current;
        }
        try {
            current = source.get();
            freshUntil = now.plus(ttl);
        } catch (RuntimeException e) {
            if (current == null) {
                throw e;
            }
            // the exception text names the secret's ARN at most, never a value
            log.warn("could not refresh the secrets ({}); keeping the ones in hand for {}", e.getClass().getSimpleName(),
                    GRACE_AFTER_FAILED_REFRESH);
            freshUntil = now.plus(GRACE_AFTER_FAILED_REFRESH);
        }
        return current;
    }

    /** Drops what is held: the next use reads the secret again (before a snapshot, and after a restore). */
    public synchronized void forget() {
        current = null;
        freshUntil = Instant.MIN;
    }
}
