package dev.awoooi.alert;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Grafana's webhook and the generic schema, read field by field; Grafana's HMAC as its contact point computes it. */
class GrafanaAndGenericParserTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String GRAFANA = """
            {"receiver":"awoooi","status":"firing","orgId":3,"version":"1","groupKey":"{}:{alertname=\\"CpuHigh\\"}","truncatedAlerts":2,
             "externalURL":"https://grafana.example.com/","title":"[FIRING:1] CpuHigh","state":"alerting","message":"m",
             "groupLabels":{"alertname":"CpuHigh"},"commonLabels":{"alertname":"CpuHigh"},"commonAnnotations":{},
             "alerts":[{"status":"firing","labels":{"alertname":"CpuHigh","service":"api"},"annotations":{"summary":"cpu"},
               "startsAt":"2026-11-21T05:00:00.123456789Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"https://g/view",
               "fingerprint":"57C6D9296DE2AD39","silenceURL":"https://g/silence","dashboardURL":"https://g/d","panelURL":"https://g/p",
               "imageURL":"https://g/i.png","values":{"A":97.5,"B":1},"valueString":"[ var='A' value=97.5 ]"}]}""";

    @Test
    void grafanaCarriesItsOwnFieldsIntoTheAlertContext() {
        AlertBatch batch = new GrafanaParser(JSON).parse(GRAFANA);
        assertThat(batch.source()).isEqualTo("grafana");
        assertThat(batch.orgId()).isEqualTo(3L);
        assertThat(batch.truncatedAlerts()).isEqualTo(2);
        Alert alert = batch.alerts().getFirst();
        assertThat(alert.fingerprint()).isEqualTo("57c6d9296de2ad39");
        assertThat(alert.startsAt()).isEqualTo(Instant.parse("2026-11-21T05:00:00.123456789Z"));
        assertThat(alert.endsAt()).isNull();
        assertThat(alert.context()).containsEntry("values.A", "97.5").containsEntry("values.B", "1")
                .containsEntry("silenceURL", "https://g/silence").containsEntry("imageURL", "https://g/i.png")
                .containsKeys("dashboardURL", "panelURL", "valueString");
    }

    @Test
    void grafanaMistakesAreNamed() {
        var parser = new GrafanaParser(JSON);
        assertThatThrownBy(() -> parser.parse(GRAFANA.replace("\"version\":\"1\"", "\"version\":\"4\"")))
                .hasMessageContaining("unsupported Grafana webhook version '4'");
        assertThatThrownBy(() -> parser.parse(GRAFANA.replace("\"A\":97.5", "\"A\":\"high\"")))
                .hasMessage("alerts[0].values.A must be a number");
        assertThatThrownBy(() -> parser.parse(GRAFANA.replace("\"orgId\":3", "\"orgId\":\"three\"")))
                .hasMessage("'orgId' must be an integer");
    }

    @Test
    void theSignatureCoversTimestampAndBodyAndRefusesReplays() {
        var signature = new GrafanaSignature("s3cret".getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.ofEpochSecond(1_763_700_000L);
        String ts = "1763700000";
        String signed = signature.sign(GRAFANA, ts);
        assertThat(signed).matches("[0-9a-f]{64}");
        assertThat(signature.refusal(GRAFANA, signed, ts, now)).isEmpty();
        assertThat(signature.refusal(GRAFANA, signed.toUpperCase(), ts, now)).isEmpty();
        assertThat(signature.refusal(GRAFANA + " ", signed, ts, now)).contains("invalid X-Grafana-Alerting-Signature");
        assertThat(signature.refusal(GRAFANA, signed, "1763699999", now)).contains("invalid X-Grafana-Alerting-Signature");
        assertThat(signature.refusal(GRAFANA, signed, ts, now.plusSeconds(301))).contains("signature timestamp is more than 5 minutes away from now");
        assertThat(signature.refusal(GRAFANA, signature.sign(GRAFANA, null), null, now)).isEqualTo(Optional.empty());
        assertThat(signature.refusal(GRAFANA, null, ts, now)).contains("missing X-Grafana-Alerting-Signature header");
        assertThat(signature.refusal(GRAFANA, signed, "yesterday", now)).contains("X-Grafana-Alerting-Signature-Timestamp must be Unix seconds");
    }

    @Test
    void theGenericSchemaMapsItsShorthandsToLabelsAndAnnotations() {
        AlertBatch batch = new GenericAlertParser(JSON).parse("""
                {"source":"uptime-robot","group":"checks","alerts":[{"name":"Down","service":"billing","severity":"warning",
                 "summary":"s","description":"d","labels":{"region":"eu"},"startsAt":"2026-11-21T04:00:00+08:00","status":"resolved",
                 "url":"https://u"}]}""");
        assertThat(batch.source()).isEqualTo("generic:uptime-robot");
        assertThat(batch.groupKey()).isEqualTo("checks");
        Alert alert = batch.alerts().getFirst();
        assertThat(alert.labels()).containsEntry("alertname", "Down").containsEntry("service", "billing")
                .containsEntry("severity", "warning").containsEntry("region", "eu");
        assertThat(alert.annotations()).containsEntry("summary", "s").containsEntry("description", "d");
        assertThat(alert.startsAt()).isEqualTo(Instant.parse("2026-11-20T20:00:00Z"));
        assertThat(alert.resolved()).isTrue();
        assertThat(alert.fingerprint()).matches("[0-9a-f]{16}");
        assertThat(alert.generatorUrl()).isEqualTo("https://u");
    }

    @Test
    void genericMistakesAreNamed() {
        var parser = new GenericAlertParser(JSON);
        assertThatThrownBy(() -> parser.parse("{\"alerts\":[{\"startsAt\":\"2026-11-21T04:00:00Z\"}]}"))
                .hasMessage("alerts[0].name is required");
        assertThatThrownBy(() -> parser.parse("{\"alerts\":[{\"name\":\"x\"}]}")).hasMessage("alerts[0].startsAt is required");
        assertThatThrownBy(() -> parser.parse("{\"source\":\"a b\",\"alerts\":[{\"name\":\"x\",\"startsAt\":\"2026-11-21T04:00:00Z\"}]}"))
                .hasMessageContaining("'source' must be");
        assertThatThrownBy(() -> parser.parse("{\"alerts\":[{\"name\":\"x\",\"startsAt\":\"2026-11-21T04:00:00Z\",\"labels\":{\"a\":1}}]}"))
                .hasMessage("alerts[0].labels.a must be a string");
    }
}
