package dev.awoooi.llm;

import com.sun.net.httpserver.HttpServer;
import dev.awoooi.analysis.ModelFailure;
import dev.awoooi.privacy.PrivacyShield;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chokepoint: what the shield detects in a request body is never sent, however it is spelled in JSON. */
class ModelWireTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private HttpServer server;
    private final AtomicInteger received = new AtomicInteger();
    private volatile int status = 200;
    private volatile long delayMs = 0;
    private ModelWire wire;
    private URI uri;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions");
        wire = new ModelWire(HttpClient.newHttpClient(), Duration.ofMillis(700), new PrivacyShield(), JSON);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static byte[] body(String text) {
        var node = JSON.createObjectNode();
        node.putArray("messages").addObject().put("role", "user").put("content", text);
        return JSON.writeValueAsBytes(node);
    }

    @Test
    void aPseudonymizedBodyIsSent() {
        assertThat(wire.post(uri, Map.of(), body("login from [IP_1] by [EMAIL_2] failed on order-api")).get("ok").asBoolean()).isTrue();
        assertThat(received).hasValue(1);
    }

    @Test
    void aPlantedValueIsRefusedBeforeAnyConnectionAndOnlyItsTypeIsNamed() {
        for (String leak : new String[]{"contact ops.lead@example.com now", "key AKIAIOSFODNN7EXAMPLE in the env",
                "from 203.0.113.77 at 03:00"}) {
            assertThatThrownBy(() -> wire.post(uri, Map.of(), body(leak))).isInstanceOfSatisfying(ModelFailure.class, f -> {
                assertThat(f.kind()).isEqualTo(ModelFailure.Kind.LEAK_REFUSED);
                assertThat(f.detected()).isNotEmpty();
                assertThat(f.getMessage()).doesNotContain("ops.lead", "AKIAIOSFODNN7EXAMPLE", "203.0.113.77");
            });
        }
        assertThat(received).hasValue(0);
    }

    @Test
    void aValueHiddenByJsonEscapesIsStillFound() {
        byte[] escaped = "{\"messages\":[{\"role\":\"user\",\"content\":\"mail ops.lead\\u0040example.com\"}]}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> wire.post(uri, Map.of(), escaped)).isInstanceOfSatisfying(ModelFailure.class,
                f -> assertThat(f.detected()).contains("EMAIL"));
        assertThat(received).hasValue(0);
    }

    @Test
    void errorsAndTimeoutsAreUnavailableInAwoooisWords() {
        status = 503;
        assertThatThrownBy(() -> wire.post(uri, Map.of(), body("hello"))).isInstanceOfSatisfying(ModelFailure.class, f -> {
            assertThat(f.kind()).isEqualTo(ModelFailure.Kind.UNAVAILABLE);
            assertThat(f.getMessage()).isEqualTo("HTTP 503");
        });
        status = 401;
        assertThatThrownBy(() -> wire.post(uri, Map.of(), body("hello"))).hasMessage("HTTP 401: the provider refused the request");
        status = 200;
        delayMs = 2_000;
        assertThatThrownBy(() -> wire.post(uri, Map.of(), body("hello"))).isInstanceOfSatisfying(ModelFailure.class,
                f -> assertThat(f.getMessage()).startsWith("no answer within"));
        server.stop(0);
        assertThatThrownBy(() -> wire.post(uri, Map.of(), body("hello"))).isInstanceOfSatisfying(ModelFailure.class,
                f -> assertThat(f.getMessage()).startsWith("unreachable"));
    }
}
