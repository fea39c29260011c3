package dev.awoooi.alert;

/**
 * Work item for redact: the raw alert, encrypted, so that no queue ever carries personal data in the clear.
 * (Never name a field "payload": Spring Cloud Function unwraps it.)
 */
public record SealedAlert(String incidentId, String source, String sealed) {
}
