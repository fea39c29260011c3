package dev.awoooi.scan;

import java.time.Instant;
import java.util.List;

/** Port: the fleet as the nightly scans need to see it. */
public interface FleetInventory {
    record Volume(String namespace, String name, double sizeGiB, boolean mounted) {
    }

    record Node(String name, double cpuAllocatable, double cpuRequested, double memoryAllocatableGiB, double memoryRequestedGiB) {
    }

    record SecretAge(String namespace, String name, Instant createdAt) {
    }

    record Workload(String namespace, String kind, String name, int replicas, int ready) {
    }

    List<Volume> volumes();

    List<Node> nodes();

    List<SecretAge> secrets();

    List<Workload> workloads();
}
