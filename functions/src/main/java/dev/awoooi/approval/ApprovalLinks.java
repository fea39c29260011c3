package dev.awoooi.approval;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Per-approver links. The token is an HMAC over incident, approver and plan hash: it authenticates the person,
 * and a plan that changes invalidates every link sent for the old one.
 */
public final class ApprovalLinks {
    private final Supplier<byte[]> secret;
    private final String baseUrl;

    public ApprovalLinks(byte[] secret, String baseUrl) {
        this(fixed(validated(secret.clone())), baseUrl);
    }

    /** @param secret read at each use, so a rotated secret takes effect as soon as it is read */
    public ApprovalLinks(Supplier<byte[]> secret, String baseUrl) {
        this.secret = () -> validated(secret.get());
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    private static Supplier<byte[]> fixed(byte[] key) {
        return () -> key;
    }

    private static byte[] validated(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the approval link secret must be at least 16 bytes");
        }
        return secret;
    }

    public String token(String incidentId, String approver, String planHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.get(), "HmacSHA256"));
            byte[] digest = mac.doFinal((incidentId + "\n" + approver + "\n" + planHash).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison, so a token cannot be guessed byte by byte. */
    public boolean verify(String incidentId, String approver, String planHash, String token) {
        if (token == null || approver == null) {
            return false;
        }
        byte[] expected = token(incidentId, approver, planHash).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII));
    }

    public String link(String incidentId, String approver, String planHash) {
        return baseUrl + "/approvals/" + incidentId + "?approver=" + URLEncoder.encode(approver, StandardCharsets.UTF_8)
                + "&token=" + token(incidentId, approver, planHash);
    }
}
