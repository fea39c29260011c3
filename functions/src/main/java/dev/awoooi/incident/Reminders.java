package dev.awoooi.incident;

import java.time.Duration;
import java.time.Instant;

/** How often an open investigation's alert fired again and people were told, and when they were told last. */
public record Reminders(int count, Instant lastAt) {
    public static final Reminders NONE = new Reminders(0, null);

    /** Whether a repeat now should tell people again: never told again yet, or not within {@code quiet}. */
    public boolean due(Instant now, Duration quiet) {
        return lastAt == null || !lastAt.plus(quiet).isAfter(now);
    }
}
