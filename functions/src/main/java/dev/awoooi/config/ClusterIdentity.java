package dev.awoooi.config;

/**
 * Who AWOOOI is to the cluster, one identity per need (infra/kubernetes/rbac.yaml), each with its own kubeconfig in its
 * own secret: the scans read, the analysis reads and dry-runs, the executor acts.
 */
public enum ClusterIdentity {
    /** awoooi-reader: the nightly scans; reads, never writes ({@code readKubeconfig}, ClusterReadSecretArn). */
    READ("readKubeconfig"),
    /** awoooi-analyzer: the topology, the findings, server-side dry runs and nothing else ({@code analysisKubeconfig}). */
    ANALYSIS("analysisKubeconfig"),
    /** awoooi-executor: the re-check before acting, the catalog's mutations, verification ({@code writeKubeconfig}). */
    WRITE("writeKubeconfig");

    private final String secretField;

    ClusterIdentity(String secretField) {
        this.secretField = secretField;
    }

    /** The field of its secret that holds the kubeconfig. */
    public String secretField() {
        return secretField;
    }
}
