package dev.awoooi.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awoooi.action.Action;
import dev.awoooi.action.ActionCatalog;
import dev.awoooi.action.ActionSpec.Permission;
import dev.awoooi.action.ObjectRef;
import dev.awoooi.cluster.KubernetesActions;
import dev.awoooi.dryrun.Check.Outcome;
import dev.awoooi.dryrun.ClusterProbe.DisruptionBudget;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.execution.ClusterActuator.Verification;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.PolicyV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every catalog action through {@link KubernetesActions} against the demo API server, as the executor would run it:
 * access reviews, state, budgets, the dry run (which must change nothing), then apply and verify. One cluster for
 * the class, so the actions run in an order a real incident could take: the database is repaired before the node
 * it runs on is drained, and the namespace goes last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterActionsIT {

    private static final String NS = "production";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static DemoCluster cluster;
    private static ApiClient client;
    private static KubernetesActions actions;
    private static CoreV1Api core;
    private static AppsV1Api apps;

    @BeforeAll
    static void startCluster() {
        cluster = DemoCluster.start(null);
        // Not ClientBuilder.standard(): a developer's KUBECONFIG must not point this test at a real cluster. Without a
        // token this is the demo's operator, so every action's mechanics can be tried; the first test asks as the
        // executor what it may do.
        client = new ClientBuilder().setBasePath(cluster.url()).build();
        actions = new KubernetesActions(client);
        core = new CoreV1Api(client);
        apps = new AppsV1Api(client);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    @Order(1)
    void accessReviewsFollowTheExecutorRole() throws ApiException {
        // What infra/kubernetes/rbac.yaml grants: workload patches, evictions and pod deletes in production, but no node
        // patch, claim delete or namespace delete, and nothing a node's action needs across namespaces (a drain lists
        // and evicts every pod of the node): those actions' dry runs fail their access check.
        Map<String, Outcome> expected = Map.of(
                "patch apps/deployments", Outcome.PASS,
                "patch apps/statefulsets", Outcome.PASS,
                "list apps/replicasets", Outcome.PASS,
                "create pods/eviction", Outcome.PASS,
                "delete pods", Outcome.PASS,
                "patch nodes", Outcome.FAIL,
                "delete persistentvolumeclaims", Outcome.FAIL,
                "delete namespaces", Outcome.FAIL);
        KubernetesActions executor = new KubernetesActions(new ClientBuilder().setBasePath(cluster.url())
                .setAuthentication(new io.kubernetes.client.util.credentials.AccessTokenAuthentication(cluster.token("awoooi-executor"))).build());
        for (Action action : everyAction()) {
            for (Permission permission : ActionCatalog.spec(action).permissions()) {
                var access = executor.canI(permission, action.target());
                assertThat(access.outcome()).as("%s for %s: %s", permission, action.type(), access.reason())
                        .isEqualTo(action.target().kind() == ObjectRef.Kind.NODE ? Outcome.FAIL : expected.get(permission.toString()));
                assertThat(access.reason()).contains(permission.toString());
            }
        }
        assertThat(executor.canI(new Permission("delete", "", "namespaces", null), ObjectRef.cluster(ObjectRef.Kind.NAMESPACE, NS)).reason())
                .isEqualTo("not allowed to delete namespaces: no rule of ClusterRole awoooi-executor-cluster, Role awoooi-executor in production allows delete namespaces");
    }

    @Test
    @Order(2)
    void stateOfEveryKindOfTarget() throws ApiException {
        TargetState frontend = state(ObjectRef.of(ObjectRef.Kind.DEPLOYMENT, NS, "frontend"));
        assertThat(frontend.desired()).isEqualTo(3);
        assertThat(frontend.ready()).isEqualTo(3);
        assertThat(frontend.stateful()).isFalse();
        assertThat(frontend.revision()).isEqualTo(1L);
        assertThat(frontend.revisions()).isEmpty();

        TargetState database = state(ObjectRef.of(ObjectRef.Kind.STATEFULSET, NS, "postgres-db"));
        assertThat(database.stateful()).isTrue();
        assertThat(database.readiness()).isEqualTo("0/1 ready");

        TargetState web = state(ObjectRef.of(ObjectRef.Kind.POD, NS, frontendPods().getFirst()));
        assertThat(web.owner()).isEqualTo("deployment/frontend");
        assertThat(web.readiness()).isEqualTo("1/1 ready");
        assertThat(web.stateful()).isFalse();
        TargetState crashing = state(ObjectRef.of(ObjectRef.Kind.POD, NS, "postgres-db-0"));
        assertThat(crashing.owner()).isEqualTo("statefulset/postgres-db");
        assertThat(crashing.readiness()).isEqualTo("0/1 ready");
        assertThat(crashing.stateful()).isTrue();

        TargetState node = state(ObjectRef.cluster(ObjectRef.Kind.NODE, "worker-1"));
        long productionPodsOnNode = core.listNamespacedPod(NS).execute().getItems().stream()
                .filter(pod -> "worker-1".equals(pod.getSpec().getNodeName())).count();
        assertThat(node.desired()).as("pods a drain moves: kube-proxy (DaemonSet) stays").isEqualTo((int) productionPodsOnNode);
        assertThat(node.ready()).isEqualTo(1);
        assertThat(node.stateful()).isTrue();

        TargetState claim = state(ObjectRef.of(ObjectRef.Kind.PVC, NS, "data-postgres-backup"));
        assertThat(claim.readiness()).isEqualTo("1/1 ready");
        assertThat(claim.stateful()).isTrue();

        TargetState namespace = state(ObjectRef.cluster(ObjectRef.Kind.NAMESPACE, NS));
        assertThat(namespace.stateful()).as("production holds claims").isTrue();
        assertThat(state(ObjectRef.cluster(ObjectRef.Kind.NAMESPACE, "kube-system")).stateful()).isFalse();

        assertThat(actions.state(ObjectRef.of(ObjectRef.Kind.DEPLOYMENT, NS, "no-such-service"))).isEmpty();
        assertThat(actions.state(ObjectRef.cluster(ObjectRef.Kind.NODE, "no-such-node"))).isEmpty();
    }

    @Test
    @Order(3)
    void budgetsCoveringWorkloadsPodsAndNodes() throws ApiException {
        assertThat(actions.budgetsCovering(ObjectRef.of(ObjectRef.Kind.DEPLOYMENT, NS, "frontend")))
                .containsExactly(new DisruptionBudget("frontend-pdb", 1));
        assertThat(actions.budgetsCovering(ObjectRef.of(ObjectRef.Kind.POD, NS, frontendPods().getFirst())))
                .containsExactly(new DisruptionBudget("frontend-pdb", 1));
        assertThat(actions.budgetsCovering(ObjectRef.of(ObjectRef.Kind.STATEFULSET, NS, "postgres-db")))
                .containsExactly(new DisruptionBudget("postgres-db-pdb", 0));
        // worker-1 runs frontend pods and the crash-looping database: both budgets, each once, named with their namespace.
        assertThat(actions.budgetsCovering(ObjectRef.cluster(ObjectRef.Kind.NODE, "worker-1")))
                .containsExactlyInAnyOrder(new DisruptionBudget(NS + "/frontend-pdb", 1), new DisruptionBudget(NS + "/postgres-db-pdb", 0));
        assertThat(actions.budgetsCovering(ObjectRef.cluster(ObjectRef.Kind.NODE, "worker-large-01"))).isEmpty();
        assertThat(actions.budgetsCovering(ObjectRef.of(ObjectRef.Kind.DEPLOYMENT, NS, "order-api"))).isEmpty();
        assertThat(actions.budgetsCovering(ObjectRef.of(ObjectRef.Kind.PVC, NS, "data-postgres-db-0"))).isEmpty();
    }

    @Test
    @Order(4)
    void dryRunsAreJudgedByTheServerAndChangeNothing() throws Exception {
        String web = frontendPods().getFirst();
        Map<String, String> before = settledSnapshot();

        for (Action accepted : List.of(
                new Action.Investigate("frontend", "read-only"),
                new Action.RestartDeployment(NS, "frontend"),
                new Action.RestartStatefulSet(NS, "postgres-db"),
                new Action.ScaleDeployment(NS, "product-api", 3),
                new Action.EvictPod(NS, web), // minAvailable 2 of 3 ready: room for one
                new Action.DeletePod(NS, web),
                new Action.CordonNode("worker-large-01"),
                new Action.DrainNode("worker-2"),
                new Action.DeletePvc(NS, "data-postgres-backup"),
                new Action.DeleteNamespace(NS))) {
            assertThat(actions.dryRun(accepted)).as(accepted.describe()).isEmpty();
        }
        assertThat(actions.dryRun(new Action.RollbackDeployment(NS, "frontend", null)))
                .hasValue("deployment/frontend has no earlier revision to roll back to");
        assertThat(actions.dryRun(new Action.RollbackDeployment(NS, "frontend", 7L)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("no revision 7"));
        // The crash-looping database: maxUnavailable 1 of 1 leaves desiredHealthy 0, so its unready pod gets no
        // free pass and the budget allows no disruption: the API server's 429, as a real one answers.
        assertThat(actions.dryRun(new Action.EvictPod(NS, "postgres-db-0"))).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("API server refused evict_pod of pod/postgres-db-0 in production: HTTP 429 ")
                .contains(DemoApiDispatcher.BUDGET_REFUSAL)
                .contains("The disruption budget postgres-db-pdb needs 0 healthy pods and has 0 currently"));
        assertThat(actions.dryRun(new Action.DrainNode("worker-1"))).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("API server refused the eviction of pod/postgres-db-0 in production: HTTP 429"));
        assertThat(actions.dryRun(new Action.DeletePod(NS, "no-such-pod"))).hasValueSatisfying(reason -> assertThat(reason)
                .isEqualTo("API server refused delete_pod of pod/no-such-pod in production: HTTP 404 pods \"no-such-pod\" not found"));

        assertThat(snapshot()).as("the cluster after every dry run").isEqualTo(before);
    }

    @Test
    @Order(5)
    void restartStatefulSetRepairsTheDatabase() {
        Action restart = new Action.RestartStatefulSet(NS, "postgres-db");
        TargetState before = state(restart.target());

        Instant at = Instant.now();
        actions.apply(restart, at);
        Verification verified = actions.verify(restart, before, at, TIMEOUT);

        assertThat(verified.complete()).as(verified.detail()).isTrue();
        TargetState after = state(restart.target());
        assertThat(after.fingerprint(restart)).isNotEqualTo(before.fingerprint(restart));
        assertThat(after.readiness()).isEqualTo("1/1 ready");
        awaitBudget("postgres-db-pdb", 1);
    }

    @Test
    @Order(6)
    void restartThenRollbackDeployment() throws ApiException {
        Action restart = new Action.RestartDeployment(NS, "frontend");
        TargetState original = state(restart.target());
        Instant at = Instant.now();
        actions.apply(restart, at);
        Verification restarted = actions.verify(restart, original, at, TIMEOUT);
        assertThat(restarted.complete()).as(restarted.detail()).isTrue();
        TargetState afterRestart = state(restart.target());
        assertThat(afterRestart.fingerprint(restart)).isNotEqualTo(original.fingerprint(restart));
        assertThat(afterRestart.revision()).isEqualTo(2L);
        assertThat(afterRestart.revisions()).containsExactly(1L);

        Action rollback = new Action.RollbackDeployment(NS, "frontend", null);
        assertThat(actions.dryRun(rollback)).isEmpty();
        assertThat(state(rollback.target())).as("a dry-run rollback changes nothing").isEqualTo(afterRestart);
        actions.apply(rollback, Instant.now());
        Verification rolledBack = actions.verify(rollback, afterRestart, Instant.now(), TIMEOUT);

        assertThat(rolledBack.complete()).as(rolledBack.detail()).isTrue();
        TargetState afterRollback = state(rollback.target());
        assertThat(afterRollback.fingerprint(rollback)).isNotEqualTo(afterRestart.fingerprint(rollback));
        // As a real Deployment: the old ReplicaSet is reused and renumbered, remembering the revision it was.
        assertThat(afterRollback.revision()).isEqualTo(3L);
        assertThat(afterRollback.revisions()).containsExactly(2L);
        V1ReplicaSet reused = apps.listNamespacedReplicaSet(NS).execute().getItems().stream()
                .filter(set -> "3".equals(set.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                        && set.getMetadata().getName().startsWith("frontend-"))
                .findFirst().orElseThrow();
        assertThat(reused.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision-history", "1");
        var template = apps.readNamespacedDeployment("frontend", NS).execute().getSpec().getTemplate();
        assertThat(template.getMetadata().getAnnotations()).doesNotContainKey("kubectl.kubernetes.io/restartedAt");
        assertThat(template.getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
    }

    @Test
    @Order(7)
    void scaleDeployment() {
        Action scale = new Action.ScaleDeployment(NS, "product-api", 3);
        TargetState before = state(scale.target());
        assertThat(before.readiness()).isEqualTo("2/2 ready");

        Instant at = Instant.now();
        actions.apply(scale, at);
        Verification verified = actions.verify(scale, before, at, TIMEOUT);

        assertThat(verified.complete()).as(verified.detail()).isTrue();
        TargetState after = state(scale.target());
        assertThat(after.readiness()).isEqualTo("3/3 ready");
        assertThat(after.fingerprint(scale)).isNotEqualTo(before.fingerprint(scale));
        assertThat(after.revision()).as("scaling is no new revision").isEqualTo(before.revision());
    }

    @Test
    @Order(8)
    void evictionTakesTheBudgetsOnlyRoomUntilTheReplacementIsReady() throws ApiException {
        awaitBudget("frontend-pdb", 1);
        List<String> pods = frontendPods();
        Action first = new Action.EvictPod(NS, pods.get(0));
        Action second = new Action.EvictPod(NS, pods.get(1));
        TargetState before = state(first.target());
        assertThat(actions.dryRun(first)).isEmpty();

        Instant at = Instant.now();
        actions.apply(first, at);
        // Its replacement takes a couple of seconds to pass readiness; until then the budget has no room left.
        assertThat(actions.dryRun(second)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("API server refused evict_pod of pod/" + pods.get(1) + " in production: HTTP 429 ")
                .contains(DemoApiDispatcher.BUDGET_REFUSAL));
        Verification verified = actions.verify(first, before, at, TIMEOUT);

        assertThat(verified.complete()).as(verified.detail()).isTrue();
        assertThat(verified.detail()).contains("is gone").contains("deployment/frontend 3/3 ready");
        assertThat(actions.state(first.target())).isEmpty();
        assertThat(frontendPods()).hasSize(3).doesNotContain(pods.get(0));
        awaitBudget("frontend-pdb", 1);
        assertThat(actions.dryRun(second)).as("room again once the replacement is ready").isEmpty();
    }

    @Test
    @Order(9)
    void deletingAStatefulSetPodBringsItBackUnderItsName() {
        Action delete = new Action.DeletePod(NS, "redis-cache-0");
        TargetState before = state(delete.target());
        assertThat(before.owner()).isEqualTo("statefulset/redis-cache");

        Instant at = Instant.now();
        actions.apply(delete, at);
        Verification verified = actions.verify(delete, before, at, TIMEOUT);

        assertThat(verified.complete()).as(verified.detail()).isTrue();
        assertThat(verified.detail()).contains("replaced (new uid), Ready").contains("statefulset/redis-cache 1/1 ready");
        TargetState after = state(delete.target());
        assertThat(after.uid()).isNotEqualTo(before.uid());
        assertThat(after.fingerprint(delete)).isNotEqualTo(before.fingerprint(delete));
    }

    @Test
    @Order(10)
    void cordonNode() {
        Action cordon = new Action.CordonNode("worker-large-01");
        TargetState before = state(cordon.target());

        Instant at = Instant.now();
        actions.apply(cordon, at);
        Verification verified = actions.verify(cordon, before, at, TIMEOUT);

        assertThat(verified.complete()).as(verified.detail()).isTrue();
        assertThat(state(cordon.target()).fingerprint(cordon)).isNotEqualTo(before.fingerprint(cordon));
    }

    @Test
    @Order(11)
    void drainMovesEveryPodButTheDaemonSetsWithinTheBudgets() throws ApiException {
        // worker-1 runs two frontend pods (budget room: one at a time) and the repaired database (room: one).
        Action drain = new Action.DrainNode("worker-1");
        assertThat(actions.dryRun(drain)).isEmpty();
        TargetState before = state(drain.target());
        assertThat(before.desired()).isPositive();

        Instant at = Instant.now();
        actions.apply(drain, at);
        Verification verified = actions.verify(drain, before, at, Duration.ofSeconds(60));

        assertThat(verified.complete()).as(verified.detail()).isTrue();
        TargetState after = state(drain.target());
        assertThat(after.desired()).isZero();
        assertThat(after.fingerprint(drain)).isNotEqualTo(before.fingerprint(drain));
        List<V1Pod> left = core.listPodForAllNamespaces().execute().getItems().stream()
                .filter(pod -> "worker-1".equals(pod.getSpec().getNodeName())).toList();
        assertThat(left).extracting(pod -> pod.getMetadata().getName()).singleElement().asString().startsWith("kube-proxy-");
        awaitBudget("frontend-pdb", 1);
        assertThat(state(ObjectRef.of(ObjectRef.Kind.DEPLOYMENT, NS, "frontend")).readiness()).isEqualTo("3/3 ready");
    }

    @Test
    @Order(12)
    void deletePvc() {
        Action delete = new Action.DeletePvc(NS, "data-postgres-backup");
        TargetState before = state(delete.target());

        Instant at = Instant.now();
        actions.apply(delete, at);
        Verification verified = actions.verify(delete, before, at, TIMEOUT);

        assertThat(verified.complete()).as(verified.detail()).isTrue();
        assertThat(actions.state(delete.target())).isEmpty();
    }

    @Test
    @Order(13)
    void investigateChangesNothing() {
        Action investigate = new Action.Investigate("frontend", "read-only look");
        assertThat(actions.dryRun(investigate)).isEmpty();
        actions.apply(investigate, Instant.now());
        assertThat(actions.verify(investigate, null, Instant.now(), TIMEOUT).complete()).isTrue();
    }

    @Test
    @Order(14)
    void deleteNamespaceLast() {
        Action delete = new Action.DeleteNamespace(NS);
        TargetState before = state(delete.target());

        Instant at = Instant.now();
        actions.apply(delete, at);
        Verification verified = actions.verify(delete, before, at, TIMEOUT);

        assertThat(verified.complete()).as(verified.detail()).isTrue();
        Optional<TargetState> after = actions.state(delete.target());
        assertThat(after.isEmpty() || !after.get().fingerprint(delete).equals(before.fingerprint(delete))).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    /** One of each catalog action, aimed at real objects of the seed. */
    private static List<Action> everyAction() throws ApiException {
        String web = frontendPods().getFirst();
        return List.of(new Action.RestartDeployment(NS, "frontend"), new Action.RestartStatefulSet(NS, "postgres-db"),
                new Action.ScaleDeployment(NS, "product-api", 3), new Action.RollbackDeployment(NS, "frontend", null),
                new Action.EvictPod(NS, web), new Action.DeletePod(NS, web), new Action.CordonNode("worker-1"),
                new Action.DrainNode("worker-1"), new Action.DeletePvc(NS, "data-postgres-backup"), new Action.DeleteNamespace(NS));
    }

    private static TargetState state(ObjectRef target) {
        return actions.state(target).orElseThrow(() -> new AssertionError(target + " does not exist"));
    }

    private static List<String> frontendPods() throws ApiException {
        return core.listNamespacedPod(NS).labelSelector("app=frontend").execute().getItems().stream()
                .map(pod -> pod.getMetadata().getName()).sorted().toList();
    }

    /** Waits until the demo's disruption controller has recounted the budget to {@code allowed}. */
    private static void awaitBudget(String name, int allowed) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Integer seen = null;
        while (System.nanoTime() < deadline) {
            try {
                var status = new PolicyV1Api(client).readNamespacedPodDisruptionBudget(name, NS).execute().getStatus();
                seen = status == null ? null : status.getDisruptionsAllowed();
                if (Integer.valueOf(allowed).equals(seen)) {
                    return;
                }
                Thread.sleep(100);
            } catch (ApiException | InterruptedException e) {
                throw new AssertionError("cannot read " + name, e);
            }
        }
        throw new AssertionError(name + " allows " + seen + " disruptions, not " + allowed);
    }

    /** The cluster once its controllers have nothing left to do: two equal snapshots in a row. */
    private static Map<String, String> settledSnapshot() throws Exception {
        Map<String, String> previous = snapshot();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(300);
            Map<String, String> now = snapshot();
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        throw new AssertionError("the demo cluster never settled");
    }

    /** Every object an action could touch, as the API server serves it (resourceVersion included). */
    private static Map<String, String> snapshot() throws ApiException {
        Map<String, String> objects = new TreeMap<>();
        var policy = new PolicyV1Api(client);
        apps.listDeploymentForAllNamespaces().execute().getItems().forEach(o -> objects.put("deployment/" + key(o.getMetadata()), JSON.serialize(o)));
        apps.listStatefulSetForAllNamespaces().execute().getItems().forEach(o -> objects.put("statefulset/" + key(o.getMetadata()), JSON.serialize(o)));
        apps.listReplicaSetForAllNamespaces().execute().getItems().forEach(o -> objects.put("replicaset/" + key(o.getMetadata()), JSON.serialize(o)));
        core.listPodForAllNamespaces().execute().getItems().forEach(o -> objects.put("pod/" + key(o.getMetadata()), JSON.serialize(o)));
        core.listNode().execute().getItems().forEach(o -> objects.put("node/" + key(o.getMetadata()), JSON.serialize(o)));
        core.listNamespace().execute().getItems().forEach(o -> objects.put("namespace/" + key(o.getMetadata()), JSON.serialize(o)));
        core.listPersistentVolumeClaimForAllNamespaces().execute().getItems()
                .forEach(o -> objects.put("pvc/" + key(o.getMetadata()), JSON.serialize(o)));
        policy.listPodDisruptionBudgetForAllNamespaces().execute().getItems()
                .forEach(o -> objects.put("pdb/" + key(o.getMetadata()), JSON.serialize(o)));
        return objects;
    }

    private static String key(io.kubernetes.client.openapi.models.V1ObjectMeta meta) {
        return (meta.getNamespace() == null ? "" : meta.getNamespace() + "/") + meta.getName();
    }
}
