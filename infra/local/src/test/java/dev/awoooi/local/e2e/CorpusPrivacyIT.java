package dev.awoooi.local.e2e;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.awoooi.local.LocalStack;
import dev.awoooi.local.model.ModelStub;
import dev.awoooi.privacy.EnvelopeSealer;
import dev.awoooi.privacy.LocalKeyWrapper;
import dev.awoooi.store.DynamoVault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The privacy promise on the whole labelled corpus: every planted line goes through a full local run inside
 * Alertmanager deliveries, with a model consulted on every incident; afterwards no planted value is in any log line,
 * queue message, event, outbox entry, stored item or request body sent to the model, and the vault holds every one of
 * them, encrypted.
 */
class CorpusPrivacyIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int ALERTS_PER_DELIVERY = 10;
    static final int LINES_PER_ALERT = 4;
    static LocalStack stack;
    static ListAppender<ILoggingEvent> logs;
    /** The model every incident's analysis asks: what reaches it is checked like everything else. */
    static ModelStub model;

    @BeforeAll
    static void start() {
        logs = StackContents.captureLogs();
        model = ModelStub.start();
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false).withProperties(model.properties("openai")));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Test
    void noPlantedValueLeaksAndTheVaultHoldsThemAll() throws Exception {
        Path corpus = LocalStack.findTemplate(Path.of("").toAbsolutePath()).getParent()
                .resolve("functions/src/test/resources/privacy/planted.jsonl");
        List<JsonNode> lines = new ArrayList<>();
        Set<String> planted = new HashSet<>();
        for (String row : Files.readAllLines(corpus)) {
            JsonNode line = JSON.readTree(row);
            lines.add(line);
            line.get("planted").forEach(p -> planted.add(p.get("value").asString()));
        }

        int deliveries = 0;
        int alerts = 0;
        for (int first = 0; first < lines.size(); first += ALERTS_PER_DELIVERY * LINES_PER_ALERT) {
            ObjectNode root = JSON.createObjectNode();
            root.put("version", "4").put("status", "firing").put("receiver", "awoooi").put("groupKey", "{}:{corpus=\"" + deliveries + "\"}")
                    .put("truncatedAlerts", 0);
            var array = root.putArray("alerts");
            for (int a = 0; a < ALERTS_PER_DELIVERY && first + a * LINES_PER_ALERT < lines.size(); a++) {
                int from = first + a * LINES_PER_ALERT;
                List<String> texts = lines.subList(from, Math.min(lines.size(), from + LINES_PER_ALERT)).stream()
                        .map(l -> l.get("text").asString()).toList();
                ObjectNode alert = array.addObject().put("status", "firing").put("startsAt", "2026-11-21T06:00:00Z")
                        .put("fingerprint", String.format("%016x", alerts++));
                alert.putObject("labels").put("alertname", "CorpusAlert").put("service", "corpus-" + deliveries)
                        .put("instance", texts.getFirst());
                alert.putObject("annotations").put("summary", texts.getLast()).put("description", String.join("\n", texts));
            }
            var response = StackContents.post(stack, "/alerts/alertmanager", root.toString(), "Authorization", "Bearer " + stack.webhookToken(),
                    "Content-Type", "application/json");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            deliveries++;
        }
        int expectedAlerts = alerts;
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> redactedAlerts() == expectedAlerts);
        Thread.sleep(3000); // let analysis, approval and notification of the last incidents run too

        List<String> everything = StackContents.everything(stack, logs);
        List<String> leaks = planted.stream().filter(value -> everything.stream().anyMatch(text -> text.contains(value))).toList();
        assertThat(leaks).as("planted values found after the run").isEmpty();

        // the model's chokepoint: every request body that reached the model, byte for byte
        List<String> sent = model.received().stream().map(ModelStub.Received::body).toList();
        long analyzed = StackContents.items(stack, "IncidentsTable").stream().filter(item -> item.containsKey("actionType")).count();
        assertThat(sent).as("the model was asked about the incidents").isNotEmpty();
        List<String> reachedModel = planted.stream().filter(value -> sent.stream().anyMatch(body -> body.contains(value))).toList();
        assertThat(reachedModel).as("planted values in a request body sent to the model").isEmpty();
        System.out.printf("model: %d requests for %d analyzed incidents, 0 of %d planted values in them%n", sent.size(), analyzed, planted.size());

        byte[] sealKey = Base64.getDecoder().decode(stack.functionProperties().get("awoooi.sealkey"));
        Set<String> vaulted = new HashSet<>();
        try (var dynamo = StackContents.dynamo(stack)) {
            var vault = new DynamoVault(dynamo, "VaultTable", new EnvelopeSealer(new LocalKeyWrapper(sealKey)), value -> {
                throw new UnsupportedOperationException("opening only");
            }, Clock.systemUTC(), Duration.ofDays(1));
            StackContents.items(stack, "IncidentsTable").forEach(item -> vaulted.addAll(vault.open(item.get("id").s()).values()));
        }
        assertThat(vaulted).as("the vault holds every planted value").containsAll(planted);
        System.out.printf("corpus run: %d deliveries, %d alerts, %d distinct planted values, %d vault labels%n",
                deliveries, expectedAlerts, planted.size(), StackContents.items(stack, "VaultTable").stream()
                        .filter(item -> item.get("label").s().startsWith("[")).count());
    }

    private static int redactedAlerts() {
        return StackContents.items(stack, "AlertsTable").size();
    }
}
