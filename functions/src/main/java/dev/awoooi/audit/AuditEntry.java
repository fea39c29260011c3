package dev.awoooi.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One item of an append-only, hash-chained audit trail: the {@code seq}-th thing recorded about {@code subject} (an
 * incident, a trust pattern, the directory, a chat platform), carrying the hash of the item before it. Changing,
 * removing or reordering any item breaks the chain from there on.
 *
 * @param prev the previous item's hash; {@link #GENESIS} for the first
 * @param hash SHA-256 over every other field, each length-prefixed so no two contents hash alike by concatenation
 */
public record AuditEntry(String subject, long seq, Instant at, String what, Map<String, String> detail, String prev, String hash) {
    public static final String GENESIS = "0".repeat(64);

    public AuditEntry {
        detail = detail == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(detail));
    }

    /** Where a chain ends: its last item's number and hash (0 and {@link #GENESIS} for an empty chain). */
    public record Head(long seq, String hash) {
        public static final Head EMPTY = new Head(0, GENESIS);
    }

    /** The item that follows {@code head}. */
    public static AuditEntry after(Head head, String subject, Instant at, String what, Map<String, String> detail) {
        AuditEntry unsealed = new AuditEntry(subject, head.seq() + 1, at, what, detail, head.hash(), "");
        return new AuditEntry(subject, unsealed.seq, at, what, unsealed.detail, head.hash(), unsealed.contentHash());
    }

    public Head head() {
        return new Head(seq, hash);
    }

    /** Whether the stored hash is the hash of the stored content. */
    public boolean intact() {
        return MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), contentHash().getBytes(StandardCharsets.US_ASCII));
    }

    /** The hash of everything but the hash itself. */
    public String contentHash() {
        StringBuilder canonical = new StringBuilder();
        field(canonical, subject);
        field(canonical, Long.toString(seq));
        field(canonical, at.toString());
        field(canonical, what);
        field(canonical, Integer.toString(detail.size()));
        detail.forEach((key, value) -> {
            field(canonical, key);
            field(canonical, value);
        });
        field(canonical, prev);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void field(StringBuilder canonical, String value) {
        String v = value == null ? "" : value;
        canonical.append(v.length()).append(':').append(v).append(';');
    }
}
