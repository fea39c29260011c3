package dev.awoooi.local.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Stands in for the Deployment and StatefulSet controllers the mock lacks. The mock bumps metadata.generation
 * whenever a spec changes (a restart annotation, replicas, an image); a workload whose status.observedGeneration
 * lags behind is rolled out at once: fresh Running and Ready pods, a settled status, refreshed disruption budgets.
 */
final class RolloutController implements AutoCloseable {

    static final String REVISION = "deployment.kubernetes.io/revision";
    private static final Logger log = LoggerFactory.getLogger(RolloutController.class);
    // The alphabet Kubernetes uses for generated name suffixes: no vowels, so no accidental words.
    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    // Rollouts land on the small workers; worker-large-01 stays nearly empty for bin-packing demos.
    private static final List<String> NODES = List.of("worker-1", "worker-2");

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

    private void reconcile() {
        try {
            for (StatefulSet set : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
                if (outdated(set, set.getStatus() == null ? null : set.getStatus().getObservedGeneration())) {
                    rollOut(set);
                    log.info("rolled out statefulset {}/{} at generation {}", set.getMetadata().getNamespace(),
                            set.getMetadata().getName(), set.getMetadata().getGeneration());
                }
            }
            for (Deployment deployment : client.apps().deployments().inAnyNamespace().list().getItems()) {
                if (outdated(deployment, deployment.getStatus() == null ? null : deployment.getStatus().getObservedGeneration())) {
                    rollOut(deployment, RandomGenerator.getDefault());
                    log.info("rolled out deployment {}/{} at generation {}", deployment.getMetadata().getNamespace(),
                            deployment.getMetadata().getName(), deployment.getMetadata().getGeneration());
                }
            }
        } catch (RuntimeException e) {
            // A conflicting write or a server shutting down: the next pass sees the fresh state and retries.
            log.debug("rollout pass failed: {}", e.toString());
        }
    }

    private static boolean outdated(HasMetadata workload, Long observedGeneration) {
        return !Objects.equals(workload.getMetadata().getGeneration(), observedGeneration);
    }

    void rollOut(StatefulSet set) {
        String namespace = set.getMetadata().getNamespace();
        String name = set.getMetadata().getName();
        int replicas = Objects.requireNonNullElse(set.getSpec().getReplicas(), 1);
        String revision = name + "-" + templateHash(set.getSpec().getTemplate());
        client.pods().inNamespace(namespace).withLabels(set.getSpec().getSelector().getMatchLabels()).delete();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            String podName = name + "-" + ordinal;
            List<Volume> claims = set.getSpec().getVolumeClaimTemplates().stream()
                    .map(claim -> new VolumeBuilder().withName(claim.getMetadata().getName()).withNewPersistentVolumeClaim()
                            .withClaimName(claim.getMetadata().getName() + "-" + podName).endPersistentVolumeClaim().build())
                    .toList();
            client.resource(runningPod(namespace, set, set.getSpec().getTemplate(), podName,
                    NODES.get(Math.floorMod(name.hashCode() + ordinal, NODES.size())),
                    Map.of("controller-revision-hash", revision, "statefulset.kubernetes.io/pod-name", podName), claims)).create();
        }
        set.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(set.getMetadata().getGeneration())
                .withReplicas(replicas).withReadyReplicas(replicas).withCurrentReplicas(replicas)
                .withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
                .withCurrentRevision(revision).withUpdateRevision(revision).build());
        client.resource(set).updateStatus();
        refreshBudgets(client, namespace);
    }

    /** Replaces the pods with ones owned by the ReplicaSet of the current template; older ReplicaSets scale to 0. */
    void rollOut(Deployment deployment, RandomGenerator random) {
        String namespace = deployment.getMetadata().getNamespace();
        String name = deployment.getMetadata().getName();
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        String hash = templateHash(deployment.getSpec().getTemplate());
        List<ReplicaSet> history = client.apps().replicaSets().inNamespace(namespace)
                .withLabels(deployment.getSpec().getSelector().getMatchLabels()).list().getItems();
        int revision = 1 + history.stream()
                .mapToInt(set -> Integer.parseInt(set.getMetadata().getAnnotations().getOrDefault(REVISION, "0"))).max().orElse(0);
        for (ReplicaSet old : history.stream().filter(set -> set.getSpec().getReplicas() != 0).toList()) {
            old.getSpec().setReplicas(0);
            // The mock has no status subresource for built-in kinds: one PUT stores spec and status together.
            old.setStatus(new ReplicaSetStatusBuilder().withReplicas(0).withObservedGeneration(old.getMetadata().getGeneration()).build());
            client.resource(old).update();
        }
        PodTemplateSpec template = new PodTemplateSpecBuilder(deployment.getSpec().getTemplate())
                .editOrNewMetadata().addToLabels("pod-template-hash", hash).endMetadata().build();
        ReplicaSet current = new ReplicaSetBuilder()
                .withNewMetadata().withName(name + "-" + hash).withNamespace(namespace).withLabels(template.getMetadata().getLabels())
                .addToAnnotations(REVISION, String.valueOf(revision)).withOwnerReferences(ownerOf(deployment)).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(template.getMetadata().getLabels()).endSelector()
                .withTemplate(template).endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
                .withFullyLabeledReplicas(replicas).withObservedGeneration(1L).endStatus()
                .build();
        current = client.resource(current).createOr(NonDeletingOperation::update);
        client.pods().inNamespace(namespace).withLabels(deployment.getSpec().getSelector().getMatchLabels()).delete();
        for (int i = 0; i < replicas; i++) {
            client.resource(runningPod(namespace, current, template, current.getMetadata().getName() + "-" + suffix(random, 5),
                    NODES.get(i % NODES.size()), Map.of(), List.of())).create();
        }
        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas).withReadyReplicas(replicas).withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
                .build());
        client.resource(deployment).updateStatus();
        refreshBudgets(client, namespace);
    }

    /** A pod as the kubelet reports it once all containers started and passed readiness. */
    static Pod runningPod(String namespace, HasMetadata owner, PodTemplateSpec template, String name, String node,
            Map<String, String> extraLabels, List<Volume> volumes) {
        String started = now();
        List<ContainerStatus> containers = template.getSpec().getContainers().stream()
                .map(container -> new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                        .withImageID(imageId(container)).withContainerID("containerd://" + UUID.randomUUID().toString().replace("-", ""))
                        .withReady(true).withStarted(true).withRestartCount(0)
                        .withNewState().withNewRunning(started).endState().build())
                .toList();
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(template.getMetadata().getLabels()).addToLabels(extraLabels)
                .withAnnotations(template.getMetadata().getAnnotations())
                .withOwnerReferences(owner == null ? List.of() : List.of(ownerOf(owner))).endMetadata()
                .withSpec(new PodSpecBuilder(template.getSpec()).withNodeName(node).addAllToVolumes(volumes).build())
                .withNewStatus().withPhase("Running").withQosClass("Burstable").withStartTime(started)
                .withHostIP(nodeIp(node)).withPodIP("10.244.%d.%d".formatted(Math.floorMod(node.hashCode(), 200), Math.floorMod(name.hashCode(), 250) + 2))
                .withConditions(condition("PodScheduled", true), condition("Initialized", true),
                        condition("ContainersReady", true), condition("Ready", true))
                .withContainerStatuses(containers).endStatus()
                .build();
    }

    static PodCondition condition(String type, boolean met) {
        return new PodConditionBuilder().withType(type).withStatus(met ? "True" : "False").withLastTransitionTime(now()).build();
    }

    static void refreshBudgets(KubernetesClient client, String namespace) {
        for (PodDisruptionBudget budget : client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems()) {
            List<Pod> pods = client.pods().inNamespace(namespace)
                    .withLabels(budget.getSpec().getSelector().getMatchLabels()).list().getItems();
            int healthy = (int) pods.stream().filter(RolloutController::ready).count();
            int desired = budget.getSpec().getMinAvailable() != null
                    ? budget.getSpec().getMinAvailable().getIntVal()
                    : Math.max(0, pods.size() - budget.getSpec().getMaxUnavailable().getIntVal());
            budget.setStatus(new PodDisruptionBudgetStatusBuilder().withObservedGeneration(budget.getMetadata().getGeneration())
                    .withExpectedPods(pods.size()).withCurrentHealthy(healthy).withDesiredHealthy(desired)
                    .withDisruptionsAllowed(Math.max(0, healthy - desired)).build());
            client.resource(budget).updateStatus();
        }
    }

    static String nodeIp(String node) {
        return "10.0.1." + (10 + Math.floorMod(node.hashCode(), 200));
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(condition -> condition.getType().equals("Ready") && condition.getStatus().equals("True"));
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

    /** Like the pod-template-hash label: stable for a template, so a rollback finds its old ReplicaSet again. */
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
