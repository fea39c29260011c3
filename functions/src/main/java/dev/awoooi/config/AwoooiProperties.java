package dev.awoooi.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the functions are configured with. In AWS the template sets AWOOOI_* environment variables (relaxed
 * binding maps AWOOOI_TABLES_INCIDENTS to tables.incidents); secrets come from Secrets Manager, never from here.
 * Locally the runner supplies the same names plus local endpoints and generated secrets. {@code timeout} is the
 * function's own Lambda timeout (the template sets AWOOOI_TIMEOUT beside every Timeout, a test holds them equal):
 * claims taken in progress expire then, and a batch stops taking messages before it.
 */
@ConfigurationProperties("awoooi")
public record AwoooiProperties(
        Tables tables,
        Queues queues,
        String eventbus,
        java.util.List<String> secretsarns,
        @DefaultValue("5m") java.time.Duration secretsttl,
        @DefaultValue("30s") java.time.Duration timeout,
        String kmskeyid,
        String publicbaseurl,
        Chat chat,
        @DefaultValue Mail mail,
        @DefaultValue Slack slack,
        @DefaultValue Telegram telegram,
        @DefaultValue Discord discord,
        @DefaultValue Oidc oidc,
        @DefaultValue Cluster cluster,
        @DefaultValue ScopeSettings scope,
        Endpoints endpoints,
        String webhooktoken,
        String readertoken,
        String linksecret,
        String blindsecret,
        String notifysecret,
        String sealkey,
        String grafanahmacsecret,
        String mcptokens,
        @DefaultValue Analysis analysis,
        @DefaultValue Topology topology,
        @DefaultValue Intake intake,
        @DefaultValue Reconcile reconcile,
        @DefaultValue Trust trust,
        @DefaultValue Model model,
        @DefaultValue Execution execution,
        @DefaultValue Scans scans,
        java.util.List<String> deadletters) {

    public AwoooiProperties {
        deadletters = deadletters == null ? java.util.List.of() : java.util.List.copyOf(deadletters);
        secretsarns = secretsarns == null ? java.util.List.of()
                : secretsarns.stream().map(String::trim).filter(arn -> !arn.isEmpty()).toList();
    }

    public record Tables(String incidents, String alerts, String trust, String vault, String audit, String scans, String idempotency, String payloads,
                         String approvers) {
    }

    public record Queues(String redact, String analyze, String execute) {
    }

    /**
     * {@code webhookurl} the signed generic webhook (empty: none); {@code routing} which channel takes which incidents'
     * cards, e.g. {@code slack=HIGH; telegram=LOW:production,payments} (see {@code ChatRoute.parse}; empty: all of them).
     */
    public record Chat(String webhookurl, @DefaultValue("") String routing) {
    }

    /**
     * E-mail for personal links: {@code from} the sender (empty: no e-mail); {@code smtp} "host:port" of an SMTP server
     * (the local stack's mail catcher), else Amazon SES.
     */
    /**
     * Slack: {@code channel} the id cards are posted to (empty: no Slack), {@code api} the Web API's base URL. The
     * signing secret and bot token are secrets (ChatSecretArn); set here only by the local stack and tests.
     */
    public record Slack(@DefaultValue("") String channel, @DefaultValue("https://slack.com/api") String api,
                        String signingsecret, String bottoken) {
    }

    /**
     * Telegram: {@code chat} the chat id cards are sent to (empty: no Telegram), {@code api} the Bot API's base URL. The
     * bot token and the webhook's secret token are secrets (ChatSecretArn); set here only by the local stack and tests.
     */
    public record Telegram(@DefaultValue("") String chat, @DefaultValue("https://api.telegram.org") String api,
                           String bottoken, String webhooksecret) {
    }

    /**
     * Discord: {@code channel} the channel id cards are posted to (empty: no Discord), {@code api} the REST API's base
     * URL. The application's public key and the bot token come from ChatSecretArn; set here only locally.
     */
    public record Discord(@DefaultValue("") String channel, @DefaultValue("https://discord.com/api/v10") String api,
                          String publickey, String bottoken) {
    }

    /**
     * Sign-in for CRITICAL signatures: {@code issuer} the OpenID Connect provider (empty: none, and CRITICAL requests
     * cannot be signed), {@code clientid} the approval page's client there. The client secret is a secret
     * (SignInSecretArn's oidcClientSecret); set here only by the local stack and tests.
     */
    public record Oidc(@DefaultValue("") String issuer, @DefaultValue("") String clientid, String clientsecret) {
        public boolean configured() {
            return !issuer.isBlank();
        }
    }

    public record Mail(@DefaultValue("") String from, @DefaultValue("") String smtp) {
    }

    /**
     * The cluster. {@code url}, when set, replaces the server of every kubeconfig (a proxy, the demo). The three
     * kubeconfigs are secrets, set here only by the local stack and tests; in AWS they come from Secrets Manager.
     */
    public record Cluster(@DefaultValue("default") String name, String url, @DefaultValue("production") String namespace, @DefaultValue("60s") java.time.Duration rollouttimeout,
                          String readkubeconfig, String analysiskubeconfig, String writekubeconfig) {
    }

    /**
     * Where AWOOOI may act (see {@link dev.awoooi.action.Scope}).
     *
     * @param namespaces the managed namespaces; none configured means the cluster's namespace alone
     * @param nodes      whether cordon and drain may act on nodes
     */
    public record ScopeSettings(java.util.Set<String> namespaces, @DefaultValue("false") boolean nodes) {
        public dev.awoooi.action.Scope of(Cluster cluster) {
            java.util.Set<String> named = namespaces == null ? java.util.Set.of()
                    : namespaces.stream().map(String::trim).filter(n -> !n.isEmpty()).collect(java.util.stream.Collectors.toSet());
            return new dev.awoooi.action.Scope(named.isEmpty() ? java.util.Set.of(cluster.namespace()) : named, nodes);
        }
    }

    public record Endpoints(String dynamodb, String sqs, String eventbridge, String kms, String secretsmanager, String ses) {
    }

    /**
     * Progressive autonomy ({@link dev.awoooi.trust.TrustPolicy}): the scores that lower signatures, the brakes on
     * unsigned runs, how fast unused trust decays, and how soon a repeat of the alert makes a fix ineffective.
     */
    public record Trust(@DefaultValue("5") int mediumunsigned, @DefaultValue("10") int highonesignature,
                        @DefaultValue("3") int perpatternhour, @DefaultValue("10") int perclusterhour,
                        @DefaultValue("30d") java.time.Duration halflife, @DefaultValue("30m") java.time.Duration refirewindow) {
        public dev.awoooi.trust.TrustPolicy.Thresholds thresholds() {
            return new dev.awoooi.trust.TrustPolicy.Thresholds(mediumunsigned, highonesignature, perpatternhour, perclusterhour, halflife, refirewindow);
        }
    }

    /** How long an incident may stand still before the reconciler acts (see {@code Reconciler.Bounds}). */
    public record Reconcile(@DefaultValue("5m") java.time.Duration redrive, @DefaultValue("15m") java.time.Duration analysis,
                            @DefaultValue("5m") java.time.Duration execution, @DefaultValue("30m") java.time.Duration giveup,
                            @DefaultValue("7d") java.time.Duration investigation) {
    }

    /**
     * Alerts of one group or service within {@code groupingwindow} of the incident's last alert join it; a repeat of
     * an open investigation's alert tells people again at most once per {@code renotify}.
     */
    public record Intake(@DefaultValue("15m") java.time.Duration groupingwindow, @DefaultValue("1h") java.time.Duration renotify) {
    }

    /**
     * @param costperservicehourusd what an hour of a service being down costs when nothing more specific is known
     * @param servicecosts          per service (by name): lost revenue or SLA penalty per hour; the topology file's
     *                              {@code costPerHourUsd} fills in services not named here
     */
    public record Analysis(@DefaultValue("3") int maxdepth, @DefaultValue("600") double costperservicehourusd,
                           java.util.Map<String, Double> servicecosts,
                           @DefaultValue({"production", "prod"}) java.util.Set<String> productionnamespaces,
                           @DefaultValue("6") int wideblastradius) {
        public Analysis {
            servicecosts = servicecosts == null ? java.util.Map.of() : java.util.Map.copyOf(servicecosts);
        }
    }

    /**
     * How execute acts: through the Kubernetes API, and, for the actions named in {@code mcpactions}, through the tools
     * of a kubernetes-mcp-server at {@code mcpurl} (its streamable HTTP endpoint, e.g. {@code http://10.0.0.5:8080/mcp});
     * none when blank. Only actions a tool performs faithfully may be named (see {@code McpActuator.FAITHFUL}).
     */
    public record Execution(@DefaultValue("") String mcpurl, java.util.Set<String> mcpactions, @DefaultValue("30s") java.time.Duration mcptimeout) {
        public Execution {
            mcpactions = mcpactions == null ? java.util.Set.of() : mcpactions.stream().map(String::trim).filter(a -> !a.isEmpty())
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    /**
     * The language model analyze asks for a second opinion (off unless {@code provider} is set).
     *
     * @param provider  none, openai (any Chat Completions API: OpenAI, Ollama's /v1, vLLM, LM Studio), anthropic or bedrock
     * @param endpoint  the API's base URL; blank for the provider's own (OpenAI's, Anthropic's, Bedrock's in the region)
     * @param name      the model's name or Bedrock model id
     * @param region    Bedrock's region; blank for the function's own
     * @param timeout   how long one answer may take; the analysis goes on without it after that
     * @param maxtokens the answer's token limit
     * @param inputusdpermillion  the price of a million input tokens, for the cost per incident
     * @param outputusdpermillion the price of a million output tokens
     * @param apikey    the key, set here only by the local stack and tests (ModelSecretArn's modelApiKey in AWS)
     */
    public record Model(@DefaultValue("none") String provider, @DefaultValue("") String endpoint, @DefaultValue("") String name,
                        @DefaultValue("") String region, @DefaultValue("15s") java.time.Duration timeout,
                        @DefaultValue("1024") int maxtokens, @DefaultValue("0") double inputusdpermillion,
                        @DefaultValue("0") double outputusdpermillion, String apikey) {
        public boolean configured() {
            return !"none".equals(provider) && !provider.isBlank();
        }
    }

    /**
     * Topology sources besides the cluster.
     *
     * @param file       the declared topology (YAML): a path, or {@code classpath:…}; none when blank
     * @param prometheus base URL of a Prometheus whose service-mesh metrics show observed traffic; none when blank
     */
    public record Topology(String file, String prometheus, @DefaultValue("0.05") double errorratio,
                           @DefaultValue("5s") java.time.Duration prometheustimeout) {
    }

    /**
     * The scheduled scans.
     *
     * @param prometheus  base URL of the Prometheus holding cAdvisor's container series and node_exporter's host series;
     *                    none when blank (FinOps then judges volumes only, capacity says it cannot see)
     * @param timeout     for one query (the FinOps ones reduce a week of samples inside Prometheus)
     * @param nodelabel   the label naming a host in node_exporter's series
     * @param window      the usage window FinOps reads (p95 and max)
     * @param orphanedfor how long a volume stays unmounted before its deletion is proposed
     * @param zombiefor   how long a pod stays under {@code zombiecpu} of its CPU request to be a zombie
     * @param safety      the safety buffer: what a workload needs is its p95 use times this
     * @param storageprices  $/GiB-month by volume type over the defaults: {@code gp3=0.08,gp2=0.10}
     * @param instanceprices instance types over the defaults, {@code type=$/hour/vCPU/GiB}: {@code m6i.xlarge=0.192/4/16}
     * @param cpu         capacity thresholds (shares) warning/critical of CPU busy, memory used, disk fill; days until full
     * @param ekscluster  the EKS cluster's name, for compliance's audit log and Secrets encryption; blank when not EKS
     * @param eksendpoint the EKS API's base URL; blank: AWS_ENDPOINT_URL_EKS, else AWS_ENDPOINT_URL, else the region's own
     */
    public record Scans(@DefaultValue("") String prometheus, @DefaultValue("30s") java.time.Duration timeout,
                        @DefaultValue("instance") String nodelabel, @DefaultValue("7d") java.time.Duration window,
                        @DefaultValue("7d") java.time.Duration orphanedfor, @DefaultValue("7d") java.time.Duration zombiefor,
                        @DefaultValue("0.01") double zombiecpu, @DefaultValue("1.2") double safety,
                        @DefaultValue("") String storageprices, @DefaultValue("") String instanceprices,
                        @DefaultValue("0.6/0.8") String cpu, @DefaultValue("0.7/0.85") String memory,
                        @DefaultValue("0.8/0.9") String disk, @DefaultValue("30/7") String fulldays,
                        @DefaultValue("90d") java.time.Duration secretmaxage, @DefaultValue("") String ekscluster,
                        @DefaultValue("") String eksendpoint) {
    }
}
