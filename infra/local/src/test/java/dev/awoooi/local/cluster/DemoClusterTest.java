package dev.awoooi.local.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.PolicyV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReviewSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewStatus;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.PatchUtils;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo cluster as the official client-java sees it: no test here touches fabric8. */
class DemoClusterTest {

    private static final String NS = "production";
    private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

    private static DemoCluster cluster;
    private static ApiClient client;
    private static AppsV1Api apps;
    private static CoreV1Api core;

    @BeforeAll
    static void startCluster() {
        cluster = DemoCluster.start(null);
        // Not ClientBuilder.standard(): a developer's KUBECONFIG must not leak credentials into the test.
        client = new ClientBuilder().setBasePath(cluster.url()).build();
        apps = new AppsV1Api(client);
        core = new CoreV1Api(client);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void servesTheSeededTopology() throws ApiException {
        assertEquals(Set.of("ingress", "frontend", "auth-service", "product-api", "order-api", "legacy-api", "report-worker"),
                names(apps.listNamespacedDeployment(NS).execute().getItems().stream().map(d -> d.getMetadata())));
        assertEquals(Set.of("postgres-db", "redis-cache", "rabbitmq"),
                names(apps.listNamespacedStatefulSet(NS).execute().getItems().stream().map(s -> s.getMetadata())));
        assertEquals(Set.of("worker-1", "worker-2", "worker-large-01"),
                names(core.listNode().execute().getItems().stream().map(n -> n.getMetadata())));

        Map<String, String> frontend = apps.readNamespacedDeployment("frontend", NS).execute().getMetadata().getAnnotations();
        // Kinds are inferred from images; only the ingress carries the override annotation.
        assertEquals(null, frontend.get("awoooi.dev/kind"));
        assertEquals("INGRESS", apps.readNamespacedDeployment("ingress", NS).execute().getMetadata().getAnnotations().get("awoooi.dev/kind"));
        assertEquals("auth-service,product-api,order-api", frontend.get("awoooi.dev/depends-on"));
        assertEquals(3, core.listNamespacedPod(NS).labelSelector("app=frontend").execute().getItems().size());

        V1PodDisruptionBudget budget = new PolicyV1Api(client).readNamespacedPodDisruptionBudget("frontend-pdb", NS).execute();
        assertEquals(1, budget.getStatus().getDisruptionsAllowed());

        Set<String> mounted = core.listNamespacedPod(NS).execute().getItems().stream()
                .flatMap(pod -> pod.getSpec().getVolumes() == null ? Stream.empty() : pod.getSpec().getVolumes().stream())
                .filter(volume -> volume.getPersistentVolumeClaim() != null)
                .map(volume -> volume.getPersistentVolumeClaim().getClaimName()).collect(Collectors.toSet());
        assertEquals(Set.of("data-postgres-db-0", "data-redis-cache-0"), mounted);
        assertEquals("Bound", core.readNamespacedPersistentVolumeClaim("data-postgres-backup", NS).execute().getStatus().getPhase());

        OffsetDateTime created = core.readNamespacedSecret("db-credentials", NS).execute().getMetadata().getCreationTimestamp();
        assertTrue(created.isBefore(OffsetDateTime.now().minus(Duration.ofDays(199))), "db-credentials created " + created);
    }

    @Test
    void restartingTheCrashLoopingDatabaseMakesItHealthy() throws Exception {
        V1Pod crashing = core.readNamespacedPod("postgres-db-0", NS).execute();
        assertEquals(7, crashing.getStatus().getContainerStatuses().getFirst().getRestartCount());
        assertFalse(crashing.getStatus().getContainerStatuses().getFirst().getReady());

        V1StatefulSet patched = patchPostgres(OffsetDateTime.now().toString(), null);
        assertEquals(2L, patched.getMetadata().getGeneration());

        V1StatefulSet settled = awaitReady(Duration.ofSeconds(5));
        assertEquals(2L, settled.getMetadata().getGeneration());
        assertEquals(2L, settled.getStatus().getObservedGeneration());
        assertEquals(1, settled.getStatus().getReadyReplicas());
        V1Pod fresh = core.readNamespacedPod("postgres-db-0", NS).execute();
        assertEquals(0, fresh.getStatus().getContainerStatuses().getFirst().getRestartCount());
        assertTrue(fresh.getStatus().getContainerStatuses().getFirst().getReady());
    }

    @Test
    void dryRunPatchReturnsThePatchedObjectWithoutStoringIt() throws Exception {
        V1StatefulSet before = apps.readNamespacedStatefulSet("postgres-db", NS).execute();

        V1StatefulSet answer = patchPostgres("2030-01-01T00:00:00Z", "All");

        assertEquals("2030-01-01T00:00:00Z", answer.getSpec().getTemplate().getMetadata().getAnnotations().get(RESTARTED_AT));
        V1StatefulSet after = apps.readNamespacedStatefulSet("postgres-db", NS).execute();
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        Map<String, String> stored = after.getSpec().getTemplate().getMetadata().getAnnotations();
        assertNotEquals("2030-01-01T00:00:00Z", stored == null ? null : stored.get(RESTARTED_AT));
    }

    @Test
    void refusesStrategicMergePatch() {
        ApiException refused = assertThrows(ApiException.class, () -> PatchUtils.patch(V1StatefulSet.class,
                () -> apps.patchNamespacedStatefulSet("postgres-db", NS, new V1Patch("{}")).buildCall(null),
                V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client));
        assertEquals(415, refused.getCode());
        assertTrue(refused.getResponseBody().contains("merge-patch"), refused.getResponseBody());
    }

    @Test
    void accessReviewsFollowTheExecutorRole() throws ApiException {
        V1SubjectAccessReviewStatus patch = review("patch", "apps", "statefulsets", NS);
        assertTrue(patch.getAllowed(), patch.getReason());

        V1SubjectAccessReviewStatus deleteNamespace = review("delete", "", "namespaces", null);
        assertFalse(deleteNamespace.getAllowed());
        assertEquals("no rule of ClusterRole awoooi-executor-cluster, Role awoooi-executor in production allows delete namespaces", deleteNamespace.getReason());

        // Roles per managed namespace: nothing outside production, and no Secret at all for the executor.
        V1SubjectAccessReviewStatus kubeSystem = review("patch", "apps", "deployments", "kube-system");
        assertFalse(kubeSystem.getAllowed(), kubeSystem.getReason());
        V1SubjectAccessReviewStatus secrets = review("list", "", "secrets", NS);
        assertFalse(secrets.getAllowed(), secrets.getReason());
        V1SubjectAccessReviewStatus podsEverywhere = review("list", "", "pods", null);
        assertFalse(podsEverywhere.getAllowed(), podsEverywhere.getReason());
    }

    @Test
    void aListAskedForAsMetadataOnlyCarriesNoSecretValue() throws Exception {
        var secrets = new dev.awoooi.cluster.KubernetesCluster(client, NS).secrets();
        assertEquals(Set.of("db-credentials", "api-tokens", "frontend-tls", "api-tls", "legacy-tls"),
                secrets.stream().map(s -> s.name()).collect(Collectors.toSet()));
        assertTrue(secrets.stream().allMatch(s -> s.createdAt() != null));
        var raw = client.getHttpClient().newCall(new okhttp3.Request.Builder().url(cluster.url() + "/api/v1/namespaces/" + NS + "/secrets")
                .header("Accept", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1").build()).execute();
        String body = raw.body().string();
        assertTrue(body.contains("\"kind\":\"PartialObjectMetadataList\""), body);
        assertFalse(body.contains("\"data\""), "no data field: " + body);
        assertFalse(body.contains("czNjcjN0"), "no value (base64 of the demo password) in " + body);
    }

    private static V1StatefulSet patchPostgres(String restartedAt, String dryRun) throws ApiException {
        String body = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"%s\":\"%s\"}}}}}".formatted(RESTARTED_AT, restartedAt);
        return PatchUtils.patch(V1StatefulSet.class,
                () -> apps.patchNamespacedStatefulSet("postgres-db", NS, new V1Patch(body)).dryRun(dryRun).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    }

    private static V1StatefulSet awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        V1StatefulSet set;
        do {
            set = apps.readNamespacedStatefulSet("postgres-db", NS).execute();
            if (Integer.valueOf(1).equals(set.getStatus().getReadyReplicas())) {
                return set;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return set;
    }

    private static V1SubjectAccessReviewStatus review(String verb, String group, String resource, String namespace)
            throws ApiException {
        V1SelfSubjectAccessReview review = new V1SelfSubjectAccessReview().spec(new V1SelfSubjectAccessReviewSpec()
                .resourceAttributes(new V1ResourceAttributes().verb(verb).group(group).resource(resource).namespace(namespace)));
        return new AuthorizationV1Api(as("awoooi-executor")).createSelfSubjectAccessReview(review).execute().getStatus();
    }

    /** A client that authenticates as one of rbac.yaml's ServiceAccounts, as its kubeconfig would. */
    private static ApiClient as(String serviceAccount) {
        return new ClientBuilder().setBasePath(cluster.url())
                .setAuthentication(new io.kubernetes.client.util.credentials.AccessTokenAuthentication(cluster.token(serviceAccount))).build();
    }

    // ------------------------------------------------------------------ identities, enforced on every request

    @Test
    void theAnalyzerDryRunsEveryWriteItIsGrantedAndTheAdmissionPolicyRefusesItsRealOnes() throws Exception {
        ApiClient analyzer = as("awoooi-analyzer");
        var actions = new dev.awoooi.cluster.KubernetesActions(analyzer);
        String pod = core.listNamespacedPod(NS).labelSelector("app=frontend").execute().getItems().getFirst().getMetadata().getName();
        var restart = new dev.awoooi.action.Action.RestartDeployment(NS, "frontend");
        var evict = new dev.awoooi.action.Action.EvictPod(NS, pod);
        var delete = new dev.awoooi.action.Action.DeletePod(NS, pod);
        long generation = apps.readNamespacedDeployment("frontend", NS).execute().getMetadata().getGeneration();

        for (var action : java.util.List.of(restart, evict, delete)) {
            assertEquals(java.util.Optional.empty(), actions.dryRun(action), action + " dry-runs as the analyzer");
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> actions.apply(action, java.time.Instant.now()),
                    action + " for real as the analyzer");
            assertTrue(String.valueOf(refused.getMessage()).contains("awoooi-analyzer-dry-run-only"), refused.getMessage());
        }
        assertEquals(generation, apps.readNamespacedDeployment("frontend", NS).execute().getMetadata().getGeneration(), "nothing changed");
        assertEquals(pod, core.readNamespacedPod(pod, NS).execute().getMetadata().getName(), "the pod is still there");

        // its reads: the topology's and the findings' in production, nothing elsewhere, no Secret
        new CoreV1Api(analyzer).readNamespacedPodLog(pod, NS).execute();
        assertEquals(403, assertThrows(ApiException.class, () -> new CoreV1Api(analyzer).listNamespacedPod("kube-system").execute()).getCode());
        assertEquals(403, assertThrows(ApiException.class, () -> new CoreV1Api(analyzer).listNamespacedSecret(NS).execute()).getCode());
    }

    @Test
    void theReaderWritesNothingAndTheExecutorActsButReadsNoLogs() throws Exception {
        ApiClient reader = as("awoooi-reader");
        ApiException patch = assertThrows(ApiException.class, () -> PatchUtils.patch(V1StatefulSet.class,
                () -> new AppsV1Api(reader).patchNamespacedStatefulSet("postgres-db", NS, new V1Patch("{}")).dryRun("All").buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, reader));
        assertEquals(403, patch.getCode());
        // the API server's wording, in a JSON Status
        assertTrue(patch.getResponseBody().contains("system:serviceaccount:awoooi:awoooi-reader\\\" cannot patch resource \\\"statefulsets\\\""),
                patch.getResponseBody());
        // the scans' reads, Secrets as metadata only
        var secrets = new dev.awoooi.cluster.KubernetesCluster(reader, NS).secrets();
        assertEquals(Set.of("db-credentials", "api-tokens", "frontend-tls", "api-tls", "legacy-tls"),
                secrets.stream().map(s -> s.name()).collect(Collectors.toSet()));
        assertEquals(403, assertThrows(ApiException.class, () -> new CoreV1Api(reader).readNamespacedSecret("db-credentials", NS).execute()).getCode());
        // a TLS Secret the awoooi-tls-reader Role names is readable, by name only
        assertEquals("kubernetes.io/tls", new CoreV1Api(reader).readNamespacedSecret("frontend-tls", NS).execute().getType());

        ApiClient executor = as("awoooi-executor");
        String pod = core.listNamespacedPod(NS).labelSelector("app=frontend").execute().getItems().getFirst().getMetadata().getName();
        assertEquals(403, assertThrows(ApiException.class, () -> new CoreV1Api(executor).readNamespacedPodLog(pod, NS).execute()).getCode());
        long generation = apps.readNamespacedDeployment("order-api", NS).execute().getMetadata().getGeneration();
        new dev.awoooi.cluster.KubernetesActions(executor).apply(new dev.awoooi.action.Action.RestartDeployment(NS, "order-api"), java.time.Instant.now());
        assertEquals(generation + 1, apps.readNamespacedDeployment("order-api", NS).execute().getMetadata().getGeneration());
    }

    @Test
    void aDryRunNobodyAnsweredIsNoVerdictNotARefusal() throws Exception {
        // a port nobody listens on: no HTTP answer at all
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        var unreachable = new dev.awoooi.cluster.KubernetesActions(new ClientBuilder().setBasePath("http://127.0.0.1:" + closed).build());
        var unanswered = assertThrows(dev.awoooi.dryrun.ClusterProbe.Unanswered.class,
                () -> unreachable.dryRun(new dev.awoooi.action.Action.RestartDeployment(NS, "frontend")));
        assertTrue(unanswered.getMessage().contains("no verdict"), unanswered.getMessage());
        // a refusal is a verdict: the analyzer may not act in kube-system, so the server says no
        var refused = new dev.awoooi.cluster.KubernetesActions(as("awoooi-analyzer"))
                .dryRun(new dev.awoooi.action.Action.RestartDeployment("kube-system", "coredns"));
        assertTrue(refused.isPresent() && refused.get().contains("forbidden"), String.valueOf(refused));
    }

    @Test
    void anUnknownTokenIsUnauthorized() {
        ApiClient stranger = new ClientBuilder().setBasePath(cluster.url())
                .setAuthentication(new io.kubernetes.client.util.credentials.AccessTokenAuthentication("not-a-token")).build();
        assertEquals(401, assertThrows(ApiException.class, () -> new CoreV1Api(stranger).listNamespacedPod(NS).execute()).getCode());
        assertThrows(IllegalArgumentException.class, () -> cluster.token("awoooi-admin"));
    }

    private static Set<String> names(Stream<V1ObjectMeta> metadata) {
        return metadata.map(V1ObjectMeta::getName).collect(Collectors.toSet());
    }
}
