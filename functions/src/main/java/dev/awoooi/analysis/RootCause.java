package dev.awoooi.analysis;

import dev.awoooi.topology.NodeKind;

/** An unhealthy dependency of the alerting service. */
public record RootCause(String service, NodeKind kind, int depth, String health) {
}
