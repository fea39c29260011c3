package dev.awoooi.topology;

import java.lang.ref.Reference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static dev.awoooi.BenchmarkFigures.max;
import static dev.awoooi.BenchmarkFigures.median;
import static dev.awoooi.BenchmarkFigures.min;

/**
 * Graph walks on generated service graphs of 10k to 100k services (five edges per service), against the walk the
 * skeleton had (string adjacency in {@code TreeSet}s, a {@code HashSet<String>} of seen names), on the same graphs
 * and start nodes. Two figures per size: what the analyzer does per alert (root causes within 3 hops downstream,
 * then the blast radius upstream of each), and one unbounded walk from an ingress, which reaches most of the graph
 * and shows how the cost grows with its size. Rounds alternate the two engines; medians are reported. Run with
 * {@code scripts/bench-topology}.
 */
public final class TopologyBenchmark {
    private static final int[][] SIZES = {{10_000, 50_000}, {25_000, 125_000}, {50_000, 250_000}, {100_000, 500_000}};
    private static final int STARTS = 200;
    private static final int DEPTH = 3;
    private static final long SEED = 20261121L;
    private static long sink;

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<String> analysisRows = new ArrayList<>();
        List<String> walkRows = new ArrayList<>();
        List<String> buildRows = new ArrayList<>();
        String heapRow = null;
        warmUp();
        for (int[] size : SIZES) {
            Generated g = Generated.of(size[0], size[1], SEED);
            double[] buildNew = new double[5];
            double[] buildNaive = new double[5];
            ServiceGraph graph = null;
            NaiveGraph naive = null;
            for (int i = 0; i < buildNew.length; i++) {
                long t = System.nanoTime();
                graph = g.serviceGraph();
                buildNew[i] = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                naive = g.naiveGraph();
                buildNaive[i] = (System.nanoTime() - t) / 1e6;
            }
            if (graph.edgeCount() != size[1] || graph.nodes().size() != size[0]) {
                throw new AssertionError("graph has " + graph.nodes().size() + " nodes and " + graph.edgeCount() + " edges");
            }
            buildRows.add(String.format(Locale.ROOT, "| %s | %.0f | %.0f |", label(size), median(buildNew), median(buildNaive)));
            if (size == SIZES[SIZES.length - 1]) {
                graph = null;
                naive = null;
                long base = usedAfterGc();
                graph = g.serviceGraph();
                long withNew = usedAfterGc();
                naive = g.naiveGraph();
                long withBoth = usedAfterGc();
                heapRow = String.format(Locale.ROOT, "heap after GC, %s (names excluded: both graphs share the same String objects): "
                        + "ServiceGraph %.1f MB, naive %.1f MB", label(size), (withNew - base) / 1e6, (withBoth - withNew) / 1e6);
                Reference.reachabilityFence(graph);
                Reference.reachabilityFence(naive);
            }

            Walker newWalk = new Indexed(graph);
            Walker naiveWalk = naive;
            String[] starts = g.alertingStarts(STARTS, SEED + 1);
            String top = g.names[0];

            // Both engines must find the same root causes and blast radius before their speed means anything.
            int causes = 0;
            int impacted = 0;
            for (String start : starts) {
                Result a = analyse(newWalk, start, DEPTH);
                Result b = analyse(naiveWalk, start, DEPTH);
                if (!a.equals(b)) {
                    throw new AssertionError("engines disagree from " + start + ": " + a + " vs " + b);
                }
                causes += a.rootCauses().size();
                impacted += a.blastRadius().size();
            }
            List<Hop> all = newWalk.downstream(top, Integer.MAX_VALUE);
            List<Hop> allNaive = naiveWalk.downstream(top, Integer.MAX_VALUE);
            if (all.size() != allNaive.size() || depthSum(all) != depthSum(allNaive)) {
                throw new AssertionError("unbounded walks disagree: " + all.size() + " vs " + allNaive.size());
            }
            long edgesScanned = edgesScanned(g, all, top);

            for (int i = 0; i < 10; i++) {
                analyses(newWalk, starts);
                analyses(naiveWalk, starts);
            }
            for (int i = 0; i < 3; i++) {
                walkMillis(newWalk, top);
                walkMillis(naiveWalk, top);
            }
            double[] newRound = new double[rounds];
            double[] naiveRound = new double[rounds];
            List<Double> newAll = new ArrayList<>();
            List<Double> naiveAll = new ArrayList<>();
            double[] newWalkMs = new double[rounds];
            double[] naiveWalkMs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                double[] n = analyses(newWalk, starts);
                double[] s = analyses(naiveWalk, starts);
                newRound[r] = median(n);
                naiveRound[r] = median(s);
                Arrays.stream(n).forEach(newAll::add);
                Arrays.stream(s).forEach(naiveAll::add);
                newWalkMs[r] = walkMillis(newWalk, top);
                naiveWalkMs[r] = walkMillis(naiveWalk, top);
            }
            analysisRows.add(String.format(Locale.ROOT, "| %s | %.1f / %.1f / %.1f | %.1f | %.1f / %.1f / %.1f | %.1f | %.1fx | %.1f | %.0f |",
                    label(size), median(newRound), min(newRound), max(newRound), percentile(newAll, 0.99),
                    median(naiveRound), min(naiveRound), max(naiveRound), percentile(naiveAll, 0.99),
                    median(naiveRound) / median(newRound), (double) causes / starts.length, (double) impacted / starts.length));
            walkRows.add(String.format(Locale.ROOT, "| %s | %,d | %,d | %.2f / %.2f / %.2f | %.1f | %.1f / %.1f / %.1f | %.1f | %.1fx |",
                    label(size), all.size(), edgesScanned, median(newWalkMs), min(newWalkMs), max(newWalkMs),
                    median(newWalkMs) * 1e6 / edgesScanned, median(naiveWalkMs), min(naiveWalkMs), max(naiveWalkMs),
                    median(naiveWalkMs) * 1e6 / edgesScanned, median(naiveWalkMs) / median(newWalkMs)));
            System.err.printf(Locale.ROOT, "done %s%n", label(size));
        }

        System.out.printf(Locale.ROOT, "Per alert (depth %d; %d alerting services; %d rounds; µs per analysis: median of round medians / min / max):%n%n",
                DEPTH, STARTS, rounds);
        System.out.println("| services / edges | ServiceGraph + GraphWalk µs | p99 µs | naive µs | p99 µs | ratio | root causes per alert"
                + " | blast radius per alert |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        analysisRows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nOne unbounded walk downstream from the main ingress (ms: median / min / max; ns per edge scanned):%n%n");
        System.out.println("| services / edges | nodes reached | edges scanned | GraphWalk ms | ns/edge | naive ms | ns/edge | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        walkRows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nConstruction from the edge list (median of 5, ms):%n%n");
        System.out.println("| services / edges | ServiceGraph | naive |");
        System.out.println("|---|---|---|");
        buildRows.forEach(System.out::println);
        System.out.println();
        System.out.println(heapRow);
        if (sink == 42) {
            System.out.println();
        }
    }

    /** Both engines compiled before the first size is measured, so the first size does not pay for the JIT. */
    private static void warmUp() {
        Generated g = Generated.of(10_000, 50_000, SEED - 1);
        for (int i = 0; i < 5; i++) {
            sink += g.serviceGraph().edgeCount() + g.naiveGraph().nodes.size();
        }
        Walker fast = new Indexed(g.serviceGraph());
        Walker naive = g.naiveGraph();
        String[] starts = g.alertingStarts(STARTS, SEED - 2);
        for (int i = 0; i < 30; i++) {
            analyses(fast, starts);
            analyses(naive, starts);
            walkMillis(fast, g.names[0]);
            walkMillis(naive, g.names[0]);
        }
    }

    // ------------------------------------------------------------------ what the analyzer does per alert

    interface Walker {
        List<Hop> downstream(String start, int depth);

        List<Hop> upstream(String start, int depth);
    }

    /** The walk under test: {@link GraphWalk} over {@link ServiceGraph}'s interned int adjacency. */
    record Indexed(ServiceGraph graph) implements Walker {
        public List<Hop> downstream(String start, int depth) {
            return GraphWalk.downstream(graph, start, depth);
        }

        public List<Hop> upstream(String start, int depth) {
            return GraphWalk.upstream(graph, start, depth);
        }
    }

    record Cause(String service, NodeKind kind, int depth) {
    }

    record Affected(String service, int depth) {
    }

    record Result(List<Cause> rootCauses, List<Affected> blastRadius) {
    }

    /** As {@code Analyzer}: unhealthy nodes downstream by suspicion then depth, then everyone upstream of them at their nearest. */
    static Result analyse(Walker walker, String start, int depth) {
        List<Cause> causes = new ArrayList<>();
        for (Hop hop : walker.downstream(start, depth)) {
            if (!hop.node().healthy()) {
                causes.add(new Cause(hop.node().name(), hop.node().kind(), hop.depth()));
            }
        }
        causes.sort(Comparator.comparingInt((Cause c) -> c.kind().suspicion()).thenComparingInt(Cause::depth)
                .thenComparing(Cause::service));
        Set<String> names = new HashSet<>();
        causes.forEach(c -> names.add(c.service()));
        Map<String, Affected> affected = new LinkedHashMap<>();
        for (Cause cause : causes) {
            for (Hop hop : walker.upstream(cause.service(), depth)) {
                String name = hop.node().name();
                if (!names.contains(name)) {
                    affected.merge(name, new Affected(name, hop.depth()), (a, b) -> a.depth() <= b.depth() ? a : b);
                }
            }
        }
        List<Affected> radius = affected.values().stream()
                .sorted(Comparator.comparingInt(Affected::depth).thenComparing(Affected::service)).toList();
        return new Result(causes, radius);
    }

    /** Microseconds per analysis, one per start. */
    private static double[] analyses(Walker walker, String[] starts) {
        double[] micros = new double[starts.length];
        for (int i = 0; i < starts.length; i++) {
            long t = System.nanoTime();
            Result result = analyse(walker, starts[i], DEPTH);
            micros[i] = (System.nanoTime() - t) / 1e3;
            sink += result.rootCauses().size() + result.blastRadius().size();
        }
        return micros;
    }

    private static double walkMillis(Walker walker, String top) {
        long t = System.nanoTime();
        List<Hop> hops = walker.downstream(top, Integer.MAX_VALUE);
        double ms = (System.nanoTime() - t) / 1e6;
        sink += hops.size();
        return ms;
    }

    private static long depthSum(List<Hop> hops) {
        return hops.stream().mapToLong(Hop::depth).sum();
    }

    /** Out-edges of the start and of every node reached: what a full walk reads. */
    private static long edgesScanned(Generated g, List<Hop> reached, String top) {
        long edges = g.outDegree[0];
        Map<String, Integer> index = g.index();
        for (Hop hop : reached) {
            edges += g.outDegree[index.get(hop.node().name())];
        }
        if (!top.equals(g.names[0])) {
            throw new IllegalStateException();
        }
        return edges;
    }

    // ------------------------------------------------------------------ the baseline: the skeleton's graph and walk

    /** Adjacency as the skeleton kept it: a sorted set of names per name, both directions. */
    static final class NaiveGraph implements Walker {
        private final Map<String, ServiceNode> nodes = new HashMap<>();
        private final Map<String, TreeSet<String>> callees = new HashMap<>();
        private final Map<String, TreeSet<String>> callers = new HashMap<>();

        void add(ServiceNode node) {
            nodes.put(node.name(), node);
        }

        void dependsOn(String caller, String callee) {
            callees.computeIfAbsent(caller, k -> new TreeSet<>()).add(callee);
            callers.computeIfAbsent(callee, k -> new TreeSet<>()).add(caller);
        }

        public List<Hop> downstream(String start, int depth) {
            return walk(start, depth, true);
        }

        public List<Hop> upstream(String start, int depth) {
            return walk(start, depth, false);
        }

        private List<Hop> walk(String start, int maxDepth, boolean down) {
            Map<String, TreeSet<String>> next = down ? callees : callers;
            List<Hop> reached = new ArrayList<>();
            Set<String> seen = new HashSet<>(Set.of(start));
            ArrayDeque<String> frontier = new ArrayDeque<>(List.of(start));
            for (int depth = 1; depth <= maxDepth && !frontier.isEmpty(); depth++) {
                ArrayDeque<String> following = new ArrayDeque<>();
                for (String name : frontier) {
                    for (String neighbour : next.getOrDefault(name, EMPTY)) {
                        if (seen.add(neighbour)) {
                            following.add(neighbour);
                            ServiceNode node = nodes.get(neighbour);
                            if (node != null) {
                                reached.add(new Hop(node, depth, name));
                            }
                        }
                    }
                }
                frontier = following;
            }
            return reached;
        }

        private static final TreeSet<String> EMPTY = new TreeSet<>();
    }

    // ------------------------------------------------------------------ the generated graphs

    /**
     * A layered service graph: ingresses, then four tiers of services, then data stores (databases, caches, queues,
     * a few external APIs). Most calls go one tier down or straight to a data store; a few go back up (so there are
     * cycles); a handful of nodes per tier are hubs (auth, config, the shared database) that take 15% of the calls
     * into their tier. 1% of the nodes carry a health signal. Everything but the other ingresses is reachable from
     * the first ingress.
     */
    static final class Generated {
        private static final String[] DOMAINS = {"orders", "payments", "checkout", "cart", "catalog", "search", "inventory",
                "shipping", "users", "auth", "billing", "pricing", "reviews", "recommendations", "notifications", "email",
                "media", "analytics", "fraud", "loyalty", "ledger", "tax", "returns", "warehouse", "identity", "sessions"};
        private static final String[][] ROLES = {{"gateway", "ingress", "edge-proxy"}, {"bff", "web", "mobile-api"},
                {"api", "service", "graphql"}, {"core", "engine", "worker"}, {"adapter", "client", "sync"}};
        /** Share of the nodes in each layer: ingress, four service tiers, data. */
        private static final double[] LAYERS = {0.005, 0.095, 0.30, 0.30, 0.10, 0.20};

        final String[] names;
        final NodeKind[] kinds;
        final boolean[] unhealthy;
        final int[] layerStart;
        final int[] from;
        final int[] to;
        final int[] outDegree;
        final EdgeSource[] sources;

        private Generated(String[] names, NodeKind[] kinds, boolean[] unhealthy, int[] layerStart, int[] from, int[] to,
                          int[] outDegree, EdgeSource[] sources) {
            this.names = names;
            this.kinds = kinds;
            this.unhealthy = unhealthy;
            this.layerStart = layerStart;
            this.from = from;
            this.to = to;
            this.outDegree = outDegree;
            this.sources = sources;
        }

        static Generated of(int n, int e, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed ^ n);
            int[] layerStart = new int[LAYERS.length + 1];
            for (int l = 0; l < LAYERS.length; l++) {
                layerStart[l + 1] = l == LAYERS.length - 1 ? n : layerStart[l] + Math.max(1, (int) Math.round(LAYERS[l] * n));
            }
            String[] names = new String[n];
            NodeKind[] kinds = new NodeKind[n];
            for (int l = 0; l < LAYERS.length; l++) {
                for (int i = layerStart[l]; i < layerStart[l + 1]; i++) {
                    String domain = DOMAINS[rnd.nextInt(DOMAINS.length)];
                    if (l < 5) {
                        kinds[i] = l == 0 ? NodeKind.INGRESS : NodeKind.SERVICE;
                        names[i] = String.format(Locale.ROOT, "%s-%s-%06d", domain, ROLES[l][rnd.nextInt(ROLES[l].length)], i);
                    } else {
                        double share = (double) (i - layerStart[l]) / (layerStart[l + 1] - layerStart[l]);
                        kinds[i] = share < 0.45 ? NodeKind.DATABASE : share < 0.75 ? NodeKind.CACHE
                                : share < 0.95 ? NodeKind.QUEUE : NodeKind.EXTERNAL;
                        String store = switch (kinds[i]) {
                            case DATABASE -> rnd.nextBoolean() ? "postgres" : "mysql";
                            case CACHE -> "redis";
                            case QUEUE -> rnd.nextBoolean() ? "kafka" : "rabbitmq";
                            default -> "external-api";
                        };
                        names[i] = String.format(Locale.ROOT, "%s-%s-%06d", domain, store, i);
                    }
                }
            }
            boolean[] unhealthy = new boolean[n];
            for (int marked = 0; marked < n / 100; ) {
                int i = rnd.nextInt(n);
                if (!unhealthy[i]) {
                    unhealthy[i] = true;
                    marked++;
                }
            }

            HashSet<Long> seen = new HashSet<>(e * 2);
            int[] from = new int[e];
            int[] to = new int[e];
            int count = 0;
            // Every node below the ingresses is called by someone in a tier above it; the first ingress is the
            // cluster's main ingress controller, with a route to every front service (the other ingresses are
            // internal and partner gateways with a few routes each).
            for (int l = 1; l < LAYERS.length; l++) {
                for (int i = layerStart[l]; i < layerStart[l + 1]; i++) {
                    int callerLayer = l == 5 ? 2 + rnd.nextInt(3) : l - 1;
                    int caller = l == 1 ? 0 : pick(rnd, layerStart, callerLayer);
                    if (seen.add(key(caller, i))) {
                        from[count] = caller;
                        to[count++] = i;
                    }
                }
            }
            while (count < e) {
                double c = rnd.nextDouble();
                int callerLayer = c < 0.02 ? 0 : c < 0.995 ? 1 + rnd.nextInt(4) : 5;
                int caller = layerStart[callerLayer] + rnd.nextInt(layerStart[callerLayer + 1] - layerStart[callerLayer]);
                int calleeLayer;
                if (callerLayer == 5) {
                    calleeLayer = 1 + rnd.nextInt(4);
                } else {
                    double r = rnd.nextDouble();
                    if (r < 0.03 && callerLayer >= 2) {
                        calleeLayer = 1 + rnd.nextInt(callerLayer);
                    } else if (r < 0.45) {
                        calleeLayer = callerLayer + 1;
                    } else if (r < 0.80) {
                        calleeLayer = 5;
                    } else {
                        calleeLayer = callerLayer + 1 + rnd.nextInt(5 - callerLayer);
                    }
                }
                int callee = pick(rnd, layerStart, calleeLayer);
                if (callee != caller && seen.add(key(caller, callee))) {
                    from[count] = caller;
                    to[count++] = callee;
                }
            }
            int[] outDegree = new int[n];
            EdgeSource[] sources = new EdgeSource[e];
            EdgeSource[] mix = {EdgeSource.ENV_VAR, EdgeSource.ENV_VAR, EdgeSource.ENV_VAR, EdgeSource.CONFIG_MAP,
                    EdgeSource.CONFIG_MAP, EdgeSource.MESH_ISTIO, EdgeSource.MESH_ISTIO, EdgeSource.ANNOTATION};
            for (int i = 0; i < e; i++) {
                outDegree[from[i]]++;
                sources[i] = mix[rnd.nextInt(mix.length)];
            }
            return new Generated(names, kinds, unhealthy, layerStart, from, to, outDegree, sources);
        }

        /** Uniform in the layer, except that 15% of the picks go to its hubs (its first 0.5%). */
        private static int pick(SplittableRandom rnd, int[] layerStart, int layer) {
            int size = layerStart[layer + 1] - layerStart[layer];
            int hubs = Math.max(1, size / 200);
            return layerStart[layer] + (rnd.nextDouble() < 0.15 ? rnd.nextInt(hubs) : rnd.nextInt(size));
        }

        private static long key(int from, int to) {
            return ((long) from << 32) | to;
        }

        ServiceNode node(int i) {
            WorkloadRef workload = kinds[i] == NodeKind.EXTERNAL ? null : new WorkloadRef(
                    kinds[i] == NodeKind.SERVICE || kinds[i] == NodeKind.INGRESS ? WorkloadRef.WorkloadKind.DEPLOYMENT
                            : WorkloadRef.WorkloadKind.STATEFULSET, "prod", names[i]);
            return unhealthy[i]
                    ? new ServiceNode(names[i], kinds[i], workload, List.of("CrashLoopBackOff in 1 pod"), "2/3 ready", 3)
                    : ServiceNode.healthy(names[i], kinds[i], workload, "3/3 ready", 3);
        }

        ServiceGraph serviceGraph() {
            ServiceGraph graph = new ServiceGraph();
            for (int i = 0; i < names.length; i++) {
                graph.add(node(i));
            }
            for (int i = 0; i < from.length; i++) {
                graph.dependsOn(names[from[i]], names[to[i]], sources[i]);
            }
            return graph;
        }

        NaiveGraph naiveGraph() {
            NaiveGraph graph = new NaiveGraph();
            for (int i = 0; i < names.length; i++) {
                graph.add(node(i));
            }
            for (int i = 0; i < from.length; i++) {
                graph.dependsOn(names[from[i]], names[to[i]]);
            }
            return graph;
        }

        /** Services an alert fires on: ingresses and the four service tiers. */
        String[] alertingStarts(int count, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            String[] starts = new String[count];
            for (int i = 0; i < count; i++) {
                starts[i] = names[rnd.nextInt(layerStart[5])];
            }
            return starts;
        }

        Map<String, Integer> index() {
            Map<String, Integer> index = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                index.put(names[i], i);
            }
            return index;
        }
    }

    // ------------------------------------------------------------------ figures

    private static String label(int[] size) {
        return String.format(Locale.ROOT, "%dk / %dk", size[0] / 1000, size[1] / 1000);
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private TopologyBenchmark() {
    }
}
