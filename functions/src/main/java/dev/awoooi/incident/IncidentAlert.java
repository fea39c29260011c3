package dev.awoooi.incident;

import java.time.Instant;

/** One alert of an incident, after the Privacy Shield: its firing key, where it stands, what it says. */
public record IncidentAlert(
        String fingerprint,
        Instant startsAt,
        String status,
        Instant endsAt,
        String name,
        String service,
        String summary) {

    public boolean resolved() {
        return "resolved".equals(status);
    }
}
