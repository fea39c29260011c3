package dev.awoooi.alert;

/**
 * Work item for redact: the raw alert, encrypted, so that no queue ever carries personal data in the clear. An
 * alert too large for a message travels as a {@code spilled} reference instead of {@code sealed} text.
 * {@code truncatedAlerts} is what the sender's group left out. (Never name a field "payload": Spring Cloud
 * Function unwraps it.)
 */
public record SealedAlert(String incidentId, String source, String sealed, String spilled, int truncatedAlerts) {
    public SealedAlert {
        if ((sealed == null) == (spilled == null)) {
            throw new IllegalArgumentException("a sealed alert carries either its text or a spill reference");
        }
    }
}
