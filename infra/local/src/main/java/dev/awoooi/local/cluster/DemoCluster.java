package dev.awoooi.local.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo Kubernetes API server on 127.0.0.1 (plain HTTP, no authentication) holding the demo topology. Any
 * client, including the official client-java, talks to {@link #url()} as to a real API server.
 */
public final class DemoCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoCluster.class);
    private static final Path RBAC_MANIFEST = Path.of("infra", "kubernetes", "rbac.yaml");
    // MockWebServer logs every request at INFO through java.util.logging, drowning the product's own logs.
    // Held in a field because java.util.logging forgets the level of loggers nobody references.
    private static final java.util.logging.Logger REQUEST_LOG = quiet(MockWebServer.class.getName());

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final RolloutController rollouts;

    private DemoCluster(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
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
        KubernetesMockServer server = new KubernetesMockServer(new Context(),
                new MockWebServer(), new HashMap<>(), new DemoApiDispatcher(RbacPolicy.load(manifest)), false);
        server.init(loopback(), 0);
        DemoCluster cluster = new DemoCluster(server);
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

    /** Adds a plain one-replica Deployment per name to the demo's namespace, rolled out and ready. */
    public void addServices(java.util.List<String> names) {
        java.util.Random random = new java.util.Random(names.hashCode());
        names.forEach(name -> DemoTopology.addService(client, rollouts, name, random));
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
