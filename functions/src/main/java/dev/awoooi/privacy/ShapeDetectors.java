package dev.awoooi.privacy;

import dev.awoooi.privacy.SecretScanner.Detector;

import java.util.List;

/**
 * Values recognised by their shape around one rare character: e-mail addresses ({@code @}), IPv4 (a dot between
 * digits), IPv6 ({@code :} between hex digits), UUIDs ({@code -} after eight hex digits) and card numbers
 * (a run of digits). Each check is hand-written over the characters: these are the hottest loops of the shield.
 */
final class ShapeDetectors {
    private ShapeDetectors() {
    }

    static List<Detector> all() {
        return List.of(ShapeDetectors::emails, ShapeDetectors::ipv4, ShapeDetectors::ipv6, ShapeDetectors::uuids,
                ShapeDetectors::cards);
    }

    // ------------------------------------------------------------------ e-mail

    static void emails(String s, List<Detection> out) {
        for (int at = s.indexOf('@'); at >= 0; at = s.indexOf('@', at + 1)) {
            int start = at;
            while (start > 0 && at - start <= 64 && isLocalPart(s.charAt(start - 1))) {
                start--;
            }
            if (start > 0 && isLocalPart(s.charAt(start - 1))) {
                continue; // longer than any local part
            }
            while (start < at && s.charAt(start) == '.') {
                start++;
            }
            if (start == at || s.charAt(at - 1) == '.') {
                continue;
            }
            int end = at + 1;
            while (end < s.length() && end - at <= 254 && isDomainChar(s.charAt(end))) {
                end++;
            }
            while (end > at + 1 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == '-')) {
                end--;
            }
            if (validDomain(s, at + 1, end) && !(end < s.length() && s.charAt(end) == '@') && !isScpTarget(s, end)) {
                out.add(new Detection(SecretType.EMAIL, start, end));
            }
        }
    }

    /** {@code git@github.com:org/repo.git}: an SSH login and path, not a person's address. */
    private static boolean isScpTarget(String s, int end) {
        return end + 1 < s.length() && s.charAt(end) == ':' && (isAlnum(s.charAt(end + 1)) || "~/._-".indexOf(s.charAt(end + 1)) >= 0);
    }

    private static boolean isLocalPart(char c) {
        return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isDomainChar(char c) {
        return isAlnum(c) || c == '.' || c == '-';
    }

    /** At least two labels of 1–63 letters, digits and inner hyphens; a top-level domain of 2–24 letters. */
    static boolean validDomain(String s, int from, int to) {
        int labels = 0;
        int labelStart = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labels++;
                if (i == to) {
                    if (len < 2 || len > 24) {
                        return false;
                    }
                    for (int k = labelStart; k < to; k++) {
                        if (!isLetter(s.charAt(k))) {
                            return false;
                        }
                    }
                }
                labelStart = i + 1;
            }
        }
        return labels >= 2;
    }

    // ------------------------------------------------------------------ IPv4

    static void ipv4(String s, List<Detection> out) {
        int resume = 0;
        for (int dot = s.indexOf('.'); dot >= 0; dot = s.indexOf('.', dot + 1)) {
            if (dot < resume || dot == 0 || dot + 1 >= s.length() || !isDigit(s.charAt(dot - 1)) || !isDigit(s.charAt(dot + 1))) {
                continue;
            }
            int start = dot - 1;
            while (start > 0 && dot - start < 3 && isDigit(s.charAt(start - 1))) {
                start--;
            }
            if (start > 0 && (isWordChar(s.charAt(start - 1)) || s.charAt(start - 1) == '.')) {
                continue;
            }
            int end = dottedQuadEnd(s, start);
            if (end < 0) {
                continue;
            }
            boolean moreNumber = end < s.length() && (isWordChar(s.charAt(end))
                    || (s.charAt(end) == '.' && end + 1 < s.length() && isDigit(s.charAt(end + 1))));
            if (!moreNumber && !isLoopbackOrUnspecified(s, start, end)) {
                out.add(new Detection(SecretType.IPV4, start, end));
                resume = end;
            }
        }
    }

    /** {@code 127.x.x.x} and {@code 0.0.0.0} name this machine or no machine: nobody's address, and in every URL a log prints. */
    private static boolean isLoopbackOrUnspecified(String s, int start, int end) {
        return s.startsWith("127.", start) || (end - start == 7 && s.startsWith("0.0.0.0", start));
    }

    /** End of the dotted quad starting at {@code i} (four decimal octets, no leading zeros), or -1. */
    static int dottedQuadEnd(String s, int i) {
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int start = i;
            int value = 0;
            while (i < s.length() && isDigit(s.charAt(i)) && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || value > 255 || (len > 1 && s.charAt(start) == '0') || (i < s.length() && isDigit(s.charAt(i)))) {
                return -1;
            }
        }
        return i;
    }

    // ------------------------------------------------------------------ IPv6

    static void ipv6(String s, List<Detection> out) {
        int resume = 0;
        for (int colon = s.indexOf(':'); colon >= 0; colon = s.indexOf(':', colon + 1)) {
            if (colon < resume) {
                continue;
            }
            int start = colon;
            while (start > 0 && colon - start < 40 && isIpv6Char(s.charAt(start - 1))) {
                start--;
            }
            int end = colon + 1;
            while (end < s.length() && end - start < 46 && (isIpv6Char(s.charAt(end)) || s.charAt(end) == '.')) {
                end++;
            }
            resume = end;
            // A lone leading or trailing colon belongs to the text around it ("ip:fe80::1", "::1: refused").
            if (s.charAt(start) == ':' && (start + 1 >= end || s.charAt(start + 1) != ':')) {
                start++;
            }
            while (end > start && (s.charAt(end - 1) == '.' || (s.charAt(end - 1) == ':' && s.charAt(end - 2) != ':'))) {
                end--;
            }
            boolean bounded = (start == 0 || !(isWordChar(s.charAt(start - 1)) || s.charAt(start - 1) == '.'))
                    && (end == s.length() || !isWordChar(s.charAt(end)));
            if (bounded && end - start >= 6 && isIpv6(s, start, end)) {
                out.add(new Detection(SecretType.IPV6, start, end));
            }
        }
    }

    private static boolean isIpv6Char(char c) {
        return isHex(c) || c == ':';
    }

    /**
     * Eight groups of 1–4 hex digits, or fewer with one {@code ::}, optionally ending in a dotted quad. A
     * compressed address needs two groups and one of at least three digits, so that {@code ab::cd} in prose or
     * code is not mistaken for an address.
     */
    static boolean isIpv6(String s, int from, int to) {
        int doubleColon = s.indexOf("::", from);
        if (doubleColon >= to) {
            doubleColon = -1;
        }
        if (doubleColon >= 0) {
            int again = s.indexOf("::", doubleColon + 1);
            if (again >= 0 && again < to) {
                return false;
            }
        }
        int groups = 0;
        int longest = 0;
        int i = from;
        while (i < to) {
            if (i == doubleColon) {
                i += 2;
                continue;
            }
            if (s.charAt(i) == ':') {
                if (i == from || s.charAt(i - 1) == ':' || i + 1 >= to) {
                    return false;
                }
                i++;
                continue;
            }
            int groupStart = i;
            while (i < to && isHex(s.charAt(i))) {
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                // Embedded IPv4 in the last two groups.
                if (dottedQuadEnd(s, groupStart) != to) {
                    return false;
                }
                groups += 2;
                longest = Math.max(longest, 3);
                i = to;
                break;
            }
            int len = i - groupStart;
            if (len == 0 || len > 4) {
                return false;
            }
            groups++;
            longest = Math.max(longest, len);
        }
        return doubleColon < 0 ? groups == 8 : groups >= 2 && groups <= 7 && longest >= 3;
    }

    // ------------------------------------------------------------------ UUID

    private static final int[] UUID_DASHES = {8, 13, 18, 23};

    static void uuids(String s, List<Detection> out) {
        int resume = 0;
        for (int dash = s.indexOf('-'); dash >= 0; dash = s.indexOf('-', dash + 1)) {
            int start = dash - 8;
            if (dash < resume || start < 0 || start + 36 > s.length()) {
                continue;
            }
            if (isUuid(s, start) && (start == 0 || !isAlnum(s.charAt(start - 1)))
                    && (start + 36 == s.length() || !isAlnum(s.charAt(start + 36)))) {
                out.add(new Detection(SecretType.UUID, start, start + 36));
                resume = start + 36;
            }
        }
    }

    private static boolean isUuid(String s, int start) {
        int dashIndex = 0;
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(start + i);
            if (dashIndex < 4 && i == UUID_DASHES[dashIndex]) {
                if (c != '-') {
                    return false;
                }
                dashIndex++;
            } else if (!isHex(c)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ payment cards

    static void cards(String s, List<Detection> out) {
        int n = s.length();
        int[] groupEnds = new int[20];
        char[] number = new char[20];
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                i++;
                continue;
            }
            int start = i;
            if (start > 0 && (isWordChar(s.charAt(start - 1)) || s.charAt(start - 1) == '.')) {
                i = skipNumber(s, i);
                continue;
            }
            // Digits, single spaces or dashes between groups; remember where each group ends.
            int digits = 0;
            int end = i;
            int groupCount = 0;
            while (end < n && digits < 20) {
                char d = s.charAt(end);
                if (d >= '0' && d <= '9') {
                    number[digits++] = d;
                    end++;
                } else if ((d == ' ' || d == '-') && end + 1 < n && isDigit(s.charAt(end + 1)) && isDigit(s.charAt(end - 1))) {
                    groupEnds[groupCount++] = end;
                    end++;
                } else {
                    break;
                }
                if (groupCount == groupEnds.length) {
                    break;
                }
            }
            boolean wordAfter = end < n && (isWordChar(s.charAt(end))
                    || (s.charAt(end) == '.' && end + 1 < n && isDigit(s.charAt(end + 1))));
            int cardEnd = -1;
            if (!wordAfter && digits <= 19 && isCard(number, digits)) {
                cardEnd = end;
            } else if (groupCount > 0) {
                // "4111 1111 1111 1111 1234": the card may be a prefix of grouped digits.
                int counted = 0;
                int groupIndex = 0;
                for (int k = start; k < end && groupIndex < groupCount; k++) {
                    if (k == groupEnds[groupIndex]) {
                        if (counted >= 13 && counted <= 19 && isCard(number, counted)) {
                            cardEnd = k;
                        }
                        groupIndex++;
                    } else {
                        counted++;
                    }
                }
            }
            if (cardEnd > 0) {
                out.add(new Detection(SecretType.CREDIT_CARD, start, cardEnd));
            }
            i = Math.max(end, i + 1);
        }
    }

    private static int skipNumber(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** A known card brand's prefix and length, and a valid Luhn check digit. */
    static boolean isCard(char[] d, int len) {
        if (len < 13 || len > 19) {
            return false;
        }
        int two = (d[0] - '0') * 10 + (d[1] - '0');
        int four = two * 100 + (d[2] - '0') * 10 + (d[3] - '0');
        boolean brand = switch (d[0]) {
            case '4' -> len == 13 || len == 16 || len == 19;                                  // Visa
            case '5' -> two >= 51 && two <= 55 && len == 16;                                  // Mastercard
            case '2' -> four >= 2221 && four <= 2720 && len == 16;                            // Mastercard 2-series
            case '3' -> ((two == 34 || two == 37) && len == 15) || (four >= 3528 && four <= 3589 && len >= 16); // Amex, JCB
            case '6' -> (four == 6011 || two == 65 || (four >= 6440 && four <= 6499)) && len >= 16;        // Discover
            default -> false;
        };
        if (!brand) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < len; i++) {
            int digit = d[len - 1 - i] - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }

    // ------------------------------------------------------------------ characters

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAlnum(char c) {
        return isDigit(c) || isLetter(c);
    }

    static boolean isWordChar(char c) {
        return isAlnum(c) || c == '_';
    }

    static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
