package dev.awoooi.cluster;

import dev.awoooi.topology.EdgeSource;
import dev.awoooi.topology.KindInference;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import dev.awoooi.topology.ServiceReferences;
import dev.awoooi.topology.TopologySource;
import dev.awoooi.topology.WorkloadRef;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The service graph as the cluster shows it, from one list call per kind (not one per workload, so a cluster of
 * thousands of workloads is read in a handful of requests). A node per Deployment and StatefulSet; each Service
 * selecting one is an alias of it. Edges from the {@code awoooi.dev/depends-on} annotation, from env vars naming
 * another service, and from the ConfigMaps the pods read. Health from readiness, CrashLoopBackOff, recent restarts
 * and failing probes.
 */
public final class KubernetesTopology implements TopologySource {
    static final String DEPENDS_ON_ANNOTATION = "awoooi.dev/depends-on";
    /** A restart counts as a health signal while the container's last crash is this recent. */
    static final Duration RECENT = Duration.ofHours(1);

    private final CoreV1Api core;
    private final AppsV1Api apps;
    private final String namespace;
    private final Clock clock;

    public KubernetesTopology(ApiClient client, String namespace, Clock clock) {
        this.core = new CoreV1Api(client);
        this.apps = new AppsV1Api(client);
        this.namespace = namespace;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "Kubernetes namespace " + namespace;
    }

    /** The parts of a Deployment or StatefulSet the graph needs. */
    private record Workload(WorkloadRef ref, V1ObjectMeta meta, V1LabelSelector selector, V1PodTemplateSpec template, int desired, int ready) {
    }

    /** Everything listed from the API server for one build. */
    record Snapshot(List<Workload> workloads, List<V1Service> services, List<V1Pod> pods,
                    Map<String, V1ConfigMap> configMaps, List<CoreV1Event> events) {
    }

    @Override
    public void contribute(ServiceGraph graph) {
        build(read(), graph);
    }

    Snapshot read() {
        try {
            List<Workload> workloads = new ArrayList<>();
            for (var d : apps.listNamespacedDeployment(namespace).execute().getItems()) {
                var st = d.getStatus();
                workloads.add(new Workload(new WorkloadRef(WorkloadRef.WorkloadKind.DEPLOYMENT, namespace, d.getMetadata().getName()),
                        d.getMetadata(), d.getSpec().getSelector(), d.getSpec().getTemplate(), nz(d.getSpec().getReplicas(), 1),
                        st == null ? 0 : nz(st.getReadyReplicas(), 0)));
            }
            for (var s : apps.listNamespacedStatefulSet(namespace).execute().getItems()) {
                var st = s.getStatus();
                workloads.add(new Workload(new WorkloadRef(WorkloadRef.WorkloadKind.STATEFULSET, namespace, s.getMetadata().getName()),
                        s.getMetadata(), s.getSpec().getSelector(), s.getSpec().getTemplate(), nz(s.getSpec().getReplicas(), 1),
                        st == null ? 0 : nz(st.getReadyReplicas(), 0)));
            }
            Map<String, V1ConfigMap> configMaps = new HashMap<>();
            core.listNamespacedConfigMap(namespace).execute().getItems().forEach(cm -> configMaps.put(cm.getMetadata().getName(), cm));
            return new Snapshot(workloads, core.listNamespacedService(namespace).execute().getItems(),
                    core.listNamespacedPod(namespace).execute().getItems(), configMaps,
                    core.listNamespacedEvent(namespace).execute().getItems());
        } catch (ApiException e) {
            throw new IllegalStateException("cannot read the topology of namespace " + namespace + ": HTTP " + e.getCode(), e);
        }
    }

    void build(Snapshot snapshot, ServiceGraph graph) {
        Map<String, List<V1Pod>> podsByWorkload = podsByWorkload(snapshot);
        Map<String, Integer> failingProbes = failingProbes(snapshot.events());
        Instant now = clock.instant();
        for (Workload w : snapshot.workloads()) {
            List<V1Pod> pods = podsByWorkload.getOrDefault(w.ref().name(), List.of());
            graph.add(new ServiceNode(w.ref().name(), kindOf(w), w.ref(), signals(w, pods, failingProbes, now),
                    w.ready() + "/" + w.desired() + " ready", pods.size()));
        }
        Map<String, List<Workload>> byLabel = new HashMap<>();
        for (Workload w : snapshot.workloads()) {
            templateLabels(w).forEach((key, value) -> byLabel.computeIfAbsent(key + "=" + value, k -> new ArrayList<>()).add(w));
        }
        List<ServiceReferences.KnownService> known = new ArrayList<>();
        // In the cluster a name resolves through DNS to a Service, whatever workload happens to share it.
        Map<String, String> serviceTarget = new HashMap<>();
        for (V1Service service : snapshot.services()) {
            String name = service.getMetadata().getName();
            known.add(new ServiceReferences.KnownService(name, namespace, service.getSpec() == null ? null : service.getSpec().getClusterIP()));
            selected(service, byLabel).ifPresent(w -> {
                serviceTarget.put(name, w.ref().name());
                graph.alias(name, w.ref().name());
            });
        }
        ServiceReferences references = new ServiceReferences(known, "cluster.local");
        for (Workload w : snapshot.workloads()) {
            String caller = w.ref().name();
            String declared = annotation(w.meta(), DEPENDS_ON_ANNOTATION);
            if (declared != null) {
                for (String callee : declared.split(",")) {
                    if (!callee.isBlank()) {
                        graph.dependsOn(caller, serviceTarget.getOrDefault(callee.trim(), callee.trim()), EdgeSource.ANNOTATION);
                    }
                }
            }
            for (ServiceReferences.Reference ref : configReferences(w, snapshot.configMaps(), references)) {
                graph.dependsOn(caller, serviceTarget.getOrDefault(ref.service().name(), ref.service().name()), ref.source());
            }
        }
    }

    // ------------------------------------------------------------------ nodes

    private static dev.awoooi.topology.NodeKind kindOf(Workload w) {
        var spec = w.template().getSpec();
        List<V1Container> containers = spec == null ? List.of() : spec.getContainers();
        Map<String, String> labels = new HashMap<>(Objects.requireNonNullElse(w.meta().getLabels(), Map.of()));
        if (w.template().getMetadata() != null && w.template().getMetadata().getLabels() != null) {
            w.template().getMetadata().getLabels().forEach(labels::putIfAbsent);
        }
        List<Integer> ports = containers.stream().filter(c -> c.getPorts() != null).flatMap(c -> c.getPorts().stream())
                .map(p -> p.getContainerPort()).filter(Objects::nonNull).toList();
        return KindInference.infer(new KindInference.WorkloadFacts(w.ref().name(), w.ref().kind() == WorkloadRef.WorkloadKind.STATEFULSET,
                containers.stream().map(c -> String.valueOf(c.getImage())).toList(), ports, labels,
                Objects.requireNonNullElse(w.meta().getAnnotations(), Map.of())));
    }

    private static List<String> signals(Workload w, List<V1Pod> pods, Map<String, Integer> failingProbes, Instant now) {
        List<String> signals = new ArrayList<>();
        if (w.ready() < w.desired()) {
            signals.add("replicas not ready"); // the status beside it carries the counts
        }
        int crashLooping = 0;
        int recentRestarts = 0;
        int probeFailures = 0;
        int unready = 0;
        for (V1Pod pod : pods) {
            List<V1ContainerStatus> statuses = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                    ? List.of() : pod.getStatus().getContainerStatuses();
            boolean looping = false;
            for (V1ContainerStatus c : statuses) {
                if (c.getState() != null && c.getState().getWaiting() != null && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason())) {
                    looping = true;
                }
                var terminated = c.getLastState() == null ? null : c.getLastState().getTerminated();
                OffsetDateTime finished = terminated == null ? null : terminated.getFinishedAt();
                if (nz(c.getRestartCount(), 0) > 0 && finished != null && finished.toInstant().isAfter(now.minus(RECENT))) {
                    recentRestarts += c.getRestartCount();
                }
                if (c.getState() != null && c.getState().getRunning() != null && !Boolean.TRUE.equals(c.getReady())) {
                    unready++;
                }
            }
            crashLooping += looping ? 1 : 0;
            probeFailures += failingProbes.getOrDefault(pod.getMetadata().getName(), 0);
        }
        if (crashLooping > 0) {
            signals.add("CrashLoopBackOff in " + crashLooping + " pod" + (crashLooping == 1 ? "" : "s"));
        }
        if (recentRestarts > 0) {
            signals.add(recentRestarts + " restarts, the last within " + RECENT.toMinutes() + " min");
        }
        if (probeFailures > 0) {
            // The probe's own message names addresses and paths; the count and kind are enough here.
            signals.add("probes failing (" + probeFailures + " events)");
        } else if (unready > 0) {
            signals.add(unready + " running container" + (unready == 1 ? "" : "s") + " not ready (readiness probe)");
        }
        return signals;
    }

    /**
     * Pods per workload name, through owner references: pod → StatefulSet, or pod → ReplicaSet → Deployment. A
     * Deployment names its ReplicaSets {@code <deployment>-<pod-template-hash>} and labels their pods with the hash,
     * so the Deployment is read off the pod without listing ReplicaSets (a fifth of a big namespace's bytes).
     */
    private static Map<String, List<V1Pod>> podsByWorkload(Snapshot snapshot) {
        Map<String, List<V1Pod>> byWorkload = new HashMap<>();
        for (V1Pod pod : snapshot.pods()) {
            java.util.Optional.ofNullable(Controllers.of(pod.getMetadata())).map(owner -> switch (owner.getKind()) {
                case "StatefulSet" -> owner.getName();
                case "ReplicaSet" -> deploymentOf(owner.getName(), pod.getMetadata().getLabels());
                default -> null;
            }).ifPresent(name -> byWorkload.computeIfAbsent(name, k -> new ArrayList<>()).add(pod));
        }
        return byWorkload;
    }

    private static String deploymentOf(String replicaSet, Map<String, String> podLabels) {
        String hash = podLabels == null ? null : podLabels.get("pod-template-hash");
        String suffix = "-" + hash;
        return hash != null && replicaSet.endsWith(suffix) ? replicaSet.substring(0, replicaSet.length() - suffix.length()) : null;
    }

    /** Probe failures the kubelet reported in the last few minutes, per pod. */
    private Map<String, Integer> failingProbes(List<CoreV1Event> events) {
        Instant since = clock.instant().minus(Duration.ofMinutes(10));
        Map<String, Integer> perPod = new HashMap<>();
        for (CoreV1Event event : events) {
            OffsetDateTime last = event.getLastTimestamp() != null ? event.getLastTimestamp() : event.getEventTime();
            if ("Unhealthy".equals(event.getReason()) && event.getInvolvedObject() != null && "Pod".equals(event.getInvolvedObject().getKind())
                    && last != null && last.toInstant().isAfter(since)) {
                perPod.merge(event.getInvolvedObject().getName(), nz(event.getCount(), 1), Integer::sum);
            }
        }
        return perPod;
    }

    // ------------------------------------------------------------------ edges

    /**
     * The workload a Service's selector picks: one whose pod template carries every selector label. Looked up from
     * the rarest selector label's workloads, so thousands of Services do not each scan thousands of workloads.
     */
    private static java.util.Optional<Workload> selected(V1Service service, Map<String, List<Workload>> byLabel) {
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<Workload> candidates = null;
        for (var entry : selector.entrySet()) {
            List<Workload> labelled = byLabel.getOrDefault(entry.getKey() + "=" + entry.getValue(), List.of());
            if (candidates == null || labelled.size() < candidates.size()) {
                candidates = labelled;
            }
        }
        return candidates.stream().filter(w -> templateLabels(w).entrySet().containsAll(selector.entrySet())).findFirst();
    }

    private static Map<String, String> templateLabels(Workload w) {
        return w.template().getMetadata() == null || w.template().getMetadata().getLabels() == null ? Map.of()
                : w.template().getMetadata().getLabels();
    }

    /** References in env vars (literal, from a ConfigMap key, or a whole ConfigMap) and in mounted ConfigMaps. */
    private static Set<ServiceReferences.Reference> configReferences(Workload w, Map<String, V1ConfigMap> configMaps, ServiceReferences refs) {
        Set<ServiceReferences.Reference> found = new LinkedHashSet<>();
        var spec = w.template().getSpec();
        if (spec == null) {
            return found;
        }
        String ns = w.ref().namespace();
        List<V1Container> containers = new ArrayList<>(spec.getContainers());
        if (spec.getInitContainers() != null) {
            containers.addAll(spec.getInitContainers());
        }
        for (V1Container c : containers) {
            if (c.getEnv() != null) {
                for (var env : c.getEnv()) {
                    if (env.getValue() != null) {
                        found.addAll(refs.inEnv(env.getName(), env.getValue(), ns));
                    } else if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                        var key = env.getValueFrom().getConfigMapKeyRef();
                        V1ConfigMap cm = configMaps.get(key.getName());
                        String value = cm == null || cm.getData() == null ? null : cm.getData().get(key.getKey());
                        if (value != null) {
                            found.addAll(refs.inConfigMap(key.getName(), key.getKey(), value, ns));
                        }
                    } else {
                        found.addAll(refs.inEnv(env.getName(), "", ns)); // the name alone may be a *_SERVICE_HOST link
                    }
                }
            }
            if (c.getEnvFrom() != null) {
                c.getEnvFrom().stream().filter(source -> source.getConfigMapRef() != null)
                        .forEach(source -> scan(configMaps.get(source.getConfigMapRef().getName()), refs, ns, found));
            }
        }
        if (spec.getVolumes() != null) {
            spec.getVolumes().stream().filter(v -> v.getConfigMap() != null)
                    .forEach(v -> scan(configMaps.get(v.getConfigMap().getName()), refs, ns, found));
        }
        return found;
    }

    private static void scan(V1ConfigMap cm, ServiceReferences refs, String ns, Set<ServiceReferences.Reference> found) {
        if (cm != null && cm.getData() != null) {
            cm.getData().forEach((key, value) -> found.addAll(refs.inConfigMap(cm.getMetadata().getName(), key, value, ns)));
        }
    }

    private static String annotation(V1ObjectMeta meta, String key) {
        return meta.getAnnotations() == null ? null : meta.getAnnotations().get(key);
    }

    private static int nz(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }
}
