package dev.awoooi.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Services and who depends on whom, merged from every topology source. Edges point from caller to callee. Names
 * are interned to ints and adjacency kept in int arrays, so a walk over half a million edges allocates almost
 * nothing. A name may be an alias (a Kubernetes Service selecting a workload) of the node it resolves to.
 */
public final class ServiceGraph {
    private static final int[] NONE = new int[0];

    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<ServiceNode> nodes = new ArrayList<>();
    private int[][] out = new int[16][];
    private int[][] in = new int[16][];
    private int[] outSize = new int[16];
    private int[] inSize = new int[16];
    private final Map<Long, EnumSet<EdgeSource>> sources = new HashMap<>();
    private final List<String> notes = new ArrayList<>();

    /** Adds a node, or folds it into the node already known by that name. */
    public ServiceGraph add(ServiceNode node) {
        int id = id(node.name());
        ServiceNode known = nodes.get(id);
        nodes.set(id, known == null ? node : known.mergedWith(node));
        return this;
    }

    /** Makes {@code alias} (a Service name, a DNS name) mean {@code name}. A real node of that name wins. */
    public ServiceGraph alias(String alias, String name) {
        if (!alias.equals(name) && !ids.containsKey(alias)) {
            aliases.put(alias, name);
        }
        return this;
    }

    /** Test and declared-graph shorthand: a dependency from the topology file. */
    public ServiceGraph dependsOn(String caller, String callee) {
        return dependsOn(caller, callee, EdgeSource.TOPOLOGY_FILE);
    }

    public ServiceGraph dependsOn(String caller, String callee, EdgeSource source) {
        int from = id(resolve(caller));
        int to = id(resolve(callee));
        if (from == to) {
            return this;
        }
        EnumSet<EdgeSource> known = sources.get(key(from, to));
        if (known == null) {
            sources.put(key(from, to), EnumSet.of(source));
            out[from] = append(out[from], outSize[from]++, to);
            in[to] = append(in[to], inSize[to]++, from);
        } else {
            known.add(source);
        }
        return this;
    }

    /** Records a health signal against a node (a firing alert, a mesh error rate); unknown names are ignored. */
    public ServiceGraph signal(String name, String signal) {
        Integer id = ids.get(resolve(name));
        if (id != null && nodes.get(id) != null) {
            nodes.set(id, nodes.get(id).withSignal(signal));
        }
        return this;
    }

    /** Something the reader of the analysis should know about how the graph was built (a source that failed). */
    public ServiceGraph note(String note) {
        notes.add(note);
        return this;
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public Optional<ServiceNode> node(String name) {
        Integer id = name == null ? null : ids.get(resolve(name));
        return id == null ? Optional.empty() : Optional.ofNullable(nodes.get(id));
    }

    public String resolve(String name) {
        String target = aliases.get(name);
        return target == null || ids.containsKey(name) ? name : target;
    }

    public Set<String> callees(String name) {
        return named(adjacent(out, outSize, name));
    }

    public Set<String> callers(String name) {
        return named(adjacent(in, inSize, name));
    }

    public Set<EdgeSource> sources(String caller, String callee) {
        Integer from = ids.get(resolve(caller));
        Integer to = ids.get(resolve(callee));
        EnumSet<EdgeSource> known = from == null || to == null ? null : sources.get(key(from, to));
        return known == null ? Set.of() : Set.copyOf(known);
    }

    public List<ServiceNode> nodes() {
        return nodes.stream().filter(n -> n != null).toList();
    }

    public List<Edge> edges() {
        List<Edge> edges = new ArrayList<>(sources.size());
        for (int from = 0; from < names.size(); from++) {
            for (int i = 0; i < outSize[from]; i++) {
                int to = out[from][i];
                edges.add(new Edge(names.get(from), names.get(to), sources.get(key(from, to))));
            }
        }
        return edges;
    }

    public int edgeCount() {
        return sources.size();
    }

    /** How many edges each source showed; an edge seen by two sources counts for both. */
    public Map<EdgeSource, Integer> edgeCountBySource() {
        Map<EdgeSource, Integer> counts = new java.util.EnumMap<>(EdgeSource.class);
        for (EnumSet<EdgeSource> seenBy : sources.values()) {
            seenBy.forEach(source -> counts.merge(source, 1, Integer::sum));
        }
        return counts;
    }

    // ------------------------------------------------------------------ int view for walks

    int size() {
        return names.size();
    }

    int idOf(String name) {
        Integer id = name == null ? null : ids.get(resolve(name));
        return id == null ? -1 : id;
    }

    int[] calleeIds(int id) {
        return out[id] == null ? NONE : out[id];
    }

    int calleeCount(int id) {
        return outSize[id];
    }

    int[] callerIds(int id) {
        return in[id] == null ? NONE : in[id];
    }

    int callerCount(int id) {
        return inSize[id];
    }

    String nameAt(int id) {
        return names.get(id);
    }

    ServiceNode nodeAt(int id) {
        return nodes.get(id);
    }

    // ------------------------------------------------------------------ internals

    private int id(String name) {
        Integer known = ids.get(name);
        if (known != null) {
            return known;
        }
        int id = names.size();
        ids.put(name, id);
        aliases.remove(name);
        names.add(name);
        nodes.add(null);
        if (id == out.length) {
            int grown = id * 2;
            out = Arrays.copyOf(out, grown);
            in = Arrays.copyOf(in, grown);
            outSize = Arrays.copyOf(outSize, grown);
            inSize = Arrays.copyOf(inSize, grown);
        }
        return id;
    }

    private Set<String> named(int[] adjacent) {
        Set<String> out = new LinkedHashSet<>();
        for (int id : adjacent) {
            out.add(names.get(id));
        }
        return out;
    }

    private int[] adjacent(int[][] lists, int[] sizes, String name) {
        Integer id = name == null ? null : ids.get(resolve(name));
        if (id == null || lists[id] == null) {
            return NONE;
        }
        int[] sorted = Arrays.copyOf(lists[id], sizes[id]);
        Arrays.sort(sorted);
        return sorted;
    }

    private static int[] append(int[] list, int size, int value) {
        int[] target = list == null ? new int[4] : size == list.length ? Arrays.copyOf(list, size * 2) : list;
        target[size] = value;
        return target;
    }

    private static long key(int from, int to) {
        return ((long) from << 32) | (to & 0xffffffffL);
    }
}
