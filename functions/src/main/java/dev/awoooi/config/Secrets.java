package dev.awoooi.config;

import tools.jackson.databind.JsonNode;

import java.util.Base64;

/**
 * The secrets the functions need, as one value. In AWS they come from the Secrets Manager secret named by
 * AWOOOI_SECRETSARN through {@link SecretStore} (on first use, again after its time to live); locally the runner
 * passes them as properties. Never logged, never in an event, never in a SnapStart snapshot.
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

    /** From the Secrets Manager secret's JSON. With KMS (AWOOOI_KMSKEYID) no seal key is needed: data keys come from KMS. */
    static Secrets fromJson(JsonNode secret) {
        return new Secrets(required(secret, "webhookToken"), bytes(required(secret, "linkSecret")),
                bytes(required(secret, "notifySecret")),
                secret.hasNonNull("sealKey") ? Base64.getDecoder().decode(secret.get("sealKey").asString()) : null,
                secret.hasNonNull("kubeconfig") ? secret.get("kubeconfig").asString() : null,
                secret.hasNonNull("grafanaHmacSecret") ? bytes(secret.get("grafanaHmacSecret").asString()) : null,
                secret.hasNonNull("prometheusToken") ? secret.get("prometheusToken").asString() : null);
    }

    /** From properties: the local stack and tests, where no Secrets Manager secret is configured. */
    static Secrets fromProperties(AwoooiProperties props) {
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
