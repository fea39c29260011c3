package dev.awoooi.privacy;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AesGcmSealerTest {
    private final AesGcmSealer sealer = new AesGcmSealer(key());

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void opensWhatItSealedForTheSameContextOnly() {
        String sealed = sealer.seal("admin@company.com", "inc-1[EMAIL_1]");
        assertThat(sealed).doesNotContain("admin");
        assertThat(sealer.open(sealed, "inc-1[EMAIL_1]")).isEqualTo("admin@company.com");
        assertThatThrownBy(() -> sealer.open(sealed, "inc-2[EMAIL_1]")).hasMessageContaining("another context");
    }

    @Test
    void sealingTwiceGivesDifferentCiphertexts() {
        assertThat(sealer.seal("v", "c")).isNotEqualTo(sealer.seal("v", "c"));
    }

    @Test
    void anotherKeyCannotOpen() {
        String sealed = sealer.seal("v", "c");
        assertThatThrownBy(() -> new AesGcmSealer(key()).open(sealed, "c")).isInstanceOf(IllegalStateException.class);
    }
}
