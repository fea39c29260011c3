package dev.awoooi.topology;

/** A concrete Kubernetes workload: the only kind of target a mutating action may have. */
public record WorkloadRef(WorkloadKind kind, String namespace, String name) {
    public enum WorkloadKind { DEPLOYMENT, STATEFULSET }

    public WorkloadRef {
        if (namespace == null || namespace.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("a workload needs a namespace and a name");
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + "/" + name + " in " + namespace;
    }
}
