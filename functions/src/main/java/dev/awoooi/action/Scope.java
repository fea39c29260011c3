package dev.awoooi.action;

import dev.awoooi.privacy.Pseudonym;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where AWOOOI may act: the namespaces it manages, and whether it may touch nodes (which carry every namespace's
 * pods). This is configuration, never alert text: a label or an annotation only chooses a target within it. The
 * cluster's own namespaces are never in scope, whatever the configuration says.
 *
 * @param namespaces the managed namespaces
 * @param nodes      whether cordon and drain may act on nodes at all
 */
public record Scope(Set<String> namespaces, boolean nodes) {
    /** The control plane's namespaces: a deployment that names one of them as managed does not start. */
    public static final Set<String> NEVER = Set.of("kube-system", "kube-public", "kube-node-lease");

    public Scope {
        namespaces = Set.copyOf(new TreeSet<>(namespaces));
        if (namespaces.isEmpty()) {
            throw new IllegalArgumentException("the scope names no namespace: AWOOOI would have nowhere to act");
        }
        for (String namespace : namespaces) {
            if (NEVER.contains(namespace)) {
                throw new IllegalArgumentException("namespace '" + namespace + "' can never be in AWOOOI's scope");
            }
        }
    }

    /** Whether AWOOOI manages the namespace (reads as well as acts there). */
    public boolean manages(String namespace) {
        return namespaces.contains(namespace);
    }

    /**
     * Why the action reaches outside the scope, if it does. A read-only action is always in scope; a target whose
     * namespace is still a pseudonym cannot be checked here and is refused (the executor checks the real name).
     */
    public Optional<String> refusal(Action action) {
        ObjectRef target = action.target();
        if (!action.mutating() || target == null) {
            return Optional.empty();
        }
        if (target.kind() == ObjectRef.Kind.NODE) {
            return nodes ? Optional.empty()
                    : Optional.of("nodes are outside AWOOOI's scope (it manages namespaces " + namespaces + ", not nodes)");
        }
        String namespace = target.kind() == ObjectRef.Kind.NAMESPACE ? target.name() : target.namespace();
        if (Pseudonym.isLabel(namespace)) {
            return Optional.of("the target's namespace is a pseudonym (" + namespace + "): it cannot be checked against the scope");
        }
        if (!manages(namespace)) {
            return Optional.of("namespace '" + namespace + "' is outside AWOOOI's scope " + namespaces);
        }
        return Optional.empty();
    }
}
