package dev.awoooi.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A label such as {@code [IP_1]}: the type of what was hidden and its ordinal within the incident. */
public record Pseudonym(String type, int ordinal) {
    public static final Pattern FORMAT = Pattern.compile("\\[([A-Z]+)_(\\d{1,6})]");

    public static Pseudonym parse(String label) {
        Matcher m = FORMAT.matcher(label);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a pseudonym label");
        }
        return new Pseudonym(m.group(1), Integer.parseInt(m.group(2)));
    }

    public static boolean isLabel(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    @Override
    public String toString() {
        return "[" + type + "_" + ordinal + "]";
    }
}
