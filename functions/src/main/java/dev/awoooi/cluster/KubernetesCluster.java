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
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;

import java.math.BigDecimal;
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

    private final ApiClient client;
    private final AppsV1Api apps;
    private final CoreV1Api core;
    private final String namespace;

    public KubernetesCluster(ApiClient client, String namespace) {
        this.client = client;
        this.apps = new AppsV1Api(client);
        this.core = new CoreV1Api(client);
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
            for (V1Pod pod : core.listPodForAllNamespaces().execute().getItems()) {
                if (pod.getSpec() != null && pod.getSpec().getVolumes() != null) {
                    pod.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                            .forEach(v -> mounted.add(pod.getMetadata().getNamespace() + "/" + v.getPersistentVolumeClaim().getClaimName()));
                }
            }
            List<Volume> out = new ArrayList<>();
            for (var pvc : core.listPersistentVolumeClaimForAllNamespaces().execute().getItems()) {
                String key = pvc.getMetadata().getNamespace() + "/" + pvc.getMetadata().getName();
                Quantity size = pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null ? null
                        : pvc.getSpec().getResources().getRequests().get("storage");
                out.add(new Volume(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName(),
                        size == null ? 0 : size.getNumber().divide(BigDecimal.valueOf(1L << 30)).doubleValue(), mounted.contains(key)));
            }
            return out;
        } catch (ApiException e) {
            throw failure("list volumes", e);
        }
    }

    @Override
    public List<Node> nodes() {
        try {
            List<V1Pod> pods = core.listPodForAllNamespaces().execute().getItems();
            List<Node> out = new ArrayList<>();
            for (var node : core.listNode().execute().getItems()) {
                String name = node.getMetadata().getName();
                double cpuRequested = 0;
                double memRequested = 0;
                for (V1Pod pod : pods) {
                    if (pod.getSpec() != null && name.equals(pod.getSpec().getNodeName())) {
                        for (var c : pod.getSpec().getContainers()) {
                            var requests = c.getResources() == null ? null : c.getResources().getRequests();
                            if (requests != null) {
                                cpuRequested += number(requests.get("cpu"));
                                memRequested += number(requests.get("memory")) / (1L << 30);
                            }
                        }
                    }
                }
                var allocatable = node.getStatus() == null ? Map.<String, Quantity>of() : node.getStatus().getAllocatable();
                out.add(new Node(name, number(allocatable.get("cpu")), cpuRequested, number(allocatable.get("memory")) / (1L << 30), memRequested));
            }
            return out;
        } catch (ApiException e) {
            throw failure("list nodes", e);
        }
    }

    /**
     * Every Secret's age, read as metadata only ({@code as=PartialObjectMetadataList}, which the API server serves for
     * any list): no Secret's values are ever transferred to AWOOOI. Kubernetes has no metadata-only permission, so
     * the role still says {@code list}; what is asked for is the metadata.
     */
    @Override
    public List<SecretAge> secrets() {
        Map<String, String> headers = new HashMap<>(Map.of("Accept", METADATA_ONLY));
        try {
            okhttp3.Call call = client.buildCall(client.getBasePath(), "/api/v1/namespaces/" + namespace + "/secrets", "GET",
                    new ArrayList<>(), new ArrayList<>(), null, headers, new HashMap<>(), new HashMap<>(), new String[] {"BearerToken"}, null);
            try (okhttp3.Response response = call.execute()) {
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
                w.ref().name(), w.desired(), w.ready())).toList();
    }

    private List<V1Pod> pods(String ns) {
        try {
            return core.listNamespacedPod(ns).execute().getItems();
        } catch (ApiException e) {
            throw failure("list pods", e);
        }
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
