package dev.awoooi.metrics;

import dev.awoooi.topology.EdgeSource;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.TopologySource;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Observed traffic from a service mesh, read from Prometheus: who calls whom (Istio's {@code istio_requests_total},
 * Linkerd's {@code response_total}) and which destinations fail too many of their requests. One instant query per
 * mesh, grouped by response code or classification, gives both the edges and the error ratios. Both queries run
 * before the graph is touched, so a failure leaves the graph as the other sources built it.
 */
public final class PrometheusMesh implements TopologySource {
    static final String ISTIO_QUERY = "sum by (source_workload, source_workload_namespace, destination_workload, "
            + "destination_workload_namespace, response_code) (rate(istio_requests_total{reporter=\"source\"}[5m]))";
    static final String LINKERD_QUERY = "sum by (deployment, statefulset, namespace, dst_deployment, dst_statefulset, "
            + "dst_namespace, classification) (rate(response_total{direction=\"outbound\"}[5m]))";
    static final String NO_MESH_NOTE = "no service-mesh traffic metrics in Prometheus";

    /** The meshes read, each with its query and how one of its series reads. */
    private enum Mesh {
        ISTIO("Istio", ISTIO_QUERY, EdgeSource.MESH_ISTIO),
        LINKERD("Linkerd", LINKERD_QUERY, EdgeSource.MESH_LINKERD);

        final String title;
        final String query;
        final EdgeSource edgeSource;

        Mesh(String title, String query, EdgeSource edgeSource) {
            this.title = title;
            this.query = query;
            this.edgeSource = edgeSource;
        }

        /** Null for a series that says nothing usable: no destination, no rate, NaN from an idle window. */
        Series read(PrometheusClient.Sample sample) {
            double rate = sample.value();
            if (!(rate > 0) || Double.isInfinite(rate)) {
                return null;
            }
            return switch (this) {
                case ISTIO -> {
                    String destination = label(sample, "destination_workload");
                    String code = label(sample, "response_code");
                    yield destination == null ? null
                            : new Series(label(sample, "source_workload"), destination, code != null && code.startsWith("5"), rate);
                }
                case LINKERD -> {
                    String destination = firstLabel(sample, "dst_deployment", "dst_statefulset");
                    yield destination == null ? null
                            : new Series(firstLabel(sample, "deployment", "statefulset"), destination,
                                    "failure".equals(label(sample, "classification")), rate);
                }
            };
        }
    }
    /** Istio's name for a peer it could not identify: traffic from or to outside the mesh. */
    private static final String UNKNOWN = "unknown";

    private final PrometheusClient prometheus;
    private final Duration timeout;
    private final double errorRatioThreshold;

    /**
     * @param baseUrl             the Prometheus root ({@code https://prometheus.example/} or behind a path prefix);
     *                            userinfo in it is sent as basic auth, and never appears in a message
     * @param bearerToken         sent as {@code Authorization: Bearer}; null for none (wins over userinfo)
     * @param timeout             for the whole contribution: both queries run in parallel within it
     * @param errorRatioThreshold the share of failing requests (0.05 = 5 %) from which a destination gets a signal
     */
    public PrometheusMesh(HttpClient http, URI baseUrl, String bearerToken, Duration timeout, ObjectMapper json,
            double errorRatioThreshold) {
        if (!(errorRatioThreshold > 0 && errorRatioThreshold <= 1)) {
            throw new IllegalArgumentException("the mesh error ratio threshold must be in (0, 1], not " + errorRatioThreshold);
        }
        this.prometheus = new PrometheusClient(http, baseUrl, bearerToken, timeout, json);
        this.timeout = timeout;
        this.errorRatioThreshold = errorRatioThreshold;
    }

    @Override
    public String name() {
        return "Prometheus mesh metrics";
    }

    @Override
    public void contribute(ServiceGraph graph) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Mesh, PrometheusClient.Pending> pending = new EnumMap<>(Mesh.class);
        for (Mesh mesh : Mesh.values()) {
            pending.put(mesh, prometheus.start(mesh.title, mesh.query, null));
        }
        Map<Mesh, List<Series>> traffic = new EnumMap<>(Mesh.class);
        try {
            for (Mesh mesh : Mesh.values()) {
                List<Series> series = new ArrayList<>();
                for (var sample : pending.get(mesh).await(deadline)) {
                    Series s = mesh.read(sample);
                    if (s != null) {
                        series.add(s);
                    }
                }
                traffic.put(mesh, series);
            }
        } finally {
            pending.values().forEach(PrometheusClient.Pending::cancel);
        }
        if (traffic.values().stream().allMatch(List::isEmpty)) {
            graph.note(NO_MESH_NOTE);
            return;
        }
        traffic.forEach((mesh, series) -> apply(graph, series, mesh.edgeSource));
    }

    // ------------------------------------------------------------------ traffic to graph

    /** One series reduced to what the graph needs; {@code source} is null when the caller is outside the mesh. */
    private record Series(String source, String destination, boolean failed, double rate) {
    }

    private record Traffic(double total, double failed) {
        static final Traffic NONE = new Traffic(0, 0);

        Traffic plus(Series s) {
            return new Traffic(total + s.rate(), failed + (s.failed() ? s.rate() : 0));
        }
    }

    private void apply(ServiceGraph graph, List<Series> series, EdgeSource mesh) {
        Map<List<String>, Double> pairs = new LinkedHashMap<>();
        Map<String, Traffic> destinations = new LinkedHashMap<>();
        for (Series s : series) {
            // a destination fails its callers whether they are in the mesh or not
            destinations.compute(s.destination(), (name, known) -> (known == null ? Traffic.NONE : known).plus(s));
            if (s.source() != null && !s.source().equals(s.destination())) {
                pairs.merge(List.of(s.source(), s.destination()), s.rate(), Double::sum);
            }
        }
        pairs.forEach((pair, rate) -> {
            if (rate > 0) {
                graph.dependsOn(pair.get(0), pair.get(1), mesh);
            }
        });
        destinations.forEach((destination, traffic) -> {
            if (traffic.total() > 0) {
                double ratio = traffic.failed() / traffic.total();
                if (ratio >= errorRatioThreshold) {
                    graph.signal(destination, String.format(Locale.ROOT, "%.1f%% of requests failing (mesh)", ratio * 100));
                }
            }
        });
    }

    private static String firstLabel(PrometheusClient.Sample sample, String... names) {
        for (String name : names) {
            String value = label(sample, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** A label's value, or null when it is absent, empty or Istio's {@code unknown}. */
    private static String label(PrometheusClient.Sample sample, String name) {
        String text = sample.label(name);
        return text == null || text.equals(UNKNOWN) ? null : text;
    }
}
