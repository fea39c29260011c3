package dev.awoooi.privacy;

import dev.awoooi.SuppliedClock;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeSealerTest {
    private final byte[] kek = randomKey();
    private final CountingWrapper wrapper = new CountingWrapper(new LocalKeyWrapper(kek));
    private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final Clock clock = SuppliedClock.of(() -> now);

    private EnvelopeSealer sealer(KeyWrapper keys, Duration maxAge, long maxUses, int cacheSize) {
        return new EnvelopeSealer(keys, clock, maxAge, maxUses, cacheSize);
    }

    private EnvelopeSealer sealer() {
        return sealer(wrapper, Duration.ofHours(1), 100_000, 32);
    }

    @Test
    void opensWhatItSealedForTheSameContext() {
        EnvelopeSealer sealer = sealer();
        String sealed = sealer.seal("admin@company.com", "inc-1[EMAIL_1]");
        assertThat(sealer.open(sealed, "inc-1[EMAIL_1]")).isEqualTo("admin@company.com");
        assertThat(sealer.open(sealer.seal("", "c"), "c")).isEmpty();
        assertThat(sealer.open(sealer.seal("ünïcødé ✓ 10.0.0.1", "inc-2[IP_1]"), "inc-2[IP_1]")).isEqualTo("ünïcødé ✓ 10.0.0.1");
    }

    @Test
    void theSealedFormIsVersionedAndCarriesTheWrappedKey() {
        byte[] all = Base64.getDecoder().decode(sealer().seal("v", "c"));
        int wrappedLength = ((all[1] & 0xff) << 8) | (all[2] & 0xff);
        assertThat(all[0]).isEqualTo(EnvelopeSealer.VERSION);
        assertThat(wrappedLength).isEqualTo(12 + 32 + 16); // the local wrapper's nonce, data key and tag
        assertThat(all).hasSize(3 + wrappedLength + 12 + 1 + 16);
    }

    @Test
    void anotherContextCannotOpen() {
        EnvelopeSealer sealer = sealer();
        String sealed = sealer.seal("admin@company.com", "inc-1[EMAIL_1]");
        assertThatThrownBy(() -> sealer.open(sealed, "inc-2[EMAIL_1]"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another context");
        assertThatThrownBy(() -> sealer.open(sealed, "inc-1[EMAIL_2]"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another context");
    }

    @Test
    void changingAnyByteIsDetected() {
        EnvelopeSealer sealer = sealer();
        byte[] all = Base64.getDecoder().decode(sealer.seal("admin@company.com", "inc-1"));
        for (int i = 0; i < all.length; i++) {
            byte[] tampered = all.clone();
            tampered[i] ^= 0x01;
            String value = Base64.getEncoder().encodeToString(tampered);
            assertThatThrownBy(() -> sealer.open(value, "inc-1")).as("byte %d flipped", i).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void truncatedOrMalformedValuesFailClearly() {
        EnvelopeSealer sealer = sealer();
        byte[] all = Base64.getDecoder().decode(sealer.seal("admin@company.com", "inc-1"));
        for (int length = 0; length < all.length; length++) {
            String value = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(all, length));
            assertThatThrownBy(() -> sealer.open(value, "inc-1")).as("first %d bytes", length).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> sealer.open("not base64 !", "inc-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be opened");
        byte[] otherVersion = all.clone();
        otherVersion[0] = 7;
        assertThatThrownBy(() -> sealer.open(Base64.getEncoder().encodeToString(otherVersion), "inc-1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown format version 7");
    }

    @Test
    void aSealerUnderAnotherKeyEncryptionKeyCannotOpen() {
        String sealed = sealer().seal("v", "c");
        EnvelopeSealer stranger = sealer(new LocalKeyWrapper(randomKey()), Duration.ofHours(1), 100_000, 32);
        assertThatThrownBy(() -> stranger.open(sealed, "c")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrapped under another key");
    }

    @Test
    void oneDataKeySealsManyValues() {
        EnvelopeSealer sealer = sealer();
        List<String> sealed = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sealed.add(sealer.seal("value-" + i, "inc-1[L" + i + "]"));
        }
        assertThat(wrapper.generated).hasValue(1);
        assertThat(sealed).doesNotHaveDuplicates();
        for (int i = 0; i < 50; i++) {
            assertThat(sealer.open(sealed.get(i), "inc-1[L" + i + "]")).isEqualTo("value-" + i);
        }
        assertThat(wrapper.unwrapped).as("its own data key is already known").hasValue(0);
    }

    @Test
    void noDataKeyIsMadeBeforeTheFirstSeal() {
        sealer();
        assertThat(wrapper.generated).hasValue(0);
    }

    @Test
    void theDataKeyRotatesAfterMaxUses() {
        EnvelopeSealer sealer = sealer(wrapper, Duration.ofHours(1), 3, 32);
        List<String> sealed = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sealed.add(sealer.seal("v" + i, "c"));
        }
        assertThat(wrapper.generated).hasValue(3);
        assertThat(sealed.stream().map(EnvelopeSealerTest::wrappedKey).distinct()).hasSize(3);
        sealed.forEach(value -> assertThat(sealer.open(value, "c")).startsWith("v"));
        assertThat(wrapper.unwrapped).hasValue(0);
    }

    @Test
    void theDataKeyRotatesAfterMaxAge() {
        EnvelopeSealer sealer = sealer(wrapper, Duration.ofHours(1), 100_000, 32);
        String first = sealer.seal("a", "c");
        now = now.plus(Duration.ofMinutes(59));
        String stillFirstKey = sealer.seal("b", "c");
        now = now.plus(Duration.ofMinutes(1));
        String second = sealer.seal("c", "c");
        assertThat(wrapper.generated).hasValue(2);
        assertThat(wrappedKey(stillFirstKey)).isEqualTo(wrappedKey(first));
        assertThat(wrappedKey(second)).isNotEqualTo(wrappedKey(first));
        assertThat(sealer.open(first, "c")).isEqualTo("a");
        assertThat(sealer.open(second, "c")).isEqualTo("c");
    }

    @Test
    void sealersSharingAWrapperOpenEachOthersValuesUnwrappingEachKeyOnce() {
        EnvelopeSealer ingest = sealer();
        EnvelopeSealer redact = sealer();
        List<String> sealed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sealed.add(ingest.seal("secret-" + i, "inc-" + i));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(redact.open(sealed.get(i), "inc-" + i)).isEqualTo("secret-" + i);
        }
        assertThat(wrapper.unwrapped).as("one unwrap for the one data key, then the cache").hasValue(1);
        String back = redact.seal("reply", "inc-x");
        assertThat(ingest.open(back, "inc-x")).isEqualTo("reply");
        assertThat(wrapper.unwrapped).hasValue(2);
    }

    @Test
    void theUnwrapCacheIsABoundedLru() {
        EnvelopeSealer writer = sealer(wrapper, Duration.ofHours(1), 1, 32); // a new data key per value
        String v1 = writer.seal("1", "c");
        String v2 = writer.seal("2", "c");
        String v3 = writer.seal("3", "c");
        EnvelopeSealer reader = sealer(wrapper, Duration.ofHours(1), 100_000, 2);

        reader.open(v1, "c");
        reader.open(v2, "c");
        assertThat(wrapper.unwrapped).hasValue(2);
        reader.open(v1, "c"); // hit; v2 becomes the eldest
        assertThat(wrapper.unwrapped).hasValue(2);
        reader.open(v3, "c"); // evicts v2
        assertThat(wrapper.unwrapped).hasValue(3);
        reader.open(v1, "c");
        reader.open(v3, "c");
        assertThat(wrapper.unwrapped).hasValue(3);
        reader.open(v2, "c");
        assertThat(wrapper.unwrapped).hasValue(4);
    }

    @Test
    void aSealedValueNeverContainsThePlaintext() {
        EnvelopeSealer sealer = sealer();
        for (String plaintext : List.of("admin@company.com", "10.12.0.7", "sk-live-0123456789abcdef", "AAAAAAAAAAAAAAAAAAAAAAAA")) {
            String sealed = sealer.seal(plaintext, "inc-1");
            assertThat(sealed).doesNotContain(plaintext);
            assertThat(new String(Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1)).doesNotContain(plaintext);
            assertThat(sealer.seal(plaintext, "inc-1")).as("a fresh nonce each time").isNotEqualTo(sealed);
        }
    }

    @Test
    void concurrentSealingRotatesExactlyAtMaxUses() throws Exception {
        EnvelopeSealer sealer = sealer(wrapper, Duration.ofHours(1), 100, 32);
        Map<String, String> sealedByValue = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        String value = thread + "-" + i;
                        sealedByValue.put(value, sealer.seal(value, "ctx-" + value));
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(wrapper.generated).hasValue(10);
        sealedByValue.forEach((value, sealed) -> assertThat(sealer.open(sealed, "ctx-" + value)).isEqualTo(value));
        assertThat(wrapper.unwrapped).hasValue(0);
    }

    @Test
    void rejectsBadSettingsAndBadKeys() {
        assertThatThrownBy(() -> new LocalKeyWrapper(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sealer(wrapper, Duration.ZERO, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sealer(wrapper, Duration.ofHours(1), 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sealer(wrapper, Duration.ofHours(1), 1, 0)).isInstanceOf(IllegalArgumentException.class);
        KeyWrapper shortKeys = new KeyWrapper() {
            @Override
            public DataKey newDataKey() {
                return new DataKey(new byte[16], new byte[]{1});
            }

            @Override
            public byte[] unwrap(byte[] wrapped) {
                return new byte[16];
            }
        };
        assertThatThrownBy(() -> new EnvelopeSealer(shortKeys).seal("v", "c")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void theLocalWrapperRejectsAlteredWrappedKeys() {
        LocalKeyWrapper local = new LocalKeyWrapper(kek);
        KeyWrapper.DataKey key = local.newDataKey();
        assertThat(local.unwrap(key.wrapped())).isEqualTo(key.plaintext());
        assertThat(key.toString()).doesNotContain(java.util.Arrays.toString(key.plaintext()));
        byte[] altered = key.wrapped().clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> local.unwrap(altered)).isInstanceOf(KeyWrapper.RejectedKeyException.class);
        assertThatThrownBy(() -> local.unwrap(new byte[5])).isInstanceOf(KeyWrapper.RejectedKeyException.class);
        assertThatThrownBy(() -> new LocalKeyWrapper(randomKey()).unwrap(key.wrapped())).isInstanceOf(KeyWrapper.RejectedKeyException.class);
    }

    private static String wrappedKey(String sealed) {
        byte[] all = Base64.getDecoder().decode(sealed);
        int length = ((all[1] & 0xff) << 8) | (all[2] & 0xff);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(all, 3, 3 + length));
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Counts the calls that would go to KMS. */
    private static final class CountingWrapper implements KeyWrapper {
        final AtomicInteger generated = new AtomicInteger();
        final AtomicInteger unwrapped = new AtomicInteger();
        private final KeyWrapper delegate;

        CountingWrapper(KeyWrapper delegate) {
            this.delegate = delegate;
        }

        @Override
        public DataKey newDataKey() {
            generated.incrementAndGet();
            return delegate.newDataKey();
        }

        @Override
        public byte[] unwrap(byte[] wrapped) {
            unwrapped.incrementAndGet();
            return delegate.unwrap(wrapped);
        }
    }
}
