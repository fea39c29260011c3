package dev.awoooi.alert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertmanagerParserTest {
    private final AlertmanagerParser parser = new AlertmanagerParser(JsonMapper.builder().build());

    static String seed() throws IOException {
        return Files.readString(Path.of("src/test/resources/alertmanager-frontend-5xx.json"));
    }

    @Test
    void readsEveryFieldOfAnAlertmanagerV4Payload() throws IOException {
        AlertBatch batch = parser.parse(seed());
        assertThat(batch.source()).isEqualTo("alertmanager");
        assertThat(batch.receiver()).isEqualTo("awoooi");
        assertThat(batch.alerts()).hasSize(1);
        Alert alert = batch.alerts().getFirst();
        assertThat(alert.name()).isEqualTo("Frontend5xxRateHigh");
        assertThat(alert.service()).isEqualTo("frontend");
        assertThat(alert.status()).isEqualTo("firing");
        assertThat(alert.startsAt()).isEqualTo(Instant.parse("2026-11-21T03:12:00Z"));
        assertThat(alert.endsAt()).isNull();
        assertThat(alert.fingerprint()).isEqualTo("8f2a9c1d4e5b6f70");
        assertThat(alert.summary()).isEqualTo("frontend 5xx rate > 15%");
        assertThat(alert.dedupeKey()).isEqualTo("alert#8f2a9c1d4e5b6f70#2026-11-21T03:12:00Z");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json at all|body is not valid JSON",
            "[1,2]|body must be a JSON object",
            "{\"version\":\"3\",\"alerts\":[]}|unsupported Alertmanager payload version '3'",
            "{\"version\":4,\"alerts\":[]}|'version' must be a string",
            "{\"version\":\"4\",\"alerts\":[]}|'alerts' must be a non-empty array",
            "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\"}}]}|alerts[0].startsAt is required",
            "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"2026-11-21T03:12:00Z\"}]}|alerts[0].labels.alertname is required",
            "{\"version\":\"4\",\"alerts\":[{\"status\":\"weird\",\"labels\":{\"alertname\":\"X\"}}]}|alerts[0].status must be 'firing' or 'resolved'",
            "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":7},\"startsAt\":\"2026-11-21T03:12:00Z\"}]}|alerts[0].labels.alertname must be a string",
            "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\"},\"startsAt\":\"yesterday\"}]}|alerts[0].startsAt must be an RFC 3339 timestamp",
    })
    void rejectsWhatIsNotAnAlertmanagerPayloadWithTheReason(String body, String reason) {
        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(InvalidAlertException.class).hasMessageContaining(reason);
    }

    @Test
    void derivesAStableFingerprintWhenTheSenderGaveNone() {
        String body = "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\",\"service\":\"a\"},"
                + "\"startsAt\":\"2026-11-21T03:12:00Z\"}]}";
        assertThat(parser.parse(body).alerts().getFirst().fingerprint()).isEqualTo(parser.parse(body).alerts().getFirst().fingerprint())
                .matches("[0-9a-f]{16}");
    }
}
