package dev.awoooi.scan;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the compliance scan judges, gathered read-only from the cluster and its cloud. Each source is {@link Known}: its
 * value, or why it could not be read (not installed, not permitted, not configured), so a dimension is "unknown" only
 * where its source is absent and says why.
 */
public record ComplianceEvidence(List<Asset> assets, Known<Map<String, Instant>> secretsCreated, Known<List<Certificate>> certificates,
                                 Known<List<Vulnerabilities>> vulnerabilities, Known<List<Restore>> restores,
                                 Known<List<AdminBinding>> adminBindings, Known<Map<String, Boolean>> storageClassesEncrypted,
                                 Known<ClusterSettings> cluster) {

    /** A source's value, or why there is none. */
    public record Known<T>(T value, String unknownBecause) {
        public static <T> Known<T> of(T value) {
            return new Known<>(value, null);
        }

        public static <T> Known<T> unknown(String because) {
            return new Known<>(null, because);
        }

        public boolean known() {
            return unknownBecause == null;
        }
    }

    /**
     * A workload as compliance sees it: the ServiceAccount it runs as, the Secrets it reads (env, envFrom, volumes),
     * the Services that select it, the storage classes of its claims ({@code null} for a claim without one).
     */
    public record Asset(String namespace, String kind, String name, String serviceAccount, Set<String> secrets, Set<String> services,
                        List<String> storageClasses) {
        public String id() {
            return kind.toLowerCase(java.util.Locale.ROOT) + "/" + namespace + "/" + name;
        }

        public boolean stateful() {
            return !storageClasses.isEmpty();
        }
    }

    /**
     * One TLS entry of an Ingress, or one of its routes served without TLS ({@code secret} null): the Services it
     * routes to and the certificate's end of validity ({@code notAfter} null with {@code problem} when it could not be
     * read or parsed).
     */
    public record Certificate(String namespace, String ingress, Set<String> services, String secret, Instant notAfter, String problem) {
    }

    /** A Trivy Operator VulnerabilityReport's summary for one workload. */
    public record Vulnerabilities(String namespace, String kind, String name, int critical, int high, Instant updatedAt) {
    }

    /** A Velero Restore: the namespaces it restored (empty: all), its phase, when it completed. */
    public record Restore(String name, Set<String> namespaces, String phase, Instant completedAt) {
    }

    /**
     * A binding to {@code cluster-admin} or {@code admin}: the ServiceAccounts it names ({@code namespace/name}), and when
     * it was last reviewed (the {@code awoooi.dev/reviewed-at} annotation; null when never).
     */
    public record AdminBinding(String binding, String role, Set<String> serviceAccounts, Instant reviewedAt) {
    }

    /** The managed cluster's settings (EKS): which control-plane log types are on, and whether Secrets are envelope-encrypted. */
    public record ClusterSettings(Set<String> logTypes, boolean secretsEncrypted) {
    }
}
