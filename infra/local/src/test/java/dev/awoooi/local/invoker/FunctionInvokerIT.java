package dev.awoooi.local.invoker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each function exactly as Lambda runs it: Spring Cloud Function's FunctionInvoker (the template's handler),
 * the function picked by name, fed the sample events in events/ (what `sam local invoke -e` uses), against the
 * embedded stack.
 */
class FunctionInvokerIT {
    static LocalStack stack;
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> SET = new ArrayList<>();

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false));
        System.setProperty("MAIN_CLASS", "dev.awoooi.config.AwoooiApplication");
        SET.add("MAIN_CLASS");
        stack.functionProperties().forEach((k, v) -> {
            System.setProperty(k, v);
            SET.add(k);
        });
    }

    @AfterAll
    static void stop() {
        SET.forEach(System::clearProperty);
        stack.close();
    }

    static JsonNode invoke(String function, String eventFile) throws Exception {
        Path events = LocalStack.findTemplate(Path.of("").toAbsolutePath()).getParent().resolve("events");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(events.resolve(eventFile))) {
            new FunctionInvoker(function).handleRequest(in, out, new FakeContext(function));
        }
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void ingestAcceptsTheAlertmanagerSample() throws Exception {
        JsonNode response = invoke("ingest", "ingest.json");
        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(202);
        assertThat(JSON.readTree(response.get("body").asString()).get("incidents").get(0).get("id").asString()).startsWith("inc-");
    }

    @Test
    void theHttpFunctionsAnswerUnknownIncidentsAndBadLinksCleanly() throws Exception {
        JsonNode incident = invoke("incidents", "incidents.json");
        assertThat(incident.get("statusCode").asInt()).isEqualTo(404);
        assertThat(incident.get("body").asString()).contains("no incident");
        assertThat(invoke("approvalApi", "approval-api.json").get("statusCode").asInt()).isEqualTo(403);
    }

    @Test
    void queueFunctionsReportWhatTheyCannotProcessAsBatchItemFailures() throws Exception {
        for (var pair : List.of(List.of("redact", "redact.json"), List.of("analyze", "analyze.json"),
                List.of("approve", "approve.json"), List.of("execute", "execute.json"))) {
            JsonNode response = invoke(pair.get(0), pair.get(1));
            assertThat(response.get("batchItemFailures")).as(pair.get(0) + ": " + response).hasSize(1);
            assertThat(response.get("batchItemFailures").get(0).get("itemIdentifier").asString())
                    .isEqualTo("0c5b7d9e-0000-4000-8000-000000000001");
        }
    }

    @Test
    void notifyDeliversTheScanCardToTheOutbox() throws Exception {
        JsonNode response = invoke("notify", "notify.json");
        assertThat(response.get("batchItemFailures")).as(response.toString()).isEmpty();
        assertThat(stack.outbox()).anySatisfy(card -> assertThat(card.get("kind")).isEqualTo("Scan Completed"));
    }

    @Test
    void scansFindTheDemoClustersWaste() throws Exception {
        JsonNode finops = invoke("finopsScan", "finops-scan.json");
        assertThat(finops.toString()).contains("data-postgres-backup").contains("worker-large-01");
        assertThat(invoke("complianceScan", "compliance-scan.json").toString()).contains("db-credentials").doesNotContain("api-tokens");
        assertThat(invoke("capacityScan", "capacity-scan.json").get("scan").asString()).isEqualTo("capacity");
        assertThat(invoke("assetScan", "asset-scan.json").toString()).contains("postgres-db");
    }

    record FakeContext(String function) implements Context {
        public String getAwsRequestId() {
            return "req-local";
        }

        public String getLogGroupName() {
            return "/aws/lambda/" + function;
        }

        public String getLogStreamName() {
            return "local";
        }

        public String getFunctionName() {
            return function;
        }

        public String getFunctionVersion() {
            return "$LATEST";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:" + function;
        }

        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
            return null;
        }

        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        public int getMemoryLimitInMB() {
            return 1024;
        }

        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) {
                    System.out.println(message);
                }

                public void log(byte[] message) {
                    System.out.println(new String(message));
                }
            };
        }
    }
}
