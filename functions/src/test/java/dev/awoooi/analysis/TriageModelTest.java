package dev.awoooi.analysis;

import com.sun.net.httpserver.HttpServer;
import dev.awoooi.action.RiskMatrix;
import dev.awoooi.action.Scope;
import dev.awoooi.audit.MemoryAudit;
import dev.awoooi.dryrun.DryRun;
import dev.awoooi.dryrun.FakeCluster;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.NoIncidentAlerts;
import dev.awoooi.incident.RacyStore;
import dev.awoooi.llm.ModelWire;
import dev.awoooi.llm.OpenAiCompatibleModel;
import dev.awoooi.privacy.PrivacyShield;
import dev.awoooi.privacy.RedactedAlert;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.Topology;
import dev.awoooi.topology.TopologySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chokepoint end to end through the analyze step, with the real OpenAI-compatible adapter and wire: an alert whose
 * text escaped redaction (forced here) never reaches the provider, and the refusal is audited by name with the types
 * it found, never the value.
 */
class TriageModelTest {
    private static final Instant NOW = Instant.parse("2026-11-21T03:15:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private HttpServer provider;
    private final List<String> bodies = new ArrayList<>();
    private final RacyStore incidents = new RacyStore();
    private final MemoryAudit audit = new MemoryAudit();
    private Triage triage;

    @BeforeEach
    void start() throws Exception {
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/v1/chat/completions", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            var answer = JSON.createObjectNode();
            var message = answer.putArray("choices").addObject().put("finish_reason", "stop").putObject("message");
            message.put("role", "assistant").put("content", "{\"hypothesis\":\"postgres-db is down\",\"confidence\":0.9,"
                    + "\"evidence\":[\"auth-service depends on it\"],\"suggestion\":null}");
            answer.putObject("usage").put("prompt_tokens", 900).put("completion_tokens", 40);
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.start();
        ServiceGraph demo = DemoGraph.with(Set.of("postgres-db"));
        TopologySource fixed = new TopologySource() {
            public String name() {
                return "fixed";
            }

            public void contribute(ServiceGraph target) {
                demo.nodes().forEach(target::add);
                demo.edges().forEach(e -> e.sources().forEach(s -> target.dependsOn(e.caller(), e.callee(), s)));
            }
        };
        Investigation nothing = new Investigation() {
            public Findings look(dev.awoooi.topology.WorkloadRef workload) {
                return Findings.notLooked(workload.toString(), "not in this test");
            }

            public Findings warnings(String namespace) {
                return Findings.notLooked(namespace, "not in this test");
            }
        };
        var model = new OpenAiCompatibleModel(new ModelWire(HttpClient.newHttpClient(), Duration.ofSeconds(5), new PrivacyShield(), JSON),
                URI.create("http://127.0.0.1:" + provider.getAddress().getPort() + "/v1"), "local-model", () -> null,
                new LanguageModel.ModelPricing(0.5, 1.5));
        Analyzer analyzer = new Analyzer(new Topology(fixed, List.of()), new RiskMatrix(Set.of("production"), 6), new DryRun(FakeCluster.permissive()),
                nothing, (service, alert, exclude, limit) -> List.of(), new CostModel(600, Map.of()), new Scope(Set.of("production"), false),
                "production", 3, Clock.fixed(NOW, ZoneOffset.UTC)).withModel(new SecondOpinion(model, 512, new PrivacyShield()));
        triage = new Triage(analyzer, incidents, new NoIncidentAlerts(), audit, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        provider.stop(0);
    }

    private RedactedAlert alert(String id, String summary) {
        incidents.create(Incident.received(id, "alertmanager", "fp-" + id, NOW, NOW));
        return new RedactedAlert(id, "firing", "fp-" + id, "HighErrorRate", "frontend", summary,
                Map.of("service", "frontend", "namespace", "production"), Map.of("summary", summary), Map.of(), NOW, null);
    }

    @Test
    void aCleanIncidentIsAskedAndTheConsultationAudited() {
        triage.analyze(alert("inc-clean", "5xx above 5% for [EMAIL_1]'s checkout"));
        ModelOpinion opinion = incidents.find("inc-clean").orElseThrow().analysis().model();
        assertThat(opinion.status()).isEqualTo(ModelOpinion.Status.ANSWERED);
        assertThat(opinion.hypothesis()).isEqualTo("postgres-db is down");
        assertThat(opinion.costUsd()).isEqualTo((900 * 0.5 + 40 * 1.5) / 1_000_000d);
        assertThat(bodies).hasSize(1);
        assertThat(bodies.getFirst()).contains("5xx above 5% for [EMAIL_1]'s checkout", "postgres-db");
        assertThat(audit.whats("inc-clean")).contains("analyzed", "model_consulted").doesNotContain("model_leak_refused");
    }

    @Test
    void aForcedLeakIsRefusedBeforeSendingAndAudited() {
        triage.analyze(alert("inc-leak", "5xx above 5% for ops.lead@example.com from 198.51.100.23"));
        var analysis = incidents.find("inc-leak").orElseThrow().analysis();
        assertThat(bodies).isEmpty();
        assertThat(analysis.model().status()).isEqualTo(ModelOpinion.Status.LEAK_REFUSED);
        assertThat(analysis.model().note()).contains("EMAIL", "IP").doesNotContain("ops.lead", "198.51.100.23");
        // the analysis itself is complete: the deterministic plan stands
        assertThat(analysis.rootCauses()).isNotEmpty();
        assertThat(audit.whats("inc-leak")).contains("analyzed", "model_leak_refused");
        assertThat(audit.chain("inc-leak").toString()).doesNotContain("ops.lead", "198.51.100.23");
    }
}
