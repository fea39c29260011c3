package dev.awoooi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.awoooi.privacy.EnvelopeSealer;
import dev.awoooi.privacy.KeyWrapper;
import dev.awoooi.store.KmsKeyWrapper;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * Envelope encryption with KMS, against moto's server (skipped where {@code moto_server} is not on the PATH):
 * data keys from GenerateDataKey, unwrapped with Decrypt under the same key id and encryption context.
 */
class KmsKeyWrapperIT {

    private static MotoServer moto;
    private static KmsClient kms;
    private static String vaultKey;
    private static String otherKey;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        URI endpoint = moto.endpoint();

        kms = KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        vaultKey = createKey("awoooi vault");
        otherKey = createKey("another application");
    }

    private static String createKey(String description) {
        return kms.createKey(r -> r.description(description).keySpec(KeySpec.SYMMETRIC_DEFAULT).keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
                .keyMetadata().arn();
    }

    @AfterAll
    static void stop() {
        if (kms != null) {
            kms.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void kmsHandsOutAes256DataKeysThatItUnwrapsAgain() {
        KmsKeyWrapper wrapper = new KmsKeyWrapper(kms, vaultKey);
        KeyWrapper.DataKey key = wrapper.newDataKey();
        assertThat(key.plaintext()).hasSize(32);
        assertThat(key.wrapped()).isNotEmpty().isNotEqualTo(key.plaintext());
        assertThat(wrapper.unwrap(key.wrapped())).isEqualTo(key.plaintext());
    }

    @Test
    void valuesSealedInOneFunctionOpenInAnotherWithOneKmsCallEach() {
        CountingWrapper ingestKeys = new CountingWrapper(new KmsKeyWrapper(kms, vaultKey));
        CountingWrapper redactKeys = new CountingWrapper(new KmsKeyWrapper(kms, vaultKey));
        EnvelopeSealer ingest = new EnvelopeSealer(ingestKeys);
        EnvelopeSealer redact = new EnvelopeSealer(redactKeys);

        List<String> sealed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sealed.add(ingest.seal("admin" + i + "@company.com", "inc-" + i + "[EMAIL_1]"));
        }
        for (int i = 0; i < 10; i++) {
            assertThat(sealed.get(i)).doesNotContain("admin" + i + "@company.com");
            assertThat(redact.open(sealed.get(i), "inc-" + i + "[EMAIL_1]")).isEqualTo("admin" + i + "@company.com");
        }
        assertThat(ingestKeys.generated).hasValue(1);
        assertThat(ingestKeys.unwrapped).hasValue(0);
        assertThat(redactKeys.unwrapped).hasValue(1);

        assertThatThrownBy(() -> redact.open(sealed.getFirst(), "inc-9[EMAIL_1]"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another context");
    }

    @Test
    void aValueSealedUnderOneKeyCannotBeOpenedUnderAnother() {
        String sealed = new EnvelopeSealer(new KmsKeyWrapper(kms, vaultKey)).seal("10.12.0.7", "inc-1[IP_1]");
        EnvelopeSealer stranger = new EnvelopeSealer(new KmsKeyWrapper(kms, otherKey));
        // KMS answers IncorrectKeyException; moto answers AccessDeniedException. Either way nothing is revealed.
        assertThatThrownBy(() -> stranger.open(sealed, "inc-1[IP_1]"))
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("10.12.0.7"));
        assertThat(new EnvelopeSealer(new KmsKeyWrapper(kms, vaultKey)).open(sealed, "inc-1[IP_1]")).isEqualTo("10.12.0.7");
    }

    @Test
    void theEncryptionContextIsPartOfTheWrapping() {
        String sealed = new EnvelopeSealer(new KmsKeyWrapper(kms, vaultKey)).seal("v", "c");
        EnvelopeSealer otherPurpose = new EnvelopeSealer(new KmsKeyWrapper(kms, vaultKey, Map.of("app", "awoooi", "purpose", "other")));
        assertThatThrownBy(() -> otherPurpose.open(sealed, "c")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrapped under another key");
    }

    @Test
    void anAlteredWrappedKeyIsRejectedByKms() {
        String sealed = new EnvelopeSealer(new KmsKeyWrapper(kms, vaultKey)).seal("v", "c");
        byte[] all = Base64.getDecoder().decode(sealed);
        all[3 + 40] ^= 0x01; // inside the wrapped key (after version and length)
        String altered = Base64.getEncoder().encodeToString(all);
        assertThatThrownBy(() -> new EnvelopeSealer(new KmsKeyWrapper(kms, vaultKey)).open(altered, "c"))
                .isInstanceOf(IllegalStateException.class);
    }

    /** Counts the calls that reach KMS. */
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
