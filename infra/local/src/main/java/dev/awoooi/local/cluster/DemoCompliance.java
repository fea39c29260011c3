package dev.awoooi.local.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * What the compliance scan finds in the demo: Ingresses with a valid, an expiring and an expired certificate and one
 * without TLS; Velero with a restore test of production 12 days ago; Trivy Operator's reports (clean, high, critical);
 * admin bindings never reviewed, reviewed 120 days ago and reviewed 20 days ago. Each object is what the real
 * controller or operator would have written.
 */
final class DemoCompliance {
    static final String REVIEWED_AT = "awoooi.dev/reviewed-at";

    private DemoCompliance() {
    }

    static void seed(KubernetesClient client, String namespace) {
        tlsSecret(client, namespace, "frontend-tls", "shop.example.com", Duration.ofDays(30), Duration.ofDays(365));
        tlsSecret(client, namespace, "api-tls", "api.example.com", Duration.ofDays(80), Duration.ofDays(10));
        tlsSecret(client, namespace, "legacy-tls", "legacy.example.com", Duration.ofDays(400), Duration.ofDays(-5));
        ingress(client, namespace, "shop", "shop.example.com", "frontend-tls", "frontend", 8080);
        ingress(client, namespace, "api", "api.example.com", "api-tls", "product-api", 8080);
        ingress(client, namespace, "legacy", "legacy.example.com", "legacy-tls", "legacy-api", 8080);
        ingress(client, namespace, "reports", "reports.example.com", null, "report-worker", 8080);

        client.resource(new NamespaceBuilder().withNewMetadata().withName("velero").endMetadata().withNewStatus().withPhase("Active")
                .endStatus().build()).create();
        client.genericKubernetesResources("velero.io/v1", "Restore").inNamespace("velero").resource(restore("restore-test-production",
                namespace, ago(Duration.ofDays(12)))).create();

        // Trivy Operator scans a Deployment's pods through its ReplicaSet
        for (var rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
            String deployment = rs.getMetadata().getOwnerReferences().isEmpty() ? null : rs.getMetadata().getOwnerReferences().getFirst().getName();
            Map<String, Integer> counts = switch (deployment == null ? "" : deployment) {
                case "frontend" -> Map.of("critical", 0, "high", 0);
                case "product-api" -> Map.of("critical", 0, "high", 2);
                case "legacy-api" -> Map.of("critical", 3, "high", 7);
                default -> null;
            };
            if (counts != null) {
                client.genericKubernetesResources("aquasecurity.github.io/v1alpha1", "VulnerabilityReport").inNamespace(namespace)
                        .resource(vulnerabilityReport(namespace, rs.getMetadata().getName(), "app", counts.get("critical"), counts.get("high"))).create();
            }
            if ("product-api".equals(deployment)) {
                // one report per container: the sidecar's count too
                client.genericKubernetesResources("aquasecurity.github.io/v1alpha1", "VulnerabilityReport").inNamespace(namespace)
                        .resource(vulnerabilityReport(namespace, rs.getMetadata().getName(), "envoy", 0, 1)).create();
            }
        }

        client.resource(new RoleBindingBuilder().withNewMetadata().withName("legacy-deployer").withNamespace(namespace).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("admin").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("legacy-api").withNamespace(namespace).endSubject().build()).create();
        client.resource(new RoleBindingBuilder().withNewMetadata().withName("report-publisher").withNamespace(namespace)
                .addToAnnotations(REVIEWED_AT, ago(Duration.ofDays(120))).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("admin").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("report-worker").withNamespace(namespace).endSubject().build()).create();
        client.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("platform-admins")
                .addToAnnotations(REVIEWED_AT, ago(Duration.ofDays(20))).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin").endRoleRef()
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName("platform-team").endSubject().build()).create();
    }

    private static void ingress(KubernetesClient client, String namespace, String name, String host, String secret, String service, int port) {
        var spec = new IngressBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata().withNewSpec()
                .withIngressClassName("nginx");
        if (secret != null) {
            spec.addNewTl().withHosts(host).withSecretName(secret).endTl();
        }
        client.resource(spec.addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName(service).withNewPort().withNumber(port).endPort().endService().endBackend()
                .endPath().endHttp().endRule().endSpec().build()).create();
    }

    /** A kubernetes.io/tls Secret with a self-signed certificate valid from {@code issuedAgo} ago for {@code left} more (negative: expired). */
    private static void tlsSecret(KubernetesClient client, String namespace, String name, String host, Duration issuedAgo, Duration left) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X500Name subject = new X500Name("CN=" + host);
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(issuedAgo)), Date.from(now.plus(left)), subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            String crt = pem("CERTIFICATE", certificate.getEncoded());
            String key = pem("PRIVATE KEY", keys.getPrivate().getEncoded());
            String createdAt = ago(issuedAgo);
            client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).withCreationTimestamp(createdAt)
                    .addToAnnotations(DemoApiDispatcher.CREATED_AT, createdAt).endMetadata().withType("kubernetes.io/tls")
                    .addToData("tls.crt", base64(crt)).addToData("tls.key", base64(key)).build()).create();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the demo's certificate " + name, e);
        }
    }

    private static GenericKubernetesResource restore(String name, String namespace, String completedAt) {
        return new GenericKubernetesResourceBuilder().withApiVersion("velero.io/v1").withKind("Restore").withNewMetadata().withName(name)
                .withNamespace("velero").endMetadata()
                .addToAdditionalProperties("spec", Map.of("backupName", "production-daily", "includedNamespaces", List.of(namespace)))
                .addToAdditionalProperties("status", Map.of("phase", "Completed", "startTimestamp", completedAt, "completionTimestamp", completedAt,
                        "warnings", 0, "errors", 0))
                .build();
    }

    private static GenericKubernetesResource vulnerabilityReport(String namespace, String replicaSet, String container, int critical, int high) {
        return new GenericKubernetesResourceBuilder().withApiVersion("aquasecurity.github.io/v1alpha1").withKind("VulnerabilityReport")
                .withNewMetadata().withName("replicaset-" + replicaSet + "-" + container).withNamespace(namespace)
                .addToLabels("trivy-operator.resource.kind", "ReplicaSet").addToLabels("trivy-operator.resource.name", replicaSet)
                .addToLabels("trivy-operator.resource.namespace", namespace).addToLabels("trivy-operator.container.name", container).endMetadata()
                .addToAdditionalProperties("report", Map.of("updateTimestamp", ago(Duration.ofHours(6)),
                        "scanner", Map.of("name", "Trivy", "vendor", "Aqua Security", "version", "0.58.1"),
                        "summary", Map.of("criticalCount", critical, "highCount", high, "mediumCount", 4, "lowCount", 9, "unknownCount", 0),
                        "vulnerabilities", List.of()))
                .build();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String ago(Duration age) {
        return Instant.now().minus(age).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
