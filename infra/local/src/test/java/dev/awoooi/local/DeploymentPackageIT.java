package dev.awoooi.local;

import dev.awoooi.cluster.KubernetesActions;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.e2e.Plans;
import dev.awoooi.local.lambda.LambdaSandbox;
import org.awaitility.Awaitility;
import dev.awoooi.local.lambda.PackageDriver;
import dev.awoooi.local.model.ModelStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every function of template.yaml, started from the deployment package the template names for it, in a fresh JVM,
 * the way Lambda's Java runtime starts it (LambdaSandbox: task root, runtime flags and class path, the runtime
 * interface client, the Runtime API, SnapStart's checkpoint hooks), with the template's environment for that function
 * pointed at the embedded stack. The stack's own functions do not consume the queues here: each message the packages
 * produce is read from its queue and handed to the next package, so one alert goes through the whole loop on the
 * deployable artifacts alone.
 */
class DeploymentPackageIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration ANSWER = Duration.ofSeconds(60);
    static LocalStack stack;
    static ModelStub model;
    static PackageDriver driver;
    static Path events;

    @BeforeAll
    static void start() {
        // analyze asks a model (an OpenAI-compatible stub) from its package too: the model path is part of what ships
        model = ModelStub.start();
        // and the scans read a real Prometheus (eight days of the demo's usage, this machine's node_exporter) where installed
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false).withQueuePollers(false)
                .withProperties(model.properties("openai")).withProperties(dev.awoooi.local.metrics.PrometheusPeer.installed()
                        ? java.util.Map.of("awoooi.scans.prometheus", LocalStack.LOCAL_PROMETHEUS) : java.util.Map.of()));
        driver = new PackageDriver(stack);
        events = stack.templateFile().getParent().resolve("events");
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (model != null) {
            model.close();
        }
    }

    /** The function's environment, started once from its package with SnapStart's hooks, primed before the snapshot. */
    static LambdaSandbox sandbox(String function) {
        LambdaSandbox sandbox = driver.warm(function);
        String bean = stack.deployment(function).environment().get("SPRING_CLOUD_FUNCTION_DEFINITION");
        assertThat(sandbox.output()).as(function + " primed before the snapshot").contains("primed " + bean + " before the snapshot");
        return sandbox;
    }

    static JsonNode invoke(String function, String event) {
        LambdaSandbox.Answer answer = sandbox(function).invoke(event, ANSWER);
        assertThat(answer.failed()).as(function + " answered an error: " + answer.body() + "\n" + sandbox(function).output()).isFalse();
        return JSON.readTree(answer.body());
    }

    static String sample(String file) throws Exception {
        return Files.readString(events.resolve(file));
    }

    /** Hands the next message of a queue to its function's package; the batch must come back without failures. */
    static Message feed(String function, String queueLogicalId) {
        Message message = driver.require(queueLogicalId);
        JsonNode response = invoke(function, driver.sqsEvent(message, queueLogicalId));
        assertThat(response.get("batchItemFailures")).as(function + ": " + response + "\n" + sandbox(function).output()).isEmpty();
        return message;
    }

    /** Hands the queue's message about {@code incidentId} to its function's package; messages other tests left are dropped. */
    static void feed(String function, String queueLogicalId, String incidentId) {
        Message message = driver.require(queueLogicalId);
        while (!message.body().contains(incidentId)) {
            message = driver.require(queueLogicalId);
        }
        JsonNode response = invoke(function, driver.sqsEvent(message, queueLogicalId));
        assertThat(response.get("batchItemFailures")).as(function + ": " + response + "\n" + sandbox(function).output()).isEmpty();
    }

    /**
     * What was written to the incidents table since the last call, as the stream event Lambda delivers, handed to the
     * relay's package: the events each committed transition announces reach the bus (and the queues behind it).
     */
    static void relay() {
        for (var event = driver.streamEvent("IncidentsTable"); event.isPresent(); event = driver.streamEvent("IncidentsTable")) {
            JsonNode response = invoke("RelayFunction", event.get());
            assertThat(response.get("batchItemFailures")).as("relay: " + response + "\n" + sandbox("RelayFunction").output()).isEmpty();
        }
    }

    /** Every card event queued for notify so far, each handed to the notify package; returns their bodies. */
    static List<String> notifyEverythingQueued() {
        List<String> bodies = new ArrayList<>();
        for (var message = driver.receive("NotifyQueue", Duration.ofSeconds(2)); message.isPresent();
             message = driver.receive("NotifyQueue", Duration.ofSeconds(2))) {
            JsonNode response = invoke("NotifyFunction", driver.sqsEvent(message.get(), "NotifyQueue"));
            assertThat(response.get("batchItemFailures")).as("notify: " + response).isEmpty();
            bodies.add(message.get().body());
        }
        return bodies;
    }

    static JsonNode incident(String id) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(sample("incidents-unknown.json"));
        ((ObjectNode) event.get("pathParameters")).put("id", id);
        ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + stack.readerToken());
        JsonNode response = invoke("IncidentsFunction", JSON.writeValueAsString(event));
        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        return JSON.readTree(response.get("body").asString());
    }

    @Test
    void oneAlertGoesThroughTheWholeLoopOnTheDeploymentPackagesAlone() throws Exception {
        JsonNode accepted = invoke("IngestFunction", sample("ingest.json").replace("awoooi-local-token", stack.webhookToken()));
        assertThat(accepted.get("statusCode").asInt()).as(accepted.toString()).isEqualTo(202);
        String id = JSON.readTree(accepted.get("body").asString()).get("incidents").get(0).get("id").asString();
        assertThat(id).startsWith("inc-");

        feed("RedactFunction", "RedactQueue");
        feed("AnalyzeFunction", "AnalyzeQueue");
        relay();
        JsonNode analyzed = incident(id);
        assertThat(analyzed.get("rootCauses").get(0).get("service").asString()).isEqualTo("postgres-db");
        assertThat(analyzed.get("risk").get("level").asString()).isEqualTo("HIGH");
        assertThat(analyzed.get("model").get("status").asString()).as(analyzed.get("model").toString()).isEqualTo("ANSWERED");
        assertThat(analyzed.get("model").get("hypothesis").asString()).startsWith("postgres-db");

        // the approve queue also carries other tests' outcomes (approve learns trust from them): this incident's message
        feed("ApproveFunction", "ApproveQueue", id);
        relay();
        assertThat(notifyEverythingQueued()).anySatisfy(body -> assertThat(body).contains("Approval Requested"));
        Map<String, Object> card = stack.outbox().stream().filter(c -> "Approval Requested".equals(c.get("kind"))).findFirst().orElseThrow();
        assertThat((List<?>) card.get("links")).as("no personal link in the shared card").isEmpty();

        for (String approver : List.of("alice", "bob")) {
            // the notify package mailed each approver their own link (SMTP to the stack's mail catcher)
            String link = stack.mail().stream().filter(m -> (approver + "@example.com").equals(m.get("to")))
                    .map(m -> String.valueOf(m.get("link"))).filter(l -> l.contains("/approvals/" + id + "?")).findFirst().orElseThrow();
            String token = URI.create(link).getRawQuery().replaceAll(".*token=([^&]+).*", "$1");
            // the page first, as a person opens it: its form carries the CSRF token the decision needs
            JsonNode shown = invoke("ApprovalApiFunction", PackageDriver.httpEvent("GET", "/approvals/" + id, Map.of("id", id),
                    Map.of("approver", approver, "token", java.net.URLDecoder.decode(token, java.nio.charset.StandardCharsets.UTF_8)), Map.of(), null));
            assertThat(shown.get("statusCode").asInt()).as(shown.toString()).isEqualTo(200);
            String csrf = shown.get("body").asString().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
            String decision = PackageDriver.httpEvent("POST", "/approvals/" + id, Map.of("id", id), Map.of(),
                    Map.of("content-type", "application/x-www-form-urlencoded"),
                    "decision=approve&approver=" + approver + "&token=" + token + "&csrf=" + java.net.URLEncoder.encode(csrf, java.nio.charset.StandardCharsets.UTF_8));
            JsonNode page = invoke("ApprovalApiFunction", decision);
            assertThat(page.get("statusCode").asInt()).as(page.toString()).isEqualTo(200);
            assertThat(page.get("body").asString()).contains("Your decision is recorded");
        }

        relay();
        feed("ExecuteFunction", "ExecuteQueue", id);
        relay();
        JsonNode executed = incident(id);
        assertThat(executed.get("status").asString()).as(executed.toString()).isEqualTo("SUCCEEDED");
        // Approval Granted, then Execution Succeeded: each card rendered by the notify package
        assertThat(notifyEverythingQueued()).anySatisfy(body -> assertThat(body).contains("Execution Succeeded"));
        assertThat(stack.outbox()).anySatisfy(c -> assertThat(c.get("kind")).isEqualTo("Execution Succeeded"));
        assertThat(executed.toString()).doesNotContain("203.0.113.42").doesNotContain("ops.lead@example.com");
        // the approve package learns from the verified, approved restart: its pattern earns a point
        feed("ApproveFunction", "ApproveQueue", id);
        assertThat(stack.applicationContext().getBean(dev.awoooi.trust.TrustStore.class).find("restart_statefulset:production/postgres-db@default"))
                .hasValueSatisfying(trust -> assertThat(trust.lastCredit()).isEqualTo(id));
    }

    @Test
    void everyScanRunsFromItsPackageAndReports() throws Exception {
        String finops = invoke("FinopsScanFunction", sample("finops-scan.json")).toString();
        assertThat(finops).contains("realizableUsdPerMonth");
        JsonNode capacity = invoke("CapacityScanFunction", sample("capacity-scan.json"));
        assertThat(capacity.get("scan").asString()).isEqualTo("capacity");
        if (dev.awoooi.local.metrics.PrometheusPeer.installed()) {
            assertThat(finops).contains("Resize node 'worker-large-01'").contains("\"monthlyWasteUsd\":622.75");
            assertThat(capacity.get("figures").get("nodes").asDouble()).isEqualTo(1.0);
        } else {
            assertThat(finops).contains("usage unknown").contains("Delete orphaned PVC 'data-postgres-backup'");
            assertThat(capacity.toString()).contains("capacity unknown");
        }
        JsonNode compliance = invoke("ComplianceScanFunction", sample("compliance-scan.json"));
        assertThat(compliance.get("figures").get("assets").asDouble()).as(compliance.toString()).isEqualTo(10.0);
        assertThat(compliance.get("top").toString()).as("the worst findings, named on the card").contains("CRITICAL");
        JsonNode assets = invoke("AssetScanFunction", sample("asset-scan.json"));
        assertThat(assets.get("figures").get("assets").asDouble()).as(assets.toString()).isGreaterThan(20);
        if (dev.awoooi.local.metrics.PrometheusPeer.installed()) {
            assertThat(assets.get("figures").get("rules").asDouble()).as("the demo's rules, read from the real Prometheus").isEqualTo(9.0);
        }
    }

    @Test
    void theReconcilerRunsFromItsPackageAndReportsWhatItDid() throws Exception {
        JsonNode report = invoke("ReconcileFunction", sample("reconcile.json"));
        assertThat(report.has("expired") && report.has("redriven") && report.has("settling") && report.has("deadLetterCards"))
                .as(report.toString()).isTrue();
        assertThat(report.get("errors").asInt()).isZero();
        assertThat(invoke("RelayFunction", sample("relay.json")).get("batchItemFailures")).as("a count moving publishes nothing").isEmpty();
    }

    /**
     * The execute package killed outright (SIGKILL, as Lambda ends an invocation at its timeout) after its restart went
     * out; the reconcile package finds the stopped execution and a fresh execute package settles it from the cluster.
     */
    @Test
    void anExecutionKilledMidwayIsSettledFromTheClusterByTheReconcilerOnThePackagesAlone() throws Exception {
        KubernetesActions cluster = stack.applicationContext().getBean(KubernetesActions.class);
        IncidentStore incidents = stack.applicationContext().getBean(IncidentStore.class);
        TargetState before = cluster.state(Plans.DB).orElseThrow();
        Incident approved = Plans.approvedRestart(before.fingerprint(Plans.RESTART_DB), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        incidents.create(approved);
        // a 5 s rollout timeout: the execution's claim (four times it) lapses 20 s after the kill, not 4 minutes
        Map<String, String> shortClaims = Map.of("AWOOOI_CLUSTER_ROLLOUTTIMEOUT", "5s");
        String order = JSON.writeValueAsString(Map.of("detail-type", "Approval Granted", "source", "awoooi",
                "detail", Map.of("incidentId", approved.id(), "planHash", approved.analysis().planHash())));
        LambdaSandbox doomed = driver.start("ExecuteFunction", false, shortClaims, Set.of());
        doomed.awaitInit(Duration.ofSeconds(120));
        Thread.ofVirtual().start(() -> {
            try {
                doomed.invoke(driver.sqsEvent(Message.builder().messageId("kill-1").receiptHandle("r").body(order).build(), "ExecuteQueue"),
                        Duration.ofSeconds(60));
            } catch (RuntimeException killed) {
                // it never answers: it is killed mid-way
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state(Plans.DB).orElseThrow().generation() > before.generation());
        doomed.kill();
        Instant killedAt = Instant.now();
        assertThat(incidents.find(approved.id()).orElseThrow().status()).isEqualTo(IncidentStatus.EXECUTING);
        assertThat(incidents.find(approved.id()).orElseThrow().execution()).as("the apply record").isNotNull();

        LambdaSandbox reconciler = driver.start("ReconcileFunction", false, Map.of("AWOOOI_RECONCILE_EXECUTION", "1s"), Set.of());
        LambdaSandbox settler = driver.start("ExecuteFunction", false, shortClaims, Set.of());
        try {
            reconciler.awaitInit(Duration.ofSeconds(120));
            settler.awaitInit(Duration.ofSeconds(120));
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), killedAt.plusSeconds(21)).toMillis()));
            LambdaSandbox.Answer report = reconciler.invoke(sample("reconcile.json"), ANSWER);
            assertThat(report.failed()).as(report.body()).isFalse();
            assertThat(JSON.readTree(report.body()).get("settling").asInt()).isPositive();
            for (Message settle = driver.require("ExecuteQueue"); ; settle = driver.require("ExecuteQueue")) {
                if (settle.body().contains(approved.id())) {
                    JsonNode answer = JSON.readTree(settler.invoke(driver.sqsEvent(settle, "ExecuteQueue"), ANSWER).body());
                    assertThat(answer.get("batchItemFailures")).as(settler.output()).isEmpty();
                    break;
                }
            }
        } finally {
            reconciler.close();
            settler.close();
            stack.resetDemo(); // the restart healed postgres-db: the other tests start from the demo's incident
        }
        Incident settled = incidents.find(approved.id()).orElseThrow();
        assertThat(settled.status()).as(String.valueOf(settled.reason())).isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(settled.execution().detail()).startsWith("the execution stopped answering, and the target shows it done");
        assertThat(cluster.state(Plans.DB).orElseThrow().generation()).as("restarted once").isEqualTo(before.generation() + 1);
    }

    @Test
    void theFailureSamplesFailCleanlyWithTheirReason() throws Exception {
        JsonNode unknown = invoke("IncidentsFunction", sample("incidents-unknown.json").replace("awoooi-local-reader-token", stack.readerToken()));
        assertThat(invoke("IncidentsFunction", sample("incidents-unknown.json").replace("awoooi-local-reader-token", stack.webhookToken()))
                .get("statusCode").asInt()).as("the alert senders' token reads nothing").isEqualTo(401);
        assertThat(unknown.get("statusCode").asInt()).isEqualTo(404);
        assertThat(unknown.get("body").asString()).contains("no incident");
        assertThat(invoke("ApprovalApiFunction", sample("approval-api-bad-link.json")).get("statusCode").asInt()).isEqualTo(403);
        // the console from its package: a browser without a session is sent to sign in, anything else is told 401
        JsonNode browser = invoke("ConsoleFunction", PackageDriver.httpEvent("GET", "/console", Map.of(), Map.of(), Map.of("accept", "text/html"), null));
        assertThat(browser.get("statusCode").asInt()).as(browser.toString()).isEqualTo(302);
        assertThat(browser.get("headers").get("Location").asString()).isEqualTo("/console/signin?next=%2Fconsole");
        assertThat(invoke("ConsoleFunction", PackageDriver.httpEvent("POST", "/console/directory", Map.of(), Map.of(),
                Map.of("content-type", "application/x-www-form-urlencoded"), "op=remove&id=alice")).get("statusCode").asInt()).isEqualTo(401);
        for (var pair : List.of(List.of("RedactFunction", "redact-unknown-incident.json"), List.of("AnalyzeFunction", "analyze-unknown-incident.json"),
                List.of("ApproveFunction", "approve-unknown-incident.json"), List.of("ExecuteFunction", "execute-unknown-incident.json"))) {
            JsonNode response = invoke(pair.get(0), sample(pair.get(1)));
            assertThat(response.get("batchItemFailures")).as(pair.get(0) + ": " + response).hasSize(1);
            assertThat(response.get("batchItemFailures").get(0).get("itemIdentifier").asString())
                    .isEqualTo("0c5b7d9e-0000-4000-8000-000000000001");
        }
    }

    @Test
    void theMcpServerAnswersFromItsPackage() throws Exception {
        JsonNode response = invoke("McpFunction", sample("mcp-tools-list.json").replace(LocalStack.DEFAULT_MCP_TOKEN, stack.mcpToken()));
        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        JsonNode tools = JSON.readTree(response.get("body").asString()).get("result").get("tools");
        List<String> names = new ArrayList<>();
        tools.forEach(tool -> names.add(tool.get("name").asString()));
        assertThat(names).containsExactlyInAnyOrder("list_incidents", "get_incident", "explain_incident", "list_scans", "request_action");
        JsonNode refused = invoke("McpFunction", sample("mcp-tools-list.json").replace(LocalStack.DEFAULT_MCP_TOKEN, "not-the-token"));
        assertThat(refused.get("statusCode").asInt()).isEqualTo(401);
    }

    @Test
    void everyFunctionOfTheTemplateHasAPackageThatThisTestStarts() {
        List<String> functions = new ArrayList<>();
        stack.template().resourcesOfType(TemplateModel.FUNCTION).forEach(r -> functions.add(r.logicalId()));
        assertThat(functions).containsExactlyInAnyOrder("IngestFunction", "IncidentsFunction", "McpFunction", "ApprovalApiFunction", "ConsoleFunction",
                "RedactFunction", "AnalyzeFunction", "ApproveFunction", "ExecuteFunction", "NotifyFunction",
                "RelayFunction", "ReconcileFunction", "FinopsScanFunction", "CapacityScanFunction", "ComplianceScanFunction", "AssetScanFunction");
        for (String function : functions) {
            var deployment = stack.deployment(function);
            assertThat(deployment.codeUri()).as(function).matches("functions/target/awoooi-functions-.*-(core|cluster)\\.zip");
            assertThat(deployment.handler()).isEqualTo("org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest");
            assertThat(deployment.architectures()).as(function).containsExactly("arm64");
            assertThat(deployment.memorySize()).as(function).isBetween(256, 512);
        }
    }

    /**
     * The secret rotates in an emulated Secrets Manager (moto) while a warm ingest keeps running: the old token works
     * until the cache's time to live runs out, then only the new one does. No restart, no redeploy.
     */
    @Test
    void aRotatedSecretIsUsedAfterTheCacheTimeToLiveWithoutARestart() throws Exception {
        try (MotoServer moto = MotoServer.start();
             SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            // The secret does not exist yet when the environment starts and is snapshotted: whatever read it during
            // INIT or priming would fail the start (or log a failed priming). Secrets are read on first use only.
            String name = "awoooi/test-" + System.nanoTime();
            LambdaSandbox ingest = driver.start("IngestFunction", true, Map.of("AWOOOI_SECRETSARNS", name, "AWOOOI_SECRETSTTL", "4s",
                            "AWOOOI_ENDPOINTS_SECRETSMANAGER", moto.endpoint().toString()),
                    Set.of("AWOOOI_WEBHOOKTOKEN", "AWOOOI_READERTOKEN", "AWOOOI_LINKSECRET", "AWOOOI_BLINDSECRET", "AWOOOI_NOTIFYSECRET",
                            "AWOOOI_SEALKEY"));
            ingest.awaitInit(Duration.ofSeconds(120));
            assertThat(ingest.output()).contains("primed ingest before the snapshot").doesNotContain("priming ingest failed");
            Map<String, String> props = stack.functionProperties();
            ObjectNode value = JSON.createObjectNode().put("webhookToken", "token-before-rotation-0123456789")
                    .put("linkSecret", props.get("awoooi.linksecret")).put("blindSecret", props.get("awoooi.blindsecret"))
                    .put("notifySecret", props.get("awoooi.notifysecret"))
                    .put("sealKey", props.get("awoooi.sealkey"));
            secrets.createSecret(r -> r.name(name).secretString(value.toString()));
            try {
                assertThat(status(ingest, "token-before-rotation-0123456789", 1)).isEqualTo(202);
                value.put("webhookToken", "token-after-rotation-9876543210");
                secrets.putSecretValue(r -> r.secretId(name).secretString(value.toString()));
                Instant rotated = Instant.now();
                assertThat(status(ingest, "token-before-rotation-0123456789", 2)).as("still cached").isEqualTo(202);
                Thread.sleep(Math.max(0, Duration.ofSeconds(5).minus(Duration.between(rotated, Instant.now())).toMillis()));
                assertThat(status(ingest, "token-before-rotation-0123456789", 3)).as("old token after the TTL").isEqualTo(401);
                assertThat(status(ingest, "token-after-rotation-9876543210", 4)).as("new token after the TTL").isEqualTo(202);
                assertThat(ingest.output()).doesNotContain("token-before-rotation").doesNotContain("token-after-rotation");
            } finally {
                ingest.close();
            }
        }
    }

    private static int status(LambdaSandbox ingest, String token, int alert) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(sample("ingest.json"));
        ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + token);
        ObjectNode body = (ObjectNode) JSON.readTree(event.get("body").asString());
        ObjectNode first = (ObjectNode) ((ArrayNode) body.get("alerts")).get(0);
        first.put("fingerprint", "0000000000000" + alert + "aa");
        event.put("body", JSON.writeValueAsString(body));
        LambdaSandbox.Answer answer = ingest.invoke(JSON.writeValueAsString(event), ANSWER);
        assertThat(answer.failed()).as(answer.body()).isFalse();
        return JSON.readTree(answer.body()).get("statusCode").asInt();
    }
}
