package dev.awoooi.cluster;

import com.sun.net.httpserver.HttpServer;
import dev.awoooi.topology.Edge;
import dev.awoooi.topology.EdgeSource;
import dev.awoooi.topology.NodeKind;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapEnvSource;
import io.kubernetes.client.openapi.models.V1ConfigMapKeySelector;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicaSetSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSetStatus;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceList;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetList;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;
import io.kubernetes.client.openapi.models.V1StatefulSetStatus;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.ClientBuilder;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static dev.awoooi.BenchmarkFigures.max;
import static dev.awoooi.BenchmarkFigures.median;
import static dev.awoooi.BenchmarkFigures.min;

/**
 * Builds the service graph of one namespace of 1,000 to 5,000 workloads through the real adapter
 * ({@link KubernetesTopology}) and the real Kubernetes client, against an HTTP server on loopback that serves the
 * list responses an API server would (serialized once, served as bytes). Per size: the whole {@code contribute()};
 * the adapter's read alone (six list calls, HTTP and JSON decoding); the same list calls made directly on the
 * client; the responses fetched as bytes without decoding; the build alone, from a snapshot already read. Rounds
 * alternate them; medians are reported. Run with {@code scripts/bench-topology}.
 */
public final class TopologyBuildBenchmark {
    private static final String NS = "shop";
    private static final int[] SIZES = {1_000, 2_500, 5_000};
    private static final long SEED = 20261121L;
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static long sink;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        List<String> timeRows = new ArrayList<>();
        List<String> shapeRows = new ArrayList<>();
        for (int workloads : SIZES) {
            Cluster cluster = Cluster.generate(workloads, new SplittableRandom(SEED ^ workloads));
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            Map<String, byte[]> bodies = cluster.serialize();
            server.createContext("/", exchange -> {
                byte[] body = bodies.get(exchange.getRequestURI().getPath());
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
                exchange.close();
            });
            server.start();
            try {
                ApiClient client = new ClientBuilder().setBasePath("http://127.0.0.1:" + server.getAddress().getPort()).build();
                client.setReadTimeout(120_000);
                KubernetesTopology topology = new KubernetesTopology(client, NS, clock);

                ServiceGraph graph = new ServiceGraph();
                topology.contribute(graph);
                Map<EdgeSource, Integer> bySource = check(graph, workloads);
                shapeRows.add(shape(workloads, cluster, bodies, graph, bySource));

                KubernetesTopology.Snapshot snapshot = topology.read();
                CoreV1Api core = new CoreV1Api(client);
                AppsV1Api apps = new AppsV1Api(client);
                String base = client.getBasePath();
                for (int i = 0; i < 3; i++) {
                    contribute(topology);
                    read(topology);
                    build(topology, snapshot);
                    listOnly(core, apps);
                    bytesOnly(client, base, bodies.keySet());
                }
                double[] total = new double[rounds];
                double[] reads = new double[rounds];
                double[] builds = new double[rounds];
                double[] lists = new double[rounds];
                double[] transfers = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    total[r] = contribute(topology);
                    reads[r] = read(topology);
                    builds[r] = build(topology, snapshot);
                    lists[r] = listOnly(core, apps);
                    transfers[r] = bytesOnly(client, base, bodies.keySet());
                }
                timeRows.add(String.format(Locale.ROOT,
                        "| %,d | %.0f / %.0f / %.0f | %.0f / %.0f / %.0f | %.0f | %.0f | %.0f / %.0f / %.0f | %.0f%% |",
                        workloads, median(total), min(total), max(total), median(reads), min(reads), max(reads), median(lists),
                        median(transfers), median(builds), min(builds), max(builds), 100 * median(builds) / median(total)));
                System.err.printf(Locale.ROOT, "done %d workloads%n", workloads);
            } finally {
                server.stop(0);
            }
        }
        System.out.println("| workloads | objects listed | JSON MB | nodes | edges | ANNOTATION | ENV_VAR | CONFIG_MAP | unhealthy nodes | kinds |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        shapeRows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nms per build of the graph (%d rounds; median / min / max):%n%n", rounds);
        System.out.println("| workloads | contribute(), end to end | read(): HTTP + JSON decode | bare list calls | HTTP bytes only"
                + " | build() alone | build share |");
        System.out.println("|---|---|---|---|---|---|---|");
        timeRows.forEach(System.out::println);
        if (sink == 42) {
            System.out.println();
        }
    }

    private static double contribute(KubernetesTopology topology) {
        long t = System.nanoTime();
        ServiceGraph graph = new ServiceGraph();
        topology.contribute(graph);
        double ms = (System.nanoTime() - t) / 1e6;
        sink += graph.edgeCount();
        return ms;
    }

    private static double read(KubernetesTopology topology) {
        long t = System.nanoTime();
        KubernetesTopology.Snapshot snapshot = topology.read();
        double ms = (System.nanoTime() - t) / 1e6;
        sink += snapshot.pods().size();
        return ms;
    }

    private static double build(KubernetesTopology topology, KubernetesTopology.Snapshot snapshot) {
        long t = System.nanoTime();
        ServiceGraph graph = new ServiceGraph();
        topology.build(snapshot, graph);
        double ms = (System.nanoTime() - t) / 1e6;
        sink += graph.edgeCount();
        return ms;
    }

    /** The six list calls through the client, decoded and dropped: the floor under {@code read()}. */
    private static double listOnly(CoreV1Api core, AppsV1Api apps) throws ApiException {
        long t = System.nanoTime();
        sink += apps.listNamespacedDeployment(NS).execute().getItems().size();
        sink += apps.listNamespacedStatefulSet(NS).execute().getItems().size();
        sink += core.listNamespacedConfigMap(NS).execute().getItems().size();
        sink += core.listNamespacedService(NS).execute().getItems().size();
        sink += core.listNamespacedPod(NS).execute().getItems().size();
        sink += core.listNamespacedEvent(NS).execute().getItems().size();
        return (System.nanoTime() - t) / 1e6;
    }

    /** The same six responses fetched as bytes through the client's OkHttp, not decoded: the transfer alone. */
    private static double bytesOnly(ApiClient client, String base, Set<String> paths) throws IOException {
        long t = System.nanoTime();
        for (String path : paths) {
            try (Response response = client.getHttpClient().newCall(new Request.Builder().url(base + path).build()).execute()) {
                sink += response.body().bytes().length;
            }
        }
        return (System.nanoTime() - t) / 1e6;
    }

    /** A node per workload and edges from each of the three cluster sources, or the figures mean nothing. */
    private static Map<EdgeSource, Integer> check(ServiceGraph graph, int workloads) {
        if (graph.nodes().size() != workloads) {
            throw new AssertionError(graph.nodes().size() + " nodes for " + workloads + " workloads");
        }
        Map<EdgeSource, Integer> bySource = new EnumMap<>(EdgeSource.class);
        for (Edge edge : graph.edges()) {
            edge.sources().forEach(s -> bySource.merge(s, 1, Integer::sum));
        }
        for (EdgeSource source : List.of(EdgeSource.ANNOTATION, EdgeSource.ENV_VAR, EdgeSource.CONFIG_MAP)) {
            if (bySource.getOrDefault(source, 0) == 0) {
                throw new AssertionError("no edge from " + source + ": " + bySource);
            }
        }
        return bySource;
    }

    private static String shape(int workloads, Cluster cluster, Map<String, byte[]> bodies, ServiceGraph graph, Map<EdgeSource, Integer> bySource) {
        long bytes = bodies.values().stream().mapToLong(b -> b.length).sum();
        Map<NodeKind, Integer> kinds = new TreeMap<>();
        int unhealthy = 0;
        for (ServiceNode node : graph.nodes()) {
            kinds.merge(node.kind(), 1, Integer::sum);
            unhealthy += node.healthy() ? 0 : 1;
        }
        return String.format(Locale.ROOT, "| %,d | %s | %.1f | %,d | %,d | %,d | %,d | %,d | %d | %s |", workloads, cluster.counts(),
                bytes / 1e6, graph.nodes().size(), graph.edgeCount(), bySource.getOrDefault(EdgeSource.ANNOTATION, 0),
                bySource.getOrDefault(EdgeSource.ENV_VAR, 0), bySource.getOrDefault(EdgeSource.CONFIG_MAP, 0), unhealthy, kinds);
    }

    // ------------------------------------------------------------------ the generated namespace

    /**
     * One namespace as a shop of a few thousand microservices would have it: 90% Deployments (each with its current
     * ReplicaSet, half with an old one scaled to zero), 10% StatefulSets (Postgres, Redis, Kafka, RabbitMQ,
     * Elasticsearch, MongoDB), three pods each, a Service per workload (a quarter named apart from the workload, a
     * fifth of the stateful ones headless), 13 to 17 env vars per app container mixing references (URLs, connection
     * strings with credentials, host lists, kubelet link vars, fully qualified names) with values that only look
     * like them, one ConfigMap per five workloads read through envFrom, a volume or a key, a depends-on annotation
     * on one workload in ten, 1% of workloads unhealthy, and the events of the last minutes.
     */
    static final class Cluster {
        private static final String[] DOMAINS = {"orders", "payments", "checkout", "cart", "catalog", "search", "inventory",
                "shipping", "users", "auth", "billing", "pricing", "reviews", "recommendations", "notifications", "email",
                "media", "analytics", "fraud", "loyalty", "ledger", "tax", "returns", "warehouse", "identity", "sessions"};
        private static final String[] ROLES = {"api", "service", "worker", "bff", "consumer", "gateway", "sync", "web"};
        private static final String[][] STORES = {{"postgres", "postgres:16.4"}, {"postgres", "bitnami/postgresql:16.4.0"},
                {"redis", "redis:7.4-alpine"}, {"kafka", "confluentinc/cp-kafka:7.7.1"}, {"rabbitmq", "rabbitmq:3.13-management"},
                {"elasticsearch", "docker.elastic.co/elasticsearch/elasticsearch:8.15.0"}, {"mongo", "mongo:7.0"}};
        private static final int[] STORE_PORTS = {5432, 5432, 6379, 9092, 5672, 9200, 27017};

        final List<V1Deployment> deployments = new ArrayList<>();
        final List<V1StatefulSet> statefulSets = new ArrayList<>();
        final List<V1ReplicaSet> replicaSets = new ArrayList<>();
        final List<V1ConfigMap> configMaps = new ArrayList<>();
        final List<V1Service> services = new ArrayList<>();
        final List<V1Pod> pods = new ArrayList<>();
        final List<CoreV1Event> events = new ArrayList<>();

        private final SplittableRandom rnd;
        private final int size;
        private final String[] names;
        private final String[] serviceNames;
        private final String[] clusterIps;
        private final int[] store;

        private Cluster(int size, SplittableRandom rnd) {
            this.size = size;
            this.rnd = rnd;
            names = new String[size];
            serviceNames = new String[size];
            clusterIps = new String[size];
            store = new int[size];
        }

        static Cluster generate(int size, SplittableRandom rnd) {
            Cluster c = new Cluster(size, rnd);
            c.generate();
            return c;
        }

        String counts() {
            return String.format(Locale.ROOT, "%,d deploy, %,d sts, %,d rs, %,d pods, %,d svc, %,d cm, %,d events", deployments.size(),
                    statefulSets.size(), replicaSets.size(), pods.size(), services.size(), configMaps.size(), events.size());
        }

        private boolean stateful(int i) {
            return store[i] >= 0;
        }

        private void generate() {
            for (int i = 0; i < size; i++) {
                String domain = DOMAINS[rnd.nextInt(DOMAINS.length)];
                store[i] = i % 10 == 9 ? rnd.nextInt(STORES.length) : -1;
                names[i] = String.format(Locale.ROOT, "%s-%s-%04d", domain, stateful(i) ? STORES[store[i]][0] : ROLES[rnd.nextInt(ROLES.length)], i);
                serviceNames[i] = i % 4 == 0 ? names[i] + "-svc" : names[i];
                boolean headless = stateful(i) && rnd.nextInt(5) == 0;
                clusterIps[i] = headless ? "None" : "10.96." + (i / 250) + "." + (i % 250 + 1);
            }
            int configs = Math.max(1, size / 5);
            for (int j = 0; j < configs; j++) {
                configMaps.add(configMap(j));
            }
            for (int i = 0; i < size; i++) {
                boolean sick = rnd.nextInt(100) == 0;
                V1PodTemplateSpec template = template(i, configs);
                Map<String, String> labels = labels(i);
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put("meta.helm.sh/release-name", names[i]);
                if (rnd.nextInt(10) == 0) {
                    annotations.put(KubernetesTopology.DEPENDS_ON_ANNOTATION, dependsOn(i));
                }
                V1ObjectMeta meta = new V1ObjectMeta().name(names[i]).namespace(NS).uid(uid()).labels(labels).annotations(annotations)
                        .resourceVersion(String.valueOf(100_000 + i))
                        .creationTimestamp(OffsetDateTime.ofInstant(NOW.minusSeconds(86_400L * 30), ZoneOffset.UTC));
                V1LabelSelector selector = new V1LabelSelector().matchLabels(Map.of("app", names[i]));
                int ready = sick ? 2 : 3;
                List<String> podNames = new ArrayList<>();
                String ownerKind;
                String ownerName;
                String ownerUid = null;
                if (stateful(i)) {
                    statefulSets.add(new V1StatefulSet().apiVersion("apps/v1").kind("StatefulSet").metadata(meta)
                            .spec(new V1StatefulSetSpec().replicas(3).serviceName(serviceNames[i]).selector(selector).template(template))
                            .status(new V1StatefulSetStatus().replicas(3).readyReplicas(ready).currentReplicas(3).availableReplicas(ready)));
                    for (int p = 0; p < 3; p++) {
                        podNames.add(names[i] + "-" + p);
                    }
                    ownerKind = "StatefulSet";
                    ownerName = names[i];
                    ownerUid = meta.getUid();
                } else {
                    deployments.add(new V1Deployment().apiVersion("apps/v1").kind("Deployment").metadata(meta)
                            .spec(new V1DeploymentSpec().replicas(3).selector(selector).template(template))
                            .status(new V1DeploymentStatus().replicas(3).readyReplicas(ready).availableReplicas(ready).updatedReplicas(3)));
                    String current = null;
                    int sets = rnd.nextBoolean() ? 2 : 1;
                    for (int s = 0; s < sets; s++) {
                        String rsName = names[i] + "-" + hash(10);
                        V1ReplicaSet rs = new V1ReplicaSet().apiVersion("apps/v1").kind("ReplicaSet")
                                .metadata(new V1ObjectMeta().name(rsName).namespace(NS).uid(uid()).labels(Map.of("app", names[i]))
                                        .ownerReferences(List.of(new V1OwnerReference().apiVersion("apps/v1").kind("Deployment")
                                                .name(names[i]).uid(meta.getUid()).controller(true).blockOwnerDeletion(true))))
                                .spec(new V1ReplicaSetSpec().replicas(s == 0 ? 3 : 0).selector(selector).template(template))
                                .status(new V1ReplicaSetStatus().replicas(s == 0 ? 3 : 0).readyReplicas(s == 0 ? ready : 0));
                        replicaSets.add(rs);
                        if (s == 0) {
                            current = rsName;
                            ownerUid = rs.getMetadata().getUid();
                        }
                    }
                    for (int p = 0; p < 3; p++) {
                        podNames.add(current + "-" + hash(5));
                    }
                    ownerKind = "ReplicaSet";
                    ownerName = current;
                }
                for (int p = 0; p < 3; p++) {
                    pods.add(pod(podNames.get(p), template, ownerKind, ownerName, ownerUid, sick && p == 0));
                }
                services.add(new V1Service().apiVersion("v1").kind("Service")
                        .metadata(new V1ObjectMeta().name(serviceNames[i]).namespace(NS).uid(uid()).labels(Map.of("app", names[i])))
                        .spec(new V1ServiceSpec().type("ClusterIP").clusterIP(clusterIps[i]).selector(Map.of("app", names[i]))
                                .ports(List.of(new V1ServicePort().name(stateful(i) ? STORES[store[i]][0] : "http").protocol("TCP")
                                        .port(stateful(i) ? STORE_PORTS[store[i]] : 80)
                                        .targetPort(new IntOrString(stateful(i) ? STORE_PORTS[store[i]] : 8080))))));
                if (sick && rnd.nextBoolean()) {
                    for (int p = 0; p < 3; p++) {
                        events.add(event(podNames.get(p), "Unhealthy", "Warning",
                                "Readiness probe failed: HTTP probe failed with statuscode: 503", 4, 120));
                    }
                }
            }
            String[] reasons = {"Scheduled", "Pulling", "Pulled", "Created", "Started", "Killing", "ScalingReplicaSet"};
            int routine = Math.max(20, size / 20);
            for (int e = 0; e < routine; e++) {
                V1Pod pod = pods.get(rnd.nextInt(pods.size()));
                events.add(event(pod.getMetadata().getName(), reasons[rnd.nextInt(reasons.length)], "Normal", "routine", 1, 60 + rnd.nextInt(3_000)));
            }
            for (int e = 0; e < routine / 10; e++) {
                V1Pod pod = pods.get(rnd.nextInt(pods.size()));
                // an old probe failure, outside the adapter's ten-minute window: no signal
                events.add(event(pod.getMetadata().getName(), "Unhealthy", "Warning", "Liveness probe failed: connection refused", 1, 3_600));
            }
        }

        private Map<String, String> labels(int i) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("app", names[i]);
            labels.put("app.kubernetes.io/name", names[i]);
            labels.put("app.kubernetes.io/part-of", names[i].substring(0, names[i].indexOf('-')));
            labels.put("team", "team-" + (i % 40));
            if (stateful(i) && rnd.nextBoolean()) {
                labels.put("app.kubernetes.io/component", switch (STORES[store[i]][0]) {
                    case "redis" -> "cache";
                    case "kafka", "rabbitmq" -> "broker";
                    default -> "database";
                });
            }
            return labels;
        }

        private V1PodTemplateSpec template(int i, int configs) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("app", names[i]);
            labels.put("app.kubernetes.io/part-of", names[i].substring(0, names[i].indexOf('-')));
            labels.put("version", "v" + (1 + rnd.nextInt(5)));
            List<V1Container> containers = new ArrayList<>();
            List<V1Volume> volumes = new ArrayList<>();
            V1Container app;
            if (stateful(i)) {
                int port = STORE_PORTS[store[i]];
                app = new V1Container().name(STORES[store[i]][0]).image(STORES[store[i]][1])
                        .ports(List.of(new V1ContainerPort().name("main").containerPort(port).protocol("TCP")))
                        .env(List.of(env("POSTGRES_DB", "app"), env("POSTGRES_USER", "app"), env("POSTGRES_PASSWORD", secret()),
                                env("PGDATA", "/var/lib/postgresql/data/pgdata"), env("TZ", "UTC")));
                containers.add(app);
                if (rnd.nextInt(3) == 0) {
                    containers.add(new V1Container().name("exporter").image("prometheuscommunity/postgres-exporter:v0.15.0")
                            .ports(List.of(new V1ContainerPort().name("metrics").containerPort(9187)))
                            .env(List.of(env("DATA_SOURCE_URI", "localhost:" + port + "/app?sslmode=disable"), env("DATA_SOURCE_USER", "app"))));
                }
            } else {
                String repository = "registry.example.com/shop/" + names[i].substring(0, names[i].lastIndexOf('-'));
                app = new V1Container().name("app").image(repository + ":1." + rnd.nextInt(90) + "." + rnd.nextInt(10))
                        .ports(List.of(new V1ContainerPort().name("http").containerPort(8080).protocol("TCP")))
                        .env(appEnv(i, configs))
                        .readinessProbe(new V1Probe().httpGet(new V1HTTPGetAction().path("/health/ready").port(new IntOrString(8080))).periodSeconds(10))
                        .livenessProbe(new V1Probe().httpGet(new V1HTTPGetAction().path("/health/live").port(new IntOrString(8080))).periodSeconds(20));
                containers.add(app);
                if (rnd.nextInt(5) == 0) {
                    containers.add(new V1Container().name("envoy").image("envoyproxy/envoy:v1.31.2")
                            .ports(List.of(new V1ContainerPort().name("admin").containerPort(9901)))
                            .env(List.of(env("ENVOY_UID", "0"), env("LOG_LEVEL", "warn"))));
                }
            }
            app.resources(new V1ResourceRequirements().requests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")))
                    .limits(Map.of("memory", new Quantity("512Mi"))));
            if (rnd.nextInt(10) < 8) {
                String cm = "config-" + rnd.nextInt(configs);
                if (rnd.nextBoolean()) {
                    app.envFrom(List.of(new V1EnvFromSource().configMapRef(new V1ConfigMapEnvSource().name(cm))));
                } else {
                    volumes.add(new V1Volume().name("config").configMap(new V1ConfigMapVolumeSource().name(cm)));
                    app.volumeMounts(List.of(new V1VolumeMount().name("config").mountPath("/etc/app")));
                }
            }
            return new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels).annotations(Map.of("prometheus.io/scrape", "true")))
                    .spec(new V1PodSpec().containers(containers).volumes(volumes.isEmpty() ? null : volumes).serviceAccountName(names[i])
                            .terminationGracePeriodSeconds(30L));
        }

        /** 13 to 17 env vars: four to eight references in the forms apps write them, the rest values that are not. */
        private List<V1EnvVar> appEnv(int i, int configs) {
            List<V1EnvVar> env = new ArrayList<>();
            int db = storeOf(0, 1);
            int cache = storeOf(2);
            int other = otherService(i);
            int hub = rnd.nextInt(Math.min(10, size));
            switch (rnd.nextInt(3)) {
                case 0 -> env.add(env("DATABASE_URL",
                        "postgresql://app:" + secret() + "@" + serviceNames[db] + ":5432/" + names[i].substring(0, names[i].indexOf('-'))));
                case 1 -> env.add(env("SPRING_DATASOURCE_URL",
                        "jdbc:postgresql://" + serviceNames[db] + "." + NS + ".svc.cluster.local:5432/app?sslmode=disable"));
                default -> {
                    env.add(env("DB_HOST", serviceNames[db]));
                    env.add(env("DB_PORT", "5432"));
                }
            }
            env.add(rnd.nextBoolean() ? env("REDIS_HOST", serviceNames[cache]) : env("REDIS_URL", "redis://" + serviceNames[cache] + ":6379/0"));
            String upper = serviceNames[other].toUpperCase(Locale.ROOT).replace('-', '_');
            env.add(rnd.nextBoolean() ? env(upper.substring(0, upper.lastIndexOf('_')) + "_URL", "http://" + serviceNames[other] + ":80/v1")
                    : env(upper + "_SERVICE_HOST", clusterIps[other]));
            env.add(env("AUTH_ENDPOINT", "http://" + serviceNames[hub] + "." + NS + ":80/oauth/token"));
            if (rnd.nextInt(3) == 0) {
                int k1 = storeOf(3);
                int k2 = storeOf(3);
                env.add(env("KAFKA_BOOTSTRAP_SERVERS", serviceNames[k1] + ":9092," + serviceNames[k2] + ":9092"));
            }
            if (rnd.nextInt(4) == 0) {
                env.add(env("AMQP_URL", "amqp://guest:" + secret() + "@" + serviceNames[storeOf(4)] + ":5672/"));
            }
            if (rnd.nextInt(3) == 0) {
                String cm = "config-" + rnd.nextInt(configs);
                env.add(new V1EnvVar().name("CACHE_HOST")
                        .valueFrom(new V1EnvVarSource().configMapKeyRef(new V1ConfigMapKeySelector().name(cm).key("CACHE_HOST"))));
            }
            env.add(env("LOG_LEVEL", rnd.nextBoolean() ? "info" : "debug"));
            env.add(env("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+UseG1GC -Dfile.encoding=UTF-8"));
            env.add(env("OTEL_SERVICE_NAME", names[i]));
            env.add(env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4317"));
            env.add(env("DB_PASSWORD", secret()));
            env.add(env("SERVER_PORT", "8080"));
            env.add(env("FEATURE_FLAGS", "new-checkout,fast-search"));
            env.add(env("SENTRY_DSN", "https://" + hash(32) + "@o4507.ingest.sentry.io/45"));
            env.add(new V1EnvVar().name("POD_NAME")
                    .valueFrom(new V1EnvVarSource().fieldRef(new V1ObjectFieldSelector().fieldPath("metadata.name"))));
            return env;
        }

        private V1ConfigMap configMap(int j) {
            Map<String, String> data = new LinkedHashMap<>();
            int cache = storeOf(2);
            int svc = rnd.nextInt(size);
            data.put("CACHE_HOST", serviceNames[cache]);
            data.put("PRICING_ENDPOINT", "http://" + serviceNames[svc] + ":80");
            data.put("LOG_FORMAT", "json");
            data.put("RETRY_MAX", String.valueOf(1 + rnd.nextInt(5)));
            if (rnd.nextBoolean()) {
                data.put("application.yaml", "spring:\n  datasource:\n    url: jdbc:postgresql://" + serviceNames[storeOf(0, 1)]
                        + ":5432/app\n    username: app\n  data:\n    redis:\n      host: " + serviceNames[cache]
                        + "\n      port: 6379\nserver:\n  port: 8080\n"
                        + "management:\n  endpoints:\n    web:\n      exposure:\n        include: health,prometheus\n");
            }
            return new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
                    .metadata(new V1ObjectMeta().name("config-" + j).namespace(NS).uid(uid())).data(data);
        }

        private String dependsOn(int i) {
            List<String> callees = new ArrayList<>();
            callees.add(serviceNames[otherService(i)]);
            if (rnd.nextBoolean()) {
                callees.add(names[storeOf(0, 1, 6)]);
            }
            if (rnd.nextInt(4) == 0) {
                callees.add("stripe-api");
            }
            return String.join(", ", callees);
        }

        private V1Pod pod(String name, V1PodTemplateSpec template, String ownerKind, String ownerName, String ownerUid, boolean crashing) {
            List<V1ContainerStatus> statuses = new ArrayList<>();
            for (V1Container c : template.getSpec().getContainers()) {
                V1ContainerStatus status = new V1ContainerStatus().name(c.getName()).image(c.getImage()).imageID("sha256:" + hash(64))
                        .containerID("containerd://" + hash(64)).started(true);
                if (crashing && statuses.isEmpty()) {
                    status.ready(false).restartCount(7)
                            .state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("CrashLoopBackOff")
                                    .message("back-off 5m0s restarting failed container")))
                            .lastState(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(1).reason("Error")
                                    .finishedAt(OffsetDateTime.ofInstant(NOW.minusSeconds(300), ZoneOffset.UTC))));
                } else {
                    status.ready(true).restartCount(0)
                            .state(new V1ContainerState().running(
                                    new V1ContainerStateRunning().startedAt(OffsetDateTime.ofInstant(NOW.minusSeconds(86_400), ZoneOffset.UTC))));
                }
                statuses.add(status);
            }
            Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
            if ("ReplicaSet".equals(ownerKind)) {
                // As a Deployment does it: the ReplicaSet is <deployment>-<hash> and its pods carry the hash.
                labels.put("pod-template-hash", ownerName.substring(ownerName.lastIndexOf('-') + 1));
            }
            return new V1Pod().apiVersion("v1").kind("Pod")
                    .metadata(new V1ObjectMeta().name(name).namespace(NS).uid(uid()).labels(labels)
                            .ownerReferences(List.of(new V1OwnerReference().apiVersion("apps/v1").kind(ownerKind).name(ownerName).uid(ownerUid)
                                    .controller(true).blockOwnerDeletion(true))))
                    .spec(new V1PodSpec().containers(template.getSpec().getContainers()).volumes(template.getSpec().getVolumes())
                            .serviceAccountName(template.getSpec().getServiceAccountName())
                            .terminationGracePeriodSeconds(template.getSpec().getTerminationGracePeriodSeconds()).nodeName("node-" + rnd.nextInt(60)))
                    .status(new V1PodStatus().phase("Running").podIP("10.244." + rnd.nextInt(256) + "." + rnd.nextInt(256))
                            .hostIP("10.0.0." + rnd.nextInt(256)).containerStatuses(statuses));
        }

        private CoreV1Event event(String pod, String reason, String type, String message, int count, int secondsAgo) {
            OffsetDateTime last = OffsetDateTime.ofInstant(NOW.minusSeconds(secondsAgo), ZoneOffset.UTC);
            return new CoreV1Event().apiVersion("v1").kind("Event")
                    .metadata(new V1ObjectMeta().name(pod + "." + hash(16)).namespace(NS).uid(uid()))
                    .involvedObject(new V1ObjectReference().kind("Pod").name(pod).namespace(NS).apiVersion("v1"))
                    .reason(reason).type(type).message(message).count(count).firstTimestamp(last.minusMinutes(5)).lastTimestamp(last)
                    .source(new V1EventSource().component("kubelet").host("node-" + rnd.nextInt(60)));
        }

        /** A workload running one of the given stores; any workload if none does (tiny clusters). */
        private int storeOf(int... kinds) {
            for (int attempt = 0; attempt < 1_000; attempt++) {
                int i = 10 * rnd.nextInt(size / 10) + 9;
                for (int k : kinds) {
                    if (i < size && store[i] == k) {
                        return i;
                    }
                }
            }
            return rnd.nextInt(size);
        }

        /** Another app, mostly further down the call chain (a higher index), as tiers of services are. */
        private int otherService(int i) {
            for (int attempt = 0; attempt < 100; attempt++) {
                int j = i + 1 < size && rnd.nextInt(10) < 9 ? i + 1 + rnd.nextInt(size - i - 1) : rnd.nextInt(size);
                if (j != i && !stateful(j)) {
                    return j;
                }
            }
            return (i + 1) % size;
        }

        private static V1EnvVar env(String name, String value) {
            return new V1EnvVar().name(name).value(value);
        }

        private String secret() {
            return hash(24);
        }

        private String uid() {
            return hash(8) + "-" + hash(4) + "-" + hash(4) + "-" + hash(4) + "-" + hash(12);
        }

        private String hash(int length) {
            char[] chars = new char[length];
            for (int k = 0; k < length; k++) {
                chars[k] = "0123456789abcdef".charAt(rnd.nextInt(16));
            }
            return new String(chars);
        }

        /** Each list serialized once, as the API server would send it, by the path the client asks for. */
        Map<String, byte[]> serialize() {
            V1ListMeta meta = new V1ListMeta().resourceVersion("987654");
            Map<String, byte[]> bodies = new HashMap<>();
            bodies.put("/apis/apps/v1/namespaces/" + NS + "/deployments",
                    bytes(JSON.serialize(new V1DeploymentList().apiVersion("apps/v1").kind("DeploymentList").metadata(meta).items(deployments))));
            bodies.put("/apis/apps/v1/namespaces/" + NS + "/statefulsets",
                    bytes(JSON.serialize(new V1StatefulSetList().apiVersion("apps/v1").kind("StatefulSetList").metadata(meta).items(statefulSets))));
            bodies.put("/api/v1/namespaces/" + NS + "/configmaps",
                    bytes(JSON.serialize(new V1ConfigMapList().apiVersion("v1").kind("ConfigMapList").metadata(meta).items(configMaps))));
            bodies.put("/api/v1/namespaces/" + NS + "/services",
                    bytes(JSON.serialize(new V1ServiceList().apiVersion("v1").kind("ServiceList").metadata(meta).items(services))));
            bodies.put("/api/v1/namespaces/" + NS + "/pods",
                    bytes(JSON.serialize(new V1PodList().apiVersion("v1").kind("PodList").metadata(meta).items(pods))));
            bodies.put("/api/v1/namespaces/" + NS + "/events",
                    bytes(JSON.serialize(new CoreV1EventList().apiVersion("v1").kind("EventList").metadata(meta).items(events))));
            return bodies;
        }

        private static byte[] bytes(String json) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------ figures

    private TopologyBuildBenchmark() {
    }
}
