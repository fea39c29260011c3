package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.awoooi.incident.Incident;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SnapStartHooksTest {
    static final JsonMapper STRICT = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** The shipped sample must stay a valid stored incident, or priming would quietly skip the domain. */
    @Test
    void thePrimingSampleIsAStoredIncidentThatRoundTrips() throws Exception {
        String sample;
        try (var in = SnapStartHooks.class.getResourceAsStream("/priming/incident.json")) {
            sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Incident incident = STRICT.readValue(sample, Incident.class);
        assertThat(STRICT.readTree(STRICT.writeValueAsString(incident))).isEqualTo(STRICT.readTree(sample));
        assertThat(incident.approval()).isNotNull();
        assertThat(incident.analysis()).isNotNull();
    }

    @Test
    void thePrimingSampleHoldsPseudonymsOnly() throws Exception {
        String sample;
        try (var in = SnapStartHooks.class.getResourceAsStream("/priming/incident.json")) {
            sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(new dev.awoooi.privacy.PrivacyShield().finds(sample)).isFalse();
    }

    @Test
    void thePrimingAlertIsAValidAlertmanagerDeliveryWithoutPersonalData() throws Exception {
        String sample;
        try (var in = SnapStartHooks.class.getResourceAsStream("/priming/alertmanager.json")) {
            sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(new dev.awoooi.alert.AlertmanagerParser(STRICT).parse(sample).alerts()).hasSize(1);
        assertThat(new dev.awoooi.privacy.PrivacyShield().finds(sample)).isFalse();
    }

    @Test
    void theHttpPrimingRequestCarriesNoCredentialsAndNoValidId() throws Exception {
        byte[] input = SnapStartHooks.inputWithoutEffect(APIGatewayV2HTTPEvent.class);
        var event = STRICT.readTree(input);
        assertThat(event.get("headers").has("authorization")).isFalse();
        assertThat(event.get("pathParameters").get("id").asString()).isEqualTo("priming");
        assertThat(event.get("pathParameters").get("source").asString()).isEqualTo("priming");
    }

    @Test
    void theQueuePrimingBatchHasNoRecordsAndOtherInputsAreNotInvoked() {
        assertThat(new String(SnapStartHooks.inputWithoutEffect(SQSEvent.class), StandardCharsets.UTF_8)).isEqualTo("{\"Records\":[]}");
        assertThat(SnapStartHooks.inputWithoutEffect(Map.class)).isNull();
    }
}
