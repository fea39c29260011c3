package dev.awoooi.cluster;

import dev.awoooi.scan.FleetInventory;
import dev.awoooi.topology.WorkloadRef;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.StorageV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inventory the nightly scans read, through the official Kubernetes client. The service graph is
 * {@link KubernetesTopology}; the catalog's actions, their dry runs and verification are {@link KubernetesActions}.
 */
public final class KubernetesCluster implements FleetInventory {

    /** What the API server serves as a list of metadata only, falling back to nothing else. */
    static final String METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    private static final String CREATED_AT = "awoooi.dev/created-at";
    private static final double GIB = 1L << 30;

    private final ApiClient client;
    private final AppsV1Api apps;
    private final CoreV1Api core;
    private final StorageV1Api storage;
    private final String namespace;

    public KubernetesCluster(ApiClient client, String namespace) {
        this.client = client;
        this.apps = new AppsV1Api(client);
        this.core = new CoreV1Api(client);
        this.storage = new StorageV1Api(client);
        this.namespace = namespace;
    }

    /** The fields of a Deployment or StatefulSet that matter here. */
    private record Workload(WorkloadRef ref, V1ObjectMeta meta, V1PodTemplateSpec template, int desired, int ready,
                            int updated, long observedGeneration) {
        static Workload of(V1Deployment d) {
            var st = d.getStatus();
            return new Workload(new WorkloadRef(WorkloadRef.WorkloadKind.DEPLOYMENT, d.getMetadata().getNamespace(), d.getMetadata().getName()),
                    d.getMetadata(), d.getSpec().getTemplate(), nz(d.getSpec().getReplicas(), 1),
                    st == null ? 0 : nz(st.getReadyReplicas(), 0), st == null ? 0 : nz(st.getUpdatedReplicas(), 0),
                    st == null || st.getObservedGeneration() == null ? 0 : st.getObservedGeneration());
        }

        static Workload of(V1StatefulSet s) {
            var st = s.getStatus();
            return new Workload(new WorkloadRef(WorkloadRef.WorkloadKind.STATEFULSET, s.getMetadata().getNamespace(), s.getMetadata().getName()),
                    s.getMetadata(), s.getSpec().getTemplate(), nz(s.getSpec().getReplicas(), 1),
                    st == null ? 0 : nz(st.getReadyReplicas(), 0), st == null ? 0 : nz(st.getUpdatedReplicas(), 0),
                    st == null || st.getObservedGeneration() == null ? 0 : st.getObservedGeneration());
        }
    }

    private List<Workload> workloads(String ns) {
        try {
            List<Workload> all = new ArrayList<>();
            apps.listNamespacedDeployment(ns).execute().getItems().forEach(d -> all.add(Workload.of(d)));
            apps.listNamespacedStatefulSet(ns).execute().getItems().forEach(s -> all.add(Workload.of(s)));
            return all;
        } catch (ApiException e) {
            throw failure("list workloads", e);
        }
    }


    @Override
    public List<Volume> volumes() {
        try {
            Set<String> mounted = new HashSet<>();
            for (V1Pod pod : running(core.listPodForAllNamespaces().execute().getItems())) {
                if (pod.getSpec().getVolumes() != null) {
                    pod.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                            .forEach(v -> mounted.add(pod.getMetadata().getNamespace() + "/" + v.getPersistentVolumeClaim().getClaimName()));
                }
            }
            Map<String, String> volumeTypes = new HashMap<>();
            storageClasses().stream().filter(sc -> sc.volumeType() != null).forEach(sc -> volumeTypes.put(sc.name(), sc.volumeType()));
            List<Volume> out = new ArrayList<>();
            for (var pvc : core.listPersistentVolumeClaimForAllNamespaces().execute().getItems()) {
                String key = pvc.getMetadata().getNamespace() + "/" + pvc.getMetadata().getName();
                Quantity size = pvc.getStatus() != null && pvc.getStatus().getCapacity() != null && pvc.getStatus().getCapacity().get("storage") != null
                        ? pvc.getStatus().getCapacity().get("storage")
                        : pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null ? null
                        : pvc.getSpec().getResources().getRequests().get("storage");
                String storageClass = pvc.getSpec().getStorageClassName();
                out.add(new Volume(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName(),
                        size == null ? 0 : size.getNumber().doubleValue() / GIB, storageClass,
                        storageClass == null ? null : volumeTypes.get(storageClass), mounted.contains(key),
                        created(pvc.getMetadata())));
            }
            return out;
        } catch (ApiException e) {
            throw failure("list volumes", e);
        }
    }

    @Override
    public List<Node> nodes() {
        try {
            List<Node> out = new ArrayList<>();
            for (var node : core.listNode().execute().getItems()) {
                var labels = node.getMetadata().getLabels() == null ? Map.<String, String>of() : node.getMetadata().getLabels();
                out.add(new Node(node.getMetadata().getName(),
                        labels.getOrDefault("node.kubernetes.io/instance-type", labels.get("beta.kubernetes.io/instance-type"))));
            }
            return out;
        } catch (ApiException e) {
            throw failure("list nodes", e);
        }
    }

    /** A StorageClass as the scans need it: the EBS volume type it provisions (null when it does not say), whether it encrypts. */
    record StorageClass(String name, String volumeType, boolean encrypted, boolean isDefault) {
    }

    List<StorageClass> storageClasses() {
        try {
            List<StorageClass> out = new ArrayList<>();
            for (var sc : storage.listStorageClass().execute().getItems()) {
                var parameters = sc.getParameters() == null ? Map.<String, String>of() : sc.getParameters();
                var annotations = sc.getMetadata().getAnnotations() == null ? Map.<String, String>of() : sc.getMetadata().getAnnotations();
                // EBS (the CSI driver and the in-tree one) names the volume type "type"
                out.add(new StorageClass(sc.getMetadata().getName(), parameters.getOrDefault("type", parameters.get("csi.storage.k8s.io/type")),
                        "true".equalsIgnoreCase(parameters.get("encrypted")),
                        "true".equals(annotations.get("storageclass.kubernetes.io/is-default-class"))));
            }
            return out;
        } catch (ApiException e) {
            throw failure("list storage classes", e);
        }
    }

    /** Every pod that is running or about to (not Succeeded or Failed), across namespaces, with its owning workload. */
    @Override
    public List<FleetInventory.Pod> pods() {
        try {
            List<FleetInventory.Pod> out = new ArrayList<>();
            for (V1Pod pod : running(core.listPodForAllNamespaces().execute().getItems())) {
                var meta = pod.getMetadata();
                String ownerKind = null;
                String ownerName = null;
                if (meta.getOwnerReferences() != null) {
                    for (var ref : meta.getOwnerReferences()) {
                        if (Boolean.TRUE.equals(ref.getController())) {
                            ownerKind = ref.getKind();
                            ownerName = ref.getName();
                        }
                    }
                }
                String hash = meta.getLabels() == null ? null : meta.getLabels().get("pod-template-hash");
                if ("ReplicaSet".equals(ownerKind) && hash != null && ownerName.endsWith("-" + hash)) {
                    // the Deployment controller names its ReplicaSets <deployment>-<pod-template-hash>
                    ownerKind = "Deployment";
                    ownerName = ownerName.substring(0, ownerName.length() - hash.length() - 1);
                }
                out.add(new FleetInventory.Pod(meta.getNamespace(), meta.getName(), pod.getSpec().getNodeName(), ownerKind, ownerName,
                        requested(pod.getSpec().getContainers(), "cpu"), requested(pod.getSpec().getContainers(), "memory") / GIB,
                        pod.getStatus() == null || pod.getStatus().getStartTime() == null ? null : pod.getStatus().getStartTime().toInstant()));
            }
            return out;
        } catch (ApiException e) {
            throw failure("list pods", e);
        }
    }

    /**
     * Every Secret's age, read as metadata only ({@code as=PartialObjectMetadataList}, which the API server serves for
     * any list): no Secret's values are ever transferred to AWOOOI. Kubernetes has no metadata-only permission, so
     * the role still says {@code list}; what is asked for is the metadata.
     */
    @Override
    public List<SecretAge> secrets() {
        try {
            try (okhttp3.Response response = get(client, "/api/v1/namespaces/" + namespace + "/secrets", METADATA_ONLY).execute()) {
                if (!response.isSuccessful()) {
                    throw new IllegalStateException("Kubernetes API: list secrets (metadata) failed with HTTP " + response.code());
                }
                JsonObject list = JsonParser.parseString(response.body().string()).getAsJsonObject();
                if (!"PartialObjectMetadataList".equals(list.has("kind") ? list.get("kind").getAsString() : null)) {
                    throw new IllegalStateException("Kubernetes API: list secrets answered " + list.get("kind") + ", not metadata only");
                }
                List<SecretAge> ages = new ArrayList<>();
                for (var item : list.getAsJsonArray("items")) {
                    JsonObject meta = item.getAsJsonObject().getAsJsonObject("metadata");
                    ages.add(new SecretAge(meta.get("namespace").getAsString(), meta.get("name").getAsString(), created(meta)));
                }
                return ages;
            }
        } catch (ApiException e) {
            throw failure("list secrets", e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Kubernetes API: list secrets failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public List<FleetInventory.Workload> workloads() {
        return workloads(namespace).stream().map(w -> new FleetInventory.Workload(w.ref().namespace(), w.ref().kind().name(),
                w.ref().name(), w.desired(), w.ready(), requested(w.template().getSpec().getContainers(), "cpu"),
                requested(w.template().getSpec().getContainers(), "memory") / GIB)).toList();
    }

    @Override
    public List<FleetInventory.Asset> assets() {
        try {
            List<FleetInventory.Asset> out = new ArrayList<>();
            for (Workload w : workloads(namespace)) {
                out.add(new FleetInventory.Asset(w.ref().kind().name().toLowerCase(java.util.Locale.ROOT), w.ref().namespace(), w.ref().name(),
                        owner(w.meta()), w.ready() + "/" + w.desired() + " ready"));
            }
            for (var node : core.listNode().execute().getItems()) {
                var labels = node.getMetadata().getLabels() == null ? Map.<String, String>of() : node.getMetadata().getLabels();
                var capacity = node.getStatus() == null || node.getStatus().getCapacity() == null ? Map.<String, Quantity>of() : node.getStatus().getCapacity();
                out.add(new FleetInventory.Asset("node", null, node.getMetadata().getName(), owner(node.getMetadata()),
                        String.format(java.util.Locale.ROOT, "%s, %.0f vCPU, %.0f GiB, %s", labels.getOrDefault("node.kubernetes.io/instance-type", "unknown type"),
                                number(capacity.get("cpu")), number(capacity.get("memory")) / GIB, labels.getOrDefault("topology.kubernetes.io/zone", "no zone"))));
            }
            for (var volume : volumes()) {
                out.add(new FleetInventory.Asset("persistentvolumeclaim", volume.namespace(), volume.name(), null,
                        String.format(java.util.Locale.ROOT, "%.0f GiB of %s, %s", volume.sizeGiB(), volume.storageClass() == null ? "no class" : volume.storageClass(),
                                volume.mounted() ? "mounted" : "mounted by no pod")));
            }
            for (var ingress : new io.kubernetes.client.openapi.apis.NetworkingV1Api(client).listNamespacedIngress(namespace).execute().getItems()) {
                var rules = ingress.getSpec().getRules() == null ? List.<io.kubernetes.client.openapi.models.V1IngressRule>of() : ingress.getSpec().getRules();
                boolean tls = ingress.getSpec().getTls() != null && !ingress.getSpec().getTls().isEmpty();
                out.add(new FleetInventory.Asset("ingress", namespace, ingress.getMetadata().getName(), owner(ingress.getMetadata()),
                        "hosts " + String.join(", ", rules.stream().map(r -> r.getHost() == null ? "*" : r.getHost()).toList()) + (tls ? " (TLS)" : " (no TLS)")));
            }
            for (var ns : core.listNamespace().execute().getItems()) {
                out.add(new FleetInventory.Asset("namespace", null, ns.getMetadata().getName(), owner(ns.getMetadata()),
                        ns.getStatus() == null || ns.getStatus().getPhase() == null ? "phase unknown" : ns.getStatus().getPhase()));
            }
            return out;
        } catch (ApiException e) {
            throw failure("list assets", e);
        }
    }

    /** Who owns an object: its owner or team label, else annotation; null when none says. */
    private static String owner(V1ObjectMeta meta) {
        for (Map<String, String> source : java.util.Arrays.asList(meta.getLabels(), meta.getAnnotations())) {
            if (source != null) {
                for (String key : List.of("owner", "team", "awoooi.dev/owner")) {
                    if (source.get(key) != null && !source.get(key).isBlank()) {
                        return source.get(key);
                    }
                }
            }
        }
        return null;
    }

    private static List<V1Pod> running(List<V1Pod> pods) {
        return pods.stream().filter(p -> p.getSpec() != null && (p.getStatus() == null
                || !("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())))).toList();
    }

    private static double requested(List<io.kubernetes.client.openapi.models.V1Container> containers, String resource) {
        double sum = 0;
        for (var c : containers == null ? List.<io.kubernetes.client.openapi.models.V1Container>of() : containers) {
            var requests = c.getResources() == null ? null : c.getResources().getRequests();
            sum += requests == null ? 0 : number(requests.get(resource));
        }
        return sum;
    }

    private static Instant created(V1ObjectMeta meta) {
        return meta.getCreationTimestamp() == null ? null : meta.getCreationTimestamp().toInstant();
    }

    /** A GET the typed API has no method for (a metadata-only list, discovery), authenticated as the client is. */
    static okhttp3.Call get(ApiClient client, String path, String accept) throws ApiException {
        return client.buildCall(client.getBasePath(), path, "GET", new ArrayList<>(), new ArrayList<>(), null,
                new HashMap<>(Map.of("Accept", accept)), new HashMap<>(), new HashMap<>(), new String[] {"BearerToken"}, null);
    }

    private static double number(Quantity q) {
        return q == null ? 0 : q.getNumber().doubleValue();
    }

    private static int nz(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    /** The declared creation time if it parses (a malformed annotation fails nothing), else the object's own. */
    private static Instant created(JsonObject meta) {
        JsonObject annotations = meta.has("annotations") ? meta.getAsJsonObject("annotations") : new JsonObject();
        if (annotations.has(CREATED_AT)) {
            try {
                return Instant.parse(annotations.get(CREATED_AT).getAsString());
            } catch (java.time.format.DateTimeParseException e) {
                // fall through to the object's own creation time
            }
        }
        return meta.has("creationTimestamp") ? OffsetDateTime.parse(meta.get("creationTimestamp").getAsString()).toInstant() : null;
    }

    private static IllegalStateException failure(String what, ApiException e) {
        return new IllegalStateException("Kubernetes API: " + what + " failed with HTTP " + e.getCode(), e);
    }
}
