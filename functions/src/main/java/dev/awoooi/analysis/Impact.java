package dev.awoooi.analysis;

import dev.awoooi.topology.NodeKind;

/** A service that suffers while a root cause is down: how many hops up it sits, and how many pods it runs. */
public record Impact(String service, NodeKind kind, int depth, int pods) {
}
