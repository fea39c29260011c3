package dev.awoooi.topology;

/** A node reached by a walk, at its shortest distance from the start. */
public record Hop(ServiceNode node, int depth) {
}
