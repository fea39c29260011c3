package dev.awoooi.alert;

/**
 * Port: keeps a sealed alert too large for a queue message (SQS takes 256 KB) and hands back a reference to send
 * instead: the claim-check pattern.
 */
public interface PayloadSpill {
    String keep(String incidentId, String sealed);

    /** The sealed text behind {@code ref}; fails if any part is missing. */
    String take(String ref);
}
