package dev.awoooi.topology;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What kind of node a workload is, from what its manifest says, most explicit first: the {@code awoooi.dev/kind}
 * annotation, the recommended {@code app.kubernetes.io/component} label, the images it runs, the ports it listens
 * on. The kind sets root-cause suspicion, so a wrong guess sends the analysis to the wrong node; an image is matched
 * by its repository name, never by a substring ({@code postgres-exporter} is not a database).
 */
public final class KindInference {
    public static final String KIND_ANNOTATION = "awoooi.dev/kind";
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

    /** What the cluster says of one Deployment or StatefulSet; images and ports of every container, in order. */
    public record WorkloadFacts(String name, boolean statefulSet, List<String> images, List<Integer> containerPorts,
                                Map<String, String> labels, Map<String, String> annotations) {
        public WorkloadFacts {
            images = images == null ? List.of() : List.copyOf(images);
            containerPorts = containerPorts == null ? List.of() : List.copyOf(containerPorts);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }
    }

    private static final Map<String, NodeKind> COMPONENTS = Map.ofEntries(
            Map.entry("database", NodeKind.DATABASE), Map.entry("db", NodeKind.DATABASE),
            Map.entry("cache", NodeKind.CACHE),
            Map.entry("queue", NodeKind.QUEUE), Map.entry("broker", NodeKind.QUEUE),
            Map.entry("message-broker", NodeKind.QUEUE), Map.entry("messaging", NodeKind.QUEUE),
            Map.entry("ingress", NodeKind.INGRESS), Map.entry("ingress-controller", NodeKind.INGRESS),
            Map.entry("gateway", NodeKind.INGRESS), Map.entry("api-gateway", NodeKind.INGRESS),
            Map.entry("proxy", NodeKind.INGRESS));

    /** By repository name, or by its last two path segments where the last alone says nothing ("controller"). */
    private static final Map<String, NodeKind> IMAGES = Map.ofEntries(
            Map.entry("postgres", NodeKind.DATABASE), Map.entry("postgresql", NodeKind.DATABASE),
            Map.entry("postgis", NodeKind.DATABASE), Map.entry("timescaledb", NodeKind.DATABASE),
            Map.entry("timescaledb-ha", NodeKind.DATABASE), Map.entry("mysql", NodeKind.DATABASE),
            Map.entry("mysql-server", NodeKind.DATABASE), Map.entry("mariadb", NodeKind.DATABASE),
            Map.entry("mongo", NodeKind.DATABASE), Map.entry("mongodb", NodeKind.DATABASE),
            Map.entry("cassandra", NodeKind.DATABASE), Map.entry("cockroach", NodeKind.DATABASE),
            Map.entry("cockroachdb", NodeKind.DATABASE), Map.entry("clickhouse", NodeKind.DATABASE),
            Map.entry("clickhouse-server", NodeKind.DATABASE), Map.entry("elasticsearch", NodeKind.DATABASE),
            Map.entry("opensearch", NodeKind.DATABASE),
            Map.entry("redis", NodeKind.CACHE), Map.entry("redis-stack-server", NodeKind.CACHE),
            Map.entry("valkey", NodeKind.CACHE), Map.entry("keydb", NodeKind.CACHE),
            Map.entry("memcached", NodeKind.CACHE), Map.entry("dragonfly", NodeKind.CACHE),
            Map.entry("rabbitmq", NodeKind.QUEUE), Map.entry("kafka", NodeKind.QUEUE), Map.entry("cp-kafka", NodeKind.QUEUE),
            Map.entry("nats", NodeKind.QUEUE), Map.entry("activemq", NodeKind.QUEUE),
            Map.entry("activemq-classic", NodeKind.QUEUE), Map.entry("activemq-artemis", NodeKind.QUEUE),
            Map.entry("artemis", NodeKind.QUEUE), Map.entry("pulsar", NodeKind.QUEUE),
            Map.entry("redpanda", NodeKind.QUEUE),
            Map.entry("ingress-nginx/controller", NodeKind.INGRESS),
            Map.entry("ingress-nginx/controller-chroot", NodeKind.INGRESS),
            Map.entry("nginx-ingress", NodeKind.INGRESS), Map.entry("nginx-ingress-controller", NodeKind.INGRESS),
            Map.entry("traefik", NodeKind.INGRESS), Map.entry("haproxy-ingress", NodeKind.INGRESS),
            Map.entry("haproxytech/kubernetes-ingress", NodeKind.INGRESS),
            Map.entry("envoyproxy/gateway", NodeKind.INGRESS), Map.entry("contour", NodeKind.INGRESS),
            Map.entry("kong", NodeKind.INGRESS), Map.entry("kubernetes-ingress-controller", NodeKind.INGRESS));

    /** Tools that sit in front of or beside a data store and hold no data of their own: poolers, proxies, coordinators. */
    private static final Set<String> TOOLS = Set.of("pgbouncer", "pgpool", "pgpool2", "pgcat", "odyssey", "proxysql",
            "twemproxy", "cloud-sql-proxy", "cloudsql-proxy", "zookeeper");

    private static final Map<Integer, NodeKind> PORTS = Map.ofEntries(
            Map.entry(5432, NodeKind.DATABASE), Map.entry(3306, NodeKind.DATABASE), Map.entry(27017, NodeKind.DATABASE),
            Map.entry(9042, NodeKind.DATABASE), Map.entry(26257, NodeKind.DATABASE),
            Map.entry(6379, NodeKind.CACHE), Map.entry(11211, NodeKind.CACHE),
            Map.entry(5672, NodeKind.QUEUE), Map.entry(9092, NodeKind.QUEUE), Map.entry(4222, NodeKind.QUEUE),
            Map.entry(61616, NodeKind.QUEUE));

    private KindInference() {
    }

    public static NodeKind infer(WorkloadFacts facts) {
        NodeKind declared = declared(facts.annotations().get(KIND_ANNOTATION));
        if (declared != null) {
            return declared;
        }
        String component = facts.labels().get(COMPONENT_LABEL);
        NodeKind byComponent = component == null ? null : COMPONENTS.get(component.strip().toLowerCase(Locale.ROOT));
        if (byComponent != null) {
            return byComponent;
        }
        if ("ingressgateway".equals(facts.labels().get("istio")) || facts.name() != null && facts.name().endsWith("ingressgateway")) {
            return NodeKind.INGRESS;
        }
        for (String image : facts.images()) {
            NodeKind byImage = byImage(image);
            if (byImage != null) {
                return byImage;
            }
        }
        if (!facts.images().isEmpty() && tool(facts.images().getFirst())) {
            return NodeKind.SERVICE;
        }
        // A Deployment on a data port counts as much as a StatefulSet: callers speak that protocol to it, so if it
        // breaks they break as if the store had, whether it is the store itself (a demo redis Deployment) or a
        // proxy the images did not reveal. Known proxies were settled above by their image.
        NodeKind byPort = null;
        for (Integer port : facts.containerPorts()) {
            NodeKind kind = port == null ? null : PORTS.get(port);
            if (kind != null && (byPort == null || kind.suspicion() < byPort.suspicion())) {
                byPort = kind;
            }
        }
        return byPort != null ? byPort : NodeKind.SERVICE;
    }

    /** The operator's word; a value that names no kind is a typo to ignore, not a reason to fail the graph. */
    private static NodeKind declared(String value) {
        if (value == null) {
            return null;
        }
        try {
            return NodeKind.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static NodeKind byImage(String image) {
        List<String> path = repositoryPath(image);
        if (path.isEmpty()) {
            return null;
        }
        NodeKind kind = IMAGES.get(path.getLast());
        if (kind == null && path.size() > 1) {
            kind = IMAGES.get(path.get(path.size() - 2) + "/" + path.getLast());
        }
        return kind;
    }

    /** The first container's image is a proxy, an exporter or an operator: it serves others' data, it holds none. */
    private static boolean tool(String image) {
        List<String> path = repositoryPath(image);
        if (path.isEmpty()) {
            return false;
        }
        String name = path.getLast();
        return TOOLS.contains(name) || name.endsWith("-exporter") || name.endsWith("_exporter") || name.contains("operator");
    }

    /** {@code registry:5000/team/redis:7.4@sha256:…} → [team, redis]: no registry host, tag or digest; lower case. */
    private static List<String> repositoryPath(String image) {
        if (image == null || image.isBlank()) {
            return List.of();
        }
        String ref = image.strip().toLowerCase(Locale.ROOT);
        int digest = ref.indexOf('@');
        if (digest >= 0) {
            ref = ref.substring(0, digest);
        }
        int tag = ref.lastIndexOf(':');
        if (tag > ref.lastIndexOf('/')) {
            ref = ref.substring(0, tag);
        }
        List<String> path = List.of(ref.split("/"));
        if (path.size() > 1) {
            String first = path.getFirst();
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                path = path.subList(1, path.size());
            }
        }
        return path.stream().filter(s -> !s.isEmpty()).toList();
    }
}
