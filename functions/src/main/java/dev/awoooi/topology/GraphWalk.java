package dev.awoooi.topology;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Breadth-first walks over the service graph, cycle-safe and bounded by depth. */
public final class GraphWalk {
    private GraphWalk() {
    }

    /** Everything {@code start} depends on, directly or not, up to {@code maxDepth} hops. */
    public static List<Hop> downstream(ServiceGraph graph, String start, int maxDepth) {
        return walk(graph, start, maxDepth, graph::callees);
    }

    /** Everything that depends on {@code start}: who suffers when it is down. */
    public static List<Hop> upstream(ServiceGraph graph, String start, int maxDepth) {
        return walk(graph, start, maxDepth, graph::callers);
    }

    private static List<Hop> walk(ServiceGraph graph, String start, int maxDepth, Function<String, Set<String>> next) {
        List<Hop> reached = new ArrayList<>();
        Set<String> seen = new HashSet<>(Set.of(start));
        ArrayDeque<String> frontier = new ArrayDeque<>(List.of(start));
        for (int depth = 1; depth <= maxDepth && !frontier.isEmpty(); depth++) {
            ArrayDeque<String> following = new ArrayDeque<>();
            for (String name : frontier) {
                for (String neighbour : next.apply(name)) {
                    if (seen.add(neighbour)) {
                        following.add(neighbour);
                        int d = depth;
                        graph.node(neighbour).ifPresent(n -> reached.add(new Hop(n, d)));
                    }
                }
            }
            frontier = following;
        }
        return reached;
    }
}
