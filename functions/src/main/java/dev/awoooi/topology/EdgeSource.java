package dev.awoooi.topology;

/** Where an edge of the service graph was learned; an edge seen by several sources keeps them all. */
public enum EdgeSource {
    /** The {@code awoooi.dev/depends-on} annotation on a workload. */
    ANNOTATION,
    /** An env var of the pod template naming another service ({@code *_SERVICE_HOST}, a URL, a connection string). */
    ENV_VAR,
    /** A ConfigMap the pod reads (env, envFrom or volume) naming another service. */
    CONFIG_MAP,
    /** The declared topology file: what the cluster cannot show (managed databases, external APIs). */
    TOPOLOGY_FILE,
    /** Observed traffic from Istio's {@code istio_requests_total}. */
    MESH_ISTIO,
    /** Observed traffic from Linkerd's {@code response_total}. */
    MESH_LINKERD
}
