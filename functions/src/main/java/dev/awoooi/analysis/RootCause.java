package dev.awoooi.analysis;

import dev.awoooi.topology.EdgeSource;
import dev.awoooi.topology.NodeKind;

import java.util.Set;

/**
 * An unhealthy dependency of the alerting service: how far down it is, what is wrong with it, and the edge that
 * led there ({@code via} depends on it, as {@code edgeSources} say). Depth 0 is the alerting service itself.
 */
public record RootCause(String service, NodeKind kind, int depth, String health, String via, Set<EdgeSource> edgeSources) {
    public RootCause {
        edgeSources = edgeSources == null ? Set.of() : Set.copyOf(edgeSources);
    }
}
