package dev.awoooi.local.cluster;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/**
 * The ValidatingAdmissionPolicies of a manifest, bound with {@code validationActions: [Deny]}, evaluated as the API
 * server's admission chain does after authorization, dry runs included: a policy matches a request by its
 * resource rules (group, resource and subresource, operation) and then its match conditions; each validation must be
 * true or the request is refused with the validation's message. The expressions are CEL, evaluated by CEL-Java over
 * the {@code request} variable (the admission request's attributes; the demo has no {@code object}). A policy whose
 * expression fails to compile or evaluate fails closed, as {@code failurePolicy: Fail} does.
 */
final class AdmissionPolicies {

    /** An admission request's attributes as CEL sees them in {@code request}. */
    record Request(String operation, String username, String group, String resource, String subresource,
            String namespace, String name, boolean dryRun) {

        Map<String, Object> asCel() {
            return Map.of("operation", operation, "userInfo", Map.of("username", username),
                    "resource", Map.of("group", group, "version", "v1", "resource", resource), "subResource", subresource,
                    "namespace", namespace, "name", name, "dryRun", dryRun);
        }
    }

    private record Expression(String source, CelRuntime.Program program) {
    }

    private record ResourceRule(List<String> groups, List<String> resources, List<String> operations) {
        boolean matches(Request request) {
            String target = request.subresource().isEmpty() ? request.resource() : request.resource() + "/" + request.subresource();
            return (groups.contains("*") || groups.contains(request.group()))
                    && (operations.contains("*") || operations.contains(request.operation()))
                    && (resources.contains(target) || resources.contains("*") && request.subresource().isEmpty()
                            || resources.contains("*/*") && !request.subresource().isEmpty());
        }
    }

    private record Validation(Expression check, String message) {
    }

    private record Policy(String name, String binding, List<ResourceRule> rules, List<Expression> conditions, List<Validation> validations) {
    }

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("request", MapType.create(SimpleType.STRING, SimpleType.DYN)).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final List<Policy> policies;

    private AdmissionPolicies(List<Policy> policies) {
        this.policies = List.copyOf(policies);
    }

    @SuppressWarnings("unchecked")
    static AdmissionPolicies load(Path manifest) {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(manifest)) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (document instanceof Map<?, ?> object) {
                    documents.add((Map<String, Object>) object);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read manifest " + manifest, e);
        }
        // policy name -> the name of the binding that makes it deny
        Map<String, String> denying = new java.util.HashMap<>();
        documents.stream().filter(d -> "ValidatingAdmissionPolicyBinding".equals(d.get("kind")))
                .filter(d -> strings(map(d.get("spec")).get("validationActions")).contains("Deny"))
                .forEach(d -> denying.put((String) map(d.get("spec")).get("policyName"), (String) map(d.get("metadata")).get("name")));
        List<Policy> policies = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            String name = (String) map(document.get("metadata")).get("name");
            if (!"ValidatingAdmissionPolicy".equals(document.get("kind")) || !denying.containsKey(name)) {
                continue;
            }
            Map<String, Object> spec = map(document.get("spec"));
            List<ResourceRule> rules = list(map(spec.get("matchConstraints")).get("resourceRules")).stream().map(AdmissionPolicies::map)
                    .map(rule -> new ResourceRule(strings(rule.get("apiGroups")), strings(rule.get("resources")), strings(rule.get("operations"))))
                    .toList();
            List<Expression> conditions = list(spec.get("matchConditions")).stream()
                    .map(condition -> compile(name, (String) map(condition).get("expression"))).toList();
            List<Validation> validations = list(spec.get("validations")).stream().map(AdmissionPolicies::map)
                    .map(v -> new Validation(compile(name, (String) v.get("expression")), (String) v.get("message"))).toList();
            policies.add(new Policy(name, denying.get(name), rules, conditions, validations));
        }
        return new AdmissionPolicies(policies);
    }

    /** Why the request is refused, or empty when every matching policy admits it. */
    Optional<String> refusal(Request request) {
        Map<String, Object> input = Map.of("request", request.asCel());
        for (Policy policy : policies) {
            if (policy.rules().stream().noneMatch(rule -> rule.matches(request))) {
                continue;
            }
            try {
                boolean matches = true;
                for (Expression condition : policy.conditions()) {
                    matches &= Boolean.TRUE.equals(condition.program().eval(input));
                }
                if (!matches) {
                    continue;
                }
                for (Validation validation : policy.validations()) {
                    if (!Boolean.TRUE.equals(validation.check().program().eval(input))) {
                        return Optional.of("ValidatingAdmissionPolicy '%s' with binding '%s' denied request: %s"
                                .formatted(policy.name(), policy.binding(), validation.message()));
                    }
                }
            } catch (CelEvaluationException e) {
                return Optional.of("ValidatingAdmissionPolicy '%s' failed (failurePolicy Fail): %s".formatted(policy.name(), e.getMessage()));
            }
        }
        return Optional.empty();
    }

    int size() {
        return policies.size();
    }

    private static Expression compile(String policy, String source) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(source).getAst();
            return new Expression(source, RUNTIME.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalStateException("policy " + policy + ": cannot compile CEL `" + source + "`: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return yaml instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object yaml) {
        return yaml instanceof List<?> items ? items : List.of();
    }

    private static List<String> strings(Object yaml) {
        return list(yaml).stream().map(String::valueOf).toList();
    }
}
