package dev.awoooi.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * A service in the graph: what it is, the workload behind it (null when the cluster does not run it: a managed
 * database, an external API), its pods, and every health signal against it. Healthy means no signal.
 */
public record ServiceNode(String name, NodeKind kind, WorkloadRef workload, List<String> signals, String status, int pods) {

    public ServiceNode {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a service needs a name");
        }
        signals = List.copyOf(signals);
        status = status == null ? "" : status;
    }

    /** A healthy node; {@code status} is what was observed ("3/3 ready"). */
    public static ServiceNode healthy(String name, NodeKind kind, WorkloadRef workload, String status, int pods) {
        return new ServiceNode(name, kind, workload, List.of(), status, pods);
    }

    public boolean healthy() {
        return signals.isEmpty();
    }

    /** What the card shows: the observed status and every signal. */
    public String health() {
        List<String> parts = new ArrayList<>();
        if (!status.isEmpty()) {
            parts.add(status);
        }
        parts.addAll(signals);
        return parts.isEmpty() ? "no signal" : String.join(", ", parts);
    }

    public ServiceNode withSignal(String signal) {
        if (signals.contains(signal)) {
            return this;
        }
        List<String> more = new ArrayList<>(signals);
        more.add(signal);
        return new ServiceNode(name, kind, workload, more, status, pods);
    }

    /** Folds what another source knows of the same service into this one; this node's kind wins. */
    public ServiceNode mergedWith(ServiceNode other) {
        ServiceNode merged = new ServiceNode(name, kind, workload != null ? workload : other.workload, signals,
                status.isEmpty() ? other.status : status, Math.max(pods, other.pods));
        for (String signal : other.signals) {
            merged = merged.withSignal(signal);
        }
        return merged;
    }
}
