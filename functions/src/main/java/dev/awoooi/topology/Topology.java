package dev.awoooi.topology;

import java.util.List;

/**
 * Every configured topology source, merged into one graph per analysis. The cluster is required: without it there
 * is nothing to act on, so its failure fails the analysis (and the queue retries it). The others add knowledge;
 * when one is down the graph is built without it and says so.
 */
public final class Topology {
    private final TopologySource required;
    private final List<TopologySource> optional;

    public Topology(TopologySource required, List<TopologySource> optional) {
        this.required = required;
        this.optional = List.copyOf(optional);
    }

    public ServiceGraph graph() {
        ServiceGraph graph = new ServiceGraph();
        required.contribute(graph);
        for (TopologySource source : optional) {
            try {
                source.contribute(graph);
            } catch (RuntimeException e) {
                graph.note(source.name() + " unavailable: " + e.getMessage());
            }
        }
        return graph;
    }
}
