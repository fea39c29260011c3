package dev.awoooi.store;

import dev.awoooi.privacy.KeyWrapper;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

import java.util.Map;

/**
 * Envelope encryption's key-encryption key in AWS: data keys come from KMS GenerateDataKey (AES_256) and are
 * unwrapped with KMS Decrypt under the same key id and encryption context. The encryption context is logged by
 * CloudTrail with every call and can be required by the IAM policies ({@code kms:EncryptionContext:app}).
 */
public final class KmsKeyWrapper implements KeyWrapper {
    public static final Map<String, String> DEFAULT_CONTEXT = Map.of("app", "awoooi", "purpose", "vault");

    private final KmsClient kms;
    private final String keyId;
    private final Map<String, String> encryptionContext;

    public KmsKeyWrapper(KmsClient kms, String keyId) {
        this(kms, keyId, DEFAULT_CONTEXT);
    }

    public KmsKeyWrapper(KmsClient kms, String keyId, Map<String, String> encryptionContext) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("a KMS key id, ARN or alias is required");
        }
        this.kms = kms;
        this.keyId = keyId;
        this.encryptionContext = Map.copyOf(encryptionContext);
    }

    @Override
    public DataKey newDataKey() {
        GenerateDataKeyResponse response = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                .encryptionContext(encryptionContext));
        return new DataKey(response.plaintext().asByteArray(), response.ciphertextBlob().asByteArray());
    }

    @Override
    public byte[] unwrap(byte[] wrapped) {
        try {
            return kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(encryptionContext)).plaintext().asByteArray();
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw new RejectedKeyException("KMS rejected the wrapped data key (altered, another key or another context)", e);
        }
    }
}
