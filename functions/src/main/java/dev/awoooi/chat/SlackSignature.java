package dev.awoooi.chat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Slack's request signature: {@code v0=} and the hex HMAC-SHA256, keyed by the app's signing secret, of
 * {@code v0:<X-Slack-Request-Timestamp>:<raw body>}. A request counts only if its timestamp is within five minutes of
 * now, either way (Slack's SDK accepts one an hour in the future), and its signature matches, compared in constant
 * time (the SDK uses String.equals).
 */
public final class SlackSignature {
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private SlackSignature() {
    }

    /** The signature Slack sends for this body at this timestamp. */
    public static String sign(byte[] signingSecret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why the request is not Slack's, or null when it is. */
    public static String refusal(byte[] signingSecret, String timestamp, String signature, byte[] body, Instant now) {
        if (timestamp == null || signature == null) {
            return "missing X-Slack-Request-Timestamp or X-Slack-Signature";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "X-Slack-Request-Timestamp is not a number";
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return "X-Slack-Request-Timestamp is more than 5 minutes from now (a replay, or a skewed clock)";
        }
        byte[] expected = sign(signingSecret, timestamp.trim(), body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII)) ? null
                : "X-Slack-Signature does not match";
    }
}
