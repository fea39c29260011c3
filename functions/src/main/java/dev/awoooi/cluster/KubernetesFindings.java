package dev.awoooi.cluster;

import dev.awoooi.analysis.Findings;
import dev.awoooi.analysis.Investigation;
import dev.awoooi.privacy.PrivacyShield;
import dev.awoooi.topology.WorkloadRef;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ReplicaSet;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The investigation's read-only look at the cluster: `kubectl describe`, `get events`, `rollout history` and `logs
 * --tail` in one pass, bounded so the findings fit on the incident, every text masked by the privacy shield.
 */
public final class KubernetesFindings implements Investigation {
    static final int EVENTS = 10, RESTARTS = 10, ROLLOUTS = 5, LOG_PODS = 2, LOG_LINES = 20, LINE_CHARS = 300;

    private final CoreV1Api core;
    private final AppsV1Api apps;
    private final PrivacyShield shield;

    public KubernetesFindings(ApiClient client, PrivacyShield shield) {
        this.core = new CoreV1Api(client);
        this.apps = new AppsV1Api(client);
        this.shield = shield;
    }

    @Override
    public Findings look(WorkloadRef workload) {
        String ns = workload.namespace();
        List<String> gaps = new ArrayList<>();
        V1LabelSelector selector;
        List<String> rollouts;
        try {
            switch (workload.kind()) {
                case DEPLOYMENT -> {
                    var deployment = apps.readNamespacedDeployment(workload.name(), ns).execute();
                    selector = deployment.getSpec().getSelector();
                    rollouts = rollouts(deployment.getMetadata().getUid(), ns, selector);
                }
                case STATEFULSET -> {
                    var set = apps.readNamespacedStatefulSet(workload.name(), ns).execute();
                    selector = set.getSpec().getSelector();
                    var status = set.getStatus();
                    rollouts = status == null ? List.of() : List.of("revision " + status.getCurrentRevision()
                            + (Objects.equals(status.getCurrentRevision(), status.getUpdateRevision()) ? " (current, fully rolled out)"
                            : " (current), rolling out " + status.getUpdateRevision()));
                }
                default -> throw new IllegalArgumentException("not a workload kind: " + workload.kind());
            }
        } catch (ApiException e) {
            return Findings.notLooked(workload.toString(), workload + " could not be read: HTTP " + e.getCode());
        }
        List<V1Pod> pods;
        try {
            // No selector would list every pod of the namespace: none is looked at rather than all.
            pods = labels(selector).isEmpty() ? List.of() : core.listNamespacedPod(ns).labelSelector(labels(selector)).execute().getItems();
        } catch (ApiException e) {
            pods = List.of();
            gaps.add("its pods could not be listed: HTTP " + e.getCode());
        }
        Set<String> podNames = pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        List<String> events = events(ns, e -> workload.name().equals(e.getInvolvedObject().getName())
                || podNames.contains(e.getInvolvedObject().getName()), gaps);
        List<String> restarts = new ArrayList<>();
        List<Findings.LogTail> logs = new ArrayList<>();
        int restarting = 0;
        for (V1Pod pod : pods) {
            for (V1ContainerStatus container : statuses(pod)) {
                if (restarts(container) > 0 || waiting(container) != null) {
                    if (restarts.size() < RESTARTS) {
                        restarts.add(mask(restartLine(pod, container)));
                    }
                    restarting++;
                }
            }
        }
        if (restarting > RESTARTS) {
            restarts.add((restarting - RESTARTS) + " more containers restarted");
        }
        pods.stream().filter(KubernetesFindings::failing).limit(LOG_PODS).forEach(pod -> logTail(pod, gaps).ifPresent(logs::add));
        if (pods.isEmpty()) {
            gaps.add("no pod of " + workload + " exists");
        }
        return new Findings(workload.toString(), events, restarts, rollouts.stream().map(this::mask).toList(), logs, gaps);
    }

    @Override
    public Findings warnings(String namespace) {
        List<String> gaps = new ArrayList<>();
        List<String> events = events(namespace, e -> "Warning".equals(e.getType()), gaps);
        return new Findings("namespace " + namespace, events, List.of(), List.of(), List.of(), gaps);
    }

    private List<String> events(String namespace, Predicate<CoreV1Event> about, List<String> gaps) {
        try {
            return core.listNamespacedEvent(namespace).execute().getItems().stream()
                    .filter(e -> e.getInvolvedObject() != null && e.getInvolvedObject().getName() != null && about.test(e))
                    .sorted(Comparator.comparing(KubernetesFindings::last, Comparator.nullsLast(Comparator.reverseOrder())))
                    .limit(EVENTS)
                    .map(e -> mask(last(e) + " " + e.getType() + " " + e.getReason() + " " + e.getInvolvedObject().getKind().toLowerCase()
                            + "/" + e.getInvolvedObject().getName() + ": " + e.getMessage() + (e.getCount() == null || e.getCount() < 2 ? "" : " (x" + e.getCount() + ")")))
                    .toList();
        } catch (ApiException e) {
            gaps.add("events could not be listed: HTTP " + e.getCode());
            return List.of();
        }
    }

    private List<String> rollouts(String deploymentUid, String namespace, V1LabelSelector selector) throws ApiException {
        List<V1ReplicaSet> owned = apps.listNamespacedReplicaSet(namespace).labelSelector(labels(selector)).execute().getItems().stream()
                .filter(set -> set.getMetadata().getOwnerReferences() != null
                        && set.getMetadata().getOwnerReferences().stream().anyMatch(o -> deploymentUid.equals(o.getUid())))
                .sorted(Comparator.comparing(KubernetesFindings::revision).reversed())
                .limit(ROLLOUTS).toList();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < owned.size(); i++) {
            V1ReplicaSet set = owned.get(i);
            var status = set.getStatus();
            String images = set.getSpec().getTemplate().getSpec().getContainers().stream().map(c -> String.valueOf(c.getImage()))
                    .collect(Collectors.joining(", "));
            lines.add("revision " + revision(set) + (i == 0 ? " (current)" : "") + ": " + images + ", created "
                    + set.getMetadata().getCreationTimestamp() + ", " + (status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas())
                    + " of " + (status == null ? 0 : status.getReplicas()) + " ready");
        }
        return lines;
    }

    private java.util.Optional<Findings.LogTail> logTail(V1Pod pod, List<String> gaps) {
        String name = pod.getMetadata().getName();
        V1ContainerStatus container = statuses(pod).stream().filter(c -> !Boolean.TRUE.equals(c.getReady())).findFirst()
                .orElse(statuses(pod).isEmpty() ? null : statuses(pod).getFirst());
        if (container == null) {
            return java.util.Optional.empty();
        }
        // A crash loop's story is in the run that died, not in the one waiting to start.
        boolean previous = restarts(container) > 0 && waiting(container) != null;
        try {
            String log = core.readNamespacedPodLog(name, pod.getMetadata().getNamespace()).container(container.getName())
                    .tailLines(LOG_LINES).previous(previous).execute();
            // Masked whole, then split: a detector may need several lines together (a private key's header and body).
            List<String> lines = log == null ? List.of() : shield.mask(log).lines().map(this::mask).toList();
            return java.util.Optional.of(new Findings.LogTail(name, container.getName(), previous,
                    lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size())));
        } catch (ApiException e) {
            gaps.add("the log of pod/" + name + " could not be read: HTTP " + e.getCode());
            return java.util.Optional.empty();
        }
    }

    private String restartLine(V1Pod pod, V1ContainerStatus container) {
        var terminated = container.getLastState() == null ? null : container.getLastState().getTerminated();
        String waiting = waiting(container);
        return "pod/" + pod.getMetadata().getName() + " container " + container.getName() + ": " + restarts(container) + " restarts"
                + (terminated == null ? "" : ", last exit " + terminated.getExitCode() + " (" + terminated.getReason() + ") at " + terminated.getFinishedAt())
                + (waiting == null ? "" : ", now " + waiting);
    }

    private static boolean failing(V1Pod pod) {
        return statuses(pod).stream().anyMatch(c -> !Boolean.TRUE.equals(c.getReady()) || restarts(c) > 0);
    }

    private static List<V1ContainerStatus> statuses(V1Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of() : pod.getStatus().getContainerStatuses();
    }

    private static int restarts(V1ContainerStatus container) {
        return container.getRestartCount() == null ? 0 : container.getRestartCount();
    }

    private static String waiting(V1ContainerStatus container) {
        return container.getState() == null || container.getState().getWaiting() == null ? null : container.getState().getWaiting().getReason();
    }

    private static OffsetDateTime last(CoreV1Event event) {
        return event.getLastTimestamp() != null ? event.getLastTimestamp()
                : event.getEventTime() != null ? event.getEventTime() : event.getMetadata() == null ? null : event.getMetadata().getCreationTimestamp();
    }

    private static long revision(V1ReplicaSet set) {
        return Objects.requireNonNullElse(KubernetesActions.revisionOf(set.getMetadata()), 0L);
    }

    private static String labels(V1LabelSelector selector) {
        return selector == null || selector.getMatchLabels() == null ? "" : selector.getMatchLabels().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(","));
    }

    private String mask(String text) {
        String masked = shield.mask(text);
        return masked.length() <= LINE_CHARS ? masked : masked.substring(0, LINE_CHARS) + "…";
    }
}
