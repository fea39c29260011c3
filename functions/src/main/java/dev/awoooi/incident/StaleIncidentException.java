package dev.awoooi.incident;

/** A conditional write lost a race: somebody else changed the incident first. Never overwrite; retry or fail. */
public class StaleIncidentException extends RuntimeException {
    public StaleIncidentException(String id, long expectedVersion) {
        super("incident " + id + " changed concurrently (expected version " + expectedVersion + ")");
    }
}
