package dev.awoooi.alert;

import dev.awoooi.privacy.PrivacyShield;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlertLinksTest {
    final PrivacyShield shield = new PrivacyShield();

    Alert alert(Map<String, String> annotations, String generator, Map<String, String> context) {
        return new Alert("firing", Map.of("alertname", "Frontend5xx", "service", "frontend", "namespace", "production"), annotations,
                Instant.parse("2026-12-01T03:00:00Z"), null, generator, "fp", context);
    }

    @Test
    void theRunbookTheSourceAndAnAlertmanagerSilenceForThisAlert() {
        var links = AlertLinks.of(alert(Map.of("runbook_url", "https://runbooks.example.com/frontend-5xx"),
                "http://prometheus:9090/graph?g0.expr=rate%28http_requests_total%5B5m%5D%29", Map.of("externalURL", "http://alertmanager:9093/")), shield::finds);
        assertThat(links.keySet()).containsExactly("Runbook", "Source", "Silence");
        assertThat(links.get("Silence")).isEqualTo("http://alertmanager:9093/#/silences/new?filter="
                + "%7Balertname%3D%22Frontend5xx%22%2Cservice%3D%22frontend%22%2Cnamespace%3D%22production%22%7D");
    }

    @Test
    void grafanasOwnSilenceAndPanelLinksComeFirst() {
        var links = AlertLinks.of(alert(Map.of(), null, Map.of("silenceURL", "https://grafana.example.com/alerting/silence/new?x=1",
                "panelURL", "https://grafana.example.com/d/abc?viewPanel=2")), shield::finds);
        assertThat(links).containsEntry("Silence", "https://grafana.example.com/alerting/silence/new?x=1")
                .containsEntry("Source", "https://grafana.example.com/d/abc?viewPanel=2");
    }

    @Test
    void aLinkCarryingPersonalDataASecretOrAnotherSchemeIsLeftOut() {
        var links = AlertLinks.of(alert(Map.of("runbook_url", "javascript:alert(1)"),
                "http://prometheus:9090/graph?g0.expr=up%7Buser%3D%22ops.lead@example.com%22%7D", Map.of()), shield::finds);
        assertThat(links).isEmpty();
        assertThat(AlertLinks.of(alert(Map.of(), "http://prometheus:9090/graph?g0.expr=up%7Buser%3D%22ops.lead%40example.com%22%7D", Map.of()),
                shield::finds)).as("an encoded address").isEmpty();
        assertThat(AlertLinks.of(alert(Map.of("runbook", "https://user:hunter2@wiki.example.com/rb"), null, Map.of()), shield::finds)).isEmpty();
        assertThat(AlertLinks.of(alert(Map.of("runbook", "https://wiki.example.com/" + "a".repeat(3000)), null, Map.of()), shield::finds)).isEmpty();
    }
}
