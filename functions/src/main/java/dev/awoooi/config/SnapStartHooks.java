package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.awoooi.incident.IncidentView;
import dev.awoooi.alert.AlertmanagerParser;
import dev.awoooi.approval.ApprovalPage;
import dev.awoooi.incident.Incident;
import dev.awoooi.privacy.EnvelopeSealer;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.context.catalog.FunctionTypeUtils;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.Message;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.ObjectMapper;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SnapStart's runtime hooks. Lambda runs the INIT phase once per published version, calls {@link #beforeCheckpoint}
 * and snapshots the JVM; every cold start then resumes from that snapshot and calls {@link #afterRestore}.
 *
 * <p>Before the checkpoint the function is primed: looked up in the catalog (which builds its beans and SDK clients),
 * then invoked a number of times through the adapter's own conversion path (AWSLambdaUtils, as FunctionInvoker does)
 * with an input that has no effect: an HTTP request without credentials or with an invalid id, an SQS batch of no
 * records. The SDK calls the functions make (DynamoDB, SQS, EventBridge, KMS) are run a few rounds against a canned
 * HTTP answer on this machine ({@link OfflineSdkPriming}: marshalling, signing, unmarshalling, nothing sent), and
 * one real read of a key that is never written warms the DynamoDB client's own HTTP path; where the package has the
 * Kubernetes client, a {@link Primer} runs its calls offline too. Scans are
 * looked up but not invoked (a scan is real work). FunctionInvoker itself is never called here: with Spring Boot 4
 * and Spring Cloud Function 5.0.1 that hangs the restore (spring-cloud-function #1450).
 *
 * <p>Nothing secret enters the snapshot: priming never reads the secrets (a request without a bearer token is refused
 * before the token is looked up), and both hooks drop whatever the secret store and the sealer hold, so each restored
 * sandbox reads the secrets itself and draws its own data key. Random numbers need no reseeding: the JDK's default
 * SecureRandom on Linux (NativePRNG) mixes fresh bytes from /dev/urandom into every draw. Connections need no reset:
 * the only one made before the snapshot (the priming read) sits in the JDK's keep-alive cache, which never hands out
 * a connection idle for longer than its keep-alive time (seconds), and a restore comes later than that.
 */
public final class SnapStartHooks implements Resource {
    private static final Logger log = LoggerFactory.getLogger(SnapStartHooks.class);
    /** org.crac keeps resources weakly: these strong references keep the hooks alive until the checkpoint. */
    private static final List<SnapStartHooks> REGISTERED = new CopyOnWriteArrayList<>();
    static final int PRIMING_INVOCATIONS = 200;
    private static final Set<String> SCANS = Set.of("finopsScan", "capacityScan", "complianceScan", "assetScan");

    private final ConfigurableApplicationContext context;

    SnapStartHooks(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Registers the hooks with the runtime; without a CRaC-capable runtime (tests, the local stack) they never run. */
    static SnapStartHooks register(ConfigurableApplicationContext context) {
        SnapStartHooks hooks = new SnapStartHooks(context);
        REGISTERED.add(hooks);
        Core.getGlobalContext().register(hooks);
        return hooks;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> crac) {
        long started = System.nanoTime();
        String definition = context.getEnvironment().getProperty("spring.cloud.function.definition");
        if (definition == null || definition.isBlank()) {
            log.warn("no function definition (SPRING_CLOUD_FUNCTION_DEFINITION): nothing primed");
            return;
        }
        try {
            int invocations = prime(definition);
            primeDomain();
            OfflineSdkPriming.run();
            context.getBeansOfType(Primer.class).values().forEach(Primer::prime);
            primeAwsClients(definition);
            log.info("primed {} before the snapshot: {} invocations, {} ms", definition, invocations,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            // a snapshot without priming is slower, never wrong: the restore must not fail for it
            log.warn("priming {} failed ({}); the snapshot is taken unprimed", definition, e.toString());
        } finally {
            forgetSecretsAndKeys();
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> crac) {
        forgetSecretsAndKeys();
    }

    /** Looks the function up as FunctionInvoker does and feeds it inputs that have no effect; returns how many. */
    int prime(String definition) {
        FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class).lookup(definition, "application/json");
        if (function == null) {
            throw new IllegalStateException("no function " + definition);
        }
        byte[] input = inputWithoutEffect(function.getInputType());
        if (input == null || SCANS.contains(definition)) {
            return 0;
        }
        JsonMapper mapper = context.getBean(JsonMapper.class);
        for (int i = 0; i < PRIMING_INVOCATIONS; i++) {
            Message<byte[]> message = AWSLambdaUtils.generateMessage(input, function.getInputType(), function.isSupplier(), mapper);
            Object result = function.apply(message);
            AWSLambdaUtils.generateOutputFromObject(message, result, mapper, function.getOutputType());
        }
        return PRIMING_INVOCATIONS;
    }

    /** An input of the function's event type that changes nothing and reads no secret; null for other types. */
    static byte[] inputWithoutEffect(Type inputType) {
        Class<?> raw = FunctionTypeUtils.getRawType(inputType);
        String json;
        if (raw == APIGatewayV2HTTPEvent.class) {
            // no Authorization header (refused before any secret is read), an invalid id, an unknown source
            json = """
                    {"version":"2.0","routeKey":"$default","rawPath":"/priming","rawQueryString":"",
                     "headers":{"content-type":"application/json","user-agent":"awoooi-snapstart-priming"},
                     "pathParameters":{"id":"priming","source":"priming"},
                     "requestContext":{"http":{"method":"POST","path":"/priming","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},
                                       "requestId":"priming","routeKey":"$default","stage":"$default"},
                     "body":"{}","isBase64Encoded":false}""";
        } else if (raw == SQSEvent.class) {
            json = "{\"Records\":[]}";
        } else {
            return null;
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What the first real request would otherwise load and link: an Alertmanager delivery parsed, a stored incident
     * read into the aggregate and written back, its public view and approval page rendered (shipped samples with no
     * personal data), and the JCA primitives the functions use (HMAC-SHA256, AES-GCM, SHA-256) run under a throwaway
     * key. Pure: no I/O, no secret.
     */
    void primeDomain() {
        ObjectMapper json = context.getBean("awoooiJson", ObjectMapper.class);
        String sample = resource("/priming/incident.json");
        String alerts = resource("/priming/alertmanager.json");
        AlertmanagerParser parser = new AlertmanagerParser(json);
        byte[] throwaway = new byte[32];
        new SecureRandom().nextBytes(throwaway);
        try {
            for (int i = 0; i < PRIMING_INVOCATIONS / 4; i++) {
                parser.parse(alerts);
                Incident incident = json.readValue(sample, Incident.class);
                json.writeValueAsString(incident);
                json.writeValueAsString(IncidentView.of(incident, List.of()));
                ApprovalPage.render(incident, new ApprovalPage.Viewer("priming", "priming", "priming", ApprovalPage.Viewer.SignIn.NOT_NEEDED, null),
                        java.time.Instant.EPOCH, null, List.of(dev.awoooi.audit.AuditEntry.after(dev.awoooi.audit.AuditEntry.Head.EMPTY,
                                "priming", java.time.Instant.EPOCH, "signature", java.util.Map.of("approver", "priming"))));
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(throwaway, "HmacSHA256"));
                mac.doFinal(sample.getBytes(StandardCharsets.UTF_8));
                MessageDigest.getInstance("SHA-256").digest(throwaway);
                byte[] nonce = new byte[12];
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(throwaway, "AES"), new GCMParameterSpec(128, nonce));
                byte[] sealed = cipher.doFinal(throwaway);
                cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(throwaway, "AES"), new GCMParameterSpec(128, nonce));
                cipher.doFinal(sealed);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("priming the JCA failed", e);
        } finally {
            Arrays.fill(throwaway, (byte) 0);
        }
    }

    private static String resource(String name) {
        try (var in = SnapStartHooks.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the priming sample " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the priming sample " + name + " is unreadable", e);
        }
    }

    /**
     * Builds the AWS clients (the functions hold lazy proxies to them) and makes one GetItem of a key that is never
     * written, on a table the function may read: credentials, signing, the client's own HTTP path, unmarshalling.
     */
    private void primeAwsClients(String definition) {
        AwoooiProperties props = context.getBean(AwoooiProperties.class);
        context.getBean(SqsClient.class);
        context.getBean(EventBridgeClient.class);
        if (props.kmskeyid() != null && !props.kmskeyid().isBlank()) {
            context.getBean(KmsClient.class);
        }
        if (!props.secretsarns().isEmpty()) {
            context.getBean(SecretsManagerClient.class); // built only: the secret itself is read on first use
        }
        DynamoDbClient dynamo = context.getBean(DynamoDbClient.class);
        if (SCANS.contains(definition)) {
            dynamo.getItem(r -> r.tableName(props.tables().scans())
                    .key(Map.of("scan", AttributeValue.fromS("awoooi-priming"), "at", AttributeValue.fromS("0"))));
        } else {
            dynamo.getItem(r -> r.tableName(props.tables().incidents()).key(Map.of("id", AttributeValue.fromS("awoooi-priming"))));
        }
    }

    private void forgetSecretsAndKeys() {
        var beans = context.getBeanFactory();
        if (beans.containsSingleton("secrets")) {
            context.getBean(SecretStore.class).forget();
        }
        if (beans.containsSingleton("sealer")) {
            context.getBean(EnvelopeSealer.class).forgetKeys();
        }
    }
}
