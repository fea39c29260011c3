package dev.awoooi.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Stand-ins for the product's function beans, under the same names, that record what reaches them.
 * Deliberately not a {@code @Configuration}: the product application scans dev.awoooi.config, and must not
 * pick these up when it runs on a test classpath.
 */
@EnableAutoConfiguration
public class RecordingFunctions {

    /** What each bean received: HTTP events, SQS message bodies, schedule inputs. */
    public static final class Invocations {
        private final Map<String, List<Object>> byBean = new ConcurrentHashMap<>();

        void record(String bean, Object input) {
            byBean.computeIfAbsent(bean, b -> new CopyOnWriteArrayList<>()).add(input);
        }

        public List<Object> of(String bean) {
            return List.copyOf(byBean.getOrDefault(bean, List.of()));
        }
    }

    @Bean
    Invocations invocations() {
        return new Invocations();
    }

    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> ingest(Invocations invocations) {
        return echo("ingest", invocations);
    }

    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> incidents(Invocations invocations) {
        return echo("incidents", invocations);
    }

    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> approvalApi(Invocations invocations) {
        return echo("approvalApi", invocations);
    }

    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> console(Invocations invocations) {
        return echo("console", invocations);
    }

    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> mcp(Invocations invocations) {
        return echo("mcp", invocations);
    }

    /** Reports a message whose body starts with "fail" as a batch item failure, and throws on one starting with "throw". */
    @Bean
    Function<SQSEvent, SQSBatchResponse> redact(Invocations invocations) {
        return event -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                invocations.record("redact", message.getBody());
                if (message.getBody().startsWith("throw")) {
                    throw new IllegalStateException("redact cannot handle this batch");
                }
                invocations.record("redact.receiveCount", message.getAttributes().get("ApproximateReceiveCount"));
                if (message.getBody().startsWith("fail")) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        };
    }

    /**
     * Records each stream record as "eventName id status-before>status-after"; reports the first record whose new
     * status is FAIL as a batch item failure, as the product's relay does when the bus refuses.
     */
    @Bean
    Function<DynamodbEvent, StreamsEventResponse> relay(Invocations invocations) {
        return event -> {
            for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                var images = record.getDynamodb();
                String before = images.getOldImage() == null ? "-" : images.getOldImage().get("status").getS();
                String after = images.getNewImage() == null ? "-" : images.getNewImage().get("status").getS();
                invocations.record("relay", record.getEventName() + " " + images.getKeys().get("id").getS() + " " + before + ">" + after);
                if ("FAIL".equals(after)) {
                    return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(images.getSequenceNumber())));
                }
            }
            return new StreamsEventResponse(List.of());
        };
    }

    @Bean
    Function<SQSEvent, SQSBatchResponse> analyze(Invocations invocations) {
        return recorder("analyze", invocations);
    }

    @Bean
    Function<SQSEvent, SQSBatchResponse> approve(Invocations invocations) {
        return recorder("approve", invocations);
    }

    @Bean
    Function<SQSEvent, SQSBatchResponse> execute(Invocations invocations) {
        return recorder("execute", invocations);
    }

    /** Delivers each message body to the configured webhook, signed, as the product's notify does. */
    @Bean
    Function<SQSEvent, SQSBatchResponse> notify(Invocations invocations, Environment environment) {
        HttpClient http = HttpClient.newHttpClient();
        return event -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                invocations.record("notify", message.getBody());
                byte[] body = message.getBody().getBytes(StandardCharsets.UTF_8);
                try {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                                    URI.create(environment.getRequiredProperty("awoooi.chat.webhookurl")))
                            .header("Content-Type", "application/json")
                            .header(Outbox.SIGNATURE_HEADER, Outbox.signature(environment.getRequiredProperty("awoooi.notifysecret"), body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() / 100 != 2) {
                        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                    }
                } catch (Exception e) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        };
    }

    @Bean
    Function<Map<String, Object>, Map<String, Object>> reconcile(Invocations invocations) {
        return input -> {
            invocations.record("reconcile", input);
            return Map.of("reconciled", true);
        };
    }

    @Bean
    Function<Map<String, Object>, Map<String, Object>> finopsScan(Invocations invocations) {
        return scan("finopsScan", invocations);
    }

    @Bean
    Function<Map<String, Object>, Map<String, Object>> capacityScan(Invocations invocations) {
        return scan("capacityScan", invocations);
    }

    @Bean
    Function<Map<String, Object>, Map<String, Object>> complianceScan(Invocations invocations) {
        return scan("complianceScan", invocations);
    }

    @Bean
    Function<Map<String, Object>, Map<String, Object>> assetScan(Invocations invocations) {
        return scan("assetScan", invocations);
    }

    private static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> echo(String bean, Invocations invocations) {
        return event -> {
            invocations.record(bean, event);
            if (event.getPathParameters() != null && event.getPathParameters().containsValue("explode")) {
                throw new IllegalStateException(bean + " exploded");
            }
            Map<String, Object> echo = new LinkedHashMap<>();
            echo.put("function", bean);
            echo.put("routeKey", event.getRouteKey());
            echo.put("pathParameters", event.getPathParameters());
            echo.put("queryStringParameters", event.getQueryStringParameters());
            echo.put("body", event.getBody());
            echo.put("isBase64Encoded", event.getIsBase64Encoded());
            return APIGatewayV2HTTPResponse.builder().withStatusCode(202)
                    .withHeaders(Map.of("content-type", "application/json", "x-function", bean))
                    .withBody(Json.write(echo)).build();
        };
    }

    private static Function<SQSEvent, SQSBatchResponse> recorder(String bean, Invocations invocations) {
        return event -> {
            event.getRecords().forEach(m -> invocations.record(bean, m.getBody()));
            return new SQSBatchResponse(List.of());
        };
    }

    private static Function<Map<String, Object>, Map<String, Object>> scan(String bean, Invocations invocations) {
        return input -> {
            invocations.record(bean, input);
            return Map.of("scanned", String.valueOf(input.get("scan")), "by", bean);
        };
    }
}
