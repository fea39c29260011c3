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
 * What an RBAC manifest grants each ServiceAccount, evaluated with the matching rules of the API server's RBAC
 * authorizer: the roles its RoleBindings and ClusterRoleBindings name, a RoleBinding's only in its own namespace.
 * Identities are user names as the API server gives them ({@code system:serviceaccount:<namespace>:<name>}); one
 * the manifest binds nothing to is granted nothing.
 */
record RbacPolicy(Map<String, List<Grant>> grantsByIdentity) {
    /** The user name the API server gives a ServiceAccount. */
    static String serviceAccount(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

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
        Map<String, List<Grant>> grants = new java.util.TreeMap<>();
        for (Map<?, ?> binding : bindings) {
            Map<?, ?> ref = (Map<?, ?>) binding.get("roleRef");
            String namespace = binding.get("kind").equals("RoleBinding") ? (String) ((Map<?, ?>) binding.get("metadata")).get("namespace") : null;
            var role = roles.stream().filter(r -> r.kind().equals(ref.get("kind")) && r.name().equals(ref.get("name"))
                            && (r.kind().equals("ClusterRole") || Objects.equals(r.namespace(), namespace)))
                    .findFirst();
            list(binding.get("subjects")).stream().map(subject -> (Map<?, ?>) subject)
                    .filter(subject -> "ServiceAccount".equals(subject.get("kind")))
                    .forEach(subject -> role.ifPresent(r -> grants.computeIfAbsent(
                            serviceAccount((String) subject.get("namespace"), (String) subject.get("name")), k -> new ArrayList<>())
                            .add(new Grant(r, namespace))));
        }
        grants.replaceAll((identity, granted) -> List.copyOf(granted));
        return new RbacPolicy(Map.copyOf(grants));
    }

    /** The ServiceAccounts the manifest binds roles to. */
    java.util.Set<String> identities() {
        return grantsByIdentity.keySet();
    }

    AccessDecision decide(String identity, AccessRequest request) {
        List<Grant> grants = grantsByIdentity.getOrDefault(identity, List.of());
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
        return new AccessDecision(false, "no rule of %s allows %s %s%s".formatted(granted.isEmpty() ? "(nothing bound)" : granted,
                request.verb(), request.target(),
                request.namespace() == null || request.namespace().isEmpty() ? "" : " in " + request.namespace()));
    }

    private static List<?> list(Object yaml) {
        return yaml instanceof List<?> items ? items : List.of();
    }

    private static List<String> strings(Object yaml) {
        return list(yaml).stream().map(String::valueOf).toList();
    }
}
