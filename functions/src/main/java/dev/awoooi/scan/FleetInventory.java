package dev.awoooi.scan;

import java.time.Instant;
import java.util.List;

/** Port: the fleet as the scheduled scans see it, read-only. */
public interface FleetInventory {
    /**
     * A PersistentVolumeClaim: its size, its storage class and the volume type that class provisions (the
     * {@code type} parameter of EBS classes: gp3, gp2, io2 …; null when the class does not say), and whether a pod
     * mounts it now.
     */
    record Volume(String namespace, String name, double sizeGiB, String storageClass, String volumeType, boolean mounted,
                  Instant createdAt) {
    }

    /** A node and its instance type (the well-known label); what its pods request is theirs ({@link #pods()}). */
    record Node(String name, String instanceType) {
    }

    /**
     * A running pod: where it runs, who owns it ({@code Deployment}, {@code StatefulSet}, {@code DaemonSet}, {@code Job}
     * or null for a bare pod; a ReplicaSet's pods are reported as their Deployment's), and what it requests.
     */
    record Pod(String namespace, String name, String node, String ownerKind, String ownerName, double cpuRequested,
               double memoryRequestedGiB, Instant startedAt) {
    }

    record SecretAge(String namespace, String name, Instant createdAt) {
    }

    /** A Deployment or StatefulSet: its replicas and what one replica requests. */
    record Workload(String namespace, String kind, String name, int replicas, int ready, double cpuPerReplica,
                    double memoryGiBPerReplica) {
    }

    /**
     * One thing the asset inventory lists: a workload, node, volume, ingress or namespace ({@code kind} in lower case;
     * {@code namespace} null for what is cluster-wide), its owner (the {@code owner} or {@code team} label or
     * annotation; null when none says), and a line about it.
     */
    record Asset(String kind, String namespace, String name, String owner, String detail) {
        public String id() {
            return namespace == null ? kind + "/" + name : kind + "/" + namespace + "/" + name;
        }
    }

    List<Volume> volumes();

    /** Every asset: the scope's workloads and ingresses, every node, claim and namespace. */
    List<Asset> assets();

    List<Node> nodes();

    List<Pod> pods();

    List<SecretAge> secrets();

    List<Workload> workloads();
}
