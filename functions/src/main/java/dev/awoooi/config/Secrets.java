package dev.awoooi.config;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.Base64;

/**
 * The secrets the functions need. In AWS they are read once per cold start from the Secrets Manager secret named
 * by AWOOOI_SECRETSARN; locally the runner passes them as properties. Never logged, never in an event.
 */
public record Secrets(String webhookToken, byte[] linkSecret, byte[] notifySecret, byte[] sealKey, String kubeconfig,
                      byte[] grafanaHmacSecret, String prometheusToken) {

    /** A record's default toString would print every secret; this one names which are present. */
    @Override
    public String toString() {
        return "Secrets[webhookToken, linkSecret, notifySecret" + (sealKey == null ? "" : ", sealKey")
                + (kubeconfig == null ? "" : ", kubeconfig") + (grafanaHmacSecret == null ? "" : ", grafanaHmacSecret")
                + (prometheusToken == null ? "" : ", prometheusToken") + "]";
    }

    static Secrets load(AwoooiProperties props, ObjectMapper json) {
        if (props.secretsarn() != null && !props.secretsarn().isBlank()) {
            try (var sm = SecretsManagerClient.create()) {
                JsonNode secret = json.readTree(sm.getSecretValue(r -> r.secretId(props.secretsarn())).secretString());
                return new Secrets(required(secret, "webhookToken"), bytes(required(secret, "linkSecret")),
                        bytes(required(secret, "notifySecret")),
                        // With KMS (AWOOOI_KMSKEYID) the seal key is not needed: data keys come from KMS.
                        secret.hasNonNull("sealKey") ? Base64.getDecoder().decode(secret.get("sealKey").asString()) : null,
                        secret.hasNonNull("kubeconfig") ? secret.get("kubeconfig").asString() : null,
                        secret.hasNonNull("grafanaHmacSecret") ? bytes(secret.get("grafanaHmacSecret").asString()) : null,
                        secret.hasNonNull("prometheusToken") ? secret.get("prometheusToken").asString() : null);
            }
        }
        if (props.webhooktoken() == null || props.linksecret() == null || props.notifysecret() == null || props.sealkey() == null) {
            throw new IllegalStateException("no secrets configured: set AWOOOI_SECRETSARN, or awoooi.webhooktoken, "
                    + "awoooi.linksecret, awoooi.notifysecret and awoooi.sealkey");
        }
        return new Secrets(props.webhooktoken(), bytes(props.linksecret()), bytes(props.notifysecret()),
                Base64.getDecoder().decode(props.sealkey()), null,
                props.grafanahmacsecret() == null || props.grafanahmacsecret().isBlank() ? null : bytes(props.grafanahmacsecret()),
                null);
    }

    private static String required(JsonNode secret, String field) {
        if (!secret.hasNonNull(field)) {
            throw new IllegalStateException("secret lacks field " + field);
        }
        return secret.get(field).asString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
