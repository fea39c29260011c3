package dev.awoooi.topology;

/** A node reached by a walk, at its shortest distance from the start, and the neighbour it was reached from. */
public record Hop(ServiceNode node, int depth, String via) {
}
