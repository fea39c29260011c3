package dev.awoooi.topology;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The declared topology: what the cluster cannot show (managed databases, external APIs, services in other
 * clusters), and edges from cluster services to them. An entry without a {@code kind} adds no node, only its edges,
 * aliases and cost, so it can name a service the cluster describes. The file is written by people, so every
 * mistake (a typo in a key, a wrong type, a duplicate) is refused with the entry and field it is in, never ignored.
 */
public final class TopologyFile implements TopologySource {
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("services");
    private static final List<String> ENTRY_KEYS = List.of("name", "kind", "dependsOn", "aliases", "costPerHourUsd");
    private static final String KINDS = Arrays.stream(NodeKind.values()).map(Enum::name).collect(Collectors.joining(", "));
    /** RFC 1123-ish: what Kubernetes names and hostnames both satisfy, so a declared name can match a workload. */
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final int MAX_CODE_POINTS = 1024 * 1024;

    private final String origin;
    private final List<Declared> services;

    private record Declared(String name, NodeKind kind, List<String> dependsOn, List<String> aliases, Double costPerHourUsd) {
    }

    private TopologyFile(String origin, List<Declared> services) {
        this.origin = origin;
        this.services = List.copyOf(services);
    }

    /** No declared topology: the graph is what the cluster and the mesh show. */
    public static TopologyFile empty() {
        return new TopologyFile("(none)", List.of());
    }

    /**
     * Reads a topology file; {@code origin} (a file name) prefixes every error message.
     *
     * @throws IllegalArgumentException naming the entry and field at fault
     */
    public static TopologyFile parse(String yaml, String origin) {
        Object document = load(yaml == null ? "" : yaml, origin);
        if (document == null) {
            return new TopologyFile(origin, List.of());
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw invalid(origin, "the document must be a mapping with a 'services' list");
        }
        for (Object key : top.keySet()) {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                throw invalid(origin, "unknown key '" + key + "' (expected: services)");
            }
        }
        Object list = top.get("services");
        if (list == null) {
            return new TopologyFile(origin, List.of());
        }
        if (!(list instanceof List<?> entries)) {
            throw invalid(origin, "services must be a list");
        }
        return new TopologyFile(origin, new EntryReader(origin).read(entries));
    }

    @Override
    public String name() {
        return "topology file " + origin;
    }

    /** Nodes first, then aliases, then edges, so an edge may name a service by any of its aliases. */
    @Override
    public void contribute(ServiceGraph graph) {
        for (Declared service : services) {
            if (service.kind() != null) {
                // add() merges into a node the cluster already described, and the cluster's kind and workload win
                graph.add(ServiceNode.healthy(service.name(), service.kind(), null, "declared", 0));
            }
        }
        for (Declared service : services) {
            for (String alias : service.aliases()) {
                graph.alias(alias, service.name());
            }
        }
        for (Declared service : services) {
            for (String callee : service.dependsOn()) {
                graph.dependsOn(service.name(), callee, EdgeSource.TOPOLOGY_FILE);
            }
        }
    }

    /** What an hour of each service being down costs, for the services that declare it. */
    public Map<String, Double> costPerHourUsd() {
        Map<String, Double> costs = new LinkedHashMap<>();
        for (Declared service : services) {
            if (service.costPerHourUsd() != null) {
                costs.put(service.name(), service.costPerHourUsd());
            }
        }
        return Collections.unmodifiableMap(costs);
    }

    // ------------------------------------------------------------------ parsing

    private static Object load(String yaml, String origin) {
        // SnakeYAML counts only what its scanner reads as tokens (comments escape it), so measure the whole text too
        if (yaml.length() > MAX_CODE_POINTS && yaml.codePointCount(0, yaml.length()) > MAX_CODE_POINTS) {
            throw invalid(origin, "larger than " + MAX_CODE_POINTS + " characters; a topology file is a list of services");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(20);
        DumperOptions dumper = new DumperOptions();
        // SafeConstructor builds only maps, lists and scalars: a !!java.class tag is refused, never instantiated
        Yaml parser = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new Resolver());
        try {
            return parser.load(yaml);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
            String problem = e.getContext() == null ? e.getProblem()
                    : e.getProblem() == null ? e.getContext() : e.getContext() + ", " + e.getProblem();
            throw new IllegalArgumentException(origin + ": not valid YAML" + where + ": " + problem, e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(origin + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException invalid(String origin, String message) {
        return new IllegalArgumentException(origin + ": " + message);
    }

    /** Reads the entries of {@code services}, remembering names and aliases to refuse duplicates. */
    private static final class EntryReader {
        private final String origin;
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, String> aliases = new HashMap<>();

        EntryReader(String origin) {
            this.origin = origin;
        }

        List<Declared> read(List<?> entries) {
            List<Declared> declared = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                declared.add(entry(entries.get(i), "services[" + i + "]"));
            }
            for (Declared service : declared) {
                for (String alias : service.aliases()) {
                    if (names.containsKey(alias)) {
                        throw fail(aliases.get(alias) + " '" + alias + "' is the name of " + names.get(alias));
                    }
                }
            }
            return declared;
        }

        private Declared entry(Object raw, String at) {
            if (!(raw instanceof Map<?, ?> entry)) {
                throw fail(at + " must be a mapping with at least a name");
            }
            for (Object key : entry.keySet()) {
                if (!ENTRY_KEYS.contains(key)) {
                    throw fail(at + " has unknown key '" + key + "' (expected: " + String.join(", ", ENTRY_KEYS) + ")");
                }
            }
            for (Map.Entry<?, ?> field : entry.entrySet()) {
                if (field.getValue() == null) {
                    throw fail(at + "." + field.getKey() + " has no value");
                }
            }
            if (!entry.containsKey("name")) {
                throw fail(at + ".name is required");
            }
            String name = dnsName(entry.get("name"), at + ".name");
            String earlier = names.putIfAbsent(name, at);
            if (earlier != null) {
                throw fail(at + ".name '" + name + "' is already declared by " + earlier);
            }
            NodeKind kind = entry.containsKey("kind") ? kind(entry.get("kind"), at + ".kind") : null;
            List<String> dependsOn = names(entry.get("dependsOn"), at + ".dependsOn");
            for (int i = 0; i < dependsOn.size(); i++) {
                if (dependsOn.get(i).equals(name)) {
                    throw fail(at + ".dependsOn[" + i + "] '" + name + "' is the service itself");
                }
            }
            List<String> aliasList = names(entry.get("aliases"), at + ".aliases");
            for (int i = 0; i < aliasList.size(); i++) {
                String alias = aliasList.get(i);
                String field = at + ".aliases[" + i + "]";
                if (alias.equals(name)) {
                    throw fail(field + " '" + alias + "' is the service's own name");
                }
                String owner = aliases.putIfAbsent(alias, field);
                if (owner != null) {
                    throw fail(field + " '" + alias + "' is already declared by " + owner);
                }
            }
            Double cost = entry.containsKey("costPerHourUsd") ? cost(entry.get("costPerHourUsd"), at + ".costPerHourUsd") : null;
            if (kind == null && dependsOn.isEmpty() && aliasList.isEmpty() && cost == null) {
                throw fail(at + " ('" + name + "') declares nothing: give it a kind, dependsOn, aliases or costPerHourUsd");
            }
            return new Declared(name, kind, dependsOn, aliasList, cost);
        }

        private String dnsName(Object value, String field) {
            if (!(value instanceof String name)) {
                throw fail(field + " must be a string, not " + typeOf(value));
            }
            if (!DNS_NAME.matcher(name).matches()) {
                throw fail(field + " '" + name + "' is not a DNS name (lowercase letters, digits, '-' and '.', at most 253)");
            }
            return name;
        }

        private NodeKind kind(Object value, String field) {
            if (!(value instanceof String kind)) {
                throw fail(field + " must be a string, not " + typeOf(value));
            }
            try {
                return NodeKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw fail(field + " '" + kind + "' is not one of " + KINDS);
            }
        }

        private List<String> names(Object value, String field) {
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw fail(field + " must be a list of names, not " + typeOf(value));
            }
            List<String> names = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                String name = dnsName(list.get(i), field + "[" + i + "]");
                if (names.contains(name)) {
                    throw fail(field + "[" + i + "] '" + name + "' is listed twice");
                }
                names.add(name);
            }
            return List.copyOf(names);
        }

        private Double cost(Object value, String field) {
            double cost = switch (value) {
                case Integer i -> i;
                case Long l -> l;
                case BigInteger b -> b.doubleValue();
                case Double d -> d;
                default -> throw fail(field + " must be a number, not " + typeOf(value));
            };
            if (!Double.isFinite(cost) || cost < 0) {
                throw fail(field + " " + value + " must be a finite number >= 0");
            }
            return cost;
        }

        private static String typeOf(Object value) {
            return switch (value) {
                case null -> "nothing";
                case String s -> "a string";
                case Number n -> "a number";
                case Boolean b -> "a boolean";
                case List<?> l -> "a list";
                case Map<?, ?> m -> "a mapping";
                default -> "a " + value.getClass().getSimpleName();
            };
        }

        private IllegalArgumentException fail(String message) {
            return invalid(origin, message);
        }
    }
}
