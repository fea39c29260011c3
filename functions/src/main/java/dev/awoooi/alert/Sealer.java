package dev.awoooi.alert;

/** Port: authenticated encryption of small secrets (a local key, or KMS envelope encryption in AWS). */
public interface Sealer {
    String seal(String plaintext, String context);

    /** Fails if the ciphertext was tampered with or sealed for another context. */
    String open(String sealed, String context);
}
