package dev.awoooi.local.cluster;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The discovery documents a real API server serves (legacy JSON: APIVersions, APIGroupList, APIResourceList) for what
 * the demo holds. Clients built on client-go (kubectl, kubernetes-mcp-server) map a kind to its resource through them
 * before any call; the mock underneath would answer these paths with its stored objects instead.
 */
final class Discovery {
    private Discovery() {
    }

    private record Resource(String name, String singular, String kind, boolean namespaced, List<String> verbs) {
    }

    private static final List<String> ALL = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> SUB = List.of("get", "patch", "update");

    private static final Map<String, List<Resource>> GROUP_VERSIONS = Map.of(
            "v1", List.of(
                    new Resource("namespaces", "namespace", "Namespace", false, ALL),
                    new Resource("nodes", "node", "Node", false, ALL),
                    new Resource("pods", "pod", "Pod", true, ALL),
                    new Resource("pods/log", "", "Pod", true, List.of("get")),
                    new Resource("pods/eviction", "", "Eviction", true, List.of("create")),
                    new Resource("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, ALL),
                    new Resource("services", "service", "Service", true, ALL),
                    new Resource("configmaps", "configmap", "ConfigMap", true, ALL),
                    new Resource("secrets", "secret", "Secret", true, ALL),
                    new Resource("events", "event", "Event", true, ALL),
                    new Resource("serviceaccounts", "serviceaccount", "ServiceAccount", true, ALL)),
            "apps/v1", List.of(
                    new Resource("deployments", "deployment", "Deployment", true, ALL),
                    new Resource("deployments/scale", "", "Scale", true, SUB),
                    new Resource("statefulsets", "statefulset", "StatefulSet", true, ALL),
                    new Resource("statefulsets/scale", "", "Scale", true, SUB),
                    new Resource("replicasets", "replicaset", "ReplicaSet", true, ALL),
                    new Resource("daemonsets", "daemonset", "DaemonSet", true, ALL)),
            "policy/v1", List.of(
                    new Resource("poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, ALL)),
            "authorization.k8s.io/v1", List.of(
                    new Resource("selfsubjectaccessreviews", "", "SelfSubjectAccessReview", false, List.of("create"))),
            "networking.k8s.io/v1", List.of(
                    new Resource("ingresses", "ingress", "Ingress", true, ALL)),
            "storage.k8s.io/v1", List.of(
                    new Resource("storageclasses", "storageclass", "StorageClass", false, ALL)),
            "rbac.authorization.k8s.io/v1", List.of(
                    new Resource("roles", "role", "Role", true, ALL),
                    new Resource("rolebindings", "rolebinding", "RoleBinding", true, ALL),
                    new Resource("clusterroles", "clusterrole", "ClusterRole", false, ALL),
                    new Resource("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, ALL)),
            // what the compliance scan reads where the operators are installed, as their CRDs serve them
            "velero.io/v1", List.of(
                    new Resource("backups", "backup", "Backup", true, ALL),
                    new Resource("restores", "restore", "Restore", true, ALL)),
            "aquasecurity.github.io/v1alpha1", List.of(
                    new Resource("vulnerabilityreports", "vulnerabilityreport", "VulnerabilityReport", true, ALL)));

    /** The document for {@code path} ({@code /api}, {@code /apis}, {@code /api/v1}, {@code /apis/<group>/<version>}), or null. */
    static String document(String path) {
        if (path.equals("/api")) {
            return "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}";
        }
        if (path.equals("/apis")) {
            String groups = GROUP_VERSIONS.keySet().stream().filter(gv -> gv.contains("/")).sorted().map(gv -> {
                String name = gv.substring(0, gv.indexOf('/'));
                String version = "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + gv.substring(gv.indexOf('/') + 1) + "\"}";
                return "{\"name\":\"" + name + "\",\"versions\":[" + version + "],\"preferredVersion\":" + version + "}";
            }).collect(Collectors.joining(","));
            return "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + groups + "]}";
        }
        String groupVersion = path.equals("/api/v1") ? "v1" : path.matches("/apis/[^/]+/[^/]+") ? path.substring("/apis/".length()) : null;
        List<Resource> resources = groupVersion == null ? null : GROUP_VERSIONS.get(groupVersion);
        if (resources == null) {
            return null;
        }
        String list = resources.stream().map(r -> "{\"name\":\"" + r.name() + "\",\"singularName\":\"" + r.singular() + "\",\"namespaced\":"
                + r.namespaced() + ",\"kind\":\"" + r.kind() + "\",\"verbs\":[" + r.verbs().stream().map(v -> "\"" + v + "\"")
                .collect(Collectors.joining(",")) + "]}").collect(Collectors.joining(","));
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion + "\",\"resources\":[" + list + "]}";
    }
}
