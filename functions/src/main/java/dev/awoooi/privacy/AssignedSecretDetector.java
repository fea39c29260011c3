package dev.awoooi.privacy;

import dev.awoooi.privacy.SecretScanner.KeywordDetector;

import java.util.List;
import java.util.Set;

/**
 * Values assigned to a secret-sounding name, in any of the syntaxes alerts and logs use: {@code password=…},
 * {@code "client_secret": "…"}, {@code DB_PASSWORD: …}, {@code apiKey=…}, {@code -H 'x-api-key: …'}. The name
 * must end in the keyword (or in key/token/value after it), so {@code token_ttl=3600} and
 * {@code secret_name=db-credentials} stay; the value must look like a credential (see {@link Entropy}).
 */
final class AssignedSecretDetector implements KeywordDetector {
    private static final List<String> KEYWORDS = List.of("password", "passwd", "pwd", "secret", "token", "api_key", "apikey",
            "api-key", "access_key", "accesskey", "auth_key", "private_key", "passphrase", "credential");
    private static final Set<String> NAME_ENDINGS = Set.of("", "key", "token", "value", "s");

    @Override
    public List<String> keywords() {
        return KEYWORDS;
    }

    @Override
    public boolean caseSensitive() {
        return false;
    }

    @Override
    public int matchAt(String s, int at, String keyword, List<Detection> out) {
        int nameEnd = at + keyword.length();
        while (nameEnd < s.length() && isNameChar(s.charAt(nameEnd))) {
            nameEnd++;
        }
        if (!endsName(s, at + keyword.length(), nameEnd)) {
            return -1;
        }
        int valueStart = afterSeparator(s, nameEnd);
        if (valueStart < 0) {
            return -1;
        }
        int valueEnd = valueEnd(s, valueStart);
        if (valueEnd <= valueStart || !Entropy.looksLikeSecretValue(s.substring(valueStart, valueEnd))) {
            return -1;
        }
        out.add(new Detection(SecretType.GENERIC_SECRET, valueStart, valueEnd));
        return valueEnd;
    }

    private static boolean isNameChar(char c) {
        return ShapeDetectors.isAlnum(c) || c == '_' || c == '-' || c == '.';
    }

    /** What follows the keyword in the name, separators ignored, is nothing or one of {@link #NAME_ENDINGS}. */
    private static boolean endsName(String s, int from, int to) {
        if (from == to) {
            return true;
        }
        if (to - from > 8) {
            return false;
        }
        StringBuilder rest = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '_' && c != '-' && c != '.') {
                rest.append(Character.toLowerCase(c));
            }
        }
        return NAME_ENDINGS.contains(rest.toString());
    }

    /**
     * Where the value starts after the name: closing quotes, {@code =}, {@code :}, {@code :=} or {@code =>}, spaces
     * and an opening quote. -1 if the name is not followed by an assignment.
     */
    static int afterSeparator(String s, int i) {
        int n = s.length();
        i = skipQuotes(s, i);
        i = skipSpaces(s, i);
        if (i >= n) {
            return -1;
        }
        char c = s.charAt(i);
        if (c == '=' || c == ':') {
            i++;
            if (i < n && (s.charAt(i) == '=' || s.charAt(i) == '>')) {
                i++;
            }
        } else {
            return -1;
        }
        i = skipSpaces(s, i);
        return skipQuotes(s, i);
    }

    /** Up to the closing quote, whitespace, or a delimiter that ends values in query strings, JSON and logfmt. */
    static int valueEnd(String s, int start) {
        char opener = start > 0 ? s.charAt(start - 1) : ' ';
        boolean quoted = opener == '"' || opener == '\'' || opener == '`';
        int i = start;
        while (i < s.length() && i - start <= 512) {
            char c = s.charAt(i);
            if (quoted ? (c == opener || c == '\\' || c == '\n') : (Character.isWhitespace(c) || ",;\"'`)}]>\\".indexOf(c) >= 0
                    || (c == '&' && startsParameter(s, i + 1)))) {
                break;
            }
            i++;
        }
        return i;
    }

    /** {@code &name=}: the next query parameter, not part of a password. */
    private static boolean startsParameter(String s, int i) {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        return i > start && i < s.length() && s.charAt(i) == '=';
    }

    private static int skipQuotes(String s, int i) {
        while (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\'' || s.charAt(i) == '`' || s.charAt(i) == '\\')) {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
