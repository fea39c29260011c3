package dev.awoooi.config;

/**
 * Extra priming that only some deployment packages can run (the Kubernetes client is in "cluster" only): every bean
 * of this type runs before the SnapStart snapshot, after the function itself was primed. It must change nothing
 * outside the JVM and read no secret.
 */
@FunctionalInterface
public interface Primer {
    void prime();
}
