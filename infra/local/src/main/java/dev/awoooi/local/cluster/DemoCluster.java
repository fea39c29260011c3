package dev.awoooi.local.cluster;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo Kubernetes API server on 127.0.0.1 (plain HTTP) holding the demo topology. Any client, including the
 * official client-java, talks to {@link #url()} as to a real API server. Each ServiceAccount the RBAC manifest binds
 * has its own bearer token ({@link #kubeconfig(String)}), and its requests are authorized by that manifest's roles
 * and admission policies; a request without a token is the demo's operator, who may do anything.
 */
public final class DemoCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoCluster.class);
    private static final Path RBAC_MANIFEST = Path.of("infra", "kubernetes", "rbac.yaml");
    // MockWebServer logs every request at INFO through java.util.logging, drowning the product's own logs.
    // Held in a field because java.util.logging forgets the level of loggers nobody references.
    private static final java.util.logging.Logger REQUEST_LOG = quiet(MockWebServer.class.getName());

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final RolloutController rollouts;
    private final Map<String, String> tokenByIdentity;

    private DemoCluster(KubernetesMockServer server, Map<String, String> tokenByIdentity, String operatorToken) {
        this.server = server;
        this.tokenByIdentity = tokenByIdentity;
        // the mock's own client, with the operator's token instead of the mock's fixed one
        try (KubernetesClient mock = server.createClient()) {
            this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(mock.getConfiguration())
                    .withOauthToken(operatorToken).build()).build();
        }
        this.rollouts = new RolloutController(client);
    }

    /**
     * Starts the server on an ephemeral port and seeds it.
     *
     * @param rbacManifest the RBAC manifest that SelfSubjectAccessReviews are decided by; {@code null} looks for
     *     {@code infra/kubernetes/rbac.yaml} in the working directory and its parents
     */
    public static DemoCluster start(Path rbacManifest) {
        Path manifest = rbacManifest != null ? rbacManifest : findManifest();
        RbacPolicy rbac = RbacPolicy.load(manifest);
        Map<String, String> tokenByIdentity = new TreeMap<>();
        Map<String, String> identityByToken = new HashMap<>();
        for (String identity : rbac.identities()) {
            String token = randomToken();
            tokenByIdentity.put(identity, token);
            identityByToken.put(token, identity);
        }
        String operatorToken = randomToken();
        identityByToken.put(operatorToken, DemoApiDispatcher.OPERATOR);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new DemoApiDispatcher(rbac, AdmissionPolicies.load(manifest), identityByToken), false);
        server.init(loopback(), 0);
        DemoCluster cluster = new DemoCluster(server, Map.copyOf(tokenByIdentity), operatorToken);
        try {
            DemoTopology.seed(cluster.client, cluster.rollouts, manifest);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        cluster.rollouts.start();
        log.info("demo Kubernetes API serving {} (RBAC from {})", cluster.url(), manifest);
        return cluster;
    }

    /** Base URL without trailing slash, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /**
     * A kubeconfig that authenticates as one of the manifest's ServiceAccounts in namespace {@code awoooi}, e.g.
     * {@code awoooi-analyzer}: what the operator would put in that identity's Secrets Manager secret.
     */
    public String kubeconfig(String serviceAccount) {
        String token = token(serviceAccount);
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: awoooi-demo
                  cluster: {server: "%s"}
                users:
                - name: %s
                  user: {token: "%s"}
                contexts:
                - name: %s
                  context: {cluster: awoooi-demo, user: %s, namespace: %s}
                current-context: %s
                """.formatted(url(), serviceAccount, token, serviceAccount, serviceAccount, DemoTopology.NAMESPACE, serviceAccount);
    }

    /** The bearer token of one of the manifest's ServiceAccounts in namespace {@code awoooi}. */
    public String token(String serviceAccount) {
        String token = tokenByIdentity.get(RbacPolicy.serviceAccount("awoooi", serviceAccount));
        if (token == null) {
            throw new IllegalArgumentException("the RBAC manifest binds nothing to awoooi/" + serviceAccount
                    + "; it binds " + tokenByIdentity.keySet());
        }
        return token;
    }

    /** Adds a plain one-replica Deployment per name to the demo's namespace, rolled out and ready. */
    public void addServices(java.util.List<String> names) {
        java.util.Random random = new java.util.Random(names.hashCode());
        names.forEach(name -> DemoTopology.addService(client, rollouts, name, random));
    }

    /** What each pod of the demo uses, as {@link dev.awoooi.local.metrics.UsageHistory#demo} has it. */
    public java.util.List<dev.awoooi.local.metrics.UsageHistory.Profile> usageProfiles() {
        java.util.List<dev.awoooi.local.metrics.UsageHistory.Profile> out = new java.util.ArrayList<>();
        for (var pod : client.pods().inAnyNamespace().list().getItems()) {
            var containers = pod.getSpec().getContainers();
            double cpu = 0;
            double memory = 0;
            for (var c : containers) {
                var requests = c.getResources() == null || c.getResources().getRequests() == null ? java.util.Map.<String, io.fabric8.kubernetes.api.model.Quantity>of()
                        : c.getResources().getRequests();
                cpu += requests.containsKey("cpu") ? io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(requests.get("cpu")).doubleValue() : 0;
                memory += requests.containsKey("memory") ? io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(requests.get("memory")).doubleValue() : 0;
            }
            var labels = pod.getMetadata().getLabels() == null ? java.util.Map.<String, String>of() : pod.getMetadata().getLabels();
            out.add(dev.awoooi.local.metrics.UsageHistory.demo(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    containers.get(0).getName(), labels.getOrDefault("app", labels.get("k8s-app")), cpu, memory));
        }
        return out;
    }

    /** Puts the demo back into its incident: postgres-db crash-looping again, so the tracer bullet can run again. */
    public void breakDatabase() {
        DemoTopology.crashLoop(client);
        RolloutController.refreshBudgets(client, DemoTopology.NAMESPACE);
    }

    @Override
    public void close() {
        rollouts.close();
        client.close();
        server.destroy();
    }

    private static String randomToken() {
        byte[] token = new byte[24];
        RANDOM.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    private static Path findManifest() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(RBAC_MANIFEST))) {
                return dir.resolve(RBAC_MANIFEST);
            }
        }
        throw new IllegalStateException("no " + RBAC_MANIFEST + " in the working directory or its parents");
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static InetAddress loopback() {
        try {
            // Explicitly IPv4: url() promises 127.0.0.1 even where localhost resolves to ::1 first.
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
