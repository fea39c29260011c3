package dev.awoooi.action;

/**
 * A concrete Kubernetes object an action names: never a pattern, a selector or "all". Namespace is null exactly
 * for cluster-scoped kinds.
 */
public record ObjectRef(Kind kind, String namespace, String name) {

    /** The kinds an action may target, with the API coordinates an access review needs. */
    public enum Kind {
        DEPLOYMENT("apps", "deployments"),
        STATEFULSET("apps", "statefulsets"),
        POD("", "pods"),
        NODE("", "nodes"),
        PVC("", "persistentvolumeclaims"),
        NAMESPACE("", "namespaces");

        private final String group;
        private final String resource;

        Kind(String group, String resource) {
            this.group = group;
            this.resource = resource;
        }

        public String group() {
            return group;
        }

        public String resource() {
            return resource;
        }

        public boolean namespaced() {
            return this != NODE && this != NAMESPACE;
        }
    }

    public ObjectRef {
        if (kind == null || name == null) {
            throw new IllegalArgumentException("an object reference needs a kind and a name");
        }
        if (kind.namespaced() == (namespace == null)) {
            throw new IllegalArgumentException(kind.namespaced() ? kind + " is namespaced: a namespace is required"
                    : kind + " is cluster-scoped: it has no namespace");
        }
    }

    public static ObjectRef of(Kind kind, String namespace, String name) {
        return new ObjectRef(kind, namespace, name);
    }

    public static ObjectRef cluster(Kind kind, String name) {
        return new ObjectRef(kind, null, name);
    }

    /** The same object with its namespace and name passed through {@code f} (vault rehydration). */
    public ObjectRef map(java.util.function.UnaryOperator<String> f) {
        return new ObjectRef(kind, namespace == null ? null : f.apply(namespace), f.apply(name));
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + "/" + name + (namespace == null ? "" : " in " + namespace);
    }
}
