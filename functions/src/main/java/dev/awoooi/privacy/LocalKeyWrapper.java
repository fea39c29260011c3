package dev.awoooi.privacy;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.Supplier;

/**
 * The local stand-in for KMS: data keys are wrapped with AES-256-GCM under a 32-byte key-encryption key (the seal
 * key from the secrets). Wrapped form: 12-byte nonce, then the 32-byte data key encrypted, then the 16-byte tag.
 */
public final class LocalKeyWrapper implements KeyWrapper {
    static final int DATA_KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int WRAPPED_BYTES = NONCE_BYTES + DATA_KEY_BYTES + TAG_BITS / 8;
    private static final byte[] AAD = "awoooi-dek-v1".getBytes(StandardCharsets.US_ASCII);

    private final Supplier<byte[]> keyEncryptionKey;
    private final SecureRandom random = new SecureRandom();

    public LocalKeyWrapper(byte[] keyEncryptionKey) {
        this(fixed(validated(keyEncryptionKey)));
    }

    /** The key read when it is used (from the secrets, which are never read at start-up). */
    public LocalKeyWrapper(Supplier<byte[]> keyEncryptionKey) {
        this.keyEncryptionKey = () -> validated(keyEncryptionKey.get());
    }

    private static Supplier<byte[]> fixed(byte[] key) {
        return () -> key;
    }

    private static byte[] validated(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("the key-encryption key must be 32 bytes (AES-256)");
        }
        return key;
    }

    private SecretKeySpec kek() {
        return new SecretKeySpec(keyEncryptionKey.get(), "AES");
    }

    @Override
    public DataKey newDataKey() {
        byte[] dataKey = new byte[DATA_KEY_BYTES];
        random.nextBytes(dataKey);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(AAD);
            byte[] encrypted = cipher.doFinal(dataKey);
            return new DataKey(dataKey, ByteBuffer.allocate(NONCE_BYTES + encrypted.length).put(nonce).put(encrypted).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wrapping a data key failed", e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped) {
        if (wrapped == null || wrapped.length != WRAPPED_BYTES) {
            throw new RejectedKeyException("wrapped data key has the wrong length");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek(), new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            cipher.updateAAD(AAD);
            return cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new RejectedKeyException("wrapped data key was tampered with or wrapped under another key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unwrapping a data key failed", e);
        }
    }
}
