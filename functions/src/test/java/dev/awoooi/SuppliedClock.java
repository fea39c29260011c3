package dev.awoooi;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/** A UTC clock that reads the time a test sets: {@code SuppliedClock.of(() -> now)}. */
public final class SuppliedClock extends Clock {
    private final Supplier<Instant> now;

    private SuppliedClock(Supplier<Instant> now) {
        this.now = now;
    }

    public static Clock of(Supplier<Instant> now) {
        return new SuppliedClock(now);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
