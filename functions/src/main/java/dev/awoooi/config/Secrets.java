package dev.awoooi.config;

import tools.jackson.databind.JsonNode;

import java.util.Base64;

/**
 * The secrets one function may hold, as one value. In AWS each need has its own Secrets Manager secret (the alert
 * senders' token, the incident readers' token, the link key, the chat key, and one kubeconfig per cluster identity:
 * the scans' read-only, the analysis' dry-run-only, the executor's write) and a function is granted, and reads through
 * {@link SecretStore}, only those AWOOOI_SECRETSARNS names; locally the runner passes them all as properties. Each
 * secret holds fields of its own name, so merging a function's secrets never lets one stand in for another. A field the
 * function was not given is absent, and asking for one it needs is an error that says so. Never logged, never in an
 * event, never in a SnapStart snapshot.
 */
public record Secrets(String webhookToken, String readerToken, byte[] linkSecret, byte[] blindSecret, byte[] notifySecret, byte[] sealKey,
                      Kubeconfigs kubeconfigs, byte[] grafanaHmacSecret, String prometheusToken, Chat chat, String oidcClientSecret,
                      String modelApiKey, java.util.Map<String, String> mcpTokens) {

    public Secrets {
        mcpTokens = mcpTokens == null ? java.util.Map.of() : java.util.Map.copyOf(mcpTokens);
    }

    /** The chat platforms' credentials (ChatSecretArn): what signs their requests to AWOOOI, and AWOOOI's to them. */
    public record Chat(byte[] slackSigningSecret, String slackBotToken, String telegramBotToken, byte[] telegramWebhookSecret,
                       String discordPublicKey, String discordBotToken) {
        public static final Chat NONE = new Chat(null, null, null, null, null, null);

        /** The Discord application's public key (hex): verifies its interactions. */
        @Override
        public String discordPublicKey() {
            return needed("discordPublicKey", discordPublicKey);
        }

        /** Posts and edits cards as the Discord bot. */
        @Override
        public String discordBotToken() {
            return needed("discordBotToken", discordBotToken);
        }

        /** The bot's token: Telegram's Bot API URLs carry it. */
        @Override
        public String telegramBotToken() {
            return needed("telegramBotToken", telegramBotToken);
        }

        /** What Telegram sends in X-Telegram-Bot-Api-Secret-Token (set with setWebhook's secret_token). */
        @Override
        public byte[] telegramWebhookSecret() {
            return needed("telegramWebhookSecret", telegramWebhookSecret);
        }

        /** Verifies Slack's requests: held where the interactivity route runs. */
        @Override
        public byte[] slackSigningSecret() {
            return needed("slackSigningSecret", slackSigningSecret);
        }

        /** Posts and updates cards as the Slack app. */
        @Override
        public String slackBotToken() {
            return needed("slackBotToken", slackBotToken);
        }

        @Override
        public String toString() {
            return "Chat[" + (slackSigningSecret == null ? "" : "slackSigningSecret ") + (slackBotToken == null ? "" : "slackBotToken ")
                    + (telegramBotToken == null ? "" : "telegramBotToken ") + (telegramWebhookSecret == null ? "" : "telegramWebhookSecret ")
                    + (discordPublicKey == null ? "" : "discordPublicKey ") + (discordBotToken == null ? "" : "discordBotToken") + "]";
        }
    }

    /** The cluster identities' kubeconfigs, each present only where the function holds its secret. */
    public record Kubeconfigs(String read, String analysis, String write) {
        public static final Kubeconfigs NONE = new Kubeconfigs(null, null, null);

        /** The kubeconfig of one identity, or null. */
        public String of(ClusterIdentity identity) {
            return switch (identity) {
                case READ -> read;
                case ANALYSIS -> analysis;
                case WRITE -> write;
            };
        }

        @Override
        public String toString() {
            return "Kubeconfigs[" + (read == null ? "" : "read ") + (analysis == null ? "" : "analysis ")
                    + (write == null ? "" : "write") + "]";
        }
    }

    /** A record's default toString would print every secret; this one names which are present. */
    @Override
    public String toString() {
        StringBuilder held = new StringBuilder();
        name(held, "webhookToken", webhookToken);
        name(held, "readerToken", readerToken);
        name(held, "linkSecret", linkSecret);
        name(held, "blindSecret", blindSecret);
        name(held, "notifySecret", notifySecret);
        name(held, "sealKey", sealKey);
        name(held, "readKubeconfig", kubeconfigs.read());
        name(held, "analysisKubeconfig", kubeconfigs.analysis());
        name(held, "writeKubeconfig", kubeconfigs.write());
        name(held, "grafanaHmacSecret", grafanaHmacSecret);
        name(held, "prometheusToken", prometheusToken);
        name(held, "oidcClientSecret", oidcClientSecret);
        name(held, "modelApiKey", modelApiKey);
        name(held, "mcpTokens " + mcpTokens.keySet(), mcpTokens.isEmpty() ? null : mcpTokens);
        name(held, "chat", chat.slackSigningSecret != null || chat.slackBotToken != null || chat.telegramBotToken != null
                || chat.telegramWebhookSecret != null || chat.discordPublicKey != null || chat.discordBotToken != null ? chat : null);
        return "Secrets[" + held + "]";
    }

    /** The alert senders' bearer token: ingest's. */
    @Override
    public String webhookToken() {
        return needed("webhookToken", webhookToken);
    }

    /** The bearer token that reads incidents: not the alert senders'. */
    @Override
    public String readerToken() {
        return needed("readerToken", readerToken);
    }

    /** Signs approval links: held only where links are made and checked (approvalApi, notify). */
    @Override
    public byte[] linkSecret() {
        return needed("linkSecret", linkSecret);
    }

    /** The approval page's client secret at the OpenID Connect provider (SignInSecretArn): redeems sign-in codes. */
    @Override
    public String oidcClientSecret() {
        return needed("oidcClientSecret", oidcClientSecret);
    }

    /** The model provider's API key (ModelSecretArn), analyze's alone; null where none is configured (Bedrock, a local model). */
    @Override
    public String modelApiKey() {
        return modelApiKey;
    }

    /** Keys the blinded group keys (ingest) and vault lookups (redact): not the links' key, which ingest never holds. */
    @Override
    public byte[] blindSecret() {
        return needed("blindSecret", blindSecret);
    }

    /** Signs what notify posts to the chat webhook. */
    @Override
    public byte[] notifySecret() {
        return needed("notifySecret", notifySecret);
    }

    /**
     * From the JSON of every secret the function was granted, merged (each need's secret holds its own fields). With
     * KMS (AWOOOI_KMSKEYID) no seal key is needed: data keys come from KMS.
     */
    static Secrets fromJson(JsonNode secret) {
        return new Secrets(text(secret, "webhookToken"), text(secret, "readerToken"), bytes(text(secret, "linkSecret")),
                bytes(text(secret, "blindSecret")), bytes(text(secret, "notifySecret")),
                secret.hasNonNull("sealKey") ? Base64.getDecoder().decode(secret.get("sealKey").asString()) : null,
                new Kubeconfigs(text(secret, ClusterIdentity.READ.secretField()), text(secret, ClusterIdentity.ANALYSIS.secretField()),
                        text(secret, ClusterIdentity.WRITE.secretField())),
                bytes(text(secret, "grafanaHmacSecret")), text(secret, "prometheusToken"),
                new Chat(bytes(text(secret, "slackSigningSecret")), text(secret, "slackBotToken"), text(secret, "telegramBotToken"),
                        bytes(text(secret, "telegramWebhookSecret")), text(secret, "discordPublicKey"), text(secret, "discordBotToken")),
                text(secret, "oidcClientSecret"), text(secret, "modelApiKey"), tokens(secret.get("mcpTokens")));
    }

    /** From properties: the local stack and tests, where no Secrets Manager secret is configured. */
    static Secrets fromProperties(AwoooiProperties props) {
        if (props.webhooktoken() == null || props.readertoken() == null || props.linksecret() == null || props.blindsecret() == null
                || props.notifysecret() == null || props.sealkey() == null) {
            throw new IllegalStateException("no secrets configured: set AWOOOI_SECRETSARNS, or awoooi.webhooktoken, "
                    + "awoooi.readertoken, awoooi.linksecret, awoooi.blindsecret, awoooi.notifysecret and awoooi.sealkey");
        }
        return new Secrets(props.webhooktoken(), props.readertoken(), bytes(props.linksecret()), bytes(props.blindsecret()),
                bytes(props.notifysecret()),
                Base64.getDecoder().decode(props.sealkey()),
                new Kubeconfigs(blankToNull(props.cluster().readkubeconfig()), blankToNull(props.cluster().analysiskubeconfig()),
                        blankToNull(props.cluster().writekubeconfig())),
                props.grafanahmacsecret() == null || props.grafanahmacsecret().isBlank() ? null : bytes(props.grafanahmacsecret()),
                null, new Chat(bytes(blankToNull(props.slack().signingsecret())), blankToNull(props.slack().bottoken()),
                        blankToNull(props.telegram().bottoken()), bytes(blankToNull(props.telegram().webhooksecret())),
                        blankToNull(props.discord().publickey()), blankToNull(props.discord().bottoken())),
                blankToNull(props.oidc().clientsecret()), blankToNull(props.model().apikey()), tokens(props.mcptokens()));
    }

    /** The assistants' bearer tokens by name (McpSecretArn): {@code {"claude":"…","cursor":"…"}} there, {@code claude=…; cursor=…} locally. */
    @Override
    public java.util.Map<String, String> mcpTokens() {
        if (mcpTokens.isEmpty()) {
            throw new IllegalStateException("this function holds no mcpTokens: none of the secrets it is granted (AWOOOI_SECRETSARNS) has that field");
        }
        return mcpTokens;
    }

    private static java.util.Map<String, String> tokens(JsonNode tokens) {
        java.util.Map<String, String> named = new java.util.LinkedHashMap<>();
        if (tokens != null && tokens.isObject()) {
            tokens.properties().forEach(e -> named.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : ""));
        }
        return strong(named);
    }

    private static java.util.Map<String, String> tokens(String pairs) {
        java.util.Map<String, String> named = new java.util.LinkedHashMap<>();
        if (pairs != null) {
            for (String pair : pairs.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    named.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return strong(named);
    }

    /** A bearer token shorter than 16 characters (an empty one above all) would let a guess in: the secret is refused. */
    private static java.util.Map<String, String> strong(java.util.Map<String, String> named) {
        named.forEach((name, token) -> {
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalStateException("mcpTokens' " + name + " is shorter than " + MIN_TOKEN_LENGTH + " characters");
            }
        });
        return named;
    }

    static final int MIN_TOKEN_LENGTH = 16;

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static <T> T needed(String field, T value) {
        if (value == null) {
            throw new IllegalStateException("this function holds no " + field + ": none of the secrets it is granted "
                    + "(AWOOOI_SECRETSARNS) has that field");
        }
        return value;
    }

    private static void name(StringBuilder held, String field, Object value) {
        if (value != null) {
            held.append(held.isEmpty() ? "" : ", ").append(field);
        }
    }

    private static String text(JsonNode secret, String field) {
        return secret.hasNonNull(field) ? secret.get(field).asString() : null;
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
