package dev.awoooi.alert;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Grafana's webhook HMAC: hex HMAC-SHA256 of {@code timestamp:body} when a timestamp header is configured in the
 * contact point, of the body alone otherwise. A timestamp outside {@link #REPLAY_WINDOW} is refused as a replay.
 */
public final class GrafanaSignature {
    public static final String SIGNATURE_HEADER = "X-Grafana-Alerting-Signature";
    public static final String TIMESTAMP_HEADER = "X-Grafana-Alerting-Signature-Timestamp";
    static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    private final byte[] secret;

    public GrafanaSignature(byte[] secret) {
        this.secret = secret.clone();
    }

    /** Empty if the signature is valid, else why not (for the 401 body). */
    public Optional<String> refusal(String body, String signature, String timestamp, Instant now) {
        if (signature == null || signature.isBlank()) {
            return Optional.of("missing " + SIGNATURE_HEADER + " header");
        }
        String signed = body;
        if (timestamp != null && !timestamp.isBlank()) {
            long seconds;
            try {
                seconds = Long.parseLong(timestamp.trim());
            } catch (NumberFormatException e) {
                return Optional.of(TIMESTAMP_HEADER + " must be Unix seconds");
            }
            if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(REPLAY_WINDOW) > 0) {
                return Optional.of("signature timestamp is more than 5 minutes away from now");
            }
            signed = timestamp.trim() + ":" + body;
        }
        byte[] expected = HexFormat.of().formatHex(hmac(signed)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.empty() : Optional.of("invalid " + SIGNATURE_HEADER);
    }

    public String sign(String body, String timestamp) {
        return HexFormat.of().formatHex(hmac(timestamp == null ? body : timestamp + ":" + body));
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
