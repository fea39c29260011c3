package dev.awoooi.privacy;

import java.util.List;
import java.util.function.Function;

/**
 * Replaces every sensitive value in a text by its incident-scoped pseudonym ({@code [IP_1]}, {@code [KEY_2]}), or,
 * for text that belongs to no incident (log lines), by its type alone ({@code [EMAIL]}).
 */
public final class PrivacyShield {
    private final SecretScanner scanner;

    public PrivacyShield(SecretScanner scanner) {
        this.scanner = scanner;
    }

    public PrivacyShield() {
        this(SecretScanner.standard());
    }

    public String redact(String text, PseudonymTable table) {
        return replace(text, d -> table.labelFor(d.type().label(), d.valueIn(text)));
    }

    /**
     * Masks with labels kept for the life of the returned function: the same value gets the same label in every text
     * it masks (one answer, one table), and nothing is kept in a vault.
     */
    public java.util.function.UnaryOperator<String> pseudonymizer() {
        PseudonymTable table = new PseudonymTable();
        return text -> redact(text, table);
    }

    /** Masks without remembering: for the log scrubber, where no incident owns the text. */
    public String mask(String text) {
        return replace(text, d -> "[" + d.type().label() + "]");
    }

    private String replace(String text, Function<Detection, String> replacement) {
        List<Detection> found = scanner.scan(text);
        if (found.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (Detection d : found) {
            out.append(text, last, d.start()).append(replacement.apply(d));
            last = d.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    /** The types found in the text ({@code EMAIL}, {@code AWS_KEY}), each once, never the values. */
    public List<String> detectedTypes(String text) {
        return scanner.scan(text).stream().map(d -> d.type().label()).distinct().sorted().toList();
    }

    /** True if any detector finds something: the test every outgoing message must pass. */
    public boolean finds(String text) {
        return !scanner.scan(text).isEmpty();
    }
}
