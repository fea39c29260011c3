package dev.awoooi.local.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * What an RBAC manifest grants one identity, evaluated with the matching rules of the API server's RBAC authorizer:
 * the roles its RoleBindings and ClusterRoleBindings name, a RoleBinding's only in its own namespace. The demo API
 * server has no authentication, so every caller is treated as {@link #IDENTITY}, the executor.
 */
record RbacPolicy(List<Grant> grants) {
    /** The service account every caller of the demo API server is taken to be. */
    static final String IDENTITY = "awoooi:awoooi-executor";

    /** A role as bound to the identity: everywhere (a ClusterRoleBinding), or in one namespace (a RoleBinding). */
    record Grant(Role role, String namespace) {
        boolean appliesIn(String requestNamespace) {
            return namespace == null || namespace.equals(requestNamespace);
        }

        String describe() {
            return role.kind() + " " + role.name() + (namespace == null ? "" : " in " + namespace);
        }
    }

    record AccessRequest(String verb, String group, String resource, String subresource, String namespace,
            String name, String nonResourcePath) {

        String target() {
            if (resource == null || resource.isEmpty()) {
                return nonResourcePath;
            }
            return subresource == null || subresource.isEmpty() ? resource : resource + "/" + subresource;
        }
    }

    record AccessDecision(boolean allowed, String reason) {
    }

    record Role(String kind, String name, String namespace, List<Rule> rules) {
    }

    record Rule(List<String> apiGroups, List<String> resources, List<String> verbs, List<String> resourceNames,
            List<String> nonResourceUrls) {

        boolean allows(AccessRequest request) {
            if (!matches(verbs, request.verb())) {
                return false;
            }
            if (request.resource() == null || request.resource().isEmpty()) {
                return request.nonResourcePath() != null && nonResourceUrls.stream().anyMatch(url -> url.equals(request.nonResourcePath())
                        || url.endsWith("*") && request.nonResourcePath().startsWith(url.substring(0, url.length() - 1)));
            }
            boolean subresourceWildcard = request.subresource() != null && !request.subresource().isEmpty()
                    && resources.contains("*/" + request.subresource());
            return matches(apiGroups, Objects.requireNonNullElse(request.group(), ""))
                    && (matches(resources, request.target()) || subresourceWildcard)
                    && (resourceNames.isEmpty() || resourceNames.contains(request.name()));
        }

        String describe() {
            return String.join(",", verbs) + " " + String.join(",", resources.isEmpty() ? nonResourceUrls : resources);
        }

        private static boolean matches(List<String> granted, String wanted) {
            return granted.contains("*") || granted.contains(wanted);
        }
    }

    static RbacPolicy load(Path manifest) {
        List<Role> roles = new ArrayList<>();
        List<Map<?, ?>> bindings = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(manifest)) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (!(document instanceof Map<?, ?> object) || !(object.get("kind") instanceof String kind)) {
                    continue;
                }
                Map<?, ?> metadata = (Map<?, ?>) object.get("metadata");
                if (kind.equals("ClusterRole") || kind.equals("Role")) {
                    List<Rule> rules = list(object.get("rules")).stream().map(rule -> (Map<?, ?>) rule)
                            .map(rule -> new Rule(strings(rule.get("apiGroups")), strings(rule.get("resources")),
                                    strings(rule.get("verbs")), strings(rule.get("resourceNames")),
                                    strings(rule.get("nonResourceURLs"))))
                            .toList();
                    roles.add(new Role(kind, (String) metadata.get("name"), (String) metadata.get("namespace"), rules));
                } else if (kind.equals("ClusterRoleBinding") || kind.equals("RoleBinding")) {
                    bindings.add(object);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read RBAC manifest " + manifest, e);
        }
        List<Grant> grants = new ArrayList<>();
        for (Map<?, ?> binding : bindings) {
            boolean bound = list(binding.get("subjects")).stream().map(subject -> (Map<?, ?>) subject)
                    .anyMatch(subject -> "ServiceAccount".equals(subject.get("kind"))
                            && IDENTITY.equals(subject.get("namespace") + ":" + subject.get("name")));
            if (!bound) {
                continue;
            }
            Map<?, ?> ref = (Map<?, ?>) binding.get("roleRef");
            String namespace = binding.get("kind").equals("RoleBinding") ? (String) ((Map<?, ?>) binding.get("metadata")).get("namespace") : null;
            roles.stream().filter(role -> role.kind().equals(ref.get("kind")) && role.name().equals(ref.get("name"))
                            && (role.kind().equals("ClusterRole") || Objects.equals(role.namespace(), namespace)))
                    .findFirst().ifPresent(role -> grants.add(new Grant(role, namespace)));
        }
        return new RbacPolicy(List.copyOf(grants));
    }

    AccessDecision decide(AccessRequest request) {
        for (Grant grant : grants) {
            if (!grant.appliesIn(request.namespace())) {
                continue;
            }
            for (int i = 0; i < grant.role().rules().size(); i++) {
                Rule rule = grant.role().rules().get(i);
                if (rule.allows(request)) {
                    return new AccessDecision(true, "allowed by %s rule #%d (%s)".formatted(grant.describe(), i + 1, rule.describe()));
                }
            }
        }
        String granted = grants.stream().map(Grant::describe).collect(Collectors.joining(", "));
        return new AccessDecision(false, "no rule of %s allows %s %s%s".formatted(granted, request.verb(), request.target(),
                request.namespace() == null || request.namespace().isEmpty() ? "" : " in " + request.namespace()));
    }

    private static List<?> list(Object yaml) {
        return yaml instanceof List<?> items ? items : List.of();
    }

    private static List<String> strings(Object yaml) {
        return list(yaml).stream().map(String::valueOf).toList();
    }
}
