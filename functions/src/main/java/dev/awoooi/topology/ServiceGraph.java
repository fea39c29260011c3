package dev.awoooi.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Services and who calls whom. Edges point from caller to callee ("depends on"). */
public final class ServiceGraph {
    private final Map<String, ServiceNode> nodes = new LinkedHashMap<>();
    private final Map<String, Set<String>> callees = new HashMap<>();
    private final Map<String, Set<String>> callers = new HashMap<>();

    public ServiceGraph add(ServiceNode node) {
        nodes.put(node.name(), node);
        return this;
    }

    public ServiceGraph dependsOn(String caller, String callee) {
        callees.computeIfAbsent(caller, k -> new TreeSet<>()).add(callee);
        callers.computeIfAbsent(callee, k -> new TreeSet<>()).add(caller);
        return this;
    }

    public Optional<ServiceNode> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    public Set<String> callees(String name) {
        return callees.getOrDefault(name, Set.of());
    }

    public Set<String> callers(String name) {
        return callers.getOrDefault(name, Set.of());
    }

    public List<ServiceNode> nodes() {
        return new ArrayList<>(nodes.values());
    }
}
