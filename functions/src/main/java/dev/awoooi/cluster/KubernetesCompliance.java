package dev.awoooi.cluster;

import dev.awoooi.scan.ComplianceEvidence;
import dev.awoooi.scan.ComplianceEvidence.Known;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.apis.NetworkingV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.RbacV1Subject;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the compliance scan reads from Kubernetes, read-only, as the reader identity: the workloads of the scope's
 * namespace as assets; Secrets' ages (metadata only); Ingresses and their TLS Secrets' certificates (each Secret read
 * by name only where {@code awoooi-tls-reader} grants it, the certificate parsed, the key never kept); Trivy Operator's
 * VulnerabilityReports and Velero's Restores where their APIs are served; bindings to {@code admin} and
 * {@code cluster-admin}; storage classes' encryption. A source that cannot be read is unknown with why, never an error
 * that loses the others.
 */
public final class KubernetesCompliance {
    static final String REVIEWED_AT = "awoooi.dev/reviewed-at";
    private static final Set<String> ADMIN_ROLES = Set.of("admin", "cluster-admin");

    private final ApiClient client;
    private final KubernetesCluster fleet;
    private final String namespace;
    private final AppsV1Api apps;
    private final CoreV1Api core;

    public KubernetesCompliance(ApiClient client, KubernetesCluster fleet, String namespace) {
        this.client = client;
        this.fleet = fleet;
        this.namespace = namespace;
        this.apps = new AppsV1Api(client);
        this.core = new CoreV1Api(client);
    }

    /** @param cluster the managed cluster's settings, or why they are unknown */
    public ComplianceEvidence evidence(Known<ComplianceEvidence.ClusterSettings> cluster) {
        Map<String, String> claimClasses = new HashMap<>();
        try {
            for (var pvc : core.listNamespacedPersistentVolumeClaim(namespace).execute().getItems()) {
                claimClasses.put(pvc.getMetadata().getName(), pvc.getSpec().getStorageClassName());
            }
        } catch (ApiException e) {
            throw new IllegalStateException("Kubernetes API: list claims failed with HTTP " + e.getCode(), e);
        }
        Map<String, Boolean> encrypted = new TreeMap<>();
        String defaultClass = null;
        for (var sc : fleet.storageClasses()) {
            encrypted.put(sc.name(), sc.encrypted());
            defaultClass = sc.isDefault() ? sc.name() : defaultClass;
        }
        List<ComplianceEvidence.Asset> assets = assets(claimClasses, defaultClass);
        return new ComplianceEvidence(assets, secretAges(), certificates(), vulnerabilities(assets), restores(), adminBindings(),
                Known.of(encrypted), cluster);
    }

    // ------------------------------------------------------------------ assets

    private List<ComplianceEvidence.Asset> assets(Map<String, String> claimClasses, String defaultClass) {
        try {
            var services = core.listNamespacedService(namespace).execute().getItems();
            List<ComplianceEvidence.Asset> out = new ArrayList<>();
            for (var d : apps.listNamespacedDeployment(namespace).execute().getItems()) {
                V1PodSpec spec = d.getSpec().getTemplate().getSpec();
                List<String> classes = new ArrayList<>();
                if (spec.getVolumes() != null) {
                    spec.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                            .forEach(v -> classes.add(orDefault(claimClasses.get(v.getPersistentVolumeClaim().getClaimName()), defaultClass)));
                }
                out.add(asset("Deployment", d.getMetadata(), d.getSpec().getTemplate().getMetadata(), spec, services, classes));
            }
            for (var s : apps.listNamespacedStatefulSet(namespace).execute().getItems()) {
                List<String> classes = new ArrayList<>();
                if (s.getSpec().getVolumeClaimTemplates() != null) {
                    for (var template : s.getSpec().getVolumeClaimTemplates()) {
                        String claim = template.getMetadata().getName() + "-" + s.getMetadata().getName() + "-0";
                        classes.add(orDefault(claimClasses.containsKey(claim) ? claimClasses.get(claim) : template.getSpec().getStorageClassName(), defaultClass));
                    }
                }
                out.add(asset("StatefulSet", s.getMetadata(), s.getSpec().getTemplate().getMetadata(), s.getSpec().getTemplate().getSpec(), services, classes));
            }
            return out;
        } catch (ApiException e) {
            throw new IllegalStateException("Kubernetes API: list workloads and services failed with HTTP " + e.getCode(), e);
        }
    }

    private static ComplianceEvidence.Asset asset(String kind, V1ObjectMeta meta, V1ObjectMeta podMeta, V1PodSpec spec,
            List<io.kubernetes.client.openapi.models.V1Service> services, List<String> classes) {
        Set<String> secrets = new TreeSet<>();
        List<V1Container> containers = new ArrayList<>(spec.getContainers());
        if (spec.getInitContainers() != null) {
            containers.addAll(spec.getInitContainers());
        }
        for (V1Container c : containers) {
            if (c.getEnv() != null) {
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e -> secrets.add(e.getValueFrom().getSecretKeyRef().getName()));
            }
            if (c.getEnvFrom() != null) {
                c.getEnvFrom().stream().filter(e -> e.getSecretRef() != null).forEach(e -> secrets.add(e.getSecretRef().getName()));
            }
        }
        if (spec.getVolumes() != null) {
            spec.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> secrets.add(v.getSecret().getSecretName()));
            // a projected volume gathers Secrets too
            spec.getVolumes().stream().filter(v -> v.getProjected() != null && v.getProjected().getSources() != null)
                    .flatMap(v -> v.getProjected().getSources().stream()).filter(source -> source.getSecret() != null)
                    .forEach(source -> secrets.add(source.getSecret().getName()));
        }
        Map<String, String> labels = podMeta == null || podMeta.getLabels() == null ? Map.of() : podMeta.getLabels();
        Set<String> selecting = new TreeSet<>();
        for (var service : services) {
            var selector = service.getSpec() == null ? null : service.getSpec().getSelector();
            if (selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet())) {
                selecting.add(service.getMetadata().getName());
            }
        }
        String account = spec.getServiceAccountName() == null || spec.getServiceAccountName().isBlank() ? "default" : spec.getServiceAccountName();
        return new ComplianceEvidence.Asset(meta.getNamespace(), kind, meta.getName(), account, secrets, selecting, classes);
    }

    private static String orDefault(String storageClass, String defaultClass) {
        return storageClass == null ? defaultClass : storageClass;
    }

    // ------------------------------------------------------------------ sources

    private Known<Map<String, Instant>> secretAges() {
        try {
            Map<String, Instant> out = new HashMap<>();
            fleet.secrets().forEach(s -> out.put(s.namespace() + "/" + s.name(), s.createdAt()));
            return Known.of(out);
        } catch (RuntimeException e) {
            return Known.unknown("Secrets' ages could not be read (" + e.getMessage() + ")");
        }
    }

    private Known<List<ComplianceEvidence.Certificate>> certificates() {
        List<ComplianceEvidence.Certificate> out = new ArrayList<>();
        try {
            for (var ingress : new NetworkingV1Api(client).listNamespacedIngress(namespace).execute().getItems()) {
                var spec = ingress.getSpec();
                Set<String> backends = new LinkedHashSet<>();
                if (spec.getDefaultBackend() != null && spec.getDefaultBackend().getService() != null) {
                    backends.add(spec.getDefaultBackend().getService().getName());
                }
                if (spec.getRules() != null) {
                    spec.getRules().stream().filter(r -> r.getHttp() != null).flatMap(r -> r.getHttp().getPaths().stream())
                            .filter(p -> p.getBackend() != null && p.getBackend().getService() != null)
                            .forEach(p -> backends.add(p.getBackend().getService().getName()));
                }
                String name = ingress.getMetadata().getName();
                if (spec.getTls() == null || spec.getTls().isEmpty()) {
                    out.add(new ComplianceEvidence.Certificate(namespace, name, backends, null, null, "no TLS"));
                    continue;
                }
                for (var tls : spec.getTls()) {
                    out.add(certificate(name, backends, tls.getSecretName()));
                }
            }
            return Known.of(out);
        } catch (ApiException e) {
            return Known.unknown("Ingresses could not be listed (HTTP " + e.getCode() + ")");
        }
    }

    /** The certificate's end of validity; the Secret's key is in the answer, and goes out of scope with it. */
    private ComplianceEvidence.Certificate certificate(String ingress, Set<String> backends, String secret) {
        if (secret == null || secret.isBlank()) {
            return new ComplianceEvidence.Certificate(namespace, ingress, backends, "(none named)", null, "names no Secret (the controller's default certificate)");
        }
        try {
            var data = core.readNamespacedSecret(secret, namespace).execute().getData();
            byte[] pem = data == null ? null : data.get("tls.crt");
            if (pem == null) {
                return new ComplianceEvidence.Certificate(namespace, ingress, backends, secret, null, "holds no tls.crt");
            }
            var certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            // the leaf comes first in a chain
            X509Certificate leaf = (X509Certificate) certificates.iterator().next();
            return new ComplianceEvidence.Certificate(namespace, ingress, backends, secret, leaf.getNotAfter().toInstant(), null);
        } catch (ApiException e) {
            String why = e.getCode() == 403 ? "could not be read (HTTP 403: name it in the awoooi-tls-reader Role)"
                    : e.getCode() == 404 ? "does not exist" : "could not be read (HTTP " + e.getCode() + ")";
            return new ComplianceEvidence.Certificate(namespace, ingress, backends, secret, null, why);
        } catch (CertificateException | java.util.NoSuchElementException | ClassCastException e) {
            return new ComplianceEvidence.Certificate(namespace, ingress, backends, secret, null, "holds no X.509 certificate that parses");
        }
    }

    private Known<List<ComplianceEvidence.Vulnerabilities>> vulnerabilities(List<ComplianceEvidence.Asset> assets) {
        String gv = "aquasecurity.github.io/v1alpha1";
        Boolean served = served(gv, "vulnerabilityreports");
        if (served == null || !served) {
            return Known.unknown(served == null ? "the API server's discovery could not be read for " + gv
                    : "Trivy Operator is not installed (the API server serves no " + gv + " vulnerabilityreports)");
        }
        try {
            Object list = new CustomObjectsApi(client).listNamespacedCustomObject("aquasecurity.github.io", "v1alpha1", namespace,
                    "vulnerabilityreports").execute();
            // Trivy writes one report per container, and per ReplicaSet a Deployment ever had: a workload's verdict is the
            // sum over the containers of its newest ReplicaSet (or of the workload itself)
            record Scanned(String namespace, String kind, String name, String replicaSet, int critical, int high, Instant updatedAt) {
            }
            List<Scanned> scanned = new ArrayList<>();
            for (Map<String, Object> item : items(list)) {
                Map<String, Object> meta = map(item.get("metadata"));
                Map<String, Object> labels = map(meta.get("labels"));
                String kind = String.valueOf(labels.get("trivy-operator.resource.kind"));
                String name = String.valueOf(labels.get("trivy-operator.resource.name"));
                String replicaSet = null;
                if ("ReplicaSet".equals(kind)) {
                    // a Deployment's pods are scanned through its ReplicaSet, named <deployment>-<pod-template-hash>
                    for (var asset : assets) {
                        if (asset.kind().equals("Deployment") && name.startsWith(asset.name() + "-")
                                && name.substring(asset.name().length() + 1).matches("[a-z0-9]+")) {
                            replicaSet = name;
                            kind = "Deployment";
                            name = asset.name();
                        }
                    }
                }
                Map<String, Object> summary = map(map(item.get("report")).get("summary"));
                Object updated = map(item.get("report")).get("updateTimestamp");
                scanned.add(new Scanned(String.valueOf(meta.get("namespace")), kind, name, replicaSet, count(summary.get("criticalCount")),
                        count(summary.get("highCount")), updated == null ? Instant.EPOCH : OffsetDateTime.parse(String.valueOf(updated)).toInstant()));
            }
            List<ComplianceEvidence.Vulnerabilities> out = new ArrayList<>();
            scanned.stream().collect(java.util.stream.Collectors.groupingBy(v -> v.namespace() + "/" + v.kind() + "/" + v.name(),
                    java.util.LinkedHashMap::new, java.util.stream.Collectors.toList())).forEach((workload, reports) -> {
                Scanned newest = reports.stream().max(java.util.Comparator.comparing(Scanned::updatedAt)).orElseThrow();
                var current = reports.stream().filter(r -> java.util.Objects.equals(r.replicaSet(), newest.replicaSet())).toList();
                out.add(new ComplianceEvidence.Vulnerabilities(newest.namespace(), newest.kind(), newest.name(),
                        current.stream().mapToInt(Scanned::critical).sum(), current.stream().mapToInt(Scanned::high).sum(), newest.updatedAt()));
            });
            return Known.of(out);
        } catch (ApiException e) {
            return Known.unknown("VulnerabilityReports could not be listed (HTTP " + e.getCode() + ")");
        }
    }

    private Known<List<ComplianceEvidence.Restore>> restores() {
        Boolean served = served("velero.io/v1", "restores");
        if (served == null || !served) {
            return Known.unknown(served == null ? "the API server's discovery could not be read for velero.io/v1"
                    : "Velero is not installed (the API server serves no velero.io/v1 restores)");
        }
        try {
            Object list = new CustomObjectsApi(client).listClusterCustomObject("velero.io", "v1", "restores").execute();
            List<ComplianceEvidence.Restore> out = new ArrayList<>();
            for (Map<String, Object> item : items(list)) {
                Map<String, Object> spec = map(item.get("spec"));
                Map<String, Object> status = map(item.get("status"));
                Set<String> namespaces = new TreeSet<>();
                if (spec.get("includedNamespaces") instanceof List<?> included) {
                    included.forEach(n -> {
                        if (!"*".equals(n)) {
                            namespaces.add(String.valueOf(n));
                        }
                    });
                }
                Object completed = status.get("completionTimestamp");
                out.add(new ComplianceEvidence.Restore(String.valueOf(map(item.get("metadata")).get("name")), namespaces,
                        status.get("phase") == null ? null : String.valueOf(status.get("phase")),
                        completed == null ? null : OffsetDateTime.parse(String.valueOf(completed)).toInstant()));
            }
            return Known.of(out);
        } catch (ApiException e) {
            return Known.unknown("Velero Restores could not be listed (HTTP " + e.getCode() + ")");
        }
    }

    private Known<List<ComplianceEvidence.AdminBinding>> adminBindings() {
        try {
            var rbac = new RbacAuthorizationV1Api(client);
            List<ComplianceEvidence.AdminBinding> out = new ArrayList<>();
            for (var b : rbac.listClusterRoleBinding().execute().getItems()) {
                admin(b.getMetadata(), b.getRoleRef(), b.getSubjects(), null, out);
            }
            for (var b : rbac.listRoleBindingForAllNamespaces().execute().getItems()) {
                admin(b.getMetadata(), b.getRoleRef(), b.getSubjects(), b.getMetadata().getNamespace(), out);
            }
            return Known.of(out);
        } catch (ApiException e) {
            return Known.unknown("role bindings could not be listed (HTTP " + e.getCode() + ")");
        }
    }

    private static void admin(V1ObjectMeta meta, V1RoleRef role, List<RbacV1Subject> subjects, String bindingNamespace,
            List<ComplianceEvidence.AdminBinding> out) {
        if (role == null || !"ClusterRole".equals(role.getKind()) || !ADMIN_ROLES.contains(role.getName())) {
            return;
        }
        Set<String> accounts = new TreeSet<>();
        for (RbacV1Subject s : subjects == null ? List.<RbacV1Subject>of() : subjects) {
            if ("ServiceAccount".equals(s.getKind())) {
                accounts.add((s.getNamespace() != null ? s.getNamespace() : bindingNamespace) + "/" + s.getName());
            } else if ("Group".equals(s.getKind()) && "system:serviceaccounts".equals(s.getName())) {
                accounts.add("*/*");
            } else if ("Group".equals(s.getKind()) && s.getName() != null && s.getName().startsWith("system:serviceaccounts:")) {
                accounts.add(s.getName().substring("system:serviceaccounts:".length()) + "/*");
            }
        }
        Instant reviewed = null;
        String at = meta.getAnnotations() == null ? null : meta.getAnnotations().get(REVIEWED_AT);
        if (at != null) {
            try {
                reviewed = OffsetDateTime.parse(at).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                try {
                    reviewed = java.time.LocalDate.parse(at).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                } catch (java.time.format.DateTimeParseException ignored) {
                    // an unreadable review date is no review
                }
            }
        }
        String name = (bindingNamespace == null ? "ClusterRoleBinding " : "RoleBinding " + bindingNamespace + "/") + meta.getName();
        out.add(new ComplianceEvidence.AdminBinding(name, role.getName(), accounts, reviewed));
    }

    /** Whether the API server serves a resource in a group version (discovery); null when discovery itself failed. */
    private Boolean served(String groupVersion, String resource) {
        try {
            try (okhttp3.Response response = KubernetesCluster.get(client, "/apis/" + groupVersion, "application/json").execute()) {
                if (response.code() == 404) {
                    return false;
                }
                if (!response.isSuccessful()) {
                    return null;
                }
                return response.body().string().contains("\"name\":\"" + resource + "\"");
            }
        } catch (ApiException | java.io.IOException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Object list) {
        Object items = map(list).get("items");
        return items instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static int count(Object value) {
        return value instanceof Number n ? n.intValue() : 0;
    }
}
