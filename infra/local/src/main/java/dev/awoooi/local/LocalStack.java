package dev.awoooi.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.awoooi.config.AwoooiApplication;
import dev.awoooi.local.cluster.DemoCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole AWOOOI stack in one JVM, wired from template.yaml: demo Kubernetes API, DynamoDB Local, ElasticMQ,
 * the EventBridge rules, the functions in one Spring context, their queue pollers, schedules and HTTP routes.
 * With {@code AWS_ENDPOINT_URL} set it starts no DynamoDB, SQS or event router of its own: it provisions the
 * template in that emulator, lets the emulator route, and polls the emulator's queues.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final String LOOPBACK = "127.0.0.1";
    public static final String DEFAULT_WEBHOOK_TOKEN = "awoooi-local-token";
    public static final String DEFAULT_READER_TOKEN = "awoooi-local-reader-token";
    /** The local assistant's token for the MCP route (/mcp), its caller name {@value #LOCAL_ASSISTANT}. */
    public static final String DEFAULT_MCP_TOKEN = "awoooi-local-mcp-token";
    public static final String LOCAL_ASSISTANT = "local-assistant";
    /**
     * Set {@code awoooi.execution.mcpurl} to this (and {@code awoooi.execution.mcpactions} to the actions) to have execute
     * act through the real kubernetes-mcp-server, which the stack then starts against the demo cluster as awoooi-mcp.
     */
    public static final String LOCAL_MCP_SERVER = "local";
    /** The value of {@code awoooi.scans.prometheus} that starts a real Prometheus and node_exporter here, with the demo's history. */
    public static final String LOCAL_PROMETHEUS = "local";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * How to start.
     *
     * @param template      template.yaml; null finds it upward from the working directory
     * @param port          the HTTP port, 0 for any free port
     * @param application   the Spring application class holding the function beans
     * @param parameters    template parameter values, over the template's defaults and the local ones
     * @param timedSchedules whether schedules fire on their cron; on-demand runs work either way
     * @param demoCluster   whether to start the demo Kubernetes API (never when KUBECONFIG is set)
     * @param rbacFile      RBAC for the demo cluster; null looks for infra/kubernetes/rbac.yaml beside the template
     * @param awsEndpoint   an AWS emulator; null reads AWS_ENDPOINT_URL, and without either the stack is embedded
     * @param queuePollers  whether the stack's own functions consume the queues (off when a test feeds deployment
     *                      packages in fresh JVMs from them instead)
     */
    public record Options(Path template, int port, Class<?> application, Map<String, String> parameters,
                          boolean timedSchedules, boolean demoCluster, Path rbacFile, URI awsEndpoint,
                          Map<String, String> properties, boolean queuePollers, boolean redeliveryChaos) {

        public Options {
            parameters = Map.copyOf(parameters);
            properties = Map.copyOf(properties);
            Objects.requireNonNull(application);
        }

        /** Port from AWOOOI_PORT (8000 without it), the AWOOOI application, timed schedules, the demo cluster. */
        public static Options defaults() {
            String port = System.getenv("AWOOOI_PORT");
            return new Options(null, port == null || port.isBlank() ? 8000 : Integer.parseInt(port.trim()),
                    AwoooiApplication.class, Map.of(), true, true, null, null, Map.of(), true, false);
        }

        public Options withTemplate(Path template) {
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        public Options withPort(int port) {
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        public Options withApplication(Class<?> application) {
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        public Options withParameter(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(parameters);
            more.put(name, value);
            return new Options(template, port, application, more, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        public Options withTimedSchedules(boolean timedSchedules) {
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        public Options withDemoCluster(boolean demoCluster) {
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        public Options withRbacFile(Path rbacFile) {
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        public Options withAwsEndpoint(URI awsEndpoint) {
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        public Options withQueuePollers(boolean queuePollers) {
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        /**
         * At-least-once delivery at its worst, for the redelivery harness: every queue message is delivered again later
         * (a copy with a random delay, so duplicates arrive out of order) and batches are shuffled; every stream batch
         * is handed to its function twice.
         */
        public Options withRedeliveryChaos(boolean redeliveryChaos) {
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, properties, queuePollers, redeliveryChaos);
        }

        /** A function property that wins over what the runner derives (e.g. {@code awoooi.grafanahmacsecret}). */
        public Options withProperty(String name, String value) {
            return withProperties(Map.of(name, value));
        }

        /** Function properties that win over what the runner derives (e.g. a model stub's, {@code ModelStub.properties}). */
        public Options withProperties(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(properties);
            all.putAll(more);
            return new Options(template, port, application, parameters, timedSchedules, demoCluster, rbacFile, awsEndpoint, all, queuePollers, redeliveryChaos);
        }
    }

    private final AtomicBoolean closed = new AtomicBoolean();
    private TemplateModel template;
    private Path templateFile;
    private Intrinsics intrinsics;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private DemoCluster cluster;
    private dev.awoooi.local.cluster.KubernetesMcpServer mcpServer;
    private dev.awoooi.local.metrics.PrometheusPeer prometheus;
    private MailCatcher mail;
    private FakeSlack slack;
    private String slackSigningSecret;
    private String slackBotToken;
    private FakeTelegram telegram;
    private FakeDiscord discord;
    private IdentityProvider idp;
    private String telegramSecret;
    private String clusterUrl = "";
    private HttpApiServer http;
    private EmbeddedAws embeddedAws;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private LocalEventBridge eventRouter;
    private AwsEndpoints endpoints;
    private Functions functions;
    private SqsEventSources pollers;
    private StreamEventSources streamReaders;
    private software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient dynamoDbStreams;
    private Map<String, String> functionProperties;
    private Map<String, String> localProperties;
    private Schedules schedules;
    private Outbox outbox;
    private String webhookToken;
    private String readerToken;
    private String mcpToken;
    private String baseUrl;

    private LocalStack() {
    }

    public static LocalStack start(Options options) {
        LocalStack stack = new LocalStack();
        try {
            stack.boot(options);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void boot(Options options) {
        Instant started = Instant.now();
        String region = env("AWS_REGION", "us-east-1");
        defaultSdkSettings(region);
        templateFile = (options.template() != null ? options.template() : findTemplate(Path.of("").toAbsolutePath())).toAbsolutePath();
        template = TemplateModel.load(templateFile);
        URI emulator = options.awsEndpoint() != null ? options.awsEndpoint()
                : System.getenv("AWS_ENDPOINT_URL") == null || System.getenv("AWS_ENDPOINT_URL").isBlank() ? null
                : URI.create(System.getenv("AWS_ENDPOINT_URL").trim());

        // 1. the cluster the executor acts on
        if (System.getenv("KUBECONFIG") != null) {
            log.info("KUBECONFIG is set: the functions talk to that cluster and no demo cluster starts");
        } else if (options.demoCluster()) {
            boolean throughMcp = LOCAL_MCP_SERVER.equals(options.properties().get("awoooi.execution.mcpurl"));
            cluster = startDemoCluster(throughMcp ? withMcpIdentity(rbacFile(options, templateFile)) : rbacFile(options, templateFile));
            clusterUrl = cluster.url();
            if (throughMcp) {
                Path binary = dev.awoooi.local.cluster.KubernetesMcpServer.installedBinary();
                if (binary == null) {
                    throw new IllegalStateException("execute is to act through kubernetes-mcp-server, but it is not installed: npm install --prefix "
                            + "~/.cache/awoooi/npm kubernetes-mcp-server-linux-amd64@0.0.67 (.ci/run does)");
                }
                mcpServer = dev.awoooi.local.cluster.KubernetesMcpServer.start(binary, cluster.kubeconfig("awoooi-mcp"));
                log.info("kubernetes-mcp-server at {} acts for execute ({})", mcpServer.url(), options.properties().get("awoooi.execution.mcpactions"));
            }
            if (LOCAL_PROMETHEUS.equals(options.properties().get("awoooi.scans.prometheus"))) {
                prometheus = startPrometheus(cluster, templateFile.getParent().resolve("infra/local/demo-rules.yml"));
            }
        }

        // the port is taken first because the functions' configuration carries the public URL
        http = HttpApiServer.bind(LOOPBACK, options.port());
        baseUrl = "http://" + LOOPBACK + ":" + http.port();
        webhookToken = env("AWOOOI_WEBHOOK_TOKEN", DEFAULT_WEBHOOK_TOKEN);
        readerToken = env("AWOOOI_READER_TOKEN", DEFAULT_READER_TOKEN);
        mcpToken = env("AWOOOI_MCP_TOKEN", DEFAULT_MCP_TOKEN);
        String notifySecret = env("AWOOOI_NOTIFY_SECRET", randomSecret());
        outbox = new Outbox(notifySecret);
        mail = MailCatcher.start();
        slackSigningSecret = env("AWOOOI_SLACK_SIGNING_SECRET", randomSecret());
        slackBotToken = env("AWOOOI_SLACK_BOT_TOKEN", "xoxb-local-" + randomSecret());
        slack = FakeSlack.start(slackBotToken, "C0AWOOOI");
        telegramSecret = env("AWOOOI_TELEGRAM_WEBHOOK_SECRET", randomSecret());
        discord = FakeDiscord.start(env("AWOOOI_DISCORD_BOT_TOKEN", "local-" + randomSecret()), "1100000000000000001");
        telegram = FakeTelegram.start(env("AWOOOI_TELEGRAM_BOT_TOKEN", "100200:local-" + randomSecret()), "-1001234567890");
        // its own JVM, starting while the rest comes up; waited for before the directory names its issuer
        Path root = templateFile.getParent();
        idp = IdentityProvider.start(root, List.of(baseUrl + "/approvals/oidc/callback", baseUrl + "/console/oidc/callback"), demoUsers(root), randomSecret(),
                env("AWOOOI_IDP_PASSWORD", randomSecret()));

        Map<String, String> parameters = new LinkedHashMap<>();
        for (String secret : List.of("IntakeSecretArn", "ReaderSecretArn", "McpSecretArn", "LinkSecretArn", "BlindSecretArn", "NotifySecretArn", "ChatSecretArn", "SignInSecretArn",
                "ClusterReadSecretArn", "ClusterAnalysisSecretArn", "ClusterWriteSecretArn")) {
            parameters.put(secret, ""); // locally every secret comes from properties
        }
        parameters.put("PublicBaseUrl", baseUrl);
        parameters.put("NotifyWebhookUrl", baseUrl + "/local/outbox");
        if (idp != null) {
            parameters.put("OidcIssuer", idp.issuer());
            parameters.put("OidcClientId", IdentityProvider.CLIENT_ID);
        }
        parameters.keySet().retainAll(template.parameters().keySet());
        parameters.putAll(options.parameters());
        intrinsics = new Intrinsics(template, parameters, region, name -> {
            String url = queueUrls.get(name);
            if (url == null) {
                throw new IllegalStateException("queue " + name + " has not been created");
            }
            return url;
        });

        // 2. DynamoDB and SQS, 3. what the template declares in them
        URI dynamoDbEndpoint;
        URI sqsEndpoint;
        if (emulator != null) {
            log.info("AWS_ENDPOINT_URL={}: provisioning the template there; no embedded DynamoDB, SQS or event router", emulator);
            dynamoDbEndpoint = emulator;
            sqsEndpoint = emulator;
        } else {
            embeddedAws = EmbeddedAws.start(region);
            dynamoDbEndpoint = embeddedAws.dynamoDbEndpoint();
            sqsEndpoint = embeddedAws.sqsEndpoint();
        }
        AwsEndpoints provisioning = new AwsEndpoints(dynamoDbEndpoint, sqsEndpoint, emulator, region);
        dynamoDb = provisioning.dynamoDbClient();
        sqs = provisioning.sqsClient();
        Provisioner.Queues queues = new Provisioner(template, intrinsics).createQueues(sqs);
        queueUrls.putAll(queues.urlByName());
        // from here on, ARNs name the account the queues really live in
        intrinsics = intrinsics.inAccount(queues.accountId());
        Provisioner provisioner = new Provisioner(template, intrinsics);
        provisioner.createTables(dynamoDb);

        // 4. event routing: the emulator's own, or event-ruler here
        URI eventBridgeEndpoint;
        if (emulator != null) {
            try (EventBridgeClient eventBridge = provisioning.eventBridgeClient()) {
                provisioner.createEventBuses(eventBridge);
            }
            eventBridgeEndpoint = emulator;
        } else {
            eventRouter = LocalEventBridge.start(template, intrinsics, sqs, intrinsics::queueUrlNamed);
            eventBridgeEndpoint = eventRouter.endpoint();
        }
        endpoints = new AwsEndpoints(dynamoDbEndpoint, sqsEndpoint, eventBridgeEndpoint, region);

        // 5. the functions
        List<TemplateModel.TemplateFunction> templateFunctions = template.functions(intrinsics);
        List<Schedules.Schedule> scheduleList = Schedules.of(templateFunctions, started);
        Map<String, String> templateEnvironment = template.functionEnvironment(intrinsics);
        if (idp != null) {
            idp.awaitReady(Duration.ofSeconds(90));
        }
        seedApprovers(templateFile, templateEnvironment, dynamoDbEndpoint, region);
        Map<String, Object> local = localProperties(notifySecret);
        Path demoTopology = templateFile.toAbsolutePath().getParent().resolve("infra/local/demo-topology.yaml");
        if (cluster != null && Files.isRegularFile(demoTopology)) {
            // The declared part of the demo's topology (an external API, outage costs) belongs to the demo cluster.
            local.put("awoooi.topology.file", demoTopology.toString());
        }
        local.putAll(options.properties());
        if (mcpServer != null) {
            local.put("awoooi.execution.mcpurl", mcpServer.url().toString());
        }
        if (prometheus != null) {
            local.put("awoooi.scans.prometheus", prometheus.url().toString());
            local.put("awoooi.scans.nodelabel", "node");
        } else if (LOCAL_PROMETHEUS.equals(local.get("awoooi.scans.prometheus"))) {
            local.remove("awoooi.scans.prometheus"); // no demo cluster to give it a history
        }
        functionProperties = new LinkedHashMap<>();
        // The dotted names Boot binds from any property source, for a context started outside this runner.
        templateEnvironment.forEach((k, v) -> functionProperties.put(k.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v));
        local.forEach((k, v) -> functionProperties.put(k, String.valueOf(v)));
        localProperties = new LinkedHashMap<>();
        local.forEach((k, v) -> localProperties.put(k, String.valueOf(v)));
        // One context serves every function here, so it takes the longest Timeout of them: no function stops its
        // batch or expires its claims earlier than its own Timeout would (in Lambda, and in the packaged sandboxes,
        // each function has its own AWOOOI_TIMEOUT).
        Map<String, Object> shared = new LinkedHashMap<>(local);
        shared.putIfAbsent("awoooi.timeout", templateFunctions.stream()
                .mapToInt(f -> template.deployment(f.logicalId(), intrinsics).timeoutSeconds()).max().orElse(30) + "s");
        functions = Functions.start(options.application(), templateEnvironment, shared, templateFunctions);

        // 6. queue pollers, 7. schedules, 8. HTTP
        List<SqsEventSources.Subscription> subscriptions = new ArrayList<>();
        List<StreamEventSources.Subscription> streamSubscriptions = new ArrayList<>();
        List<HttpApiServer.Route> routes = new ArrayList<>();
        for (TemplateModel.TemplateFunction function : templateFunctions) {
            for (TemplateModel.Trigger trigger : function.triggers()) {
                switch (trigger) {
                    case TemplateModel.Trigger.Sqs queue when queue.enabled() && options.queuePollers() -> subscriptions.add(new SqsEventSources.Subscription(
                            function.logicalId(), intrinsics.queueUrlNamed(Intrinsics.nameOfArn(queue.queueArn())),
                            queue.queueArn(), queue.batchSize(), queue.batchingWindow(), queue.reportsBatchItemFailures(), queue.concurrency()));
                    case TemplateModel.Trigger.Sqs unpolled -> log.info("{}.{} is not polled here", function.logicalId(), unpolled.name());
                    case TemplateModel.Trigger.DynamoDbStream stream when stream.enabled() && options.queuePollers() ->
                            streamSubscriptions.add(new StreamEventSources.Subscription(function.logicalId(), stream.tableName(),
                                    stream.startingPosition(), stream.batchSize(), stream.reportsBatchItemFailures(),
                                    stream.maximumRetryAttempts(), stream.bisect(),
                                    stream.onFailureArn() == null ? null : intrinsics.queueUrlNamed(Intrinsics.nameOfArn(stream.onFailureArn()))));
                    case TemplateModel.Trigger.DynamoDbStream unread -> log.info("{}.{} is not read here", function.logicalId(), unread.name());
                    case TemplateModel.Trigger.HttpApi route ->
                            routes.add(new HttpApiServer.Route(function.logicalId(), route.method(), route.path()));
                    case TemplateModel.Trigger.Schedule schedule -> {
                        // collected above, before the context started, so a bad expression fails fast
                    }
                }
            }
        }
        pollers = SqsEventSources.start(subscriptions, sqs, functions, region, options.redeliveryChaos());
        dynamoDbStreams = provisioning.dynamoDbStreamsClient();
        streamReaders = StreamEventSources.start(streamSubscriptions, dynamoDb, dynamoDbStreams, sqs, functions, region, options.redeliveryChaos());
        schedules = Schedules.start(scheduleList, functions, options.timedSchedules());
        http.pressesWith(new ChatPresses(this));
        http.serve(routes, functions, outbox, mail, schedules, webhookToken, cluster == null ? null : cluster::breakDatabase);
        log.info("AWOOOI local stack up at {} in {} ms", baseUrl, Duration.between(started, Instant.now()).toMillis());
    }

    /**
     * The demo's approver directory (infra/local/demo-approvers.yaml), put through the product's own directory so each
     * entry is audited; people already there are left as they are. Then writes what scripts/approvers needs to reach
     * this stack's tables to infra/local/target/local-stack.env (scripts/trust and scripts/audit-export read it too).
     */
    private void seedApprovers(Path templateFile, Map<String, String> environment, URI dynamoDbEndpoint, String region) {
        Path root = templateFile.toAbsolutePath().getParent();
        String table = environment.get("AWOOOI_TABLES_APPROVERS");
        String auditTable = environment.get("AWOOOI_TABLES_AUDIT");
        if (table == null || auditTable == null) {
            return;
        }
        java.time.Clock clock = java.time.Clock.systemUTC();
        var directory = new dev.awoooi.store.DynamoApproverDirectory(dynamoDb, table,
                new dev.awoooi.store.DynamoAuditLog(dynamoDb, auditTable, clock), clock);
        Path seed = root.resolve("infra/local/demo-approvers.yaml");
        if (Files.isRegularFile(seed)) {
            try (var reader = Files.newBufferedReader(seed)) {
                Map<?, ?> document = new org.yaml.snakeyaml.Yaml().load(reader);
                for (Object item : (List<?>) document.get("approvers")) {
                    Map<?, ?> person = (Map<?, ?>) item;
                    String id = String.valueOf(person.get("id"));
                    if (directory.find(id).isEmpty()) {
                        var roles = java.util.EnumSet.noneOf(dev.awoooi.approval.Role.class);
                        ((List<?>) person.get("roles")).forEach(r -> roles.add(dev.awoooi.approval.Role.valueOf(String.valueOf(r).toUpperCase(java.util.Locale.ROOT))));
                        // oidc identities name the local provider's issuer, whose port is chosen per run
                        directory.put(new dev.awoooi.approval.ApproverEntry(id, roles, ((List<?>) person.get("identities")).stream()
                                .map(String::valueOf).filter(identity -> idp != null || !identity.contains("${OIDC_ISSUER}"))
                                .map(identity -> idp == null ? identity : identity.replace("${OIDC_ISSUER}", idp.issuer()))
                                .map(dev.awoooi.approval.Identity::parse).toList()), "local-stack seed");
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + seed, e);
            }
        }
        Path target = root.resolve("infra/local/target");
        if (Files.isDirectory(target)) {
            try {
                Files.writeString(target.resolve("local-stack.env"), "AWOOOI_ENDPOINTS_DYNAMODB=" + dynamoDbEndpoint + "\n"
                        + "AWOOOI_TABLES_APPROVERS=" + table + "\nAWOOOI_TABLES_AUDIT=" + auditTable + "\nAWS_REGION=" + region + "\n"
                        + (environment.get("AWOOOI_TABLES_TRUST") == null ? "" : "AWOOOI_TABLES_TRUST=" + environment.get("AWOOOI_TABLES_TRUST") + "\n")
                        + (idp == null ? "" : "AWOOOI_IDP_ISSUER=" + idp.issuer() + "\nAWOOOI_IDP_PASSWORD=" + idp.password() + "\n"));
            } catch (java.io.IOException e) {
                log.warn("could not write {}: {}", target.resolve("local-stack.env"), e.toString());
            }
        }
    }

    /**
     * The local identity provider's users (infra/local/demo-approvers.yaml): the demo approvers, and the viewers, people
     * of the organisation who are in no directory and read the console only.
     */
    private static List<String> demoUsers(Path root) {
        Path seed = root.resolve("infra/local/demo-approvers.yaml");
        if (!Files.isRegularFile(seed)) {
            return List.of();
        }
        try (var reader = Files.newBufferedReader(seed)) {
            Map<?, ?> document = new org.yaml.snakeyaml.Yaml().load(reader);
            List<String> users = new java.util.ArrayList<>(((List<?>) document.get("approvers")).stream()
                    .map(item -> String.valueOf(((Map<?, ?>) item).get("id"))).toList());
            if (document.get("viewers") instanceof List<?> viewers) {
                viewers.forEach(v -> users.add(String.valueOf(v)));
            }
            return users;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + seed, e);
        }
    }

    private Map<String, Object> localProperties(String notifySecret) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("awoooi.endpoints.dynamodb", endpoints.dynamoDb().toString());
        properties.put("awoooi.endpoints.sqs", endpoints.sqs().toString());
        properties.put("awoooi.endpoints.eventbridge", endpoints.eventBridge().toString());
        properties.put("awoooi.cluster.url", clusterUrl);
        if (cluster != null) {
            // one identity per need, as in AWS: the scans read, the analysis dry-runs, the executor acts
            properties.put("awoooi.cluster.readkubeconfig", cluster.kubeconfig("awoooi-reader"));
            properties.put("awoooi.cluster.analysiskubeconfig", cluster.kubeconfig("awoooi-analyzer"));
            properties.put("awoooi.cluster.writekubeconfig", cluster.kubeconfig("awoooi-executor"));
        }
        properties.put("awoooi.webhooktoken", webhookToken);
        properties.put("awoooi.readertoken", readerToken);
        properties.put("awoooi.mcptokens", LOCAL_ASSISTANT + "=" + mcpToken);
        properties.put("awoooi.linksecret", env("AWOOOI_LINK_SECRET", randomSecret()));
        properties.put("awoooi.blindsecret", env("AWOOOI_BLIND_SECRET", randomSecret()));
        properties.put("awoooi.notifysecret", notifySecret);
        properties.put("awoooi.sealkey", env("AWOOOI_SEAL_KEY", Base64.getEncoder().encodeToString(randomBytes(32))));
        properties.put("awoooi.publicbaseurl", baseUrl);
        properties.put("awoooi.chat.webhookurl", baseUrl + "/local/outbox");
        properties.put("awoooi.mail.from", "awoooi@awoooi.local");
        properties.put("awoooi.slack.channel", slack.channel());
        properties.put("awoooi.slack.api", slack.api());
        properties.put("awoooi.slack.signingsecret", slackSigningSecret);
        properties.put("awoooi.slack.bottoken", slackBotToken);
        properties.put("awoooi.telegram.chat", telegram.chat());
        properties.put("awoooi.telegram.api", telegram.api());
        properties.put("awoooi.telegram.bottoken", telegram.botToken());
        properties.put("awoooi.telegram.webhooksecret", telegramSecret);
        properties.put("awoooi.discord.channel", discord.channel());
        properties.put("awoooi.discord.api", discord.api());
        properties.put("awoooi.discord.publickey", discord.publicKey());
        properties.put("awoooi.discord.bottoken", discord.botToken());
        properties.put("awoooi.mail.smtp", mail.smtp());
        if (idp != null) {
            properties.put("awoooi.oidc.clientsecret", idp.clientSecret());
        }
        properties.put("awoooi.secretsarns", "");
        properties.put("awoooi.kmskeyid", "");
        String grafanaSecret = System.getenv("AWOOOI_GRAFANA_HMAC_SECRET");
        if (grafanaSecret != null && !grafanaSecret.isBlank()) {
            properties.put("awoooi.grafanahmacsecret", grafanaSecret);
        }
        properties.put("spring.main.banner-mode", "off");
        // the adapter logs every raw event at INFO, and events can carry personal data
        properties.put("logging.level.org.springframework.cloud.function.adapter.aws", "WARN");
        return properties;
    }

    /** The SDK reads these when a function builds a client without explicit region or credentials. */
    private static void defaultSdkSettings(String region) {
        if (System.getenv("AWS_REGION") == null && System.getProperty("aws.region") == null) {
            System.setProperty("aws.region", region);
        }
        if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", "local");
        }
        if (System.getenv("AWS_SECRET_ACCESS_KEY") == null && System.getProperty("aws.secretAccessKey") == null) {
            System.setProperty("aws.secretAccessKey", "local");
        }
    }

    /** A real Prometheus with eight days of the demo pods' usage backfilled, and this machine's node_exporter. */
    private static dev.awoooi.local.metrics.PrometheusPeer startPrometheus(DemoCluster cluster, Path rules) {
        if (!dev.awoooi.local.metrics.PrometheusPeer.installed()) {
            throw new IllegalStateException("the scans are to read a local Prometheus, but it is not installed: "
                    + "apt-get install prometheus prometheus-node-exporter (.ci/run does)");
        }
        try {
            Path history = Files.createTempFile("awoooi-usage", ".om");
            dev.awoooi.local.metrics.UsageHistory.write(history, cluster.usageProfiles(), Instant.now(), Duration.ofDays(8));
            var peer = dev.awoooi.local.metrics.PrometheusPeer.start(history, Files.isRegularFile(rules) ? Files.readString(rules) : null);
            log.info("Prometheus at {} holds eight days of the demo pods' usage and this machine's node_exporter (node {})",
                    peer.url(), peer.node());
            return peer;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static DemoCluster startDemoCluster(Path rbacFile) {
        try {
            return DemoCluster.start(rbacFile);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the demo Kubernetes API", e);
        }
    }

    private static Path rbacFile(Options options, Path templateFile) {
        if (options.rbacFile() != null) {
            return options.rbacFile();
        }
        Path beside = templateFile.toAbsolutePath().getParent().resolve("infra/kubernetes/rbac.yaml");
        return Files.isRegularFile(beside) ? beside : null;
    }

    /** The RBAC manifest plus infra/kubernetes/rbac-mcp.yaml beside it: the identity kubernetes-mcp-server acts as. */
    private static Path withMcpIdentity(Path rbacFile) {
        try {
            Path mcp = rbacFile.toAbsolutePath().getParent().resolve("rbac-mcp.yaml");
            Path combined = Files.createTempFile("awoooi-rbac-mcp", ".yaml");
            Files.writeString(combined, Files.readString(rbacFile) + "\n---\n" + Files.readString(mcp));
            combined.toFile().deleteOnExit();
            return combined;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the RBAC manifests", e);
        }
    }

    /** The kubernetes-mcp-server execute acts through, when one was asked for. */
    public java.util.Optional<dev.awoooi.local.cluster.KubernetesMcpServer> kubernetesMcpServer() {
        return java.util.Optional.ofNullable(mcpServer);
    }

    /** template.yaml in the working directory or the nearest directory above it. */
    public static Path findTemplate(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no template.yaml in " + from + " or above it; pass LocalStack.Options.withTemplate");
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The embedded demo Kubernetes API, when the stack runs one. */
    public java.util.Optional<DemoCluster> demoCluster() {
        return java.util.Optional.ofNullable(cluster);
    }

    public String webhookToken() {
        return webhookToken;
    }

    /** The bearer token that reads incidents (GET /incidents/{id}): not the alert senders'. */
    public String readerToken() {
        return readerToken;
    }

    /** The local assistant's bearer token for the MCP route (/mcp). */
    public String mcpToken() {
        return mcpToken;
    }

    public ConfigurableApplicationContext applicationContext() {
        return functions.context();
    }

    public URI dynamoEndpoint() {
        return endpoints.dynamoDb();
    }

    public URI sqsEndpoint() {
        return endpoints.sqs();
    }

    public URI eventBridgeEndpoint() {
        return endpoints.eventBridge();
    }

    /** The demo cluster's API URL; empty when KUBECONFIG points the functions at a real cluster. */
    public String clusterUrl() {
        return clusterUrl;
    }

    public String region() {
        return endpoints.region();
    }

    /** Puts the demo cluster back into its incident (postgres-db crash-looping), as {@code POST /local/demo/reset} does. */
    public void resetDemo() {
        if (cluster != null) {
            cluster.breakDatabase();
        }
    }

    /** The physical name of a template table. */
    public String tableName(String tableLogicalId) {
        return intrinsics.tableName(tableLogicalId);
    }

    /** The URL of a template queue, by logical id. */
    public String queueUrl(String queueLogicalId) {
        return intrinsics.queueUrl(queueLogicalId);
    }

    public TemplateModel template() {
        return template;
    }

    /** How Lambda deploys a template function, resolved against this stack (its queues, tables, parameters). */
    public TemplateModel.Deployment deployment(String functionLogicalId) {
        return template.deployment(functionLogicalId, intrinsics);
    }

    /** The template file this stack was wired from. */
    public Path templateFile() {
        return templateFile;
    }

    /** What this stack sets over the template's environment: its endpoints, generated secrets and options. */
    public Map<String, String> localProperties() {
        return Map.copyOf(localProperties);
    }

    /**
     * The configuration the functions run with here, as dotted property names: what a FunctionInvoker started in
     * the same JVM (as Lambda would start it) needs in order to reach this stack.
     */
    public Map<String, String> functionProperties() {
        return Map.copyOf(functionProperties);
    }

    /** Every SQS message body the runner delivered to a function since it started (the last 10,000). */
    public List<String> deliveredMessages() {
        return pollers.delivered();
    }

    /** Every notification delivered to the local outbox, oldest first. */
    public List<Map<String, Object>> outbox() {
        return outbox.notifications();
    }

    /** The Slack workspace the cards go to here: its channel's messages, and a person's signed click. */
    /**
     * Stops reading the tables' change streams: what is written afterwards announces nothing. For a benchmark that
     * seeds the incidents table with copies, which would otherwise each be published as the transition they show.
     */
    public void stopStreams() {
        quietly(streamReaders, "stream readers");
    }

    /** The local OpenID Connect provider, or null if infra/oidc was not built. */
    public IdentityProvider identityProvider() {
        return idp;
    }

    public FakeSlack slack() {
        return slack;
    }

    /** The Slack app's signing secret, which Slack (here, {@link FakeSlack#click}) signs its requests with. */
    public byte[] slackSigningSecret() {
        return slackSigningSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The Discord channel the cards go to here, and the application's signed interactions. */
    public FakeDiscord discord() {
        return discord;
    }

    /** The Telegram chat the cards go to here, and a person's button press. */
    public FakeTelegram telegram() {
        return telegram;
    }

    /** What Telegram sends in X-Telegram-Bot-Api-Secret-Token to this stack's webhook. */
    public String telegramWebhookSecret() {
        return telegramSecret;
    }

    /** Every e-mail the functions sent (personal links), oldest first: to, subject, text, link. */
    public List<Map<String, Object>> mail() {
        return mail.messages();
    }

    /** How many extra deliveries the redelivery chaos made: queue message copies, and stream batches handed over twice. */
    public Map<String, Long> chaosDeliveries() {
        return Map.of("queueCopies", pollers.copies(), "streamRepeats", streamReaders.repeats());
    }

    /** Fires a function's schedule now; returns the function's output. */
    public Object runSchedule(String functionLogicalId) {
        return schedules.runNow(functionLogicalId);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // outside in: stop taking work, then stop the functions, then what they talk to
        quietly(http, "HTTP server");
        quietly(schedules, "schedules");
        quietly(pollers, "SQS pollers");
        quietly(streamReaders, "stream readers");
        quietly(functions, "Spring context");
        quietly(eventRouter, "event router");
        quietly(sqs, "SQS client");
        quietly(dynamoDb, "DynamoDB client");
        quietly(dynamoDbStreams, "DynamoDB Streams client");
        quietly(embeddedAws, "embedded DynamoDB and SQS");
        quietly(mail, "mail catcher");
        quietly(slack, "Slack fake");
        quietly(telegram, "Telegram fake");
        quietly(discord, "Discord fake");
        quietly(idp, "identity provider");
        if (prometheus != null) {
            prometheus.close();
        }
        if (mcpServer != null) {
            mcpServer.close();
        }
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                log.warn("the demo cluster did not stop cleanly", e);
            }
        }
    }

    private static void quietly(AutoCloseable closeable, String what) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("{} did not stop cleanly", what, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String randomSecret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Runs the stack on 127.0.0.1:${AWOOOI_PORT:-8000} until Ctrl-C. */
    public static void main(String[] args) throws InterruptedException {
        Options options = Options.defaults();
        // AWOOOI_LOCAL_MODEL=openai|anthropic: analyze asks a stubbed model of that API (no model runs here)
        String localModel = System.getenv("AWOOOI_LOCAL_MODEL");
        dev.awoooi.local.model.ModelStub model = localModel == null || localModel.isBlank() ? null : dev.awoooi.local.model.ModelStub.start();
        if (model != null) {
            options = options.withProperties(model.properties(localModel.trim()));
        }
        // AWOOOI_LOCAL_PROMETHEUS=off: no Prometheus for the scans even where it is installed
        if (dev.awoooi.local.metrics.PrometheusPeer.installed() && !"off".equals(System.getenv("AWOOOI_LOCAL_PROMETHEUS"))) {
            options = options.withProperties(Map.of("awoooi.scans.prometheus", LOCAL_PROMETHEUS));
        }
        // AWOOOI_LOCAL_MCP_ACTIONS=scale_deployment,delete_pod: execute acts for those through the real kubernetes-mcp-server
        String mcpActions = System.getenv("AWOOOI_LOCAL_MCP_ACTIONS");
        if (mcpActions != null && !mcpActions.isBlank()) {
            options = options.withProperties(Map.of("awoooi.execution.mcpurl", LOCAL_MCP_SERVER, "awoooi.execution.mcpactions", mcpActions.trim()));
        }
        LocalStack stack = start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            if (model != null) {
                model.close();
            }
            stopped.countDown();
        }, "awoooi-local-shutdown"));
        String token = stack.webhookToken();
        String alerts = sampleRoute(stack);
        System.out.println();
        System.out.println("AWOOOI local stack: " + stack.baseUrl());
        System.out.println("Webhook token: " + token + (token.equals(DEFAULT_WEBHOOK_TOKEN)
                ? "  (the local default; set AWOOOI_WEBHOOK_TOKEN to choose your own)" : ""));
        System.out.println("Reader token:  " + stack.readerToken() + (stack.readerToken().equals(DEFAULT_READER_TOKEN)
                ? "  (reads incidents; the local default; set AWOOOI_READER_TOKEN to choose your own)" : ""));
        if (alerts != null) {
            System.out.println("Send an alert:");
            System.out.println("  curl -sS -X POST " + stack.baseUrl() + alerts + " \\");
            System.out.println("    -H 'Authorization: Bearer " + token + "' -H 'Content-Type: application/json' \\");
            System.out.println("    -d '{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                    + "\"labels\":{\"alertname\":\"HighErrorRate\",\"service\":\"order-api\",\"severity\":\"critical\"},"
                    + "\"annotations\":{\"summary\":\"5xx above 5%\"},\"startsAt\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}]}'");
            System.out.println("Then: curl -sS " + stack.baseUrl() + "/incidents/<id> -H 'Authorization: Bearer " + stack.readerToken()
                    + "'  (the reader token: AWOOOI_READER_TOKEN)");
            System.out.println("Full loop: scripts/tracer-bullet");
        }
        System.out.println("Notifications: " + stack.baseUrl() + "/local/outbox/page?token=" + token);
        System.out.println("MCP (for assistants): " + stack.baseUrl() + "/mcp  with 'Authorization: Bearer " + stack.mcpToken() + "'"
                + (stack.mcpToken().equals(DEFAULT_MCP_TOKEN) ? "  (the local default; AWOOOI_MCP_TOKEN chooses your own)" : ""));
        if (model != null) {
            System.out.println("Model: a stub of the " + localModel.trim() + " API at " + model.baseUrl()
                    + " (names the first root cause; AWOOOI_LOCAL_MODEL unset turns it off)");
        }
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
    }

    /** The first POST route of the template, with its path parameters filled in for the sample request. */
    private static String sampleRoute(LocalStack stack) {
        for (TemplateModel.TemplateFunction function : stack.template().functions(stack.intrinsics)) {
            for (TemplateModel.Trigger.HttpApi route : function.triggers(TemplateModel.Trigger.HttpApi.class)) {
                if (route.method().equals("POST")) {
                    return route.path().replace("{source}", "alertmanager").replaceAll("\\{[^}]+}", "demo");
                }
            }
        }
        return null;
    }
}
