package dev.awoooi.approval;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the approval page keeps in the browser, each value MACed with the link secret under its own purpose, so one can
 * never be replayed as another: the sign-in in flight (state, nonce, PKCE verifier), the signed-in session, and the
 * CSRF token of the decision form. Nothing here is secret from its holder; all of it is tamper-evident and expires.
 */
public final class PageSessions {
    public enum Purpose { SIGN_IN, SESSION, CSRF }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Supplier<byte[]> secret;
    private final Clock clock;

    public PageSessions(Supplier<byte[]> secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /** 32 random bytes, base64url: a state, a nonce, a PKCE verifier, a session id. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The PKCE S256 challenge of a verifier (RFC 7636 §4.2). */
    public static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fields, an expiry {@code ttl} from now, and a MAC over both for this purpose. */
    public String seal(Purpose purpose, Map<String, String> fields, Duration ttl) {
        StringBuilder payload = new StringBuilder("exp=").append(clock.instant().plus(ttl).getEpochSecond());
        fields.forEach((k, v) -> payload.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + mac(purpose, body);
    }

    /** The fields of a sealed value of this purpose, if its MAC holds and it has not expired. */
    public Optional<Map<String, String>> open(Purpose purpose, String sealed) {
        if (sealed == null || sealed.length() > 4096) {
            return Optional.empty();
        }
        int dot = sealed.lastIndexOf('.');
        if (dot < 1 || !MessageDigest.isEqual(mac(purpose, sealed.substring(0, dot)).getBytes(StandardCharsets.US_ASCII),
                sealed.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            String payload = new String(Base64.getUrlDecoder().decode(sealed.substring(0, dot)), StandardCharsets.UTF_8);
            for (String pair : payload.split("&")) {
                int eq = pair.indexOf('=');
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            Instant expires = Instant.ofEpochSecond(Long.parseLong(fields.remove("exp")));
            return clock.instant().isBefore(expires) ? Optional.of(fields) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The decision form's CSRF token: bound to the incident, the approver and what the browser holds (the sign-in
     * session id, else the link token), so another site can neither read nor forge it.
     */
    public String csrf(String incidentId, String approver, String binding) {
        return mac(Purpose.CSRF, incidentId + "\n" + approver + "\n" + binding);
    }

    public boolean csrfHolds(String incidentId, String approver, String binding, String given) {
        return given != null && approver != null && binding != null
                && MessageDigest.isEqual(csrf(incidentId, approver, binding).getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(Purpose purpose, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.get(), "HmacSHA256"));
            mac.update(("awoooi-page-" + purpose.name() + "\n").getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
