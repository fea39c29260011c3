package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.awoooi.action.RiskMatrix;
import dev.awoooi.action.Scope;
import dev.awoooi.analysis.Analyzer;
import dev.awoooi.analysis.CostModel;
import dev.awoooi.analysis.IncidentHistory;
import dev.awoooi.analysis.SecondOpinion;
import dev.awoooi.analysis.Triage;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.cluster.KubernetesActions;
import dev.awoooi.cluster.KubernetesCluster;
import dev.awoooi.cluster.McpActuator;
import dev.awoooi.cluster.McpToolClient;
import dev.awoooi.dryrun.DryRun;
import dev.awoooi.execution.ClusterActuator;
import dev.awoooi.execution.Executor;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.DomainEvents;
import dev.awoooi.incident.IncidentAlerts;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.metrics.PrometheusClient;
import dev.awoooi.metrics.PrometheusMesh;
import dev.awoooi.metrics.PrometheusUsage;
import dev.awoooi.privacy.PrivacyShield;
import dev.awoooi.privacy.RedactedAlert;
import dev.awoooi.privacy.Vault;
import dev.awoooi.cluster.EksSettings;
import dev.awoooi.scan.Capacity;
import dev.awoooi.scan.Compliance;
import dev.awoooi.scan.ComplianceEvidence;
import dev.awoooi.scan.ComplianceSource;
import dev.awoooi.scan.FinOps;
import dev.awoooi.scan.FleetScans;
import dev.awoooi.scan.RuleCatalog;
import dev.awoooi.scan.UsageMetrics;
import dev.awoooi.scan.ScanArchive;
import dev.awoooi.scan.ScanReport;
import dev.awoooi.store.DynamoClaims;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.Topology;
import dev.awoooi.topology.TopologyFile;
import dev.awoooi.topology.TopologySource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The functions that talk to Kubernetes (analyze, execute, the scans) and the domain services behind them; they
 * run from the "cluster" deployment package only, so this configuration is skipped where the client is absent.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.kubernetes.client.openapi.ApiClient")
public class ClusterFunctions {

    @Bean
    Topology topology(ClusterAdapters.AnalysisCluster cluster, TopologyFile declared, AwoooiProperties props, SecretStore secrets, ObjectMapper json) {
        List<TopologySource> optional = new ArrayList<>(List.of(declared));
        var t = props.topology();
        if (t.prometheus() != null && !t.prometheus().isBlank()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(t.prometheustimeout()).build();
            URI url = URI.create(t.prometheus());
            // built per analysis: the bearer token is read from the secrets when it is used
            optional.add(new TopologySource() {
                @Override
                public String name() {
                    return "Prometheus mesh metrics";
                }

                @Override
                public void contribute(ServiceGraph graph) {
                    new PrometheusMesh(http, url, secrets.current().prometheusToken(), t.prometheustimeout(), json, t.errorratio())
                            .contribute(graph);
                }
            });
        }
        return new Topology(cluster.topology(), optional);
    }

    @Bean
    Analyzer analyzer(Topology topology, TopologyFile declared, ClusterAdapters.AnalysisCluster cluster,
                      IncidentHistory history, Scope scope, AwoooiProperties props, SecretStore secrets, ObjectMapper json, Clock clock) {
        var a = props.analysis();
        CostModel costs = new CostModel(a.costperservicehourusd(), a.servicecosts()).withDefaults(declared.costPerHourUsd());
        Analyzer analyzer = new Analyzer(topology, new RiskMatrix(a.productionnamespaces(), a.wideblastradius()), new DryRun(cluster.dryRuns()),
                cluster.findings(), history, costs, scope, props.cluster().namespace(), a.maxdepth(), clock);
        var m = props.model();
        return !m.configured() ? analyzer
                : analyzer.withModel(new SecondOpinion(ModelAdapters.of(m, secrets, json), m.maxtokens(), new PrivacyShield()));
    }

    @Bean
    Triage triage(Analyzer analyzer, IncidentStore incidents, IncidentAlerts alerts, AuditLog audit, Clock clock) {
        return new Triage(analyzer, incidents, alerts, audit, clock);
    }


    @Bean
    Executor executor(IncidentStore incidents, DynamoClaims claims, Vault vault, Scope scope, KubernetesActions actions,
                      AuditLog audit, AwoooiProperties props, ObjectMapper json, Clock clock) {
        var x = props.execution();
        ClusterActuator actuator = x.mcpurl().isBlank() || x.mcpactions().isEmpty() ? actions
                : new McpActuator(new McpToolClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(x.mcptimeout()).build(), URI.create(x.mcpurl()),
                x.mcptimeout(), json), actions, x.mcpactions(), new PrivacyShield(), json);
        return new Executor(incidents, claims, vault, scope, actions, actuator, audit, clock, props.cluster().rollouttimeout());
    }

    @Bean
    FleetScans fleetScans(ClusterAdapters.ScanCluster cluster, ScanArchive archive, AwoooiProperties props, SecretStore secrets, ObjectMapper json, Clock clock) {
        var s = props.scans();
        UsageMetrics usage = null;
        RuleCatalog rules = null;
        if (!s.prometheus().isBlank()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            URI url;
            try {
                url = URI.create(s.prometheus().trim());
            } catch (IllegalArgumentException e) {
                // not the URL itself in the message: it may carry credentials
                throw new IllegalArgumentException("awoooi.scans.prometheus (ScanPrometheusUrl) is not a URL");
            }
            if (url.getUserInfo() != null) {
                throw new IllegalArgumentException("awoooi.scans.prometheus (ScanPrometheusUrl) carries credentials: a parameter is readable by "
                        + "whoever may describe the stack; put a bearer token in the cluster-read secret as prometheusToken");
            }
            new PrometheusClient(http, url, null, s.timeout(), json); // the URL and timeout are checked at the start
            // built per scan: the bearer token is read from the secrets when it is used
            Supplier<PrometheusUsage> prometheus = () -> new PrometheusUsage(
                    new PrometheusClient(http, url, secrets.current().prometheusToken(), s.timeout(), json), s.nodelabel());
            usage = new UsageMetrics() {
                @Override
                public Map<String, PodUsage> podUsage(Duration window) {
                    return prometheus.get().podUsage(window);
                }

                @Override
                public List<NodeLoad> nodeLoads() {
                    return prometheus.get().nodeLoads();
                }
            };
            rules = () -> prometheus.get().alertRules();
        }
        EksSettings eks = s.ekscluster().isBlank() ? null : new EksSettings(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(),
                ScanSettings.eksEndpoint(s),
                s.ekscluster(), ScanSettings.region(), DefaultCredentialsProvider.builder().build(), json, s.timeout());
        ComplianceSource evidence = () -> cluster.compliance().evidence(eks != null ? eks.read()
                : ComplianceEvidence.Known.unknown("not known to be an EKS cluster: set EksClusterName for its audit log and Secrets encryption"));
        return new FleetScans(cluster.fleet(), usage, rules, archive, clock, new FinOps(ScanSettings.policy(s), ScanSettings.prices(s)),
                new Capacity(ScanSettings.thresholds(s)), evidence, new Compliance(new Compliance.Policy(s.secretmaxage(),
                Compliance.Policy.DEFAULTS.certificateWarning(), Compliance.Policy.DEFAULTS.restoreWithin(), Compliance.Policy.DEFAULTS.reviewWithin())));
    }


    @Bean
    Function<SQSEvent, SQSBatchResponse> analyze(Triage triage, AwoooiProperties props, ObjectMapper json, Clock clock) {
        // The topology build and the dry runs: their client calls time out after 30 s (the cluster client's read timeout);
        // then the model's answer, if one is configured.
        Duration perMessage = Duration.ofSeconds(35).plus(props.model().configured() ? props.model().timeout() : Duration.ZERO);
        return event -> Batches.each("analyze", event, Batches.Deadline.of(clock, props.timeout(), perMessage),
                body -> triage.analyze(json.readValue(body, RedactedAlert.class)));
    }


    @Bean
    Function<SQSEvent, SQSBatchResponse> execute(Executor executor, AwoooiProperties props, ObjectMapper json, Clock clock) {
        // An apply, then waiting for the rollout (rollouttimeout), then a verification read.
        return event -> Batches.each("execute", event, Batches.Deadline.of(clock, props.timeout(),
                props.cluster().rollouttimeout().plusSeconds(45)), body -> {
            JsonNode detail = Functions.detail(json, body);
            String incidentId = detail.get("incidentId").asString();
            if (detail.path("settle").asBoolean(false)) {
                executor.settle(incidentId);
            } else {
                executor.execute(incidentId, detail.get("planHash").asString());
            }
        });
    }


    // ------------------------------------------------------------------ scheduled scans

    @Bean
    Function<Map<String, Object>, Map<String, Object>> finopsScan(FleetScans scans, ScanArchive archive, DomainEvents events) {
        return input -> scanned(scans.finops(), archive, events);
    }

    @Bean
    Function<Map<String, Object>, Map<String, Object>> capacityScan(FleetScans scans, ScanArchive archive, DomainEvents events) {
        return input -> scanned(scans.capacity(), archive, events);
    }

    @Bean
    Function<Map<String, Object>, Map<String, Object>> complianceScan(FleetScans scans, ScanArchive archive, DomainEvents events) {
        return input -> scanned(scans.compliance(), archive, events);
    }

    @Bean
    Function<Map<String, Object>, Map<String, Object>> assetScan(FleetScans scans, ScanArchive archive, DomainEvents events) {
        return input -> scanned(scans.assets(), archive, events);
    }

    private static Map<String, Object> scanned(ScanReport kept, ScanArchive archive, DomainEvents events) {
        archive.keep(kept);
        // what leaves the function (the event, its card, the answer) names nothing the Privacy Shield would hide
        ScanReport report = kept.masked(new dev.awoooi.privacy.PrivacyShield().pseudonymizer());
        Map<String, Long> bySeverity = report.findings().stream()
                .collect(Collectors.groupingBy(f -> f.severity(), java.util.TreeMap::new, Collectors.counting()));
        List<String> top = report.scan().equals("finops")
                ? report.findings().stream().filter(f -> f.recommendation() != null && f.monthlyCostUsd() > 0).limit(3)
                .map(f -> String.format(java.util.Locale.ROOT, "%s  −$%,.2f/mo%s", f.recommendation().title(), f.monthlyCostUsd(),
                        f.recommendation().risk() == null ? "" : "  " + f.recommendation().risk()))
                .toList()
                // the other scans: their violations, the worst first (a capacity node's reasons, not its every measure)
                : report.findings().stream().filter(f -> f.severity().equals("CRITICAL") || f.severity().equals("WARNING"))
                .filter(f -> !f.kind().equals("compliance-coverage"))
                .sorted(dev.awoooi.scan.Finding.WORST_FIRST)
                .limit(3).map(f -> f.severity() + " " + f.resource() + ": " + f.detail().split(" — ")[0]).toList();
        events.publish(new DomainEvent.ScanCompleted(report.scan(), report.at().toString(), report.findings().size(),
                report.monthlyWasteUsd(), bySeverity, report.figures(), top, report.notes()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scan", report.scan());
        summary.put("at", report.at().toString());
        summary.put("monthlyWasteUsd", report.monthlyWasteUsd());
        summary.put("figures", report.figures());
        summary.put("findings", report.findings().size());
        summary.put("bySeverity", bySeverity);
        summary.put("top", top);
        summary.put("notes", report.notes());
        return summary;
    }
}
