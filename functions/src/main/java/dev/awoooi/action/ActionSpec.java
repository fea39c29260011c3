package dev.awoooi.action;

import java.util.List;

/**
 * What the catalog declares for one action type: its parameters, the baseline risk before anything at stake raises
 * it, the exact permissions its dry run asks the API server about, whether it disrupts pods (and so answers to
 * PodDisruptionBudgets), how success is verified after it ran, and whether it may ever run without a signature
 * ({@code unsigned}: only what a rolling controller undoes by itself, a restart or a bounded scale-up, and only while
 * nothing at stake raises its risk).
 */
public record ActionSpec(String type, List<Param> params, RiskLevel baseline, String baselineReason,
                         List<Permission> permissions, boolean disruptive, String verification, boolean unsigned) {

    public ActionSpec {
        params = List.copyOf(params);
        permissions = List.copyOf(permissions);
    }

    /** One parameter: its name, JSON type and the rule a value must meet. */
    public record Param(String name, String type, boolean required, String rule) {
    }

    /** One SelfSubjectAccessReview the dry run makes: verb on group/resource[/subresource] of the target. */
    public record Permission(String verb, String group, String resource, String subresource) {
        public static Permission of(String verb, ObjectRef.Kind kind) {
            return new Permission(verb, kind.group(), kind.resource(), null);
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (subresource == null ? "" : "/" + subresource);
        }
    }
}
