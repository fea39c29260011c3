package dev.awoooi.alert;

/** Reads one source's webhook body; throws {@link InvalidAlertException} naming the field that is wrong. */
public interface AlertParser {
    AlertBatch parse(String body);
}
