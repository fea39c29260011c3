package dev.awoooi.privacy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in text and replaces each value by its incident-scoped pseudonym. Detectors run in order;
 * a later detector never sees what an earlier one replaced.
 */
public final class PrivacyShield {

    /** A kind of sensitive value and how to recognise it. */
    public record Detector(String type, Pattern pattern) {
    }

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    public static final List<Detector> DEFAULT_DETECTORS = List.of(
            new Detector("EMAIL", Pattern.compile(
                    "(?<![\\w.+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![\\w-])")),
            new Detector("IP", Pattern.compile(
                    "(?<![\\w.])" + OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET + "(?!\\w|\\.\\d)")));

    private final List<Detector> detectors;

    public PrivacyShield(List<Detector> detectors) {
        this.detectors = List.copyOf(detectors);
    }

    public PrivacyShield() {
        this(DEFAULT_DETECTORS);
    }

    public String redact(String text, PseudonymTable table) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Detector detector : detectors) {
            Matcher m = detector.pattern().matcher(out);
            StringBuilder sb = null;
            while (m.find()) {
                if (sb == null) {
                    sb = new StringBuilder(out.length());
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(table.labelFor(detector.type(), m.group())));
            }
            if (sb != null) {
                m.appendTail(sb);
                out = sb.toString();
            }
        }
        return out;
    }

    /** True if any detector would change the text: the test every outgoing message must pass. */
    public boolean finds(String text) {
        return text != null && detectors.stream().anyMatch(d -> d.pattern().matcher(text).find());
    }
}
