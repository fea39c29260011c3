package dev.awoooi.chat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Discord's interaction signature: Ed25519, by the application's public key, over {@code X-Signature-Timestamp}
 * followed by the raw body, hex in {@code X-Signature-Ed25519}; verified with the JDK's own Ed25519. Discord sends bad
 * signatures to new endpoints on purpose and disables an endpoint that accepts them. A timestamp more than five minutes
 * from now is refused too: Discord does not, but a captured request must not be replayable for ever.
 */
public final class DiscordSignature {
    /** The X.509 (SubjectPublicKeyInfo) header of a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private DiscordSignature() {
    }

    /** The application's public key (64 hex characters, from the Developer Portal) as a key. */
    public static PublicKey publicKey(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex.trim());
        if (raw.length != 32) {
            throw new IllegalArgumentException("a Discord public key is 32 bytes (64 hex characters)");
        }
        byte[] spki = new byte[ED25519_SPKI.length + 32];
        System.arraycopy(ED25519_SPKI, 0, spki, 0, ED25519_SPKI.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** Whether {@code signatureHex} is the key's signature of {@code message}. */
    static boolean verifies(PublicKey key, byte[] message, String signatureHex) {
        try {
            byte[] signature = HexFormat.of().parseHex(signatureHex.trim());
            if (signature.length != 64) {
                return false;
            }
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(key);
            ed25519.update(message);
            return ed25519.verify(signature);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** Why the request is not Discord's, or null when it is. */
    public static String refusal(PublicKey key, String timestamp, String signatureHex, byte[] body, Instant now) {
        if (timestamp == null || signatureHex == null) {
            return "missing X-Signature-Timestamp or X-Signature-Ed25519";
        }
        try {
            if (Math.abs(now.getEpochSecond() - Long.parseLong(timestamp.trim())) > TOLERANCE.toSeconds()) {
                return "X-Signature-Timestamp is more than 5 minutes from now";
            }
        } catch (NumberFormatException e) {
            return "X-Signature-Timestamp is not a number";
        }
        byte[] stamped = timestamp.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[stamped.length + body.length];
        System.arraycopy(stamped, 0, message, 0, stamped.length);
        System.arraycopy(body, 0, message, stamped.length, body.length);
        return verifies(key, message, signatureHex) ? null : "X-Signature-Ed25519 does not verify";
    }
}
