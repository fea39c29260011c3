package dev.awoooi.config;

import dev.awoooi.cluster.KubernetesActions;
import dev.awoooi.cluster.KubernetesCluster;
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
     * The API client, built on its first call, not at start-up (a kubeconfig from the secret must not be frozen into
     * a SnapStart snapshot), and built again when the kubeconfig in the secret changes: a rotated credential takes
     * effect within the secrets' time to live. The demo or configured API server URL wins; without either, the
     * standard discovery (KUBECONFIG, in-cluster).
     */
    @Bean
    ApiClient kubernetes(AwoooiProperties props, SecretStore secrets) {
        ProxyFactory proxy = new ProxyFactory();
        proxy.setProxyTargetClass(true);
        proxy.setTargetSource(new CurrentClient(props, secrets));
        return (ApiClient) proxy.getProxy(ApiClient.class.getClassLoader());
    }

    /** Primes client-java offline before a SnapStart snapshot (see {@link SnapStartHooks}). */
    @Bean
    Primer kubernetesPrimer() {
        return new KubernetesPrimer();
    }

    @Bean
    KubernetesCluster cluster(ApiClient kubernetes, AwoooiProperties props) {
        return new KubernetesCluster(kubernetes, props.cluster().namespace());
    }

    @Bean
    KubernetesTopology clusterTopology(ApiClient kubernetes, AwoooiProperties props, Clock clock) {
        return new KubernetesTopology(kubernetes, props.cluster().namespace(), clock);
    }

    @Bean
    KubernetesActions clusterActions(ApiClient kubernetes) {
        return new KubernetesActions(kubernetes);
    }

    @Bean
    KubernetesFindings clusterFindings(ApiClient kubernetes) {
        return new KubernetesFindings(kubernetes, new PrivacyShield());
    }

    /** The client for the current credentials: one per kubeconfig seen, rebuilt only when it changes. */
    static final class CurrentClient implements TargetSource {
        private final AwoooiProperties props;
        private final SecretStore secrets;
        private String builtFor;
        private ApiClient client;

        CurrentClient(AwoooiProperties props, SecretStore secrets) {
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

        @Override
        public synchronized Object getTarget() {
            String url = props.cluster().url();
            boolean fixedUrl = url != null && !url.isBlank();
            String kubeconfig = fixedUrl ? "" : Objects.requireNonNullElse(secrets.current().kubeconfig(), "");
            if (client == null || !kubeconfig.equals(builtFor)) {
                client = build(url, fixedUrl, kubeconfig);
                builtFor = kubeconfig;
            }
            return client;
        }

        @Override
        public void releaseTarget(Object target) {
        }

        private static ApiClient build(String url, boolean fixedUrl, String kubeconfig) {
            try {
                ApiClient client = fixedUrl ? new ClientBuilder().setBasePath(url).build()
                        : !kubeconfig.isEmpty() ? ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig))).build()
                        : ClientBuilder.standard().build();
                client.setReadTimeout(30_000);
                return client;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build the Kubernetes client", e);
            }
        }
    }
}
