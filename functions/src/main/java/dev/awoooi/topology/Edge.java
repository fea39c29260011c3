package dev.awoooi.topology;

import java.util.Set;

/** A dependency: {@code caller} needs {@code callee}; {@code sources} says who told us. */
public record Edge(String caller, String callee, Set<EdgeSource> sources) {
    public Edge {
        sources = Set.copyOf(sources);
    }
}
