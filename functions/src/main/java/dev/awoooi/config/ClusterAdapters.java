package dev.awoooi.config;

import dev.awoooi.cluster.KubernetesActions;
import dev.awoooi.cluster.KubernetesCluster;
import dev.awoooi.cluster.KubernetesCompliance;
import dev.awoooi.cluster.KubernetesFindings;
import dev.awoooi.cluster.KubernetesTopology;
import dev.awoooi.privacy.PrivacyShield;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import org.springframework.aop.TargetSource;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;

/**
 * Wires the Kubernetes ports. Only the "cluster" deployment package carries the Kubernetes client; in the "core"
 * package this configuration is skipped (the condition is read from the class file, without loading the client).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.kubernetes.client.openapi.ApiClient")
public class ClusterAdapters {

    /**
     * One API client per cluster identity, each from its own kubeconfig: the scans', the analysis' and the executor's.
     * A function holds only its own identity's secret, so in Lambda only its client can be used; locally one context
     * holds all three, and each part of the product still talks to the cluster as its own identity.
     */
    private static ApiClient client(ClusterIdentity identity, AwoooiProperties props, SecretStore secrets) {
        ProxyFactory proxy = new ProxyFactory();
        proxy.setProxyTargetClass(true);
        proxy.setTargetSource(new CurrentClient(identity, props, secrets));
        return (ApiClient) proxy.getProxy(ApiClient.class.getClassLoader());
    }

    /** Primes client-java offline before a SnapStart snapshot (see {@link SnapStartHooks}). */
    @Bean
    Primer kubernetesPrimer() {
        return new KubernetesPrimer();
    }

    /** What the scans read, as awoooi-reader. */
    @Bean
    ScanCluster scanCluster(AwoooiProperties props, SecretStore secrets) {
        ApiClient reader = client(ClusterIdentity.READ, props, secrets);
        KubernetesCluster fleet = new KubernetesCluster(reader, props.cluster().namespace());
        return new ScanCluster(fleet, new KubernetesCompliance(reader, fleet, props.cluster().namespace()));
    }

    @Bean
    KubernetesCluster cluster(ScanCluster scans) {
        return scans.fleet();
    }

    /** The reader's views: the fleet's inventory and the compliance evidence. */
    public record ScanCluster(KubernetesCluster fleet, KubernetesCompliance compliance) {
    }

    /** The analysis' cluster, as awoooi-analyzer: the topology, the findings and the dry runs. */
    @Bean
    AnalysisCluster analysisCluster(AwoooiProperties props, SecretStore secrets, Clock clock) {
        ApiClient analyzer = client(ClusterIdentity.ANALYSIS, props, secrets);
        return new AnalysisCluster(new KubernetesTopology(analyzer, props.cluster().namespace(), clock),
                new KubernetesFindings(analyzer, new PrivacyShield()), new KubernetesActions(analyzer));
    }

    /** The executor's cluster, as awoooi-executor: the re-check, the mutation, the verification. */
    @Bean
    KubernetesActions clusterActions(AwoooiProperties props, SecretStore secrets) {
        return new KubernetesActions(client(ClusterIdentity.WRITE, props, secrets));
    }

    /**
     * Everything the analysis asks of the cluster, as one identity. {@code dryRuns} answers only dry runs and reads:
     * awoooi-analyzer's real writes are refused by the cluster's admission policy.
     */
    public record AnalysisCluster(KubernetesTopology topology, KubernetesFindings findings, KubernetesActions dryRuns) {
    }

    /** The client for one identity's current credentials: one per kubeconfig seen, rebuilt only when it changes. */
    static final class CurrentClient implements TargetSource {
        private final ClusterIdentity identity;
        private final AwoooiProperties props;
        private final SecretStore secrets;
        private String builtFor;
        private ApiClient client;

        CurrentClient(ClusterIdentity identity, AwoooiProperties props, SecretStore secrets) {
            this.identity = identity;
            this.props = props;
            this.secrets = secrets;
        }

        @Override
        public Class<?> getTargetClass() {
            return ApiClient.class;
        }

        @Override
        public boolean isStatic() {
            return false;
        }

        /**
         * Built from the identity's kubeconfig; without one, the standard discovery (KUBECONFIG, in-cluster), which is
         * one identity for everything. A configured URL replaces the server and keeps the credentials.
         */
        @Override
        public synchronized Object getTarget() {
            String kubeconfig = Objects.requireNonNullElse(secrets.current().kubeconfigs().of(identity), "");
            if (kubeconfig.isEmpty() && !props.secretsarns().isEmpty()) {
                // In AWS a missing identity is a wrong secret, never a reason to fall back to whatever credentials the
                // standard discovery finds.
                throw new IllegalStateException("this function holds no " + identity.secretField() + ": none of the secrets it is "
                        + "granted (AWOOOI_SECRETSARNS) has that field");
            }
            if (client == null || !kubeconfig.equals(builtFor)) {
                client = build(props.cluster().url(), kubeconfig);
                builtFor = kubeconfig;
            }
            return client;
        }

        @Override
        public void releaseTarget(Object target) {
        }

        private static ApiClient build(String url, String kubeconfig) {
            boolean fixedUrl = url != null && !url.isBlank();
            try {
                ApiClient client = !kubeconfig.isEmpty() ? ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig))).build()
                        : fixedUrl ? new ClientBuilder().setBasePath(url).build()
                        : ClientBuilder.standard().build();
                if (fixedUrl) {
                    client.setBasePath(url);
                }
                client.setReadTimeout(30_000);
                return client;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build the Kubernetes client", e);
            }
        }
    }
}
