package dev.awoooi.action;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.awoooi.topology.WorkloadRef;

/** The closed catalog of remediations. Never free text: each action is typed and names a concrete target. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "catalog")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Action.Investigate.class, name = "investigate"),
        @JsonSubTypes.Type(value = Action.RestartWorkload.class, name = "restart")})
public sealed interface Action permits Action.Investigate, Action.RestartWorkload {

    /** The catalog name, also the trust pattern's prefix. */
    String type();

    /** What a person reads on the approval card. */
    String describe();

    /** Read-only: look, do not touch. The fallback whenever there is no concrete, safe target. */
    record Investigate(String service, String why) implements Action {
        public String type() {
            return "investigate";
        }

        public String describe() {
            return "Investigate " + (service == null ? "the alert" : service) + " (read-only): " + why;
        }
    }

    /** A rolling restart of a Deployment or StatefulSet, as {@code kubectl rollout restart} does it. */
    record RestartWorkload(WorkloadRef target) implements Action {
        public RestartWorkload {
            if (target == null) {
                throw new IllegalArgumentException("restart needs a concrete workload");
            }
        }

        public String type() {
            return switch (target.kind()) {
                case DEPLOYMENT -> "restart_deployment";
                case STATEFULSET -> "restart_statefulset";
            };
        }

        public String describe() {
            return "Rolling restart of " + target;
        }
    }
}
