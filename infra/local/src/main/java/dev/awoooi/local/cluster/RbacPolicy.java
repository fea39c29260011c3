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
 * The Roles and ClusterRoles of an RBAC manifest, evaluated with the matching rules of the API server's RBAC
 * authorizer. The demo API server has no authentication, so every caller is treated as the identity those
 * roles are written for.
 */
record RbacPolicy(List<Role> roles) {

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

        boolean appliesIn(String requestNamespace) {
            return kind.equals("ClusterRole") || Objects.equals(namespace, requestNamespace);
        }
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
        try (Reader reader = Files.newBufferedReader(manifest)) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (document instanceof Map<?, ?> object && object.get("kind") instanceof String kind
                        && (kind.equals("ClusterRole") || kind.equals("Role"))) {
                    Map<?, ?> metadata = (Map<?, ?>) object.get("metadata");
                    List<Rule> rules = list(object.get("rules")).stream().map(rule -> (Map<?, ?>) rule)
                            .map(rule -> new Rule(strings(rule.get("apiGroups")), strings(rule.get("resources")),
                                    strings(rule.get("verbs")), strings(rule.get("resourceNames")),
                                    strings(rule.get("nonResourceURLs"))))
                            .toList();
                    roles.add(new Role(kind, (String) metadata.get("name"), (String) metadata.get("namespace"), rules));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read RBAC manifest " + manifest, e);
        }
        return new RbacPolicy(List.copyOf(roles));
    }

    AccessDecision decide(AccessRequest request) {
        for (Role role : roles) {
            if (!role.appliesIn(request.namespace())) {
                continue;
            }
            for (int i = 0; i < role.rules().size(); i++) {
                Rule rule = role.rules().get(i);
                if (rule.allows(request)) {
                    return new AccessDecision(true, "allowed by %s %s rule #%d (%s)"
                            .formatted(role.kind(), role.name(), i + 1, rule.describe()));
                }
            }
        }
        String roleNames = roles.stream().map(role -> role.kind() + " " + role.name()).collect(Collectors.joining(", "));
        return new AccessDecision(false, "no rule of %s allows %s %s".formatted(roleNames, request.verb(), request.target()));
    }

    private static List<?> list(Object yaml) {
        return yaml instanceof List<?> items ? items : List.of();
    }

    private static List<String> strings(Object yaml) {
        return list(yaml).stream().map(String::valueOf).toList();
    }
}
