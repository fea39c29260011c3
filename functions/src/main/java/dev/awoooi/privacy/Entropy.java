package dev.awoooi.privacy;

import java.util.Locale;
import java.util.Set;

/** Tells a credential from a word, a placeholder or a number, for detectors that have no prefix to go by. */
final class Entropy {
    private Entropy() {
    }

    private static final Set<String> PLACEHOLDERS = Set.of("redacted", "null", "none", "nil", "true", "false", "undefined",
            "changeme", "change_me", "password", "secret", "example", "placeholder", "unset", "empty", "hidden", "masked", "sensitive");

    /** Shannon entropy in bits per character. */
    static double bitsPerChar(String value) {
        int[] counts = new int[128];
        int other = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double bits = 0;
        double n = value.length();
        for (int count : counts) {
            if (count > 0) {
                double p = count / n;
                bits -= p * Math.log(p);
            }
        }
        if (other > 0) {
            double p = other / n;
            bits -= p * Math.log(p);
        }
        return bits / Math.log(2);
    }

    /** Templating, masking or an obvious stand-in: {@code ${TOKEN}}, {@code <redacted>}, {@code ****}, {@code xxx}. */
    static boolean isPlaceholder(String value) {
        if (value.isEmpty()) {
            return true;
        }
        char first = value.charAt(0);
        if (first == '$' || first == '<' || first == '{' || first == '%' || first == '*' || first == '[' || first == '(') {
            return true;
        }
        if (value.length() <= 11 && PLACEHOLDERS.contains(value.toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (value.regionMatches(true, 0, "your", 0, 4) || value.regionMatches(true, 0, "xxx", 0, 3)) {
            return true;
        }
        return distinctChars(value) <= 2;
    }

    private static int distinctChars(String value) {
        boolean[] seen = new boolean[128];
        int distinct = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 128) {
                return 3;
            }
            if (!seen[c]) {
                seen[c] = true;
                if (++distinct > 2) {
                    return distinct;
                }
            }
        }
        return distinct;
    }

    /** Character classes present: lowercase, uppercase, digits, anything else. */
    static int classes(String value) {
        boolean lower = false, upper = false, digit = false, other = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else {
                other = true;
            }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }

    /** An opaque token: long, several character classes, not a capitalised word, enough entropy. */
    static boolean looksRandom(String value) {
        return value.length() >= 16 && !isPlaceholder(value) && classes(value) >= 2 && !isWordLike(value)
                && bitsPerChar(value) >= 3.0;
    }

    /** A password or key assigned to a secret-sounding name: shorter values pass, but not words or names. */
    static boolean looksLikeSecretValue(String value) {
        if (value.length() < 8 || value.length() > 512 || isPlaceholder(value) || Pseudonym.isLabel(value)) {
            return false;
        }
        char last = value.charAt(value.length() - 1);
        if (last == ':' || last == '=' || allDigits(value) || isWordLike(value) || isDnsName(value)) {
            return false;
        }
        return classes(value) >= 2 && bitsPerChar(value) >= 2.8;
    }

    private static boolean allDigits(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Letters only, at most one capital at the start of each word: prose, not a credential. */
    private static boolean isWordLike(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter || (c <= 'Z' && i > 0 && value.charAt(i - 1) >= 'a' && value.charAt(i - 1) <= 'z' && i + 1 < value.length()
                    && value.charAt(i + 1) <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    /** A Kubernetes or DNS name such as {@code db-credentials} or {@code vault.prod.svc}: a reference, not a value. */
    private static boolean isDnsName(String value) {
        boolean digit = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (!((c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '/')) {
                return false;
            }
        }
        return !digit;
    }
}
