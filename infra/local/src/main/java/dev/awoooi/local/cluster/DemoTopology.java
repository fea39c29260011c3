package dev.awoooi.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The demo cluster's state: namespace {@value #NAMESPACE} runs ingress → frontend → auth-service / product-api /
 * order-api → postgres-db, redis-cache, rabbitmq, with postgres-db crash-looping. Everything is created through
 * a client, so each object takes the same path through the mock as a user's write would.
 */
final class DemoTopology {

    static final String NAMESPACE = "production";
    static final String KIND = "awoooi.dev/kind";
    static final String DEPENDS_ON = "awoooi.dev/depends-on";
    static final String CRASHING = "postgres-db";

    /** A data volume claimed per StatefulSet pod. */
    record DataVolume(String size, String mountPath) {
    }

    /** The values of the {@value #KIND} annotation. */
    enum WorkloadKind {
        INGRESS, SERVICE, DATABASE, CACHE, QUEUE;

        boolean stateful() {
            return switch (this) {
                case INGRESS, SERVICE -> false;
                case DATABASE, CACHE, QUEUE -> true;
            };
        }
    }

    /** A ConfigMap the workload reads, either as env vars (envFrom) or as files (a volume). */
    record Config(Map<String, String> data, boolean mounted) {
    }

    /**
     * A workload of the demo. Its dependencies are spread over the sources the topology reads, so each source is
     * exercised: the depends-on annotation, literal env vars, and a ConfigMap read as env vars or as a file.
     */
    record Workload(String name, WorkloadKind kind, int replicas, String image, int port, String cpu, String memory,
            String dependsOn, DataVolume volume, Map<String, String> env, Config config) {
        Workload(String name, WorkloadKind kind, int replicas, String image, int port, String cpu, String memory,
                String dependsOn, DataVolume volume) {
            this(name, kind, replicas, image, port, cpu, memory, dependsOn, volume, Map.of(), null);
        }
    }

    static final List<Workload> WORKLOADS = List.of(
            new Workload("ingress", WorkloadKind.INGRESS, 2, "registry.k8s.io/ingress-nginx/controller:v1.11.3", 80, "200m", "256Mi", "frontend", null),
            new Workload("frontend", WorkloadKind.SERVICE, 3, app("frontend"), 8080, "250m", "512Mi", "auth-service,product-api,order-api", null,
                    Map.of("AUTH_URL", "http://auth-service:8080/v1", "LOG_LEVEL", "info"), null),
            new Workload("auth-service", WorkloadKind.SERVICE, 2, app("auth-service"), 8080, "250m", "512Mi", null, null,
                    Map.of("DATABASE_HOST", "postgres-db", "DATABASE_NAME", "auth"),
                    new Config(Map.of("REDIS_URL", "redis://redis-cache:6379/0", "SESSION_TTL", "3600"), false)),
            new Workload("product-api", WorkloadKind.SERVICE, 2, app("product-api"), 8080, "500m", "768Mi", null, null,
                    Map.of("DATABASE_URL", "postgresql://catalog@postgres-db.production.svc.cluster.local:5432/catalog"),
                    new Config(Map.of("application.properties", "cache.url=redis://redis-cache:6379\nserver.port=8080\n"), true)),
            new Workload("order-api", WorkloadKind.SERVICE, 2, app("order-api"), 8080, "500m", "768Mi", "postgres-db,rabbitmq", null,
                    Map.of("AMQP_URL", "amqp://rabbitmq:5672/", "PAYMENTS_URL", "https://api.stripe.com/v1"), null),
            new Workload("postgres-db", WorkloadKind.DATABASE, 1, "postgres:16.4", 5432, "1", "4Gi", null,
                    new DataVolume("20Gi", "/var/lib/postgresql/data")),
            new Workload("redis-cache", WorkloadKind.CACHE, 1, "redis:7.4", 6379, "250m", "1Gi", null, new DataVolume("5Gi", "/data")),
            new Workload("rabbitmq", WorkloadKind.QUEUE, 1, "rabbitmq:3.13-management", 5672, "500m", "1Gi", null, null),
            // For the FinOps scan: nobody calls legacy-api any more (its pod idles), report-worker asks for far more than it uses.
            new Workload("legacy-api", WorkloadKind.SERVICE, 1, app("legacy-api"), 8080, "500m", "1Gi", null, null),
            new Workload("report-worker", WorkloadKind.SERVICE, 3, app("report-worker"), 8080, "1", "4Gi", null, null));

    private DemoTopology() {
    }

    static void seed(KubernetesClient client, RolloutController rollouts, Path rbacManifest) {
        // A fixed seed: pod names are the same on every start, so demos and docs can name them.
        Random names = new Random(182);
        for (String namespace : List.of(NAMESPACE, "kube-system", "awoooi")) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .withNewStatus().withPhase("Active").endStatus().build()).create();
        }
        try (InputStream manifest = Files.newInputStream(rbacManifest)) {
            client.load(manifest).items().forEach(item -> client.resource(item).create());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + rbacManifest, e);
        }
        node(client, "worker-1", "4", "16Gi", "m6i.xlarge", "eu-west-1a");
        node(client, "worker-2", "4", "16Gi", "m6i.xlarge", "eu-west-1b");
        node(client, "worker-large-01", "16", "64Gi", "m6i.4xlarge", "eu-west-1a");
        // kube-proxy is a DaemonSet, as kubeadm installs it: one pod per node, which a drain leaves in place.
        PodTemplateSpec proxy = template("k8s-app", "kube-proxy", "registry.k8s.io/kube-proxy:v1.31.0", 10249, "100m", "64Mi", null);
        DaemonSet proxies = client.resource(new DaemonSetBuilder().withNewMetadata().withName("kube-proxy").withNamespace("kube-system")
                .addToLabels("k8s-app", "kube-proxy").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("k8s-app", "kube-proxy").endSelector().withTemplate(proxy).endSpec()
                .build()).create();
        List<String> nodes = List.of("worker-1", "worker-2", "worker-large-01");
        for (String node : nodes) {
            client.resource(RolloutController.runningPod("kube-system", proxies, proxy,
                    "kube-proxy-" + RolloutController.suffix(names, 5), node, Map.of(), List.of())).create();
        }
        proxies.setStatus(new DaemonSetStatusBuilder().withObservedGeneration(proxies.getMetadata().getGeneration())
                .withDesiredNumberScheduled(nodes.size()).withCurrentNumberScheduled(nodes.size()).withNumberReady(nodes.size())
                .withNumberAvailable(nodes.size()).withUpdatedNumberScheduled(nodes.size()).withNumberMisscheduled(0).build());
        client.resource(proxies).updateStatus();
        storageClass(client, "gp3", Map.of("type", "gp3", "encrypted", "true"), true);
        storageClass(client, "gp2", Map.of("type", "gp2"), false);
        WORKLOADS.stream().filter(workload -> workload.volume() != null).forEach(workload ->
                claim(client, "data-" + workload.name() + "-0", workload.name(), workload.volume().size(), storageClass(workload.name()), null));
        // orphaned for 40 days: no pod mounts it, and it sits on the older, dearer, unencrypted class
        claim(client, "data-postgres-backup", "postgres-backup", "50Gi", "gp2", Duration.ofDays(40));
        client.resource(new PodDisruptionBudgetBuilder().withNewMetadata().withName("frontend-pdb").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(2)).withNewSelector().addToMatchLabels("app", "frontend").endSelector().endSpec()
                .build()).create();
        client.resource(new PodDisruptionBudgetBuilder().withNewMetadata().withName("postgres-db-pdb").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(1)).withNewSelector().addToMatchLabels("app", "postgres-db").endSelector().endSpec()
                .build()).create();
        for (Workload workload : WORKLOADS) {
            seed(client, rollouts, workload, names);
        }
        crashLoop(client);
        secret(client, "db-credentials", Duration.ofDays(200), Map.of("username", "orders", "password", "s3cr3t-demo-only"));
        secret(client, "api-tokens", Duration.ofDays(10), Map.of("payments-token", "demo-payments", "search-token", "demo-search"));
        DemoCompliance.seed(client, NAMESPACE);
        RolloutController.refreshBudgets(client, NAMESPACE);
    }

    private static void seed(KubernetesClient client, RolloutController rollouts, Workload workload, Random names) {
        client.resource(new ServiceBuilder().withNewMetadata().withName(workload.name()).withNamespace(NAMESPACE)
                .addToLabels("app", workload.name()).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0." + (10 + WORKLOADS.indexOf(workload)))
                .addToSelector("app", workload.name())
                .addNewPort().withName("tcp-" + workload.port()).withPort(workload.port()).withTargetPort(new IntOrString(workload.port()))
                .withProtocol("TCP").endPort().endSpec().build()).create();
        PodTemplateSpec template = template("app", workload.name(), workload.image(), workload.port(), workload.cpu(),
                workload.memory(), workload.volume());
        wire(client, workload, template);
        credentials(workload, template);
        // The kind is inferred from images and ports; only the ingress says what it is, as an override would.
        var metadata = new ObjectMetaBuilder().withName(workload.name()).withNamespace(NAMESPACE).addToLabels("app", workload.name());
        if (workload.kind() == WorkloadKind.INGRESS) {
            metadata.addToAnnotations(KIND, workload.kind().name());
        }
        if (workload.dependsOn() != null) {
            metadata.addToAnnotations(DEPENDS_ON, workload.dependsOn());
        }
        if (workload.kind().stateful()) {
            var spec = new StatefulSetBuilder().withMetadata(metadata.build()).withNewSpec().withReplicas(workload.replicas())
                    .withServiceName(workload.name()).withNewSelector().addToMatchLabels("app", workload.name()).endSelector()
                    .withTemplate(template);
            if (workload.volume() != null) {
                spec.addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().withNewSpec()
                        .withAccessModes("ReadWriteOnce").withStorageClassName(storageClass(workload.name())).withNewResources()
                        .addToRequests("storage", new Quantity(workload.volume().size())).endResources().endSpec().endVolumeClaimTemplate();
            }
            rollouts.rollOut(client.resource(spec.endSpec().build()).create());
        } else {
            Deployment deployment = new DeploymentBuilder().withMetadata(metadata.build()).withNewSpec().withReplicas(workload.replicas())
                    .withNewSelector().addToMatchLabels("app", workload.name()).endSelector().withTemplate(template)
                    .withNewStrategy().withType("RollingUpdate").endStrategy().endSpec().build();
            rollouts.rollOut(client.resource(deployment).create(), names);
        }
    }

    /** A plain one-replica service, as a harness adds them by the hundred: no dependency, no data, no budget. */
    static void addService(KubernetesClient client, RolloutController rollouts, String name, Random names) {
        PodTemplateSpec template = template("app", name, app(name), 8080, "50m", "64Mi", null);
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).addToLabels("app", name)
                .endMetadata().withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template).withNewStrategy().withType("RollingUpdate").endStrategy().endSpec().build();
        rollouts.rollOut(client.resource(deployment).create(), names);
    }

    /** postgres-db-0 keeps failing; its StatefulSet and budget report it, as the kubelet and controllers would. */
    static void crashLoop(KubernetesClient client) {
        Pod pod = client.pods().inNamespace(NAMESPACE).withName(CRASHING + "-0").get();
        // Deleted a moment ago (a delete_pod or drain demo): its StatefulSet recreates it within a controller pass.
        for (int attempt = 0; pod == null && attempt < 50; attempt++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + CRASHING + "-0 to be recreated", e);
            }
            pod = client.pods().inNamespace(NAMESPACE).withName(CRASHING + "-0").get();
        }
        if (pod == null) {
            throw new IllegalStateException(CRASHING + "-0 does not exist: is its StatefulSet scaled to zero?");
        }
        var container = pod.getStatus().getContainerStatuses().getFirst();
        pod.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder(container).withReady(false).withStarted(false)
                .withRestartCount(7)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 5m0s restarting failed container=%s pod=%s_%s(%s)".formatted(container.getName(),
                        pod.getMetadata().getName(), NAMESPACE, pod.getMetadata().getUid()))
                .endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                .withStartedAt(ago(Duration.ofMinutes(6))).withFinishedAt(ago(Duration.ofMinutes(5))).endTerminated().endLastState()
                .build()));
        pod.getStatus().setConditions(List.of(RolloutController.condition("PodScheduled", true),
                RolloutController.condition("Initialized", true), RolloutController.condition("ContainersReady", false),
                RolloutController.condition("Ready", false)));
        client.resource(pod).updateStatus();
        StatefulSet set = client.apps().statefulSets().inNamespace(NAMESPACE).withName(CRASHING).get();
        set.getStatus().setReadyReplicas(0);
        set.getStatus().setAvailableReplicas(0);
        client.resource(set).updateStatus();
        client.resource(new EventBuilder().withNewMetadata().withName(pod.getMetadata().getName() + ".backoff").withNamespace(NAMESPACE).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                .withNamespace(NAMESPACE).withUid(pod.getMetadata().getUid()).withFieldPath("spec.containers{postgres}").endInvolvedObject()
                .withType("Warning").withReason("BackOff").withCount(7)
                .withMessage("Back-off restarting failed container postgres in pod %s_%s".formatted(pod.getMetadata().getName(), NAMESPACE))
                .withFirstTimestamp(ago(Duration.ofMinutes(38))).withLastTimestamp(ago(Duration.ofMinutes(5)))
                .withNewSource().withComponent("kubelet").withHost(pod.getSpec().getNodeName()).endSource().build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    /** What `kubectl logs` shows: the crash-looping database explains itself, the rest report they serve. */
    static String logOf(JsonNode pod) {
        String started = pod.at("/status/startTime").asText(RolloutController.now());
        if (pod.at("/status/containerStatuses/0/state/waiting/reason").asText().equals("CrashLoopBackOff")) {
            return """
                    %1$s [1] LOG:  starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu
                    %1$s [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432
                    %1$s [1] FATAL:  could not create shared memory segment: No space left on device
                    %1$s [1] DETAIL:  Failed system call was shmget(key=5432001, size=1149239296, 03600).
                    %1$s [1] LOG:  database system is shut down
                    """.formatted(started);
        }
        return "%s INFO %s started on %s, ready%n".formatted(started, pod.at("/metadata/name").asText(),
                pod.at("/spec/nodeName").asText());
    }

    /** The workload's env vars and ConfigMap, on its pod template's first container. */
    /** For the compliance scan: which Secret a workload reads, which ServiceAccount it runs as. */
    private static void credentials(Workload workload, PodTemplateSpec template) {
        var container = template.getSpec().getContainers().getFirst();
        String secret = switch (workload.name()) {
            case "order-api" -> "db-credentials";   // 200 days old
            case "auth-service" -> "api-tokens";    // 10 days old
            default -> null;
        };
        if (secret != null) {
            container.getEnv().add(new EnvVarBuilder().withName("SECRET_" + secret.toUpperCase(java.util.Locale.ROOT).replace('-', '_'))
                    .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(secret.equals("db-credentials") ? "password" : "payments-token")
                    .endSecretKeyRef().endValueFrom().build());
        }
        if (workload.name().equals("legacy-api") || workload.name().equals("report-worker")) {
            template.getSpec().setServiceAccountName(workload.name());
        }
    }

    /** The class each data volume is on: the cache still sits on the older, unencrypted gp2. */
    static String storageClass(String app) {
        return app.equals("redis-cache") ? "gp2" : "gp3";
    }

    private static void wire(KubernetesClient client, Workload workload, PodTemplateSpec template) {
        var container = template.getSpec().getContainers().getFirst();
        workload.env().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> container.getEnv().add(new EnvVarBuilder().withName(e.getKey()).withValue(e.getValue()).build()));
        if (workload.config() == null) {
            return;
        }
        String name = workload.name() + "-config";
        client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).addToLabels("app", workload.name())
                .endMetadata().withData(workload.config().data()).build()).create();
        if (workload.config().mounted()) {
            template.getSpec().getVolumes().add(new VolumeBuilder().withName("config").withNewConfigMap().withName(name).endConfigMap().build());
            container.getVolumeMounts().add(new VolumeMountBuilder().withName("config").withMountPath("/etc/" + workload.name()).build());
        } else {
            container.getEnvFrom().add(new EnvFromSourceBuilder().withNewConfigMapRef().withName(name).endConfigMapRef().build());
        }
    }

    private static PodTemplateSpec template(String appLabel, String app, String image, int port, String cpu, String memory,
            DataVolume volume) {
        String container = image.startsWith("registry.example/") ? app : image.replaceFirst(":.*$", "").replaceFirst("^.*/", "");
        int cpuMillis = cpu.endsWith("m") ? Integer.parseInt(cpu.substring(0, cpu.length() - 1)) : Integer.parseInt(cpu) * 1000;
        var spec = new ContainerBuilder().withName(container).withImage(image).withImagePullPolicy("IfNotPresent")
                .addNewPort().withName("tcp-" + port).withContainerPort(port).withProtocol("TCP").endPort()
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                // CPU may burst to twice the request; memory is capped at the request so the scheduler's view holds.
                .addToLimits("cpu", new Quantity(2 * cpuMillis + "m")).addToLimits("memory", new Quantity(memory)).endResources();
        if (volume != null) {
            spec.addNewVolumeMount().withName("data").withMountPath(volume.mountPath()).endVolumeMount();
        }
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels(appLabel, app).endMetadata()
                .withNewSpec().withContainers(spec.build()).withTerminationGracePeriodSeconds(30L).endSpec().build();
    }

    private static void node(KubernetesClient client, String name, String cpu, String memory, String instanceType, String zone) {
        Map<String, Quantity> resources = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("100Gi"));
        client.resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", "amd64").addToLabels("node.kubernetes.io/instance-type", instanceType)
                .addToLabels("topology.kubernetes.io/zone", zone).endMetadata()
                .withNewSpec().withProviderID("aws:///" + zone + "/i-" + Integer.toHexString(name.hashCode())).endSpec()
                .withNewStatus().withCapacity(resources).withAllocatable(resources)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").withLastHeartbeatTime(RolloutController.now())
                .withLastTransitionTime(ago(Duration.ofDays(30))).endCondition()
                .addNewAddress().withType("InternalIP").withAddress(RolloutController.nodeIp(name)).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .endStatus().build()).create();
    }

    private static void storageClass(KubernetesClient client, String name, Map<String, String> parameters, boolean isDefault) {
        client.resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder().withNewMetadata().withName(name)
                .addToAnnotations("storageclass.kubernetes.io/is-default-class", String.valueOf(isDefault)).endMetadata()
                .withProvisioner("ebs.csi.aws.com").withParameters(parameters).withReclaimPolicy("Delete")
                .withVolumeBindingMode("WaitForFirstConsumer").withAllowVolumeExpansion(true).build()).create();
    }

    private static void claim(KubernetesClient client, String name, String app, String size, String storageClass, Duration age) {
        var meta = new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).addToLabels("app", app);
        if (age != null) {
            meta.addToAnnotations(DemoApiDispatcher.CREATED_AT, ago(age));
        }
        PersistentVolumeClaim claim = meta.endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass).withVolumeMode("Filesystem")
                .withVolumeName("pvc-" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)))
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
                .withNewStatus().withPhase("Bound").withAccessModes("ReadWriteOnce").addToCapacity("storage", new Quantity(size)).endStatus()
                .build();
        client.resource(claim).create();
    }

    private static void secret(KubernetesClient client, String name, Duration age, Map<String, String> data) {
        String createdAt = ago(age);
        var secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withCreationTimestamp(createdAt).addToAnnotations(DemoApiDispatcher.CREATED_AT, createdAt).endMetadata()
                .withType("Opaque");
        data.forEach((key, value) -> secret.addToData(key,
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        client.resource(secret.build()).create();
    }

    private static String app(String name) {
        return "registry.example/awoooi-demo/" + name + ":1.8.2";
    }

    private static String ago(Duration age) {
        return Instant.now().minus(age).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
