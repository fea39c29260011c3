package dev.awoooi.cluster;

import dev.awoooi.dryrun.Check;
import dev.awoooi.dryrun.ClusterProbe;
import dev.awoooi.dryrun.WorkloadState;
import dev.awoooi.execution.ClusterActuator;
import dev.awoooi.scan.FleetInventory;
import dev.awoooi.topology.NodeKind;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import dev.awoooi.topology.TopologySource;
import dev.awoooi.topology.WorkloadRef;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.PolicyV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReviewSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.PatchUtils;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster through the official Kubernetes client: topology and health from workloads, the read-only probes of
 * the dry run, the restart itself and its verification, and the inventory the scans read.
 */
public final class KubernetesCluster implements TopologySource, ClusterProbe, ClusterActuator, FleetInventory {
    static final String KIND_ANNOTATION = "awoooi.dev/kind";
    static final String DEPENDS_ON_ANNOTATION = "awoooi.dev/depends-on";
    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

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
        String annotation(String key) {
            return meta.getAnnotations() == null ? null : meta.getAnnotations().get(key);
        }

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

        String restartedAt() {
            var annotations = template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
            return annotations == null ? null : annotations.get(RESTARTED_AT);
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

    private Optional<Workload> workload(WorkloadRef ref) {
        try {
            return Optional.of(switch (ref.kind()) {
                case DEPLOYMENT -> Workload.of(apps.readNamespacedDeployment(ref.name(), ref.namespace()).execute());
                case STATEFULSET -> Workload.of(apps.readNamespacedStatefulSet(ref.name(), ref.namespace()).execute());
            });
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw failure("read " + ref, e);
        }
    }

    // ------------------------------------------------------------------ topology

    @Override
    public ServiceGraph graph() {
        ServiceGraph graph = new ServiceGraph();
        List<V1Pod> pods = pods(namespace);
        for (Workload w : workloads(namespace)) {
            String app = w.ref().name();
            List<V1Pod> own = pods.stream().filter(p -> p.getMetadata().getLabels() != null
                    && app.equals(p.getMetadata().getLabels().get("app"))).toList();
            graph.add(new ServiceNode(app, kindOf(w), w.ref(), w.ready() >= w.desired() && !crashLooping(own), health(w, own), own.size()));
            String dependsOn = w.annotation(DEPENDS_ON_ANNOTATION);
            if (dependsOn != null) {
                for (String callee : dependsOn.split(",")) {
                    if (!callee.isBlank()) {
                        graph.dependsOn(app, callee.trim());
                    }
                }
            }
        }
        return graph;
    }

    private static NodeKind kindOf(Workload w) {
        String declared = w.annotation(KIND_ANNOTATION);
        if (declared != null) {
            try {
                return NodeKind.valueOf(declared.trim().toUpperCase());
            } catch (IllegalArgumentException ignored) {
                // fall through to inference: a typo in an annotation must not hide the service
            }
        }
        String images = String.join(" ", w.template().getSpec().getContainers().stream().map(c -> String.valueOf(c.getImage())).toList());
        if (images.matches(".*(postgres|mysql|mariadb|mongo|cassandra).*")) {
            return NodeKind.DATABASE;
        }
        if (images.matches(".*(redis|memcached|valkey).*")) {
            return NodeKind.CACHE;
        }
        if (images.matches(".*(rabbitmq|kafka|nats|activemq).*")) {
            return NodeKind.QUEUE;
        }
        return images.contains("ingress") ? NodeKind.INGRESS : NodeKind.SERVICE;
    }

    private static boolean crashLooping(List<V1Pod> pods) {
        return pods.stream().anyMatch(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                && p.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getState() != null && c.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason())));
    }

    private static String health(Workload w, List<V1Pod> pods) {
        int restarts = pods.stream().filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
                .flatMap(p -> p.getStatus().getContainerStatuses().stream()).mapToInt(c -> nz(c.getRestartCount(), 0)).sum();
        return w.ready() + "/" + w.desired() + " ready" + (crashLooping(pods) ? ", CrashLoopBackOff" : "")
                + (restarts > 0 ? ", " + restarts + " restarts" : "");
    }

    // ------------------------------------------------------------------ probes

    @Override
    public Access canI(String verb, String group, String resource, String ns, String name) {
        var review = new V1SelfSubjectAccessReview().spec(new V1SelfSubjectAccessReviewSpec().resourceAttributes(
                new V1ResourceAttributes().verb(verb).group(group).resource(resource).namespace(ns).name(name)));
        try {
            var status = new AuthorizationV1Api(client).createSelfSubjectAccessReview(review).execute().getStatus();
            if (status == null) {
                return new Access(Check.Outcome.UNKNOWN, "the API server returned no access review status");
            }
            String reason = status.getReason() == null ? "" : ": " + status.getReason();
            return status.getAllowed()
                    ? new Access(Check.Outcome.PASS, "allowed to " + verb + " " + resource + reason)
                    : new Access(Check.Outcome.FAIL, "not allowed to " + verb + " " + resource + reason);
        } catch (ApiException e) {
            return new Access(Check.Outcome.UNKNOWN, "access review failed: HTTP " + e.getCode());
        }
    }

    @Override
    public Optional<WorkloadState> state(WorkloadRef ref) {
        return workload(ref).map(w -> new WorkloadState(w.meta().getUid(), Objects.requireNonNullElse(w.meta().getGeneration(), 0L),
                WorkloadState.sha256(client.getJSON().serialize(w.template())), w.desired(), w.ready()));
    }

    @Override
    public List<DisruptionBudget> budgetsCovering(WorkloadRef ref) {
        var w = workload(ref);
        if (w.isEmpty()) {
            return List.of();
        }
        Map<String, String> podLabels = w.get().template().getMetadata() == null ? Map.of()
                : Objects.requireNonNullElse(w.get().template().getMetadata().getLabels(), Map.of());
        try {
            List<DisruptionBudget> out = new ArrayList<>();
            for (var pdb : new PolicyV1Api(client).listNamespacedPodDisruptionBudget(ref.namespace()).execute().getItems()) {
                var selector = pdb.getSpec().getSelector();
                Map<String, String> wanted = selector == null || selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
                if (!wanted.isEmpty() && podLabels.entrySet().containsAll(wanted.entrySet())) {
                    out.add(new DisruptionBudget(pdb.getMetadata().getName(),
                            pdb.getStatus() == null ? 0 : nz(pdb.getStatus().getDisruptionsAllowed(), 0)));
                }
            }
            return out;
        } catch (ApiException e) {
            throw failure("list PodDisruptionBudgets", e);
        }
    }

    @Override
    public Optional<String> dryRunRestart(WorkloadRef ref) {
        try {
            patchRestart(ref, Instant.now(), true);
            return Optional.empty();
        } catch (ApiException e) {
            return Optional.of("API server refused the patch: HTTP " + e.getCode());
        }
    }

    // ------------------------------------------------------------------ actions

    @Override
    public void restart(WorkloadRef target, Instant at) {
        try {
            patchRestart(target, at, false);
        } catch (ApiException e) {
            throw failure("restart " + target, e);
        }
    }

    private void patchRestart(WorkloadRef ref, Instant at, boolean dryRun) throws ApiException {
        var patch = new V1Patch("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\"" + at + "\"}}}}}");
        String mode = dryRun ? "All" : null;
        switch (ref.kind()) {
            case DEPLOYMENT -> PatchUtils.patch(V1Deployment.class,
                    () -> apps.patchNamespacedDeployment(ref.name(), ref.namespace(), patch).dryRun(mode).fieldManager("awoooi").buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
            case STATEFULSET -> PatchUtils.patch(V1StatefulSet.class,
                    () -> apps.patchNamespacedStatefulSet(ref.name(), ref.namespace(), patch).dryRun(mode).fieldManager("awoooi").buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
        }
    }

    @Override
    public Verification awaitRollout(WorkloadRef target, Instant at, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String seen = "not observed";
        while (true) {
            var w = workload(target);
            if (w.isEmpty()) {
                return new Verification(false, target + " disappeared during the rollout");
            }
            var now = w.get();
            long generation = Objects.requireNonNullElse(now.meta().getGeneration(), 0L);
            boolean stamped = at.toString().equals(now.restartedAt());
            seen = now.ready() + "/" + now.desired() + " ready, " + now.updated() + " updated, observed generation "
                    + now.observedGeneration() + " of " + generation;
            if (stamped && now.observedGeneration() >= generation && now.updated() >= now.desired() && now.ready() >= now.desired()) {
                return new Verification(true, "rollout complete: " + seen);
            }
            if (Instant.now().isAfter(deadline)) {
                return new Verification(false, "rollout not complete after " + timeout.toSeconds() + "s: " + seen);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Verification(false, "interrupted while verifying: " + seen);
            }
        }
    }

    // ------------------------------------------------------------------ inventory

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

    @Override
    public List<SecretAge> secrets() {
        try {
            return core.listNamespacedSecret(namespace).execute().getItems().stream().map(s -> {
                var meta = s.getMetadata();
                String declared = meta.getAnnotations() == null ? null : meta.getAnnotations().get("awoooi.dev/created-at");
                Instant created = declared != null ? Instant.parse(declared)
                        : meta.getCreationTimestamp() == null ? null : meta.getCreationTimestamp().toInstant();
                return new SecretAge(meta.getNamespace(), meta.getName(), created);
            }).toList();
        } catch (ApiException e) {
            throw failure("list secrets", e);
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

    private static IllegalStateException failure(String what, ApiException e) {
        return new IllegalStateException("Kubernetes API: " + what + " failed with HTTP " + e.getCode(), e);
    }
}
