package dev.awoooi.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.awoooi.action.Action;
import dev.awoooi.action.ActionSpec;
import dev.awoooi.action.ObjectRef;
import dev.awoooi.dryrun.Check;
import dev.awoooi.dryrun.ClusterProbe;
import dev.awoooi.dryrun.ClusterProbe.Unanswered;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.execution.AnswerLostException;
import dev.awoooi.execution.ClusterActuator;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.PolicyV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Eviction;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReviewSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.PatchUtils;
import okhttp3.Call;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalog's actions against a cluster through the official Kubernetes client: what the dry run asks (access
 * reviews, the target's state, the budgets over its pods, the mutation sent with dryRun=All), the mutation itself and
 * the verification each action's spec declares.
 *
 * <p>Patches are JSON merge patches, and the rollback a JSON patch (as {@code kubectl rollout undo} sends it), never
 * strategic merge: every API server takes those, including the demo one.
 */
public final class KubernetesActions implements ClusterProbe, ClusterActuator {
    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    static final String REVISION = "deployment.kubernetes.io/revision";
    /** On a ReplicaSet a rollback reused: the revision numbers it had before it became the newest again. */
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String TEMPLATE_HASH = "pod-template-hash";
    /** Static pods as the API server mirrors them: the kubelet owns them, an eviction cannot move them. */
    static final String MIRROR = "kubernetes.io/config.mirror";
    private static final String FIELD_MANAGER = "awoooi";
    private static final Duration POLL = Duration.ofMillis(250);
    // A drain meets budgets with no room while replacements start; kubectl drain retries too. Bounded, so a budget
    // that never recovers (a crash-looping pod behind maxUnavailable 1) fails the action instead of hanging it.
    private static final int EVICTION_ATTEMPTS = 8;
    private static final Duration EVICTION_BACKOFF = Duration.ofMillis(250);
    private static final Duration EVICTION_BACKOFF_CAP = Duration.ofSeconds(5);

    private final ApiClient client;
    private final AppsV1Api apps;
    private final CoreV1Api core;
    private final PolicyV1Api policy;
    private final AuthorizationV1Api authorization;

    public KubernetesActions(ApiClient client) {
        this.client = client;
        this.apps = new AppsV1Api(client);
        this.core = new CoreV1Api(client);
        this.policy = new PolicyV1Api(client);
        this.authorization = new AuthorizationV1Api(client);
    }

    // ------------------------------------------------------------------ probes

    @Override
    public Access canI(ActionSpec.Permission permission, ObjectRef target) {
        var review = new V1SelfSubjectAccessReview().spec(new V1SelfSubjectAccessReviewSpec().resourceAttributes(attributes(permission, target)));
        try {
            var status = authorization.createSelfSubjectAccessReview(review).execute().getStatus();
            if (status == null || status.getAllowed() == null) {
                return new Access(Check.Outcome.UNKNOWN, "the API server returned no access review status for " + permission);
            }
            String reason = status.getReason() == null || status.getReason().isBlank() ? "" : ": " + status.getReason();
            return status.getAllowed()
                    ? new Access(Check.Outcome.PASS, "allowed to " + permission + reason)
                    : new Access(Check.Outcome.FAIL, "not allowed to " + permission + reason);
        } catch (ApiException e) {
            return new Access(Check.Outcome.UNKNOWN, "access review for " + permission + " failed: " + refusal(e));
        }
    }

    /**
     * The review asks about exactly the object the verb touches: the target itself when the permission is on its
     * resource; otherwise objects in the target's namespace (the ReplicaSets of a Deployment) or, for a cluster-scoped
     * target, in every namespace (the pods on a node). A list names no object.
     */
    private static V1ResourceAttributes attributes(ActionSpec.Permission permission, ObjectRef target) {
        boolean itself = permission.group().equals(target.kind().group()) && permission.resource().equals(target.kind().resource());
        boolean collection = permission.verb().equals("list") || permission.verb().equals("watch");
        return new V1ResourceAttributes().verb(permission.verb()).group(permission.group()).resource(permission.resource())
                .subresource(permission.subresource())
                .namespace(itself || target.kind().namespaced() ? target.namespace() : null)
                .name(itself && !collection ? target.name() : null);
    }

    @Override
    public Optional<TargetState> state(ObjectRef target) {
        try {
            return Optional.of(switch (target.kind()) {
                case DEPLOYMENT -> deploymentState(apps.readNamespacedDeployment(target.name(), target.namespace()).execute());
                case STATEFULSET -> {
                    V1StatefulSet set = apps.readNamespacedStatefulSet(target.name(), target.namespace()).execute();
                    Workload w = Workload.of(set);
                    yield new TargetState(w.meta().getUid(), w.generation(), templateHash(w.template()), w.desired(), w.ready(),
                            true, null, null, List.of());
                }
                case POD -> podState(core.readNamespacedPod(target.name(), target.namespace()).execute());
                case NODE -> nodeState(core.readNode(target.name()).execute());
                case PVC -> {
                    var claim = core.readNamespacedPersistentVolumeClaim(target.name(), target.namespace()).execute();
                    Quantity storage = claim.getSpec() == null || claim.getSpec().getResources() == null
                            || claim.getSpec().getResources().getRequests() == null ? null : claim.getSpec().getResources().getRequests().get("storage");
                    String phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
                    yield TargetState.of(claim.getMetadata().getUid(), 0, TargetState.sha256(
                                    (claim.getSpec() == null ? null : claim.getSpec().getVolumeName()) + "|"
                                            + (storage == null ? null : storage.toSuffixedString()) + "|" + phase + "|"
                                            + (claim.getMetadata().getDeletionTimestamp() != null ? "terminating" : "")),
                            1, "Bound".equals(phase) ? 1 : 0, true);
                }
                case NAMESPACE -> {
                    var namespace = core.readNamespace(target.name()).execute();
                    String phase = namespace.getStatus() == null ? null : namespace.getStatus().getPhase();
                    boolean holdsData = !core.listNamespacedPersistentVolumeClaim(target.name()).execute().getItems().isEmpty();
                    yield TargetState.of(namespace.getMetadata().getUid(), 0, TargetState.sha256(String.valueOf(phase)), 0, 0, holdsData);
                }
            });
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw failure("read " + target, e);
        }
    }

    private TargetState deploymentState(V1Deployment deployment) throws ApiException {
        Workload w = Workload.of(deployment);
        Long current = revisionOf(deployment.getMetadata());
        List<Long> owned = ownedReplicaSets(deployment).stream().map(set -> revisionOf(set.getMetadata()))
                .filter(Objects::nonNull).sorted().toList();
        // The current revision is the Deployment's own annotation; without it (a controller that never wrote one), the newest.
        Long running = current != null ? current : owned.isEmpty() ? null : owned.getLast();
        List<Long> earlier = owned.stream().filter(revision -> !revision.equals(running)).distinct().toList();
        return new TargetState(w.meta().getUid(), w.generation(), templateHash(w.template()), w.desired(), w.ready(),
                mountsClaim(w.template()), null, current, earlier);
    }

    private TargetState podState(V1Pod pod) throws ApiException {
        String images = pod.getSpec() == null ? "" : String.join(",", pod.getSpec().getContainers().stream().map(c -> String.valueOf(c.getImage())).toList());
        String owner = ownerOf(pod);
        boolean stateful = mountsClaim(pod) || owner != null && owner.startsWith("statefulset/");
        return new TargetState(pod.getMetadata().getUid(), 0, TargetState.sha256((pod.getSpec() == null ? null : pod.getSpec().getNodeName()) + "|" + images),
                1, podReady(pod) ? 1 : 0, stateful, owner, null, List.of());
    }

    private TargetState nodeState(V1Node node) throws ApiException {
        boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        String taints = node.getSpec() == null || node.getSpec().getTaints() == null ? "[]" : JSON.serialize(node.getSpec().getTaints());
        boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        List<V1Pod> movable = movablePods(node.getMetadata().getName());
        boolean stateful = false;
        for (V1Pod pod : movable) {
            stateful |= mountsClaim(pod) || isOwnedBy(pod, "StatefulSet");
        }
        return TargetState.of(node.getMetadata().getUid(), 0, TargetState.sha256(unschedulable + "|" + taints), movable.size(), ready ? 1 : 0, stateful);
    }

    @Override
    public List<DisruptionBudget> budgetsCovering(ObjectRef target) {
        try {
            return switch (target.kind()) {
                case DEPLOYMENT, STATEFULSET -> {
                    var template = target.kind() == ObjectRef.Kind.DEPLOYMENT
                            ? apps.readNamespacedDeployment(target.name(), target.namespace()).execute().getSpec().getTemplate()
                            : apps.readNamespacedStatefulSet(target.name(), target.namespace()).execute().getSpec().getTemplate();
                    yield budgetsOver(target.namespace(), template.getMetadata() == null ? null : template.getMetadata().getLabels(), false);
                }
                case POD -> budgetsOver(target.namespace(), core.readNamespacedPod(target.name(), target.namespace()).execute().getMetadata().getLabels(), false);
                case NODE -> {
                    // A node's pods span namespaces, so its budgets are named namespace/name; each counted once.
                    Map<String, DisruptionBudget> seen = new LinkedHashMap<>();
                    for (V1Pod pod : movablePods(target.name())) {
                        for (DisruptionBudget budget : budgetsOver(pod.getMetadata().getNamespace(), pod.getMetadata().getLabels(), true)) {
                            seen.putIfAbsent(budget.name(), budget);
                        }
                    }
                    yield List.copyOf(seen.values());
                }
                case PVC, NAMESPACE -> List.of();
            };
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw failure("list the PodDisruptionBudgets over " + target, e);
        }
    }

    private List<DisruptionBudget> budgetsOver(String namespace, Map<String, String> labels, boolean qualified) throws ApiException {
        List<DisruptionBudget> out = new ArrayList<>();
        for (V1PodDisruptionBudget pdb : policy.listNamespacedPodDisruptionBudget(namespace).execute().getItems()) {
            if (pdb.getSpec() != null && selects(pdb.getSpec().getSelector(), labels)) {
                String name = pdb.getMetadata().getName();
                out.add(new DisruptionBudget(qualified ? namespace + "/" + name : name,
                        pdb.getStatus() == null ? 0 : nz(pdb.getStatus().getDisruptionsAllowed(), 0)));
            }
        }
        return out;
    }

    /** policy/v1 semantics: a missing selector selects nothing, an empty one selects every pod in the namespace. */
    static boolean selects(V1LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null && !have.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (V1LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = have.get(requirement.getKey());
                List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
                boolean met = switch (requirement.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> false; // an operator this code does not know selects nothing rather than everything
                };
                if (!met) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public Optional<String> dryRun(Action action) {
        try {
            switch (action) {
                case Action.Investigate a -> {
                    return Optional.empty();
                }
                case Action.RollbackDeployment a -> {
                    var target = rollbackTarget(a);
                    if (target.refusal() != null) {
                        return Optional.of(target.refusal());
                    }
                    patchTemplate(a, target.template(), true);
                }
                case Action.DrainNode a -> {
                    cordon(a.node(), true);
                    List<String> refused = new ArrayList<>();
                    for (V1Pod pod : movablePods(a.node())) {
                        try {
                            evict(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), true);
                        } catch (ApiException e) {
                            if (e.getCode() == 0 || e.getCode() >= 500) {
                                throw e; // no verdict on this pod: the drain's dry run has none either
                            }
                            refused.add("pod/" + pod.getMetadata().getName() + " in " + pod.getMetadata().getNamespace() + ": " + refusal(e));
                        }
                    }
                    if (!refused.isEmpty()) {
                        return Optional.of("API server refused the eviction of " + String.join("; ", refused));
                    }
                }
                default -> mutate(action, Instant.now(), true);
            }
            return Optional.empty();
        } catch (ApiException e) {
            // No answer, the server's own failure, or throttling (an eviction's 429 is a budget's verdict): no verdict.
            if (e.getCode() == 0 || e.getCode() >= 500 || e.getCode() == 429 && !(action instanceof Action.EvictPod)) {
                throw new Unanswered("the API server gave no verdict on the dry run of " + action.type() + " of "
                        + action.target() + ": " + refusal(e), e);
            }
            return Optional.of("API server refused " + action.type() + " of " + action.target() + ": " + refusal(e));
        }
    }

    // ------------------------------------------------------------------ actions

    @Override
    public void apply(Action action, Instant at) {
        try {
            switch (action) {
                case Action.Investigate a -> {
                    // read-only: nothing to change
                }
                case Action.RollbackDeployment a -> {
                    var target = rollbackTarget(a);
                    if (target.refusal() != null) {
                        throw new IllegalStateException(target.refusal());
                    }
                    patchTemplate(a, target.template(), false);
                }
                case Action.EvictPod a -> evictRetrying(a.namespace(), a.name());
                case Action.DrainNode a -> {
                    cordon(a.node(), false);
                    for (V1Pod pod : movablePods(a.node())) {
                        if (pod.getMetadata().getDeletionTimestamp() == null) {
                            evictRetrying(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
                        }
                    }
                }
                default -> mutate(action, at, false);
            }
        } catch (ApiException e) {
            if (e.getCode() == 404 && removes(action)) {
                // Gone already, as the action wants it: the probe saw it a moment ago, so most likely this very request
                // was sent twice (the HTTP client resends a request whose connection was reset before its answer).
                // The verification decides from what the cluster shows.
                return;
            }
            if (e.getCode() == 0) {
                // No HTTP answer at all (client-java's code 0): the request may have reached the API server.
                throw new AnswerLostException(action.type() + " of " + action.target() + " got no answer ("
                        + (e.getCause() == null ? "no response" : e.getCause().getClass().getSimpleName()) + ")", e);
            }
            throw failure(action.type() + " of " + action.target(), e);
        }
    }

    private static boolean removes(Action action) {
        return action instanceof Action.DeletePod || action instanceof Action.EvictPod || action instanceof Action.DeletePvc
                || action instanceof Action.DeleteNamespace;
    }

    /** The one-request mutations, sent as they are or with dryRun=All. */
    private void mutate(Action action, Instant at, boolean dryRun) throws ApiException {
        String mode = dryRun ? "All" : null;
        switch (action) {
            case Action.RestartDeployment a -> PatchUtils.patch(V1Deployment.class,
                    () -> apps.patchNamespacedDeployment(a.name(), a.namespace(), restartPatch(at)).dryRun(mode).fieldManager(FIELD_MANAGER).buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
            case Action.RestartStatefulSet a -> PatchUtils.patch(V1StatefulSet.class,
                    () -> apps.patchNamespacedStatefulSet(a.name(), a.namespace(), restartPatch(at)).dryRun(mode).fieldManager(FIELD_MANAGER).buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
            case Action.ScaleDeployment a -> PatchUtils.patch(V1Deployment.class,
                    () -> apps.patchNamespacedDeployment(a.name(), a.namespace(), new V1Patch("{\"spec\":{\"replicas\":" + a.replicas() + "}}"))
                            .dryRun(mode).fieldManager(FIELD_MANAGER).buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
            case Action.EvictPod a -> evict(a.namespace(), a.name(), dryRun);
            case Action.DeletePod a -> send(core.deleteNamespacedPod(a.name(), a.namespace()).dryRun(mode).buildCall(null));
            case Action.CordonNode a -> cordon(a.node(), dryRun);
            case Action.DeletePvc a -> send(core.deleteNamespacedPersistentVolumeClaim(a.name(), a.namespace()).dryRun(mode).buildCall(null));
            case Action.DeleteNamespace a -> send(core.deleteNamespace(a.namespace()).dryRun(mode).buildCall(null));
            case Action.Investigate a -> {
                // read-only: nothing to send
            }
            case Action.RollbackDeployment a -> throw new IllegalArgumentException("a rollback needs its target revision first");
            case Action.DrainNode a -> throw new IllegalArgumentException("a drain is a cordon and one eviction per pod");
        }
    }

    private static V1Patch restartPatch(Instant at) {
        return new V1Patch("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\"" + at + "\"}}}}}");
    }

    private void cordon(String node, boolean dryRun) throws ApiException {
        PatchUtils.patch(V1Node.class,
                () -> core.patchNode(node, new V1Patch("{\"spec\":{\"unschedulable\":true}}")).dryRun(dryRun ? "All" : null)
                        .fieldManager(FIELD_MANAGER).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    }

    /** policy/v1 Eviction; dryRun goes in the query and in the delete options, which the API server requires to agree. */
    private void evict(String namespace, String name, boolean dryRun) throws ApiException {
        var eviction = new V1Eviction().apiVersion("policy/v1").kind("Eviction")
                .metadata(new V1ObjectMeta().name(name).namespace(namespace))
                .deleteOptions(dryRun ? new V1DeleteOptions().dryRun(List.of("All")) : null);
        send(core.createNamespacedPodEviction(name, namespace, eviction).dryRun(dryRun ? "All" : null).buildCall(null));
    }

    /**
     * Sends a request whose answer matters only by its code. The eviction subresource answers a Status where the
     * generated client expects an Eviction (and rejects it), and a delete answers the object or a Status depending
     * on the resource and the server version.
     */
    private static void send(Call call) throws ApiException {
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw new ApiException(response.message(), response.code(), response.headers().toMultimap(), response.body().string());
            }
        } catch (IOException e) {
            throw new ApiException(e);
        }
    }

    /** An eviction that meets a budget without room (429) waits for it, with backoff, a bounded number of times. */
    private void evictRetrying(String namespace, String name) throws ApiException {
        Duration backoff = EVICTION_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                evict(namespace, name, false);
                return;
            } catch (ApiException e) {
                if (e.getCode() == 404) {
                    return; // already gone: what the eviction wanted
                }
                if (e.getCode() != 429) {
                    throw e;
                }
                if (attempt >= EVICTION_ATTEMPTS) {
                    throw new IllegalStateException("eviction of pod/" + name + " in " + namespace + " still refused after " + attempt
                            + " attempts: its PodDisruptionBudget has no room (" + refusal(e) + ")", e);
                }
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(EVICTION_BACKOFF_CAP) > 0 ? EVICTION_BACKOFF_CAP : backoff.multipliedBy(2);
        }
    }

    /** The template a rollback restores, or why there is none. */
    private record RollbackTarget(JsonObject template, String refusal) {
        static RollbackTarget refused(String reason) {
            return new RollbackTarget(null, reason);
        }
    }

    private RollbackTarget rollbackTarget(Action.RollbackDeployment rollback) throws ApiException {
        V1Deployment deployment = apps.readNamespacedDeployment(rollback.name(), rollback.namespace()).execute();
        TargetState now = deploymentState(deployment);
        if (rollback.toRevision() != null && rollback.toRevision().equals(now.revision())) {
            return RollbackTarget.refused("revision " + rollback.toRevision() + " is what deployment/" + rollback.name() + " runs now: nothing to roll back");
        }
        Long wanted = rollback.toRevision() != null ? rollback.toRevision() : now.revisions().isEmpty() ? null : now.revisions().getLast();
        if (wanted == null) {
            return RollbackTarget.refused("deployment/" + rollback.name() + " has no earlier revision to roll back to");
        }
        Optional<V1ReplicaSet> set = ownedReplicaSets(deployment).stream().filter(rs -> wanted.equals(revisionOf(rs.getMetadata()))).findFirst();
        if (set.isEmpty() || set.get().getSpec() == null || set.get().getSpec().getTemplate() == null) {
            return RollbackTarget.refused("deployment/" + rollback.name() + " has no revision " + wanted + " (it has " + now.revisions() + ")");
        }
        return new RollbackTarget(withoutTemplateHash(set.get().getSpec().getTemplate()), null);
    }

    /** As kubectl rollout undo: a JSON patch replacing the whole template, so fields the old revision lacks go too. */
    private void patchTemplate(Action.RollbackDeployment rollback, JsonObject template, boolean dryRun) throws ApiException {
        JsonObject replace = new JsonObject();
        replace.addProperty("op", "replace");
        replace.addProperty("path", "/spec/template");
        replace.add("value", template);
        JsonArray patch = new JsonArray();
        patch.add(replace);
        PatchUtils.patch(V1Deployment.class,
                () -> apps.patchNamespacedDeployment(rollback.name(), rollback.namespace(), new V1Patch(patch.toString()))
                        .dryRun(dryRun ? "All" : null).fieldManager(FIELD_MANAGER).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_PATCH, client);
    }

    private static JsonObject withoutTemplateHash(V1PodTemplateSpec template) {
        JsonObject copy = JsonParser.parseString(JSON.serialize(template)).getAsJsonObject();
        if (copy.has("metadata") && copy.getAsJsonObject("metadata").has("labels")) {
            copy.getAsJsonObject("metadata").getAsJsonObject("labels").remove(TEMPLATE_HASH);
        }
        return copy;
    }

    // ------------------------------------------------------------------ verification

    @Override
    public Verification verify(Action action, TargetState before, Instant at, Duration timeout) {
        return switch (action) {
            case Action.Investigate a -> new Verification(true, "nothing to verify: the investigation changed nothing");
            case Action.RestartDeployment a -> poll(timeout, "rollout", () -> rolledOut(
                    Workload.of(apps.readNamespacedDeployment(a.name(), a.namespace()).execute()), at));
            case Action.RestartStatefulSet a -> poll(timeout, "rollout", () -> rolledOut(
                    Workload.of(apps.readNamespacedStatefulSet(a.name(), a.namespace()).execute()), at));
            case Action.ScaleDeployment a -> poll(timeout, "scale", () -> {
                Workload w = Workload.of(apps.readNamespacedDeployment(a.name(), a.namespace()).execute());
                String seen = w.describe();
                return new Observation(w.desired() == a.replicas() && w.ready() == a.replicas() && w.observedGeneration() >= w.generation(), seen);
            });
            case Action.RollbackDeployment a -> verifyRollback(a, before, timeout);
            case Action.EvictPod a -> poll(timeout, "eviction", () -> replaced(a.namespace(), a.name(), before));
            case Action.DeletePod a -> poll(timeout, "delete", () -> replaced(a.namespace(), a.name(), before));
            case Action.CordonNode a -> poll(timeout, "cordon", () -> {
                V1Node node = core.readNode(a.node()).execute();
                boolean cordoned = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
                return new Observation(cordoned, cordoned ? "node/" + a.node() + " is unschedulable" : "node/" + a.node() + " still schedulable");
            });
            case Action.DrainNode a -> poll(timeout, "drain", () -> {
                V1Node node = core.readNode(a.node()).execute();
                boolean cordoned = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
                List<V1Pod> left = movablePods(a.node());
                String seen = "node/" + a.node() + (cordoned ? " unschedulable" : " still schedulable") + ", " + left.size()
                        + " pod(s) other than DaemonSet and mirror pods left" + (left.isEmpty() ? "" : ": " + names(left));
                return new Observation(cordoned && left.isEmpty(), seen);
            });
            case Action.DeletePvc a -> poll(timeout, "delete", () -> {
                try {
                    var claim = core.readNamespacedPersistentVolumeClaim(a.name(), a.namespace()).execute();
                    boolean terminating = claim.getMetadata().getDeletionTimestamp() != null;
                    return new Observation(terminating, terminating ? "persistentvolumeclaim/" + a.name() + " is terminating"
                            : "persistentvolumeclaim/" + a.name() + " still exists");
                } catch (ApiException e) {
                    if (e.getCode() == 404) {
                        return new Observation(true, "persistentvolumeclaim/" + a.name() + " is gone");
                    }
                    throw e;
                }
            });
            case Action.DeleteNamespace a -> poll(timeout, "delete", () -> {
                try {
                    var namespace = core.readNamespace(a.namespace()).execute();
                    boolean terminating = namespace.getMetadata().getDeletionTimestamp() != null
                            || namespace.getStatus() != null && "Terminating".equals(namespace.getStatus().getPhase());
                    return new Observation(terminating, terminating ? "namespace/" + a.namespace() + " is terminating"
                            : "namespace/" + a.namespace() + " still exists");
                } catch (ApiException e) {
                    if (e.getCode() == 404) {
                        return new Observation(true, "namespace/" + a.namespace() + " is gone");
                    }
                    throw e;
                }
            });
        };
    }

    private static Observation rolledOut(Workload w, Instant at) {
        boolean stamped = at.toString().equals(w.restartedAt());
        return new Observation(stamped && w.observedGeneration() >= w.generation() && w.updated() >= w.desired() && w.ready() >= w.desired(),
                (stamped ? "" : "restart stamp not yet observed, ") + w.describe());
    }

    /**
     * The revision's template is running: the ReplicaSet that had that revision (a rollback renumbers it as the
     * newest, keeping the old number in its revision history) holds the Deployment's template, and every replica of
     * it is updated and ready.
     */
    private Verification verifyRollback(Action.RollbackDeployment rollback, TargetState before, Duration timeout) {
        Long wanted = rollback.toRevision() != null ? rollback.toRevision()
                : before == null || before.revisions().isEmpty() ? null : before.revisions().getLast();
        if (wanted == null) {
            return new Verification(false, "no revision to verify: deployment/" + rollback.name() + " had no earlier revision");
        }
        String uidBefore = before == null ? null : before.uid();
        return poll(timeout, "rollback", () -> {
            V1Deployment deployment = apps.readNamespacedDeployment(rollback.name(), rollback.namespace()).execute();
            if (uidBefore != null && !uidBefore.equals(deployment.getMetadata().getUid())) {
                return new Observation(false, "deployment/" + rollback.name() + " was replaced by another object");
            }
            Workload w = Workload.of(deployment);
            Optional<V1ReplicaSet> set = ownedReplicaSets(deployment).stream().filter(rs -> hadRevision(rs, wanted)).findFirst();
            if (set.isEmpty()) {
                return new Observation(false, "the ReplicaSet of revision " + wanted + " is gone; " + w.describe());
            }
            boolean restored = canonical(withoutTemplateHash(set.get().getSpec().getTemplate()))
                    .equals(canonical(JsonParser.parseString(JSON.serialize(w.template()))));
            return new Observation(restored && w.observedGeneration() >= w.generation() && w.updated() >= w.desired() && w.ready() >= w.desired(),
                    (restored ? "template of revision " + wanted + " restored, " : "template of revision " + wanted + " not yet restored, ") + w.describe());
        });
    }

    private static boolean hadRevision(V1ReplicaSet set, long revision) {
        if (Long.valueOf(revision).equals(revisionOf(set.getMetadata()))) {
            return true;
        }
        String history = annotations(set.getMetadata()).get(REVISION_HISTORY);
        return history != null && List.of(history.split(",")).stream().map(String::trim).anyMatch(String.valueOf(revision)::equals);
    }

    /**
     * An evicted or deleted pod is done with when it is gone, or its name is back under a new uid and Ready; and the
     * controller that replaces it (if any) reports every replica ready again, counted on its pods, not only its status.
     */
    private Observation replaced(String namespace, String name, TargetState before) throws ApiException {
        String uidBefore = before == null ? null : before.uid();
        String seen;
        boolean podDone;
        try {
            V1Pod pod = core.readNamespacedPod(name, namespace).execute();
            boolean fresh = uidBefore != null && !uidBefore.equals(pod.getMetadata().getUid());
            podDone = fresh && podReady(pod);
            seen = fresh ? "pod/" + name + " replaced (new uid), " + (podReady(pod) ? "Ready" : "not Ready yet") : "pod/" + name + " still running";
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            podDone = true;
            seen = "pod/" + name + " is gone";
        }
        String owner = before == null ? null : before.owner();
        if (!podDone || owner == null) {
            return new Observation(podDone, seen);
        }
        Observation controller = controllerReady(namespace, owner);
        return new Observation(controller.done(), seen + "; " + controller.seen());
    }

    private Observation controllerReady(String namespace, String owner) throws ApiException {
        String kind = owner.substring(0, owner.indexOf('/'));
        String name = owner.substring(owner.indexOf('/') + 1);
        V1LabelSelector selector;
        int desired;
        int reported;
        switch (kind) {
            case "deployment" -> {
                V1Deployment d = apps.readNamespacedDeployment(name, namespace).execute();
                selector = d.getSpec().getSelector();
                desired = nz(d.getSpec().getReplicas(), 1);
                reported = d.getStatus() == null ? 0 : nz(d.getStatus().getReadyReplicas(), 0);
            }
            case "statefulset" -> {
                V1StatefulSet s = apps.readNamespacedStatefulSet(name, namespace).execute();
                selector = s.getSpec().getSelector();
                desired = nz(s.getSpec().getReplicas(), 1);
                reported = s.getStatus() == null ? 0 : nz(s.getStatus().getReadyReplicas(), 0);
            }
            case "replicaset" -> {
                V1ReplicaSet r = apps.readNamespacedReplicaSet(name, namespace).execute();
                selector = r.getSpec().getSelector();
                desired = nz(r.getSpec().getReplicas(), 1);
                reported = r.getStatus() == null ? 0 : nz(r.getStatus().getReadyReplicas(), 0);
            }
            default -> {
                return new Observation(true, owner + " replaces its pods on its own terms: not awaited");
            }
        }
        // Status lags the pods by a controller pass; counting ready pods directly closes that window.
        long readyPods = core.listNamespacedPod(namespace).execute().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null && selects(selector, pod.getMetadata().getLabels()))
                .filter(KubernetesActions::podReady).count();
        boolean done = reported >= desired && readyPods >= desired;
        return new Observation(done, owner + " " + Math.min(reported, readyPods) + "/" + desired + " ready");
    }

    private record Observation(boolean done, String seen) {
    }

    @FunctionalInterface
    private interface Look {
        Observation look() throws ApiException;
    }

    /** Looks every {@link #POLL} until done or {@code timeout}; a failed read is reported and retried, not fatal. */
    private static Verification poll(Duration timeout, String what, Look look) {
        Instant deadline = Instant.now().plus(timeout);
        String seen = "not observed";
        while (true) {
            try {
                Observation now = look.look();
                seen = now.seen();
                if (now.done()) {
                    return new Verification(true, what + " complete: " + seen);
                }
            } catch (ApiException e) {
                if (e.getCode() == 404) {
                    return new Verification(false, "the target disappeared during the " + what + ": " + refusal(e));
                }
                seen = "read failed: " + refusal(e);
            }
            if (Instant.now().isAfter(deadline)) {
                return new Verification(false, what + " not complete after " + timeout.toSeconds() + "s: " + seen);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Verification(false, "interrupted while verifying the " + what + ": " + seen);
            }
        }
    }

    // ------------------------------------------------------------------ cluster reads

    /** The fields of a Deployment or StatefulSet that state and verification read. */
    private record Workload(String kind, V1ObjectMeta meta, V1PodTemplateSpec template, int desired, int ready, int updated,
                            long observedGeneration) {
        static Workload of(V1Deployment d) {
            var st = d.getStatus();
            return new Workload("deployment", d.getMetadata(), d.getSpec().getTemplate(), nz(d.getSpec().getReplicas(), 1),
                    st == null ? 0 : nz(st.getReadyReplicas(), 0), st == null ? 0 : nz(st.getUpdatedReplicas(), 0),
                    st == null || st.getObservedGeneration() == null ? 0 : st.getObservedGeneration());
        }

        static Workload of(V1StatefulSet s) {
            var st = s.getStatus();
            return new Workload("statefulset", s.getMetadata(), s.getSpec().getTemplate(), nz(s.getSpec().getReplicas(), 1),
                    st == null ? 0 : nz(st.getReadyReplicas(), 0), st == null ? 0 : nz(st.getUpdatedReplicas(), 0),
                    st == null || st.getObservedGeneration() == null ? 0 : st.getObservedGeneration());
        }

        long generation() {
            return Objects.requireNonNullElse(meta.getGeneration(), 0L);
        }

        String restartedAt() {
            var annotations = template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
            return annotations == null ? null : annotations.get(RESTARTED_AT);
        }

        String describe() {
            return kind + "/" + meta.getName() + " " + ready + "/" + desired + " ready, " + updated + " updated, observed generation "
                    + observedGeneration + " of " + generation();
        }
    }

    private String templateHash(V1PodTemplateSpec template) {
        return TargetState.sha256(JSON.serialize(template));
    }

    private List<V1ReplicaSet> ownedReplicaSets(V1Deployment deployment) throws ApiException {
        String uid = deployment.getMetadata().getUid();
        return apps.listNamespacedReplicaSet(deployment.getMetadata().getNamespace()).execute().getItems().stream()
                .filter(set -> set.getMetadata().getOwnerReferences() != null
                        && set.getMetadata().getOwnerReferences().stream().anyMatch(owner -> uid.equals(owner.getUid())))
                .toList();
    }

    /** What a drain moves: every pod on the node except DaemonSet pods (they stay) and mirror pods (the kubelet's). */
    private List<V1Pod> movablePods(String node) throws ApiException {
        return core.listPodForAllNamespaces().fieldSelector("spec.nodeName=" + node).execute().getItems().stream()
                .filter(pod -> pod.getSpec() != null && node.equals(pod.getSpec().getNodeName())) // should the server ignore the selector
                .filter(pod -> !isOwnedBy(pod, "DaemonSet") && !annotations(pod.getMetadata()).containsKey(MIRROR))
                .sorted(Comparator.comparing((V1Pod pod) -> pod.getMetadata().getNamespace()).thenComparing(pod -> pod.getMetadata().getName()))
                .toList();
    }

    /** "deployment/frontend" for a pod of a Deployment's ReplicaSet, "statefulset/postgres-db", …; null when none. */
    private String ownerOf(V1Pod pod) throws ApiException {
        V1OwnerReference owner = Controllers.of(pod.getMetadata());
        if (owner == null) {
            return null;
        }
        if ("ReplicaSet".equals(owner.getKind())) {
            try {
                V1ReplicaSet set = apps.readNamespacedReplicaSet(owner.getName(), pod.getMetadata().getNamespace()).execute();
                V1OwnerReference deployment = Controllers.of(set.getMetadata());
                if (deployment != null && "Deployment".equals(deployment.getKind())) {
                    return "deployment/" + deployment.getName();
                }
            } catch (ApiException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        return owner.getKind().toLowerCase() + "/" + owner.getName();
    }

    private static boolean isOwnedBy(V1Pod pod, String kind) {
        V1OwnerReference owner = Controllers.of(pod.getMetadata());
        return owner != null && kind.equals(owner.getKind());
    }

    private static boolean podReady(V1Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean mountsClaim(V1Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getVolumes() != null
                && pod.getSpec().getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null);
    }

    private static boolean mountsClaim(V1PodTemplateSpec template) {
        return template.getSpec() != null && template.getSpec().getVolumes() != null
                && template.getSpec().getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null);
    }

    static Long revisionOf(V1ObjectMeta meta) {
        String value = annotations(meta).get(REVISION);
        try {
            return value == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null; // not a revision this code can order: left out rather than guessed
        }
    }

    private static Map<String, String> annotations(V1ObjectMeta meta) {
        return meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    }

    private static String names(List<V1Pod> pods) {
        List<String> names = pods.stream().map(pod -> pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()).toList();
        return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", …";
    }

    /** JSON compared as values: member order and a quantity's spelling ("2000m" or "2" once re-serialized) aside. */
    private static JsonElement canonical(JsonElement json) {
        return JsonParser.parseString(JSON.serialize(JSON.deserialize(json.toString(), V1PodTemplateSpec.class)));
    }

    /** "HTTP 429 Cannot evict pod …": the code and the Status message the API server gave, when it gave one. */
    static String refusal(ApiException e) {
        if (e.getCode() == 0) {
            return "no answer from the API server (" + (e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName()) + ")";
        }
        String message = null;
        String body = e.getResponseBody();
        if (body != null && !body.isBlank()) {
            try {
                JsonElement status = JsonParser.parseString(body);
                if (status.isJsonObject() && status.getAsJsonObject().has("message")) {
                    message = status.getAsJsonObject().get("message").getAsString();
                    // A budget refusal names the budget and its numbers only in its causes: the part a person needs.
                    JsonElement details = status.getAsJsonObject().get("details");
                    if (details != null && details.isJsonObject() && details.getAsJsonObject().has("causes")) {
                        for (JsonElement cause : details.getAsJsonObject().getAsJsonArray("causes")) {
                            if (cause.isJsonObject() && cause.getAsJsonObject().has("message")) {
                                message += " " + cause.getAsJsonObject().get("message").getAsString();
                            }
                        }
                    }
                }
            } catch (JsonParseException | IllegalStateException | UnsupportedOperationException ignored) {
                // not a Status body (a proxy's HTML page, say): the code alone says enough
            }
        }
        if (message != null && message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return "HTTP " + e.getCode() + (message == null || message.isBlank() ? "" : " " + message);
    }

    private static IllegalStateException failure(String what, ApiException e) {
        return new IllegalStateException("Kubernetes API: " + what + " failed: " + refusal(e), e);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry an eviction", e);
        }
    }

    private static int nz(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
