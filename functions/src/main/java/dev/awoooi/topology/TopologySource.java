package dev.awoooi.topology;

/** Port: where the service graph comes from (the cluster, a topology file, mesh metrics). */
public interface TopologySource {
    ServiceGraph graph();
}
