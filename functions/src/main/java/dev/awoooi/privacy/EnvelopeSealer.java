package dev.awoooi.privacy;

import dev.awoooi.alert.Sealer;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Envelope encryption: every value is sealed with AES-256-GCM under a data key, and the data key travels with the
 * value wrapped under the key-encryption key ({@link KeyWrapper}: KMS in AWS, a local key locally).
 *
 * <p>Sealed form, base64 of: version byte ({@value #VERSION}), wrapped-key length (2 bytes, big-endian), the
 * wrapped key, a 12-byte random nonce, the ciphertext with its 16-byte tag. The associated data is the header
 * (version, length, wrapped key) followed by the context (incident id, label), so a value sealed for one incident
 * cannot be replayed into another and no header byte can be changed unnoticed.
 *
 * <p>One data key seals many values: it is generated lazily on the first seal and replaced after {@code maxAge}
 * or {@code maxUses} seals (random 96-bit nonces stay far below the GCM limit of 2^32 per key). Unwrapped keys
 * are kept in a small LRU keyed by their wrapped bytes, so opening values does not call the key service per
 * value. A Lambda invocation therefore makes about one key-service call (none while its keys are cached).
 * Thread-safe.
 */
public final class EnvelopeSealer implements Sealer {
    static final byte VERSION = 1;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);
    public static final long DEFAULT_MAX_USES = 100_000;
    public static final int DEFAULT_CACHE_SIZE = 32;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int LENGTH_BYTES = 2;
    private static final int DATA_KEY_BYTES = 32;

    private final KeyWrapper wrapper;
    private final Clock clock;
    private final Duration maxAge;
    private final long maxUses;
    private final SecureRandom random = new SecureRandom();
    private final Object rotation = new Object();
    private ActiveKey active; // guarded by rotation
    private final Map<ByteBuffer, SecretKeySpec> unwrapped; // access-ordered LRU, guarded by itself

    public EnvelopeSealer(KeyWrapper wrapper) {
        this(wrapper, Clock.systemUTC(), DEFAULT_MAX_AGE, DEFAULT_MAX_USES, DEFAULT_CACHE_SIZE);
    }

    public EnvelopeSealer(KeyWrapper wrapper, Clock clock, Duration maxAge, long maxUses, int cacheSize) {
        if (maxAge.isNegative() || maxAge.isZero() || maxUses < 1 || cacheSize < 1) {
            throw new IllegalArgumentException("maxAge, maxUses and cacheSize must be positive");
        }
        this.wrapper = wrapper;
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxUses = maxUses;
        this.unwrapped = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, SecretKeySpec> eldest) {
                return size() > cacheSize;
            }
        };
    }

    @Override
    public String seal(String plaintext, String context) {
        ActiveKey key = keyForSealing();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(key.header);
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(key.header.length + NONCE_BYTES + sealed.length)
                    .put(key.header).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    @Override
    public String open(String sealed, String context) {
        byte[] all;
        try {
            all = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("sealed value cannot be opened", e);
        }
        if (all.length < 1 + LENGTH_BYTES) {
            throw new IllegalStateException("sealed value cannot be opened: it is truncated");
        }
        if (all[0] != VERSION) {
            throw new IllegalStateException("sealed value cannot be opened: unknown format version " + (all[0] & 0xff));
        }
        int wrappedLength = ((all[1] & 0xff) << 8) | (all[2] & 0xff);
        int headerLength = 1 + LENGTH_BYTES + wrappedLength;
        if (wrappedLength == 0 || all.length < headerLength + NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("sealed value cannot be opened: it is truncated");
        }
        SecretKeySpec key;
        try {
            key = dataKey(Arrays.copyOfRange(all, 1 + LENGTH_BYTES, headerLength));
        } catch (KeyWrapper.RejectedKeyException e) {
            throw new IllegalStateException("sealed value was tampered with or its data key was wrapped under another key", e);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, headerLength, NONCE_BYTES));
            cipher.updateAAD(all, 0, headerLength);
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            int body = headerLength + NONCE_BYTES;
            return new String(cipher.doFinal(all, body, all.length - body), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("sealed value was tampered with or belongs to another context");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealed value cannot be opened", e);
        }
    }

    /**
     * Drops the data key in use and every unwrapped key. After a SnapStart restore many sandboxes resume from one
     * snapshot: each must draw its own data key, so that no two of them seal under one key with nonces from
     * random generators that were one before the snapshot.
     */
    public void forgetKeys() {
        synchronized (rotation) {
            active = null;
        }
        synchronized (unwrapped) {
            unwrapped.clear();
        }
    }

    /** The current data key, replaced when it is too old or has sealed enough values. */
    private ActiveKey keyForSealing() {
        synchronized (rotation) {
            Instant now = clock.instant();
            if (active == null || active.uses >= maxUses || !now.isBefore(active.expiresAt)) {
                KeyWrapper.DataKey fresh = wrapper.newDataKey();
                byte[] wrapped = fresh.wrapped().clone();
                if (wrapped.length > 0xffff) {
                    throw new IllegalStateException("wrapped data key is too long: " + wrapped.length + " bytes");
                }
                SecretKeySpec key = aesKey(fresh.plaintext());
                Arrays.fill(fresh.plaintext(), (byte) 0);
                byte[] header = ByteBuffer.allocate(1 + LENGTH_BYTES + wrapped.length)
                        .put(VERSION).putShort((short) wrapped.length).put(wrapped).array();
                active = new ActiveKey(key, header, now.plus(maxAge));
                remember(wrapped, key); // this sealer opens its own values without unwrapping
            }
            active.uses++;
            return active;
        }
    }

    /** The data key behind a wrapped key: from the cache, else unwrapped once (outside the lock) and cached. */
    private SecretKeySpec dataKey(byte[] wrapped) {
        ByteBuffer id = ByteBuffer.wrap(wrapped);
        synchronized (unwrapped) {
            SecretKeySpec cached = unwrapped.get(id);
            if (cached != null) {
                return cached;
            }
        }
        byte[] plaintext = wrapper.unwrap(wrapped);
        SecretKeySpec key = aesKey(plaintext);
        Arrays.fill(plaintext, (byte) 0);
        remember(wrapped, key);
        return key;
    }

    private void remember(byte[] wrapped, SecretKeySpec key) {
        synchronized (unwrapped) {
            unwrapped.put(ByteBuffer.wrap(wrapped), key);
        }
    }

    private static SecretKeySpec aesKey(byte[] plaintext) {
        if (plaintext == null || plaintext.length != DATA_KEY_BYTES) {
            throw new IllegalStateException("the key wrapper returned a data key that is not 32 bytes (AES-256)");
        }
        return new SecretKeySpec(plaintext, "AES"); // copies the bytes
    }

    private static final class ActiveKey {
        final SecretKeySpec key;
        final byte[] header;
        final Instant expiresAt;
        long uses; // guarded by EnvelopeSealer.rotation

        ActiveKey(SecretKeySpec key, byte[] header, Instant expiresAt) {
            this.key = key;
            this.header = header;
            this.expiresAt = expiresAt;
        }
    }
}
