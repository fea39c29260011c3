package dev.awoooi.alert;

/** The body is not an alert payload we accept; the message says why, for the 400 answer. */
public class InvalidAlertException extends RuntimeException {
    public InvalidAlertException(String reason) {
        super(reason);
    }
}
