package dev.awoooi.analysis;

import dev.awoooi.topology.EdgeSource;
import dev.awoooi.topology.ServiceGraph;

import java.util.List;
import java.util.Map;

/** The graph an analysis walked: how many services, how many edges each source contributed, and what was missing. */
public record TopologySummary(int services, int edges, Map<EdgeSource, Integer> edgesBySource, List<String> notes) {
    public TopologySummary {
        edgesBySource = Map.copyOf(edgesBySource);
        notes = List.copyOf(notes);
    }

    public static TopologySummary of(ServiceGraph graph) {
        return new TopologySummary(graph.nodes().size(), graph.edgeCount(), graph.edgeCountBySource(), graph.notes());
    }
}
