package dev.awoooi.config;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Keyed hash for index keys built from label values (alert groups, services): equal values meet, the stored key
 * reveals nothing, and a plain hash could be reversed by guessing short values. The purpose separates its keys
 * from every other use of the same secret.
 */
final class KeyBlinder {
    private final SecretKeySpec key;

    KeyBlinder(byte[] secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            this.key = new SecretKeySpec(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The derived key itself, for a purpose that MACs with it (the console's sessions). */
    byte[] key() {
        return key.getEncoded();
    }

    String blind(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
