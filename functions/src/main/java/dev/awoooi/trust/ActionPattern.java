package dev.awoooi.trust;

import dev.awoooi.action.Action;
import dev.awoooi.action.ObjectRef;
import dev.awoooi.privacy.Pseudonym;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What trust is earned for: one action type on one target, per cluster and namespace, with the names Kubernetes
 * generates stripped so every pod of a Deployment or StatefulSet is one pattern: {@code delete_pod:production/frontend-*@prod}.
 */
public record ActionPattern(String type, String namespace, String name, String cluster) {
    /** Kubernetes' alphabet for generated names (no vowels, no look-alike digits). */
    private static final String GENERATED = "[bcdfghjklmnpqrstvwxz2456789]";
    /** A Deployment's pod: its ReplicaSet's pod-template hash, then a random suffix. */
    private static final Pattern DEPLOYMENT_POD = Pattern.compile("^(.+)-" + GENERATED + "{6,10}-" + GENERATED + "{5}$");
    /** A DaemonSet's or a Job's pod, or a ReplicaSet: one generated suffix. */
    private static final Pattern ONE_SUFFIX = Pattern.compile("^(.+)-" + GENERATED + "{5,10}$");
    /** A StatefulSet's pod or one of its claims: an ordinal. */
    private static final Pattern ORDINAL = Pattern.compile("^(.+)-\\d+$");

    /** The pattern of an action that changes something; none for an investigation or a target still behind a pseudonym. */
    public static Optional<ActionPattern> of(Action action, String cluster) {
        ObjectRef target = action.target();
        if (!action.mutating() || target == null || Pseudonym.isLabel(target.name())
                || (target.namespace() != null && Pseudonym.isLabel(target.namespace()))) {
            return Optional.empty();
        }
        return Optional.of(new ActionPattern(action.type(), target.namespace(), generic(target.kind(), target.name()), cluster));
    }

    /** The name with what Kubernetes generated replaced by {@code *}; names people chose stay as they are. */
    static String generic(ObjectRef.Kind kind, String name) {
        if (kind != ObjectRef.Kind.POD && kind != ObjectRef.Kind.PVC) {
            return name;
        }
        for (Pattern generated : kind == ObjectRef.Kind.POD ? new Pattern[]{DEPLOYMENT_POD, ORDINAL, ONE_SUFFIX} : new Pattern[]{ORDINAL}) {
            var matcher = generated.matcher(name);
            if (matcher.matches()) {
                return matcher.group(1) + "-*";
            }
        }
        return name;
    }

    /** The key it is kept under, and how people read it. */
    public String key() {
        return type + ":" + (namespace == null ? "" : namespace + "/") + name + "@" + cluster;
    }

    @Override
    public String toString() {
        return key();
    }
}
