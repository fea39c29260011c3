package dev.awoooi.incident;

import java.time.Duration;
import java.time.Instant;

/** How often an open investigation's alert fired again and people were told, and when they were told last. */
public record Reminders(int count, Instant lastAt) {
    public static final Reminders NONE = new Reminders(0, null);

    /**
     * Whether a repeat now should tell people again: not within {@code quiet} of the last reminder, or, before the
     * first, of {@code since} (when they were first told: a retry or a group re-send seconds later is no news).
     */
    public boolean due(Instant now, Duration quiet, Instant since) {
        Instant told = lastAt != null ? lastAt : since;
        return !told.plus(quiet).isAfter(now);
    }
}
