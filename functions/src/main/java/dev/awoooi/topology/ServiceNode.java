package dev.awoooi.topology;

/** A service in the graph with its health as the cluster reports it. */
public record ServiceNode(String name, NodeKind kind, WorkloadRef workload, boolean healthy, String health, int pods) {
}
