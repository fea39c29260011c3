package dev.awoooi.dryrun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What an action's target looks like for the purpose of acting on it. Not the resourceVersion: status updates
 * change that constantly. Identity (uid), generation, a hash of the spec fields the action touches and readiness
 * are what make a plan stale.
 *
 * @param desired   replicas wanted (a workload), 1 (a pod), pods to move (a node), 0 otherwise
 * @param ready     replicas ready, or 1/0 for a pod's or node's Ready condition
 * @param stateful  the target holds data: a StatefulSet, its pod, a pod with a claim, a claim, a node running those
 * @param owner     the controller that replaces a pod ("statefulset/postgres-db"), null when none
 * @param revision  a Deployment's current revision, null otherwise
 * @param revisions every revision a Deployment can roll back to (older ReplicaSets), oldest first
 */
public record TargetState(String uid, long generation, String specHash, int desired, int ready, boolean stateful,
                          String owner, Long revision, List<Long> revisions) {

    public TargetState {
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
    }

    public static TargetState of(String uid, long generation, String specHash, int desired, int ready, boolean stateful) {
        return new TargetState(uid, generation, specHash, desired, ready, stateful, null, null, List.of());
    }

    public String fingerprint() {
        return sha256(uid + "|" + generation + "|" + specHash + "|" + ready + "/" + desired);
    }

    public String readiness() {
        return ready + "/" + desired + " ready";
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
