package dev.awoooi.privacy;

/**
 * Port: the key-encryption key of envelope encryption. It hands out fresh 256-bit data keys together with their
 * wrapped (encrypted) form, and unwraps a wrapped key again. In AWS a KMS key does this; locally a 32-byte key.
 * The plaintext of a data key stays in memory only; the wrapped form is stored beside every value it sealed.
 */
public interface KeyWrapper {

    /** A fresh random 32-byte data key and the same key wrapped under this wrapper's key-encryption key. */
    DataKey newDataKey();

    /**
     * The plaintext of a data key this wrapper (or another wrapper under the same key-encryption key) wrapped.
     *
     * @throws RejectedKeyException if the wrapped key was altered or was wrapped under another key-encryption key;
     *                              any other exception is a failure to reach the key service and may be retried
     */
    byte[] unwrap(byte[] wrapped);

    /** A data key: {@code plaintext} encrypts values, {@code wrapped} is what gets stored. */
    record DataKey(byte[] plaintext, byte[] wrapped) {
        public DataKey {
            if (plaintext == null || wrapped == null || wrapped.length == 0) {
                throw new IllegalArgumentException("a data key needs its plaintext and its wrapped form");
            }
        }

        /** Never prints key material. */
        @Override
        public String toString() {
            return "DataKey[" + plaintext.length + " bytes, wrapped " + wrapped.length + " bytes]";
        }
    }

    /** The wrapped key is not genuine for this key-encryption key: tampered with, or wrapped under another key. */
    final class RejectedKeyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RejectedKeyException(String message) {
            super(message);
        }

        public RejectedKeyException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
