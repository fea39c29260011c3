package dev.awoooi.topology;

/**
 * Port: one place the service graph is learned from (the cluster, the declared topology file, mesh metrics). Each
 * source adds its nodes, aliases, edges and health signals to the graph being built; the order of the sources is
 * the order of precedence for a node's kind.
 */
public interface TopologySource {
    /** How the analysis names this source when it reports on it. */
    String name();

    void contribute(ServiceGraph graph);
}
