package dev.awoooi.dryrun;

import dev.awoooi.action.Action;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What an action's target looks like for the purpose of acting on it. Not the resourceVersion: status updates
 * change that constantly. Identity (uid), a hash of the spec fields the action touches and the owner are what make a
 * plan stale (see {@link #fingerprint(Action)}); readiness and replica counts, which controllers change by themselves
 * (a crash loop, an autoscaler), are not.
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

    /**
     * What the plan is signed against: identity, the spec the action changes (a workload's pod template, a node's
     * schedulability and taints, a pod's node and images), and who owns the target. A scale also binds the replica
     * count it was judged against, since "6" is a scale-up from 4 and a scale-down from 8.
     */
    public String fingerprint(Action action) {
        return sha256(uid + "|" + specHash + "|" + owner + (action instanceof Action.ScaleDeployment ? "|" + desired : ""));
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
