package dev.awoooi.local.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.awoooi.local.LocalStack;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Everything a run left behind, as text: for the privacy checks of the end-to-end tests. */
final class StackContents {
    static final List<String> TABLES = List.of("IncidentsTable", "AlertsTable", "AuditTable", "IdempotencyTable", "VaultTable", "PayloadsTable");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StackContents() {
    }

    /** Captures every log event from now on (the raw event, before any layout could mask it). */
    static ListAppender<ILoggingEvent> captureLogs() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        return logs;
    }

    static DynamoDbClient dynamo(LocalStack stack) {
        return DynamoDbClient.builder().endpointOverride(stack.dynamoEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }

    static List<Map<String, AttributeValue>> items(LocalStack stack, String table) {
        try (DynamoDbClient dynamo = dynamo(stack)) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            dynamo.scanPaginator(r -> r.tableName(table)).items().forEach(items::add);
            return items;
        }
    }

    /** About how many messages wait in a template queue. */
    static int messages(LocalStack stack, String queueLogicalId) {
        try (var sqs = software.amazon.awssdk.services.sqs.SqsClient.builder().endpointOverride(stack.sqsEndpoint())
                .region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            return Integer.parseInt(sqs.getQueueAttributes(r -> r.queueUrl(stack.queueUrl(queueLogicalId)).attributeNames(
                    software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .attributes().values().iterator().next());
        }
    }

    /** Log lines (message and exception), every message delivered from a queue, the outbox, every stored item. */
    static List<String> everything(LocalStack stack, ListAppender<ILoggingEvent> logs) {
        List<String> everything = new ArrayList<>();
        List.copyOf(logs.list).forEach(e -> everything.add(e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())));
        everything.addAll(stack.deliveredMessages());
        stack.outbox().forEach(card -> everything.add(card.toString()));
        for (String table : TABLES) {
            items(stack, table).forEach(item -> everything.add(item.toString()));
        }
        return everything;
    }

    static HttpResponse<String> post(LocalStack stack, String path, String body, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the token its route takes: the reader's for incidents and trust, the local runner's (the webhook token) otherwise. */
    static HttpResponse<String> get(LocalStack stack, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + path))
                .header("Authorization", "Bearer " + (path.startsWith("/incidents/") || path.equals("/trust") ? stack.readerToken() : stack.webhookToken())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A button pressed on the incident's card (once the card is there), as the platform delivers it; it must be recorded. */
    static void press(LocalStack stack, String platform, String id, String user, String action) throws Exception {
        String body = JSON.writeValueAsString(Map.of("platform", platform, "incident", id, "user", user, "action", action));
        var response = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> post(stack, "/local/chat/press", body, "Authorization", "Bearer " + stack.webhookToken(), "Content-Type", "application/json"),
                        r -> !(r.statusCode() == 400 && r.body().contains(" card for ")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("status").asInt()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.path("private").asString("")).as(answer.toString())
                .contains("Your " + action + " is recorded");
    }

    /** One firing Alertmanager alert (severity critical, its runbook's remediation if given); the incident's id. */
    static String alert(LocalStack stack, String fingerprint, String service, String namespace, String suggestion) throws Exception {
        return alert(stack, fingerprint, service, namespace, suggestion, "critical");
    }

    static String alert(LocalStack stack, String fingerprint, String service, String namespace, String suggestion, String severity) throws Exception {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("status", "firing");
        alert.putObject("labels").put("alertname", "Hostile").put("service", service).put("namespace", namespace).put("severity", severity);
        ObjectNode annotations = alert.putObject("annotations").put("summary", "Hostile on " + service);
        if (suggestion != null) {
            annotations.put("awoooi_remediation", suggestion);
        }
        alert.put("startsAt", "2026-11-30T03:12:00Z").put("endsAt", "0001-01-01T00:00:00Z").put("fingerprint", fingerprint);
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "4").put("groupKey", "{}:{fp=\"" + fingerprint + "\"}").put("truncatedAlerts", 0).put("status", "firing")
                .put("receiver", "awoooi").put("externalURL", "http://alertmanager:9093");
        root.putObject("groupLabels").put("fp", fingerprint);
        root.putObject("commonLabels");
        root.putObject("commonAnnotations");
        root.putArray("alerts").add(alert);
        var response = post(stack, "/alerts/alertmanager", root.toString(), "Authorization", "Bearer " + stack.webhookToken(),
                "Content-Type", "application/json");
        if (response.statusCode() != 202) {
            throw new AssertionError("the alert was not accepted: " + response.statusCode() + " " + response.body());
        }
        JsonNode accepted = JSON.readTree(response.body()).get("incidents").get(0);
        return accepted.get("id").asString();
    }
    /**
     * The shipped RBAC gives AWOOOI no destructive verb, so a CRITICAL plan fails its dry run there; this organisation
     * opts in to volume deletion (still CTO and CISO only), as an operator would with a Role of their own.
     */
    static final String DELETE_VOLUMES = """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: awoooi-delete-volumes, namespace: production}
            rules:
              - apiGroups: [""]
                resources: ["persistentvolumeclaims"]
                verbs: ["delete"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: awoooi-delete-volumes, namespace: production}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: awoooi-delete-volumes}
            subjects:
              - {kind: ServiceAccount, name: awoooi-executor, namespace: awoooi}
              - {kind: ServiceAccount, name: awoooi-analyzer, namespace: awoooi}
            """;

    /** The shipped RBAC plus {@link #DELETE_VOLUMES}, as a file for {@code LocalStack.Options.withRbacFile}. */
    static java.nio.file.Path rbacDeletingVolumes() throws java.io.IOException {
        java.nio.file.Path shipped = java.nio.file.Files.isRegularFile(java.nio.file.Path.of("../kubernetes/rbac.yaml"))
                ? java.nio.file.Path.of("../kubernetes/rbac.yaml") : java.nio.file.Path.of("infra/kubernetes/rbac.yaml");
        java.nio.file.Path rbac = java.nio.file.Files.createTempFile("rbac-delete-volumes", ".yaml");
        rbac.toFile().deleteOnExit();
        java.nio.file.Files.writeString(rbac, java.nio.file.Files.readString(shipped) + DELETE_VOLUMES);
        return rbac;
    }

    /** The incident once its analysis is done, which must have opened a request for signatures (the test says why not). */
    static dev.awoooi.incident.Incident awaiting(dev.awoooi.incident.IncidentStore incidents, String id) {
        var incident = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> incidents.find(id).orElseThrow(), i -> !java.util.List.of(dev.awoooi.incident.IncidentStatus.RECEIVED,
                        dev.awoooi.incident.IncidentStatus.ANALYZED).contains(i.status()));
        org.assertj.core.api.Assertions.assertThat(incident.status()).as(String.valueOf(incident.reason()))
                .isEqualTo(dev.awoooi.incident.IncidentStatus.AWAITING_APPROVAL);
        return incident;
    }
}
