package dev.awoooi.incident;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Time-sortable incident ids ("inc-" + 10 time chars + 10 random chars, Crockford base32). Deliberately not a UUID,
 * so that the Privacy Shield's UUID detector never mistakes our own ids for personal data.
 */
public final class IncidentIds {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private IncidentIds() {
    }

    public static String next(Instant now) {
        StringBuilder id = new StringBuilder("inc-");
        long millis = now.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            id.append(ALPHABET[(int) (millis >>> (5 * i)) & 31]);
        }
        for (int i = 0; i < 10; i++) {
            id.append(ALPHABET[RANDOM.nextInt(32)]);
        }
        return id.toString();
    }

    public static boolean valid(String id) {
        return id != null && id.matches("inc-[0-9a-hjkmnp-tv-z]{20}");
    }
}
