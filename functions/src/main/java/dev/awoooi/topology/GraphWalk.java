package dev.awoooi.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Breadth-first walks over the service graph, cycle-safe and bounded by depth. Each node is reported once, at its
 * shortest distance; names that no source described as a node (an edge to an unknown host) are passed through
 * but not reported.
 */
public final class GraphWalk {
    private GraphWalk() {
    }

    /** Everything {@code start} depends on, directly or not, up to {@code maxDepth} hops. */
    public static List<Hop> downstream(ServiceGraph graph, String start, int maxDepth) {
        return walk(graph, start, maxDepth, true);
    }

    /** Everything that depends on {@code start}: who suffers when it is down. */
    public static List<Hop> upstream(ServiceGraph graph, String start, int maxDepth) {
        return walk(graph, start, maxDepth, false);
    }

    private static List<Hop> walk(ServiceGraph graph, String start, int maxDepth, boolean down) {
        int origin = graph.idOf(start);
        if (origin < 0 || maxDepth < 1) {
            return List.of();
        }
        List<Hop> reached = new ArrayList<>();
        boolean[] seen = new boolean[graph.size()];
        seen[origin] = true;
        int[] frontier = {origin};
        int frontierSize = 1;
        int[] following = new int[16];
        for (int depth = 1; depth <= maxDepth && frontierSize > 0; depth++) {
            int followingSize = 0;
            for (int f = 0; f < frontierSize; f++) {
                int id = frontier[f];
                int[] next = down ? graph.calleeIds(id) : graph.callerIds(id);
                int count = down ? graph.calleeCount(id) : graph.callerCount(id);
                for (int i = 0; i < count; i++) {
                    int neighbour = next[i];
                    if (!seen[neighbour]) {
                        seen[neighbour] = true;
                        if (followingSize == following.length) {
                            following = Arrays.copyOf(following, followingSize * 2);
                        }
                        following[followingSize++] = neighbour;
                        ServiceNode node = graph.nodeAt(neighbour);
                        if (node != null) {
                            reached.add(new Hop(node, depth, graph.nameAt(id)));
                        }
                    }
                }
            }
            int[] swap = frontier;
            frontier = following;
            following = swap.length >= 16 ? swap : new int[16];
            frontierSize = followingSize;
        }
        return reached;
    }
}
