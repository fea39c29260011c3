package dev.awoooi.local.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the controllers the mock lacks: Deployment (with its ReplicaSets), StatefulSet, ReplicaSet, kubelet
 * readiness and the disruption controller. The mock bumps metadata.generation whenever a spec changes (a restart
 * annotation, replicas, a template); a workload whose status.observedGeneration lags behind is rolled out at once.
 * Between rollouts, a pod that disappears (deleted, evicted) is replaced as its controller would replace it, and
 * the replacement takes {@link #STARTUP} to pass readiness, so disruption budgets visibly dip and recover.
 */
final class RolloutController implements AutoCloseable {

    static final String REVISION = "deployment.kubernetes.io/revision";
    // Real Deployments record, on a ReplicaSet reused by a rollback, the revision numbers it had before.
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String TEMPLATE_HASH = "pod-template-hash";
    /** From a replacement pod's start to its readiness: long enough that a second eviction meets an exhausted budget. */
    static final Duration STARTUP = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(RolloutController.class);
    // The alphabet Kubernetes uses for generated name suffixes: no vowels, so no accidental words.
    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    // Rollouts land on the small workers; worker-large-01 stays nearly empty for bin-packing demos.
    private static final List<String> PREFERRED_NODES = List.of("worker-1", "worker-2");

    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "demo-rollout-controller");
        thread.setDaemon(true);
        return thread;
    });

    RolloutController(KubernetesClient client) {
        this.client = client;
    }

    void start() {
        loop.scheduleWithFixedDelay(this::reconcile, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass at a time, and never beside a rollout asked for from outside (a harness adding services): as one controller. */
    private synchronized void reconcile() {
        try {
            // Readiness first, so the workload statuses and budgets written below already count the pods that just passed.
            promoteStartedPods();
            Snapshot seen = snapshot();
            for (StatefulSet set : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
                if (outdated(set, set.getStatus() == null ? null : set.getStatus().getObservedGeneration())) {
                    rollOut(set);
                    log.info("rolled out statefulset {}/{} at generation {}", set.getMetadata().getNamespace(),
                            set.getMetadata().getName(), set.getMetadata().getGeneration());
                } else {
                    replaceMissingPods(set, seen);
                }
            }
            for (Deployment deployment : client.apps().deployments().inAnyNamespace().list().getItems()) {
                if (outdated(deployment, deployment.getStatus() == null ? null : deployment.getStatus().getObservedGeneration())) {
                    rollOut(deployment, RandomGenerator.getDefault());
                    log.info("rolled out deployment {}/{} at generation {}", deployment.getMetadata().getNamespace(),
                            deployment.getMetadata().getName(), deployment.getMetadata().getGeneration());
                } else {
                    replaceMissingPods(deployment, seen);
                }
            }
            client.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems().stream()
                    .map(budget -> budget.getMetadata().getNamespace()).distinct()
                    .forEach(namespace -> refreshBudgets(client, namespace));
        } catch (RuntimeException e) {
            // A conflicting write or a server shutting down: the next pass sees the fresh state and retries.
            log.debug("rollout pass failed: {}", e.toString());
        }
    }

    /**
     * What a pass reads once for all the workloads it checks: pods and ReplicaSets by owner, and the schedulable
     * nodes, so a pass over a thousand Deployments costs a few lists, not three per Deployment.
     */
    private record Snapshot(Map<String, List<Pod>> podsByOwner, Map<String, List<ReplicaSet>> setsByOwner, List<String> nodes) {
        List<Pod> podsOf(String ownerUid) {
            return podsByOwner.getOrDefault(ownerUid, List.of());
        }
    }

    private Snapshot snapshot() {
        Map<String, List<Pod>> pods = new HashMap<>();
        for (Pod pod : live(client.pods().inAnyNamespace().list().getItems())) {
            pod.getMetadata().getOwnerReferences().forEach(owner -> pods.computeIfAbsent(owner.getUid(), k -> new ArrayList<>()).add(pod));
        }
        Map<String, List<ReplicaSet>> sets = new HashMap<>();
        for (ReplicaSet set : client.apps().replicaSets().inAnyNamespace().list().getItems()) {
            set.getMetadata().getOwnerReferences().forEach(owner -> sets.computeIfAbsent(owner.getUid(), k -> new ArrayList<>()).add(set));
        }
        return new Snapshot(pods, sets, schedulableNodes());
    }

    private static boolean outdated(HasMetadata workload, Long observedGeneration) {
        return !Objects.equals(workload.getMetadata().getGeneration(), observedGeneration);
    }

    synchronized void rollOut(StatefulSet set) {
        String namespace = set.getMetadata().getNamespace();
        String name = set.getMetadata().getName();
        int replicas = Objects.requireNonNullElse(set.getSpec().getReplicas(), 1);
        String revision = name + "-" + templateHash(set.getSpec().getTemplate());
        List<String> nodes = schedulableNodes();
        client.pods().inNamespace(namespace).withLabels(set.getSpec().getSelector().getMatchLabels()).delete();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            client.resource(statefulPod(set, ordinal, revision, nodes, true)).create();
        }
        set.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(set.getMetadata().getGeneration())
                .withReplicas(replicas).withReadyReplicas(replicas).withCurrentReplicas(replicas)
                .withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
                .withCurrentRevision(revision).withUpdateRevision(revision).build());
        client.resource(set).updateStatus();
        refreshBudgets(client, namespace);
    }

    /**
     * Rolls the Deployment to the ReplicaSet of its current template, as the Deployment controller does: a template
     * seen before (a rollback) reuses its old ReplicaSet, which becomes the newest revision; a new template gets a
     * new ReplicaSet; an unchanged template (a scale) keeps its revision. Older ReplicaSets scale to 0.
     */
    synchronized void rollOut(Deployment deployment, RandomGenerator random) {
        String namespace = deployment.getMetadata().getNamespace();
        String name = deployment.getMetadata().getName();
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        PodTemplateSpec wanted = deployment.getSpec().getTemplate();
        List<ReplicaSet> owned = ownedReplicaSets(deployment);
        long newest = owned.stream().mapToLong(RolloutController::revision).max().orElse(0);
        ReplicaSet current = owned.stream().filter(set -> sameTemplate(set.getSpec().getTemplate(), wanted)).findFirst().orElse(null);
        if (current == null) {
            String hash = templateHash(wanted);
            PodTemplateSpec template = new PodTemplateSpecBuilder(wanted).editOrNewMetadata().addToLabels(TEMPLATE_HASH, hash).endMetadata().build();
            current = new ReplicaSetBuilder()
                    .withNewMetadata().withName(name + "-" + hash).withNamespace(namespace).withLabels(template.getMetadata().getLabels())
                    .addToAnnotations(REVISION, String.valueOf(newest + 1)).withOwnerReferences(ownerOf(deployment)).endMetadata()
                    .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(template.getMetadata().getLabels()).endSelector()
                    .withTemplate(template).endSpec()
                    .build();
        } else {
            current = new ReplicaSetBuilder(current).editSpec().withReplicas(replicas).endSpec().build();
            long had = revision(current);
            if (had < newest) {
                String history = current.getMetadata().getAnnotations().get(REVISION_HISTORY);
                current.getMetadata().getAnnotations().put(REVISION_HISTORY, history == null ? String.valueOf(had) : history + "," + had);
                current.getMetadata().getAnnotations().put(REVISION, String.valueOf(newest + 1));
            }
        }
        // The mock has no status subresource for built-in kinds: one PUT stores spec and status together.
        current.setStatus(new ReplicaSetStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
                .withFullyLabeledReplicas(replicas).withObservedGeneration(Objects.requireNonNullElse(current.getMetadata().getGeneration(), 1L))
                .build());
        current = client.resource(current).createOr(NonDeletingOperation::update);
        String currentUid = current.getMetadata().getUid();
        for (ReplicaSet old : owned) {
            if (!old.getMetadata().getUid().equals(currentUid) && Objects.requireNonNullElse(old.getSpec().getReplicas(), 0) != 0) {
                old.getSpec().setReplicas(0);
                old.setStatus(new ReplicaSetStatusBuilder().withReplicas(0).withObservedGeneration(old.getMetadata().getGeneration()).build());
                client.resource(old).update();
            }
        }
        List<Pod> mine = new ArrayList<>();
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            if (ownedBy(pod, currentUid)) {
                mine.add(pod);
            } else if (owned.stream().anyMatch(set -> ownedBy(pod, set.getMetadata().getUid()))) {
                client.resource(pod).delete();
            }
        }
        List<String> nodes = schedulableNodes();
        while (mine.size() < replicas) {
            Pod pod = pod(namespace, current, current.getSpec().getTemplate(), current.getMetadata().getName() + "-" + suffix(random, 5),
                    leastLoaded(nodes, mine), Map.of(), List.of(), true);
            mine.add(client.resource(pod).create());
        }
        for (Pod extra : mine.subList(replicas, mine.size())) {
            client.resource(extra).delete();
        }
        String revision = current.getMetadata().getAnnotations().get(REVISION);
        if (!revision.equals(annotations(deployment).get(REVISION))) {
            // The Deployment controller mirrors its current revision onto the Deployment; metadata bumps no generation.
            deployment = client.apps().deployments().inNamespace(namespace).withName(name).edit(d -> new DeploymentBuilder(d)
                    .editMetadata().addToAnnotations(REVISION, revision).endMetadata().build());
        }
        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas).withReadyReplicas(replicas).withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
                .build());
        client.resource(deployment).updateStatus();
        refreshBudgets(client, namespace);
    }

    /** The ReplicaSet controller's job: the newest ReplicaSet keeps its replica count, replacements start unready. */
    private void replaceMissingPods(Deployment deployment, Snapshot seen) {
        List<ReplicaSet> owned = seen.setsByOwner().getOrDefault(deployment.getMetadata().getUid(), List.of());
        ReplicaSet current = owned.stream().filter(set -> Objects.requireNonNullElse(set.getSpec().getReplicas(), 0) > 0)
                .max(Comparator.comparingLong(RolloutController::revision)).orElse(null);
        if (current == null) {
            return;
        }
        String namespace = deployment.getMetadata().getNamespace();
        List<Pod> mine = new ArrayList<>(seen.podsOf(current.getMetadata().getUid()));
        while (mine.size() < current.getSpec().getReplicas()) {
            Pod pod = pod(namespace, current, current.getSpec().getTemplate(),
                    current.getMetadata().getName() + "-" + suffix(RandomGenerator.getDefault(), 5), leastLoaded(seen.nodes(), mine), Map.of(), List.of(), false);
            mine.add(client.resource(pod).create());
            log.info("replaced a pod of replicaset {}/{}", namespace, current.getMetadata().getName());
        }
        List<Pod> ofDeployment = new ArrayList<>();
        owned.forEach(set -> ofDeployment.addAll(set == current ? mine : seen.podsOf(set.getMetadata().getUid())));
        int ready = (int) ofDeployment.stream().filter(RolloutController::ready).count();
        int updated = mine.size();
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        if (!Objects.equals(status.getReplicas(), ofDeployment.size()) || !Objects.equals(status.getReadyReplicas(), ready)
                || !Objects.equals(status.getAvailableReplicas(), ready) || !Objects.equals(status.getUpdatedReplicas(), updated)) {
            deployment.setStatus(new DeploymentStatusBuilder(status).withReplicas(ofDeployment.size()).withReadyReplicas(ready)
                    .withAvailableReplicas(ready).withUpdatedReplicas(updated).build());
            client.resource(deployment).updateStatus();
        }
    }

    /** The StatefulSet controller's job: a missing ordinal comes back under the same name, with the same claims. */
    private void replaceMissingPods(StatefulSet set, Snapshot seen) {
        String namespace = set.getMetadata().getNamespace();
        int replicas = Objects.requireNonNullElse(set.getSpec().getReplicas(), 1);
        List<Pod> mine = seen.podsOf(set.getMetadata().getUid());
        StatefulSetStatus status = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        String revision = status.getUpdateRevision() != null ? status.getUpdateRevision()
                : set.getMetadata().getName() + "-" + templateHash(set.getSpec().getTemplate());
        List<Pod> pods = new ArrayList<>(mine);
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            String podName = set.getMetadata().getName() + "-" + ordinal;
            if (mine.stream().noneMatch(pod -> pod.getMetadata().getName().equals(podName))) {
                pods.add(client.resource(statefulPod(set, ordinal, revision, seen.nodes(), false)).create());
                log.info("replaced pod {}/{}", namespace, podName);
            }
        }
        int ready = (int) pods.stream().filter(RolloutController::ready).count();
        if (!Objects.equals(status.getReplicas(), pods.size()) || !Objects.equals(status.getReadyReplicas(), ready)
                || !Objects.equals(status.getAvailableReplicas(), ready)) {
            set.setStatus(new StatefulSetStatusBuilder(status).withReplicas(pods.size()).withReadyReplicas(ready)
                    .withAvailableReplicas(ready).build());
            client.resource(set).updateStatus();
        }
    }

    /** The kubelet's readiness probe: a started container passes once {@link #STARTUP} has gone by. */
    private void promoteStartedPods() {
        Instant now = Instant.now();
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            if (starting(pod) && !Instant.parse(pod.getStatus().getStartTime()).plus(STARTUP).isAfter(now)) {
                pod.getStatus().setContainerStatuses(pod.getStatus().getContainerStatuses().stream()
                        .map(status -> new ContainerStatusBuilder(status).withReady(true).withStarted(true).build()).toList());
                pod.getStatus().setConditions(List.of(condition("PodScheduled", true), condition("Initialized", true),
                        condition("ContainersReady", true), condition("Ready", true)));
                client.resource(pod).updateStatus();
            }
        }
    }

    /** Started by us and waiting for readiness: running containers not yet started. A crash-looping pod is waiting, not this. */
    private static boolean starting(Pod pod) {
        var status = pod.getStatus();
        return status != null && "Running".equals(status.getPhase()) && status.getStartTime() != null && !ready(pod)
                && !status.getContainerStatuses().isEmpty()
                && status.getContainerStatuses().stream().allMatch(container -> container.getState() != null
                        && container.getState().getRunning() != null && Boolean.FALSE.equals(container.getStarted()));
    }

    private Pod statefulPod(StatefulSet set, int ordinal, String revision, List<String> nodes, boolean ready) {
        String name = set.getMetadata().getName();
        String podName = name + "-" + ordinal;
        List<Volume> claims = set.getSpec().getVolumeClaimTemplates().stream()
                .map(claim -> new VolumeBuilder().withName(claim.getMetadata().getName()).withNewPersistentVolumeClaim()
                        .withClaimName(claim.getMetadata().getName() + "-" + podName).endPersistentVolumeClaim().build())
                .toList();
        String node = nodes.isEmpty() ? null : nodes.get(Math.floorMod(name.hashCode() + ordinal, nodes.size()));
        return pod(set.getMetadata().getNamespace(), set, set.getSpec().getTemplate(), podName, node,
                Map.of("controller-revision-hash", revision, "statefulset.kubernetes.io/pod-name", podName), claims, ready);
    }

    /** The nodes the scheduler may use: cordoned nodes take no new pods; the small workers first. */
    private List<String> schedulableNodes() {
        List<String> open = client.nodes().list().getItems().stream()
                .filter(node -> node.getSpec() == null || !Boolean.TRUE.equals(node.getSpec().getUnschedulable()))
                .map(Node::getMetadata).map(meta -> meta.getName()).toList();
        List<String> preferred = PREFERRED_NODES.stream().filter(open::contains).toList();
        return preferred.isEmpty() ? open : preferred;
    }

    /** Spreads a controller's pods: the node with the fewest of its siblings, ties to the first; null when none is open. */
    private static String leastLoaded(List<String> nodes, List<Pod> siblings) {
        return nodes.stream().min(Comparator.comparingLong(node -> siblings.stream()
                .filter(pod -> node.equals(pod.getSpec().getNodeName())).count())).orElse(null);
    }

    /** A pod as the kubelet reports it once all containers started and passed readiness. */
    static Pod runningPod(String namespace, HasMetadata owner, PodTemplateSpec template, String name, String node,
            Map<String, String> extraLabels, List<Volume> volumes) {
        return pod(namespace, owner, template, name, node, extraLabels, volumes, true);
    }

    /**
     * A pod on {@code node}: ready at once (a rollout, which the demo settles instantly) or just started (a replacement,
     * ready after {@link #STARTUP}); Pending when no node can take it.
     */
    static Pod pod(String namespace, HasMetadata owner, PodTemplateSpec template, String name, String node,
            Map<String, String> extraLabels, List<Volume> volumes, boolean ready) {
        String started = now();
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(template.getMetadata().getLabels()).addToLabels(extraLabels)
                .withAnnotations(template.getMetadata().getAnnotations())
                .withOwnerReferences(owner == null ? List.of() : List.of(ownerOf(owner))).endMetadata()
                .withSpec(new PodSpecBuilder(template.getSpec()).withNodeName(node).addAllToVolumes(volumes).build());
        if (node == null) {
            return pod.withNewStatus().withPhase("Pending").withQosClass("Burstable")
                    .withConditions(new PodConditionBuilder(condition("PodScheduled", false)).withReason("Unschedulable")
                            .withMessage("no nodes are available: every node is unschedulable").build())
                    .endStatus().build();
        }
        List<ContainerStatus> containers = template.getSpec().getContainers().stream()
                .map(container -> new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                        .withImageID(imageId(container)).withContainerID("containerd://" + UUID.randomUUID().toString().replace("-", ""))
                        .withReady(ready).withStarted(ready).withRestartCount(0)
                        .withNewState().withNewRunning(started).endState().build())
                .toList();
        return pod.withNewStatus().withPhase("Running").withQosClass("Burstable").withStartTime(started)
                .withHostIP(nodeIp(node)).withPodIP("10.244.%d.%d".formatted(Math.floorMod(node.hashCode(), 200), Math.floorMod(name.hashCode(), 250) + 2))
                .withConditions(condition("PodScheduled", true), condition("Initialized", true),
                        condition("ContainersReady", ready), condition("Ready", ready))
                .withContainerStatuses(containers).endStatus()
                .build();
    }

    static PodCondition condition(String type, boolean met) {
        return new PodConditionBuilder().withType(type).withStatus(met ? "True" : "False").withLastTransitionTime(now()).build();
    }

    /**
     * The disruption controller: how many pods each budget may lose now, from the pods' readiness and, for
     * maxUnavailable and percentages, the scale of the controllers the budget covers (as the real controller counts).
     * Writes only what changed, so an eviction's decrement is not overwritten by a pass that read the pods before it.
     */
    static void refreshBudgets(KubernetesClient client, String namespace) {
        List<Pod> pods = live(client.pods().inNamespace(namespace).list().getItems());
        List<Deployment> deployments = client.apps().deployments().inNamespace(namespace).list().getItems();
        List<StatefulSet> sets = client.apps().statefulSets().inNamespace(namespace).list().getItems();
        for (PodDisruptionBudget budget : client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems()) {
            LabelSelector selector = budget.getSpec().getSelector();
            List<Pod> covered = pods.stream().filter(pod -> selects(selector, pod.getMetadata().getLabels())).toList();
            // As the disruption controller: a pod evicted a moment ago (status.disruptedPods) is not healthy any more, even
            // in a pod list read before its deletion; the entry goes once the pod is gone, or after two minutes. Without
            // this, a recount from such a list would hand the budget's room back right after an eviction took it.
            Map<String, String> disrupted = budget.getStatus() == null || budget.getStatus().getDisruptedPods() == null ? Map.of()
                    : budget.getStatus().getDisruptedPods();
            Map<String, String> going = new java.util.TreeMap<>();
            java.util.Set<String> present = covered.stream().map(p -> p.getMetadata().getName()).collect(java.util.stream.Collectors.toSet());
            disrupted.forEach((pod, at) -> {
                if (present.contains(pod) && !expired(at)) {
                    going.put(pod, at);
                }
            });
            int healthy = (int) covered.stream().filter(RolloutController::ready).filter(p -> !going.containsKey(p.getMetadata().getName())).count();
            IntOrString minAvailable = budget.getSpec().getMinAvailable();
            IntOrString maxUnavailable = budget.getSpec().getMaxUnavailable();
            int expected;
            int desired;
            if (minAvailable != null && minAvailable.getIntVal() != null) {
                expected = covered.size();
                desired = minAvailable.getIntVal();
            } else {
                int scale = deployments.stream().filter(d -> selects(selector, d.getSpec().getTemplate().getMetadata().getLabels()))
                        .mapToInt(d -> Objects.requireNonNullElse(d.getSpec().getReplicas(), 1)).sum()
                        + sets.stream().filter(s -> selects(selector, s.getSpec().getTemplate().getMetadata().getLabels()))
                        .mapToInt(s -> Objects.requireNonNullElse(s.getSpec().getReplicas(), 1)).sum();
                expected = scale > 0 ? scale : covered.size();
                desired = maxUnavailable != null ? Math.max(0, expected - scaled(maxUnavailable, expected))
                        : minAvailable != null ? scaled(minAvailable, expected) : expected;
            }
            int allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
            PodDisruptionBudgetStatus fresh = new PodDisruptionBudgetStatusBuilder().withObservedGeneration(budget.getMetadata().getGeneration())
                    .withExpectedPods(expected).withCurrentHealthy(healthy).withDesiredHealthy(desired)
                    .withDisruptionsAllowed(allowed).withDisruptedPods(going.isEmpty() ? null : going).build();
            PodDisruptionBudgetStatus stored = budget.getStatus();
            if (stored == null || !Objects.equals(stored.getObservedGeneration(), fresh.getObservedGeneration())
                    || !Objects.equals(stored.getExpectedPods(), expected) || !Objects.equals(stored.getCurrentHealthy(), healthy)
                    || !Objects.equals(stored.getDesiredHealthy(), desired) || !Objects.equals(stored.getDisruptionsAllowed(), allowed)
                    || !Objects.equals(stored.getDisruptedPods() == null ? Map.of() : stored.getDisruptedPods(), going)) {
                budget.setStatus(fresh);
                client.resource(budget).updateStatus();
            }
        }
    }

    private static boolean expired(String disruptedAt) {
        try {
            return java.time.Instant.parse(disruptedAt).isBefore(java.time.Instant.now().minus(java.time.Duration.ofMinutes(2)));
        } catch (java.time.format.DateTimeParseException e) {
            return true;
        }
    }

    /** An IntOrString against a total: an integer as is, a percentage rounded up (as the disruption controller does). */
    private static int scaled(IntOrString value, int total) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String percent = value.getStrVal().trim();
        int p = Integer.parseInt(percent.endsWith("%") ? percent.substring(0, percent.length() - 1) : percent);
        return (int) Math.ceil(total * p / 100.0);
    }

    /** policy/v1 selector semantics: null selects nothing, an empty selector selects every pod. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null && !have.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
            String value = have.get(requirement.getKey());
            boolean met = switch (requirement.getOperator()) {
                case "In" -> value != null && requirement.getValues().contains(value);
                case "NotIn" -> value == null || !requirement.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!met) {
                return false;
            }
        }
        return true;
    }

    static String nodeIp(String node) {
        return "10.0.1." + (10 + Math.floorMod(node.hashCode(), 200));
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(condition -> condition.getType().equals("Ready") && condition.getStatus().equals("True"));
    }

    private List<ReplicaSet> ownedReplicaSets(Deployment deployment) {
        String uid = deployment.getMetadata().getUid();
        return client.apps().replicaSets().inNamespace(deployment.getMetadata().getNamespace()).list().getItems().stream()
                .filter(set -> set.getMetadata().getOwnerReferences().stream().anyMatch(owner -> uid.equals(owner.getUid())))
                .toList();
    }

    /** A template as a ReplicaSet carries it equals the Deployment's once the pod-template-hash label is set aside. */
    private static boolean sameTemplate(PodTemplateSpec ofReplicaSet, PodTemplateSpec wanted) {
        Map<String, String> labels = new LinkedHashMap<>(ofReplicaSet.getMetadata().getLabels());
        labels.remove(TEMPLATE_HASH);
        return new PodTemplateSpecBuilder(ofReplicaSet).editMetadata().withLabels(labels).endMetadata().build().equals(wanted);
    }

    private static long revision(ReplicaSet set) {
        return Long.parseLong(annotations(set).getOrDefault(REVISION, "0"));
    }

    private static Map<String, String> annotations(HasMetadata object) {
        return object.getMetadata().getAnnotations() == null ? Map.of() : object.getMetadata().getAnnotations();
    }

    private static boolean ownedBy(Pod pod, String uid) {
        return pod.getMetadata().getOwnerReferences().stream().anyMatch(owner -> uid.equals(owner.getUid()));
    }

    /** Pods not on their way out: the mock removes deleted pods at once, but a finalizer may hold one back. */
    private static List<Pod> live(List<Pod> pods) {
        return pods.stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static OwnerReference ownerOf(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    private static String imageId(Container container) {
        String digest = UUID.nameUUIDFromBytes(container.getImage().getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        return container.getImage().replaceFirst(":[^:/]+$", "") + "@sha256:" + digest + digest;
    }

    /** Like the pod-template-hash label: stable for a template, so the same template names the same ReplicaSet. */
    private static String templateHash(PodTemplateSpec template) {
        long bits = UUID.nameUUIDFromBytes(Serialization.asJson(template).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits() & Long.MAX_VALUE;
        StringBuilder hash = new StringBuilder();
        for (int i = 0; i < 9; i++, bits /= NAME_ALPHABET.length()) {
            hash.append(NAME_ALPHABET.charAt((int) (bits % NAME_ALPHABET.length())));
        }
        return hash.toString();
    }

    static String suffix(RandomGenerator random, int length) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < length; i++) {
            suffix.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
        }
        return suffix.toString();
    }
}
