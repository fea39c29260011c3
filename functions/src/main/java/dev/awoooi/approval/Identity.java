package dev.awoooi.approval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One verified way to reach and recognise a person: a channel and the platform's id for them there. E-mail addresses
 * are kept lower-case, so one address is one identity however it is typed.
 */
public record Identity(Channel channel, String subject) {

    public Identity {
        if (channel == null) {
            throw new IllegalArgumentException("an identity needs a channel");
        }
        subject = channel == Channel.EMAIL && subject != null ? subject.trim().toLowerCase(Locale.ROOT) : subject;
        if (!channel.accepts(subject)) {
            throw new IllegalArgumentException("not a valid " + channel.label() + " identity");
        }
    }

    /** Reads {@code email:alice@example.com}, {@code slack:T0001/U0001}, {@code oidc:https://issuer|sub}. */
    public static Identity parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("an identity is channel:subject, e.g. email:alice@example.com");
        }
        return new Identity(Channel.parse(text.substring(0, colon)), text.substring(colon + 1).trim());
    }

    /** The stored key: {@code email:alice@example.com}. */
    public String key() {
        return channel.label() + ":" + subject;
    }

    /**
     * What may be shown or audited without the identity itself: the channel and a short digest of the subject
     * ({@code email#3f2a91c0}), the same for the same identity.
     */
    public String masked() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key().getBytes(StandardCharsets.UTF_8));
            return channel.label() + "#" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a signer's record shows: the platform's id for them (not contact data), an e-mail address with its local
     * part hidden ({@code a…@example.com}).
     */
    public String display() {
        if (channel != Channel.EMAIL) {
            return channel.label() + " " + subject;
        }
        int at = subject.indexOf('@');
        return "email " + subject.charAt(0) + "…" + subject.substring(at);
    }

    /** Never the subject: a record's toString would print it into logs. */
    @Override
    public String toString() {
        return masked();
    }
}
