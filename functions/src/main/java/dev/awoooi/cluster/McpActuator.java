package dev.awoooi.cluster;

import dev.awoooi.action.Action;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.execution.ClusterActuator;
import dev.awoooi.privacy.PrivacyShield;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the catalog actions an MCP tool expresses faithfully through kubernetes-mcp-server's tools, and everything else
 * through the Kubernetes API: eviction and drain need the Eviction subresource (PodDisruptionBudgets), which no tool
 * offers, and a rollback is two calls with a race between them. Which actions go through MCP is configuration. The
 * executor's dry run and fingerprint re-check come before, with AWOOOI's own client; the verification after re-reads
 * the target through the Kubernetes API, never trusting a tool's success text. An {@code isError} result is a failure
 * whose text, masked by the Privacy Shield, goes on the card.
 */
public final class McpActuator implements ClusterActuator {
    /** The actions a kubernetes-mcp-server tool performs as the catalog means them. */
    public static final Set<String> FAITHFUL = Set.of("scale_deployment", "delete_pod", "delete_pvc", "delete_namespace",
            "restart_deployment", "restart_statefulset", "cordon_node");

    private final McpToolClient tools;
    private final ClusterActuator kubernetes;
    private final Set<String> throughMcp;
    private final PrivacyShield shield;
    private final ObjectMapper json;

    public McpActuator(McpToolClient tools, ClusterActuator kubernetes, Set<String> throughMcp, PrivacyShield shield, ObjectMapper json) {
        Set<String> unfaithful = new TreeSet<>(throughMcp);
        unfaithful.removeAll(FAITHFUL);
        if (!unfaithful.isEmpty()) {
            throw new IllegalArgumentException("no MCP tool performs " + unfaithful + " as the catalog means it; through MCP can go only "
                    + new TreeSet<>(FAITHFUL));
        }
        this.tools = tools;
        this.kubernetes = kubernetes;
        this.throughMcp = Set.copyOf(throughMcp);
        this.shield = shield;
        this.json = json;
    }

    @Override
    public void apply(Action action, Instant at) {
        if (!throughMcp.contains(action.type())) {
            kubernetes.apply(action, at);
            return;
        }
        Call call = call(action, at);
        McpToolClient.ToolResult result = tools.call(call.tool(), call.arguments());
        if (result.isError()) {
            throw new IllegalStateException("kubernetes-mcp-server's " + call.tool() + " failed: " + shield.mask(result.text()));
        }
    }

    @Override
    public Verification verify(Action action, TargetState before, Instant at, Duration timeout) {
        return kubernetes.verify(action, before, at, timeout);
    }

    /** Which tool, with which arguments: fixed per action, never taken from anything but the typed action. */
    record Call(String tool, Map<String, Object> arguments) {
    }

    Call call(Action action, Instant at) {
        return switch (action) {
            case Action.ScaleDeployment a -> new Call("resources_scale", Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                    "namespace", a.namespace(), "name", a.name(), "scale", a.replicas()));
            case Action.DeletePod a -> new Call("resources_delete", Map.of("apiVersion", "v1", "kind", "Pod", "namespace", a.namespace(), "name", a.name()));
            case Action.DeletePvc a -> new Call("resources_delete", Map.of("apiVersion", "v1", "kind", "PersistentVolumeClaim",
                    "namespace", a.namespace(), "name", a.name()));
            case Action.DeleteNamespace a -> new Call("resources_delete", Map.of("apiVersion", "v1", "kind", "Namespace", "name", a.namespace()));
            case Action.RestartDeployment a -> apply(restart("apps/v1", "Deployment", a.namespace(), a.name(), at));
            case Action.RestartStatefulSet a -> apply(restart("apps/v1", "StatefulSet", a.namespace(), a.name(), at));
            case Action.CordonNode a -> apply(Map.of("apiVersion", "v1", "kind", "Node", "metadata", Map.of("name", a.node()),
                    "spec", Map.of("unschedulable", true)));
            case Action.EvictPod a -> throw unfaithful(a);
            case Action.DrainNode a -> throw unfaithful(a);
            case Action.RollbackDeployment a -> throw unfaithful(a);
            case Action.Investigate a -> throw unfaithful(a);
        };
    }

    /** Server-side apply of only the fields the action owns: the pod template's restartedAt stamp, as kubectl sets it. */
    private static Map<String, Object> restart(String apiVersion, String kind, String namespace, String name, Instant at) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", apiVersion);
        manifest.put("kind", kind);
        manifest.put("metadata", Map.of("name", name, "namespace", namespace));
        manifest.put("spec", Map.of("template", Map.of("metadata", Map.of("annotations", Map.of(KubernetesActions.RESTARTED_AT, at.toString())))));
        return manifest;
    }

    private Call apply(Map<String, Object> manifest) {
        // the tool takes the manifest as a string; JSON is YAML
        return new Call("resources_create_or_update", Map.of("resource", json.writeValueAsString(manifest)));
    }

    private static IllegalArgumentException unfaithful(Action action) {
        return new IllegalArgumentException(action.type() + " does not go through MCP");
    }
}
