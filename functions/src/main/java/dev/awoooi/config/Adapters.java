package dev.awoooi.config;

import dev.awoooi.bus.EventBridgeEvents;
import dev.awoooi.bus.SqsDeadLetters;
import dev.awoooi.bus.SqsWorkQueue;
import dev.awoooi.chat.SlackApi;
import dev.awoooi.chat.WebhookChannel;
import dev.awoooi.topology.TopologyFile;
import dev.awoooi.incident.DomainEvents;
import dev.awoooi.notify.ChatChannel;
import dev.awoooi.alert.Sealer;
import dev.awoooi.privacy.EnvelopeSealer;
import dev.awoooi.privacy.KeyWrapper;
import dev.awoooi.privacy.LocalKeyWrapper;
import dev.awoooi.privacy.Vault;
import dev.awoooi.store.DynamoApproverDirectory;
import dev.awoooi.store.DynamoAuditLog;
import dev.awoooi.store.DynamoClaims;
import dev.awoooi.store.DynamoPayloads;
import dev.awoooi.store.DynamoIncidentAlerts;
import dev.awoooi.store.DynamoIncidentStore;
import dev.awoooi.store.DynamoScanArchive;
import dev.awoooi.store.DynamoVault;
import dev.awoooi.store.KmsKeyWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Wires the ports to AWS and HTTP (the Kubernetes ones are in {@link ClusterAdapters}). Beans are lazy: each Lambda
 * builds only what its function uses. The AWS clients are injected as lazy proxies ({@code @Lazy}): building one costs
 * hundreds of milliseconds of class loading, so they are built by SnapStart's priming, before the snapshot, rather
 * than by the handler's lookup of its function during INIT.
 */
@Configuration(proxyBeanMethods = false)
public class Adapters {
    private static final Logger log = LoggerFactory.getLogger(Adapters.class);

    /** Eager (not lazy like the rest): registered during INIT so SnapStart's checkpoint finds it. */
    @Bean
    @Lazy(false)
    SnapStartHooks snapStartHooks(ConfigurableApplicationContext context) {
        return SnapStartHooks.register(context);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ObjectMapper awoooiJson() {
        return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    /**
     * Read on first use, never at start-up, and again after {@code awoooi.secretsttl}: rotations need no redeploy. Only
     * the secrets this function is granted (AWOOOI_SECRETSARNS, one per need), their fields merged.
     */
    @Bean
    SecretStore secrets(AwoooiProperties props, ObjectMapper json, ObjectProvider<SecretsManagerClient> secretsManager, Clock clock) {
        List<String> arns = props.secretsarns();
        if (arns.isEmpty()) {
            return new SecretStore(() -> Secrets.fromProperties(props), props.secretsttl(), clock);
        }
        return new SecretStore(() -> {
            ObjectNode merged = json.createObjectNode();
            for (String arn : arns) {
                JsonNode secret = json.readTree(secretsManager.getObject().getSecretValue(r -> r.secretId(arn)).secretString());
                if (!secret.isObject()) {
                    throw new IllegalStateException("secret " + arn + " is not a JSON object");
                }
                merged.setAll((ObjectNode) secret);
            }
            return Secrets.fromJson(merged);
        }, props.secretsttl(), clock);
    }

    @Bean(destroyMethod = "close")
    SecretsManagerClient secretsManager(AwoooiProperties props) {
        return aws(SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), endpoints(props).secretsmanager());
    }

    private static <B extends AwsClientBuilder<B, C>, C> C aws(B builder, String endpoint) {
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /**
     * DynamoDB throttles a hot partition for moments: such calls are retried with backoff, up to 5 attempts, and the
     * SDK's retry circuit breaker is off. With it on, a few dozen throttled calls drain the container's retry quota
     * and from then on every throttled call fails at once (measured: 10% of calls throttled left half the incidents
     * of a run waiting on queue redeliveries); a failure that survives the retries still goes back to its queue.
     */
    @Bean(destroyMethod = "close")
    DynamoDbClient dynamo(AwoooiProperties props) {
        return aws(DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(5).circuitBreakerEnabled(false).build())), endpoints(props).dynamodb());
    }

    @Bean(destroyMethod = "close")
    SqsClient sqs(AwoooiProperties props) {
        return aws(SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), endpoints(props).sqs());
    }

    @Bean(destroyMethod = "close")
    EventBridgeClient eventBridge(AwoooiProperties props) {
        return aws(EventBridgeClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), endpoints(props).eventbridge());
    }

    private static AwoooiProperties.Endpoints endpoints(AwoooiProperties props) {
        return props.endpoints() == null ? new AwoooiProperties.Endpoints(null, null, null, null, null, null) : props.endpoints();
    }

    @Bean(destroyMethod = "close")
    KmsClient kms(AwoooiProperties props) {
        return aws(KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), endpoints(props).kms());
    }

    /** Envelope encryption: data keys from KMS in AWS (AWOOOI_KMSKEYID), wrapped under the local seal key otherwise. */
    @Bean
    EnvelopeSealer sealer(AwoooiProperties props, SecretStore secrets, @Lazy KmsClient kms) {
        String keyId = props.kmskeyid();
        KeyWrapper keys = keyId == null || keyId.isBlank()
                ? new LocalKeyWrapper(() -> secrets.current().sealKey())
                : new KmsKeyWrapper(kms, keyId);
        return new EnvelopeSealer(keys);
    }

    @Bean
    DynamoIncidentStore incidentStore(@Lazy DynamoDbClient dynamo, AwoooiProperties props, ObjectMapper json) {
        return new DynamoIncidentStore(dynamo, props.tables().incidents(), json);
    }

    @Bean
    DynamoIncidentAlerts incidentAlerts(@Lazy DynamoDbClient dynamo, AwoooiProperties props, Clock clock) {
        return new DynamoIncidentAlerts(dynamo, props.tables().alerts(), props.tables().incidents(), clock, Duration.ofDays(400));
    }

    @Bean
    DynamoClaims claims(@Lazy DynamoDbClient dynamo, AwoooiProperties props, DynamoIncidentStore incidents, Clock clock) {
        return new DynamoClaims(dynamo, props.tables().idempotency(), incidents, clock);
    }

    @Bean
    Vault vault(@Lazy DynamoDbClient dynamo, AwoooiProperties props, Sealer sealer, SecretStore secrets, Clock clock) {
        return new DynamoVault(dynamo, props.tables().vault(), sealer,
                value -> new KeyBlinder(secrets.current().blindSecret(), "awoooi-vault-value").blind(value), clock, Duration.ofDays(30));
    }

    @Bean
    DynamoPayloads payloads(@Lazy DynamoDbClient dynamo, AwoooiProperties props, Clock clock) {
        return new DynamoPayloads(dynamo, props.tables().payloads(), clock, Duration.ofDays(1));
    }

    /** Read by the functions; changed only by the operator's command (ApproversCommand), never by a function. */
    @Bean
    DynamoApproverDirectory approverDirectory(@Lazy DynamoDbClient dynamo, AwoooiProperties props, dev.awoooi.audit.AuditLog audit, Clock clock) {
        return new DynamoApproverDirectory(dynamo, props.tables().approvers(), audit, clock);
    }

    @Bean
    dev.awoooi.store.DynamoTrustStore trustStore(@Lazy DynamoDbClient dynamo, AwoooiProperties props, ObjectMapper json) {
        return new dev.awoooi.store.DynamoTrustStore(dynamo, props.tables().trust(), json);
    }

    @Bean
    DynamoAuditLog auditLog(@Lazy DynamoDbClient dynamo, AwoooiProperties props, Clock clock) {
        return new DynamoAuditLog(dynamo, props.tables().audit(), clock);
    }

    @Bean
    DynamoScanArchive scanArchive(@Lazy DynamoDbClient dynamo, AwoooiProperties props, ObjectMapper json) {
        return new DynamoScanArchive(dynamo, props.tables().scans(), json, Duration.ofDays(400));
    }

    @Bean
    DomainEvents domainEvents(@Lazy EventBridgeClient events, AwoooiProperties props, ObjectMapper json) {
        return new EventBridgeEvents(events, props.eventbus(), json);
    }

    @Bean
    SqsWorkQueue<dev.awoooi.alert.SealedAlert> redactQueue(@Lazy SqsClient sqs, AwoooiProperties props, ObjectMapper json) {
        return new SqsWorkQueue<>(sqs, props.queues().redact(), json);
    }

    @Bean
    SqsWorkQueue<dev.awoooi.privacy.RedactedAlert> analyzeQueue(@Lazy SqsClient sqs, AwoooiProperties props, ObjectMapper json) {
        return new SqsWorkQueue<>(sqs, props.queues().analyze(), json);
    }

    /** Orders for the execute function from outside the bus (the reconciler's re-drives and settlements). */
    @Bean
    SqsWorkQueue<java.util.Map<String, Object>> executeQueue(@Lazy SqsClient sqs, AwoooiProperties props, ObjectMapper json) {
        return new SqsWorkQueue<>(sqs, props.queues().execute(), json);
    }

    @Bean
    SqsDeadLetters deadLetters(@Lazy SqsClient sqs, AwoooiProperties props, ObjectMapper json) {
        return new SqsDeadLetters(sqs, props.deadletters(), json);
    }

    /** The declared topology, read once per container: it ships with the artifact and does not change under it. */
    @Bean
    TopologyFile declaredTopology(AwoooiProperties props) throws IOException {
        String file = props.topology().file();
        if (file == null || file.isBlank()) {
            return TopologyFile.empty();
        }
        if (file.startsWith("classpath:")) {
            String resource = "/" + file.substring("classpath:".length()).replaceFirst("^/", "");
            try (var in = Adapters.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("topology file " + file + " not found");
                }
                return TopologyFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file);
            }
        }
        return TopologyFile.parse(Files.readString(Path.of(file)), file);
    }

    /**
     * One HTTP client for every chat platform and the identity provider, built on the first call to one (class
     * initialisation is lazy and thread-safe), not at start-up: most functions never make such a call, and each client
     * starts a selector thread.
     */
    static java.net.http.HttpClient platformHttp() {
        return ChatHttp.CLIENT;
    }

    private static final class ChatHttp {
        static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(5)).build();
    }

    /** Slack's Web API as the app, when a channel is configured; the bot token is read from the secrets on each call. */
    @Bean
    SlackApi slackApi(AwoooiProperties props, SecretStore secrets, ObjectMapper json) {
        return new SlackApi(() -> ChatHttp.CLIENT,
                URI.create(props.slack().api()), () -> secrets.current().chat().slackBotToken(), json);
    }

    @Bean
    dev.awoooi.chat.TelegramApi telegramApi(AwoooiProperties props, SecretStore secrets, ObjectMapper json) {
        return new dev.awoooi.chat.TelegramApi(() -> ChatHttp.CLIENT,
                URI.create(props.telegram().api()), () -> secrets.current().chat().telegramBotToken(), json);
    }

    @Bean
    dev.awoooi.chat.TelegramChannel telegramChannel(AwoooiProperties props, dev.awoooi.chat.TelegramApi telegram, DynamoClaims refs, ObjectMapper json) {
        return new dev.awoooi.chat.TelegramChannel(telegram, props.telegram().chat(), refs, json);
    }

    @Bean
    dev.awoooi.chat.DiscordChannel discordChannel(AwoooiProperties props, SecretStore secrets, DynamoClaims refs, ObjectMapper json) {
        var api = new dev.awoooi.chat.DiscordApi(() -> ChatHttp.CLIENT,
                URI.create(props.discord().api()), () -> secrets.current().chat().discordBotToken(), json);
        return new dev.awoooi.chat.DiscordChannel(api, props.discord().channel(), refs, json);
    }

    /**
     * The chat channels configured (the signed webhook, Slack, Telegram, Discord), each with the incidents it takes
     * ({@code awoooi.chat.routing}, the template's ChatRouting: by risk and namespace). None configured is said, never
     * hidden.
     */
    @Bean
    java.util.List<dev.awoooi.notify.ChatRoute> chatRoutes(AwoooiProperties props, SecretStore secrets, SlackApi slack, DynamoClaims refs,
                                                          dev.awoooi.chat.TelegramChannel telegram, dev.awoooi.chat.DiscordChannel discord,
                                                          ObjectMapper json) {
        var rules = dev.awoooi.notify.ChatRoute.parse(props.chat() == null ? null : props.chat().routing());
        java.util.Map<String, ChatChannel> channels = new java.util.LinkedHashMap<>();
        String url = props.chat() == null ? null : props.chat().webhookurl();
        if (url != null && !url.isBlank()) {
            channels.put("webhook", new WebhookChannel(URI.create(url), () -> secrets.current().notifySecret(), json));
        }
        if (!props.slack().channel().isBlank()) {
            channels.put("slack", new dev.awoooi.chat.SlackChannel(slack, props.slack().channel(), refs, json));
        }
        if (!props.telegram().chat().isBlank()) {
            channels.put("telegram", telegram);
        }
        if (!props.discord().channel().isBlank()) {
            channels.put("discord", discord);
        }
        if (channels.isEmpty()) {
            String why = "no chat channel is configured (the template's NotifyWebhookUrl, SlackChannel, TelegramChat and DiscordChannel "
                    + "are all empty): no card reaches anyone, approval requests included";
            log.error("{}; every card is recorded in the audit table as undelivered", why);
            return java.util.List.of(dev.awoooi.notify.ChatRoute.all("none", ChatChannel.none(why)));
        }
        rules.keySet().stream().filter(name -> !channels.containsKey(name)).forEach(name ->
                log.warn("chat routing names {}, which is not configured: its rule does nothing", name));
        return channels.entrySet().stream().map(c -> {
            var rule = rules.getOrDefault(c.getKey(), dev.awoooi.notify.ChatRoute.Rule.ALL);
            return new dev.awoooi.notify.ChatRoute(c.getKey(), c.getValue(), rule.minRisk(), rule.namespaces());
        }).toList();
    }
}
