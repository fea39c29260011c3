package dev.awoooi.action;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.function.UnaryOperator;

/**
 * The closed catalog of remediations. Never free text: each action is typed, names one concrete object, and its
 * parameters are checked by {@link ActionCatalog}. Every record here has one {@link ActionSpec} there.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "catalog")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Action.Investigate.class, name = "investigate"),
        @JsonSubTypes.Type(value = Action.RestartDeployment.class, name = "restart_deployment"),
        @JsonSubTypes.Type(value = Action.RestartStatefulSet.class, name = "restart_statefulset"),
        @JsonSubTypes.Type(value = Action.ScaleDeployment.class, name = "scale_deployment"),
        @JsonSubTypes.Type(value = Action.RollbackDeployment.class, name = "rollback_deployment"),
        @JsonSubTypes.Type(value = Action.EvictPod.class, name = "evict_pod"),
        @JsonSubTypes.Type(value = Action.DeletePod.class, name = "delete_pod"),
        @JsonSubTypes.Type(value = Action.CordonNode.class, name = "cordon_node"),
        @JsonSubTypes.Type(value = Action.DrainNode.class, name = "drain_node"),
        @JsonSubTypes.Type(value = Action.DeletePvc.class, name = "delete_pvc"),
        @JsonSubTypes.Type(value = Action.DeleteNamespace.class, name = "delete_namespace")})
public sealed interface Action {

    /** The catalog name, also the trust pattern's prefix. */
    @JsonIgnore
    default String type() {
        return ActionCatalog.spec(this).type();
    }

    /** What a person reads on the approval card. */
    String describe();

    /** The one object the action changes; null only for {@link Investigate}, which changes nothing. */
    @JsonIgnore
    ObjectRef target();

    /** The same action aimed at the object whose namespace and name pass through {@code f} (vault rehydration). */
    Action retarget(UnaryOperator<String> f);

    @JsonIgnore
    default boolean mutating() {
        return !(this instanceof Investigate);
    }

    /** Read-only: get, describe, logs, events. The fallback whenever there is no concrete, safe target. */
    record Investigate(String service, String why) implements Action {
        public String describe() {
            return "Investigate " + (service == null ? "the alert" : service) + " (read-only: get, describe, logs, events): " + why;
        }

        public ObjectRef target() {
            return null;
        }

        public Action retarget(UnaryOperator<String> f) {
            return this;
        }
    }

    /** {@code kubectl rollout restart deployment/NAME}: pods replaced one by one, as the strategy allows. */
    record RestartDeployment(String namespace, String name) implements Action {
        public String describe() {
            return "Rolling restart of deployment/" + name + " in " + namespace;
        }

        public ObjectRef target() {
            return ObjectRef.of(ObjectRef.Kind.DEPLOYMENT, namespace, name);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new RestartDeployment(f.apply(namespace), f.apply(name));
        }
    }

    /** {@code kubectl rollout restart statefulset/NAME}: ordered, one pod at a time, data volumes kept. */
    record RestartStatefulSet(String namespace, String name) implements Action {
        public String describe() {
            return "Rolling restart of statefulset/" + name + " in " + namespace;
        }

        public ObjectRef target() {
            return ObjectRef.of(ObjectRef.Kind.STATEFULSET, namespace, name);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new RestartStatefulSet(f.apply(namespace), f.apply(name));
        }
    }

    /** Sets a Deployment's replicas, within the catalog's bounds. */
    record ScaleDeployment(String namespace, String name, int replicas) implements Action {
        public String describe() {
            return "Scale deployment/" + name + " in " + namespace + " to " + replicas + " replicas";
        }

        public ObjectRef target() {
            return ObjectRef.of(ObjectRef.Kind.DEPLOYMENT, namespace, name);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new ScaleDeployment(f.apply(namespace), f.apply(name), replicas);
        }
    }

    /** {@code kubectl rollout undo}: back to the previous revision, or to {@code toRevision} when given. */
    record RollbackDeployment(String namespace, String name, Long toRevision) implements Action {
        public String describe() {
            return "Roll back deployment/" + name + " in " + namespace + " to "
                    + (toRevision == null ? "its previous revision" : "revision " + toRevision);
        }

        public ObjectRef target() {
            return ObjectRef.of(ObjectRef.Kind.DEPLOYMENT, namespace, name);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new RollbackDeployment(f.apply(namespace), f.apply(name), toRevision);
        }
    }

    /** Through the Eviction API: refused by the API server when a PodDisruptionBudget has no room. */
    record EvictPod(String namespace, String name) implements Action {
        public String describe() {
            return "Evict pod/" + name + " in " + namespace + " (Eviction API, respects PodDisruptionBudgets)";
        }

        public ObjectRef target() {
            return ObjectRef.of(ObjectRef.Kind.POD, namespace, name);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new EvictPod(f.apply(namespace), f.apply(name));
        }
    }

    /** A plain delete: its controller replaces it. Bypasses PodDisruptionBudgets, so it is checked against them here. */
    record DeletePod(String namespace, String name) implements Action {
        public String describe() {
            return "Delete pod/" + name + " in " + namespace + " (its controller replaces it)";
        }

        public ObjectRef target() {
            return ObjectRef.of(ObjectRef.Kind.POD, namespace, name);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new DeletePod(f.apply(namespace), f.apply(name));
        }
    }

    /** Marks a node unschedulable; running pods stay. */
    record CordonNode(String node) implements Action {
        public String describe() {
            return "Cordon node/" + node + " (no new pods scheduled; running pods stay)";
        }

        public ObjectRef target() {
            return ObjectRef.cluster(ObjectRef.Kind.NODE, node);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new CordonNode(f.apply(node));
        }
    }

    /** Cordon, then evict every pod not owned by a DaemonSet, each through the Eviction API. */
    record DrainNode(String node) implements Action {
        public String describe() {
            return "Drain node/" + node + " (cordon, then evict its pods through the Eviction API; DaemonSets stay)";
        }

        public ObjectRef target() {
            return ObjectRef.cluster(ObjectRef.Kind.NODE, node);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new DrainNode(f.apply(node));
        }
    }

    /** Deletes a PersistentVolumeClaim: with a Delete reclaim policy, the data is gone. */
    record DeletePvc(String namespace, String name) implements Action {
        public String describe() {
            return "Delete persistentvolumeclaim/" + name + " in " + namespace + " (its data may be destroyed)";
        }

        public ObjectRef target() {
            return ObjectRef.of(ObjectRef.Kind.PVC, namespace, name);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new DeletePvc(f.apply(namespace), f.apply(name));
        }
    }

    /** Deletes a namespace and everything in it. */
    record DeleteNamespace(String namespace) implements Action {
        public String describe() {
            return "Delete namespace/" + namespace + " and everything in it";
        }

        public ObjectRef target() {
            return ObjectRef.cluster(ObjectRef.Kind.NAMESPACE, namespace);
        }

        public Action retarget(UnaryOperator<String> f) {
            return new DeleteNamespace(f.apply(namespace));
        }
    }
}
