package dev.awoooi.action;

import dev.awoooi.action.ObjectRef.Kind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a remediation suggestion written in kubectl syntax (a runbook annotation, later a language model) against the
 * closed catalog. The text is untrusted: it is never handed to a shell or to kubectl, only parsed here into a typed
 * {@link Action}, or turned into an {@link Action.Investigate} when it is read-only, names no concrete target, or is
 * hostile.
 *
 * <p>Hostile content is looked for before anything is read as a command, so a read-only verb carrying a shell
 * metacharacter or {@code --all} is refused, not reduced. Verbs and flags are allowlisted per verb and kept tiny: a
 * flag nobody listed is refused rather than guessed at. Every reason names the rule that fired and quotes at most
 * {@value #QUOTE_LIMIT} characters of the suggestion, so an audit line cannot be used to replay it.
 *
 * <p>{@link Action.EvictPod} is never produced here: kubectl has no single-pod eviction verb, and inventing a syntax for
 * one would give suggestions a way in that no runbook uses. The analyzer proposes evictions directly; a suggestion maps
 * to {@link Action.DeletePod} ({@code kubectl delete pod}) or {@link Action.DrainNode} ({@code kubectl drain}).
 *
 * <p>The guard does not rate risk: {@code kubectl delete namespace shop} is accepted as a typed action when
 * {@link ActionCatalog#validate} passes, and the risk matrix rates it. Pseudonym labels such as {@code [POD_1]} are
 * refused as wildcards: restore them before judging, so the guard validates the names that would really be acted on.
 */
public final class CommandGuard {
    public static final int MAX_LENGTH = 512;
    private static final int QUOTE_LIMIT = 40;

    private static final String SHELL_METACHARACTERS = ";|&$`()<>\\{}!#~";
    private static final String QUOTES = "'\"";
    private static final String WILDCARDS = "*?[]";

    private static final Pattern FLAG_NAME = Pattern.compile("--[a-z][a-z0-9-]*|-[a-zA-Z]");
    private static final Pattern COUNT = Pattern.compile("0|[1-9][0-9]{0,8}");

    private static final Set<String> VERBS = Set.of("get", "describe", "logs", "top", "events", "explain", "api-resources", "version",
            "cluster-info", "rollout", "scale", "delete", "drain", "cordon");
    private static final Map<String, String> DENIED_FLAGS = deniedFlags();
    private static final Map<String, String> SHORTHANDS = Map.of("-n", "--namespace", "-o", "--output", "-c", "--container", "-p", "--previous");
    private static final Set<String> VALUE_FLAGS = Set.of("--namespace", "--replicas", "--to-revision", "--output", "--container",
            "--tail", "--since", "--for", "--types", "--revision");
    private static final Set<String> SWITCHES = Set.of("--ignore-daemonsets", "--show-labels", "--previous", "--timestamps",
            "--all-containers", "--containers", "--recursive", "--client", "--namespaced");
    private static final Set<String> OUTPUT_FORMATS = Set.of("yaml", "json", "wide", "name");
    private static final Set<String> SECRET_KINDS = Set.of("secret", "secrets");
    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("deployment", Kind.DEPLOYMENT), Map.entry("deployments", Kind.DEPLOYMENT), Map.entry("deploy", Kind.DEPLOYMENT),
            Map.entry("statefulset", Kind.STATEFULSET), Map.entry("statefulsets", Kind.STATEFULSET), Map.entry("sts", Kind.STATEFULSET),
            Map.entry("pod", Kind.POD), Map.entry("pods", Kind.POD), Map.entry("po", Kind.POD),
            Map.entry("pvc", Kind.PVC), Map.entry("persistentvolumeclaim", Kind.PVC), Map.entry("persistentvolumeclaims", Kind.PVC),
            Map.entry("namespace", Kind.NAMESPACE), Map.entry("namespaces", Kind.NAMESPACE), Map.entry("ns", Kind.NAMESPACE));

    private final String defaultNamespace;

    /** @param defaultNamespace the namespace a command without {@code -n}/{@code --namespace} acts in */
    public CommandGuard(String defaultNamespace) {
        this.defaultNamespace = Objects.requireNonNull(defaultNamespace, "defaultNamespace");
    }

    /** What became of one suggestion; {@link #action()} is always safe to hand to the planner. */
    public sealed interface Verdict permits Accepted, Reduced, Refused {
        /** The typed catalog action when accepted, otherwise a read-only investigation. */
        Action action();

        /** The rule that decided, short enough for an audit line; never the suggestion itself. */
        String reason();
    }

    /** A mutating catalog action with one concrete target, valid per {@link ActionCatalog#validate}. */
    public record Accepted(Action action) implements Verdict {
        public Accepted {
            if (action == null || !action.mutating()) {
                throw new IllegalArgumentException("only a mutating catalog action is accepted");
            }
        }

        public String reason() {
            return "parsed as " + action.type();
        }
    }

    /** Read-only, or no concrete target or parameters: nothing hostile, investigate instead. */
    public record Reduced(Action.Investigate action, String reason) implements Verdict {
    }

    /** Hostile or outside the catalog: investigate instead; the caller audits the reason. */
    public record Refused(Action.Investigate action, String reason) implements Verdict {
    }

    /** @param service the alerting service, the subject of any investigation this verdict falls back to */
    public Verdict judge(String command, String service) {
        try {
            return route(parse(command), service);
        } catch (Refusal refusal) {
            return new Refused(new Action.Investigate(service, "suggestion refused: " + refusal.getMessage()), refusal.getMessage());
        }
    }

    private static Reduced reduce(String service, String reason) {
        return new Reduced(new Action.Investigate(service, "suggestion reduced to investigation: " + reason), reason);
    }

    // ---- lexing: everything a shell, a terminal or a human eye could misread is refused before tokens exist ----

    private record Flag(String typed, String name, String value) {
    }

    private record Command(List<String> words, Map<String, Flag> flags) {
    }

    private static Command parse(String command) {
        if (command == null || command.isBlank()) {
            throw new Refusal("empty suggestion");
        }
        if (command.length() > MAX_LENGTH) {
            throw new Refusal("suggestion longer than " + MAX_LENGTH + " characters");
        }
        refuseHostileCharacters(command);
        List<String> tokens = List.of(command.strip().split("[ \t]+"));
        if (!tokens.getFirst().equals("kubectl")) {
            throw new Refusal("not a kubectl command: " + quote(tokens.getFirst()));
        }
        for (String token : tokens) {
            if (token.contains("..")) {
                throw new Refusal("path traversal '..' in " + quote(token));
            }
        }
        String verb = verbOf(tokens);
        if (verb == null) {
            throw new Refusal("no verb after kubectl");
        }
        if (!VERBS.contains(verb)) {
            throw new Refusal("verb " + quote(verb) + " is not in the catalog");
        }
        for (String token : tokens) {
            if (token.startsWith("-")) {
                refuseDeniedFlag(token);
            }
        }
        return tokenize(tokens.subList(1, tokens.size()));
    }

    /** The first word that is neither a flag nor a flag's value: kubectl lets {@code -n shop} come before the verb. */
    private static String verbOf(List<String> tokens) {
        for (int i = 1; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!token.startsWith("-")) {
                return token;
            }
            if (!token.contains("=") && VALUE_FLAGS.contains(SHORTHANDS.getOrDefault(token, token))) {
                i++;
            }
        }
        return null;
    }

    private static void refuseHostileCharacters(String command) {
        for (int i = 0; i < command.length(); ) {
            int c = command.codePointAt(i);
            if (c > 0x7E) {
                // homoglyphs (Cyrillic 'е'), fullwidth letters and zero-width spaces all land here, as does DEL
                throw new Refusal((c == 0x7F ? "control character " : "non-ASCII character ") + codePoint(c));
            }
            if (c < 0x20 && c != '\t') {
                throw new Refusal("control character " + codePoint(c) + (c == '\n' || c == '\r' ? " (line break)" : ""));
            }
            if (SHELL_METACHARACTERS.indexOf(c) >= 0) {
                throw new Refusal("shell metacharacter '" + (char) c + "'");
            }
            if (QUOTES.indexOf(c) >= 0) {
                throw new Refusal("quote character " + (char) c + " (no catalog command needs quoting)");
            }
            if (WILDCARDS.indexOf(c) >= 0) {
                throw new Refusal("wildcard '" + (char) c + "' widens scope");
            }
            i += Character.charCount(c);
        }
    }

    private static void refuseDeniedFlag(String token) {
        String name = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
        if (name.equals("--")) {
            throw new Refusal("'--' ends flag parsing");
        }
        if (!name.startsWith("--") && name.length() > 2 && !token.contains("=")) {
            throw new Refusal("combined short flags " + quote(name));
        }
        if (!FLAG_NAME.matcher(name).matches()) {
            throw new Refusal("malformed flag " + quote(name));
        }
        String denial = DENIED_FLAGS.get(name);
        if (denial != null) {
            throw new Refusal("flag " + name + " " + denial);
        }
    }

    private static Command tokenize(List<String> tokens) {
        List<String> words = new ArrayList<>();
        Map<String, Flag> flags = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!token.startsWith("-")) {
                words.add(token);
                continue;
            }
            int eq = token.indexOf('=');
            String typed = eq < 0 ? token : token.substring(0, eq);
            String name = SHORTHANDS.getOrDefault(typed, typed);
            String value = eq < 0 ? null : token.substring(eq + 1);
            if (VALUE_FLAGS.contains(name) && value == null) {
                value = i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("-") ? tokens.get(++i) : null;
                if (value == null) {
                    throw new Refusal("flag " + typed + " needs a value");
                }
            } else if (VALUE_FLAGS.contains(name) && value.isEmpty()) {
                throw new Refusal("flag " + typed + " needs a value");
            } else if (SWITCHES.contains(name) && value != null) {
                throw new Refusal("flag " + typed + " takes no value");
            }
            if (flags.containsKey(name)) {
                throw new Refusal(name.equals("--namespace") ? "more than one namespace flag" : "flag " + typed + " given twice");
            }
            flags.put(name, new Flag(typed, name, value));
        }
        return new Command(words, flags);
    }

    // ---- routing: one verb, its own flag allowlist, then exactly one target ----

    private Verdict route(Command command, String service) {
        if (command.words().isEmpty()) {
            throw new Refusal("no verb after kubectl");
        }
        String verb = command.words().getFirst();
        List<String> args = command.words().subList(1, command.words().size());
        return switch (verb) {
            case "get" -> readOnly(command, verb, service, "--namespace", "--output", "--show-labels");
            case "describe" -> readOnly(command, verb, service, "--namespace");
            case "logs" -> readOnly(command, verb, service, "--namespace", "--container", "--tail", "--since", "--previous",
                    "--timestamps", "--all-containers");
            case "top" -> readOnly(command, verb, service, "--namespace", "--containers");
            case "events" -> readOnly(command, verb, service, "--namespace", "--for", "--types", "--output");
            case "explain" -> readOnly(command, verb, service, "--recursive");
            case "api-resources" -> readOnly(command, verb, service, "--namespaced", "--output");
            case "version" -> readOnly(command, verb, service, "--client", "--output");
            case "cluster-info" -> {
                if (args.contains("dump")) {
                    throw new Refusal("verb 'cluster-info dump' is not in the catalog");
                }
                yield readOnly(command, verb, service);
            }
            case "rollout" -> rollout(command, args, service);
            case "scale" -> {
                allowFlags(command, verb, "--namespace", "--replicas");
                yield scale(command, args, service);
            }
            case "delete" -> {
                allowFlags(command, verb, "--namespace");
                yield delete(command, args, service);
            }
            case "drain" -> {
                allowFlags(command, verb, "--ignore-daemonsets");
                yield node(args, service, "drain");
            }
            case "cordon" -> {
                allowFlags(command, verb);
                yield node(args, service, "cordon");
            }
            default -> throw new Refusal("verb " + quote(verb) + " is not in the catalog");
        };
    }

    private static Verdict readOnly(Command command, String verb, String service, String... allowed) {
        allowFlags(command, verb, allowed);
        Flag output = command.flags().get("--output");
        if (output != null && !OUTPUT_FORMATS.contains(output.value())) {
            throw new Refusal("output format " + quote(output.value()) + " is not allowed");
        }
        for (String word : command.words()) {
            for (String kind : word.split("[,/]")) {
                if (SECRET_KINDS.contains(kind) && (verb.equals("get") || verb.equals("describe"))) {
                    throw new Refusal("reading secrets is not an investigation step");
                }
            }
        }
        return reduce(service, "read-only verb '" + verb + "'");
    }

    private Verdict rollout(Command command, List<String> args, String service) {
        if (args.isEmpty()) {
            allowFlags(command, "rollout", "--namespace");
            return reduce(service, "no concrete target for 'rollout'");
        }
        String sub = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        return switch (sub) {
            case "status", "history" -> readOnly(command, "rollout " + sub, service, "--namespace", "--revision");
            case "restart" -> {
                allowFlags(command, "rollout restart", "--namespace");
                Target target = target(rest, "rollout restart", Kind.DEPLOYMENT, Kind.STATEFULSET);
                if (target.name() == null) {
                    yield reduce(service, "no concrete target for 'rollout restart'");
                }
                String namespace = namespace(command);
                yield accept(target.kind() == Kind.DEPLOYMENT ? new Action.RestartDeployment(namespace, target.name())
                        : new Action.RestartStatefulSet(namespace, target.name()));
            }
            case "undo" -> {
                allowFlags(command, "rollout undo", "--namespace", "--to-revision");
                Target target = target(rest, "rollout undo", Kind.DEPLOYMENT);
                if (target.name() == null) {
                    yield reduce(service, "no concrete target for 'rollout undo'");
                }
                Flag revision = command.flags().get("--to-revision");
                Long toRevision = revision == null ? null : count(revision);
                // kubectl reads --to-revision=0 as "the previous revision", which the catalog spells as null
                yield accept(new Action.RollbackDeployment(namespace(command), target.name(),
                        toRevision == null || toRevision == 0 ? null : toRevision));
            }
            default -> throw new Refusal("verb " + quote("rollout " + sub) + " is not in the catalog");
        };
    }

    private Verdict scale(Command command, List<String> args, String service) {
        Target target = target(args, "scale", Kind.DEPLOYMENT);
        Flag replicas = command.flags().get("--replicas");
        Long count = replicas == null ? null : count(replicas);
        if (target.name() == null) {
            return reduce(service, "no concrete target for 'scale'");
        }
        if (count == null) {
            // the name is checked first, so a bad name is refused even when the replica count is missing
            check(new Action.ScaleDeployment(namespace(command), target.name(), 1));
            return reduce(service, "no concrete parameters for 'scale': --replicas missing");
        }
        return accept(new Action.ScaleDeployment(namespace(command), target.name(), count.intValue()));
    }

    private Verdict delete(Command command, List<String> args, String service) {
        Target target = target(args, "delete", Kind.POD, Kind.PVC, Kind.NAMESPACE);
        if (target.kind() == Kind.NAMESPACE && command.flags().containsKey("--namespace")) {
            throw new Refusal("flag " + command.flags().get("--namespace").typed() + " on a cluster-scoped namespace");
        }
        if (target.name() == null) {
            return reduce(service, "no concrete target for 'delete'");
        }
        return accept(switch (target.kind()) {
            case POD -> new Action.DeletePod(namespace(command), target.name());
            case PVC -> new Action.DeletePvc(namespace(command), target.name());
            case NAMESPACE -> new Action.DeleteNamespace(target.name());
            default -> throw new IllegalStateException("target() admits only pods, claims and namespaces for delete");
        });
    }

    private static Verdict node(List<String> args, String service, String verb) {
        if (args.isEmpty()) {
            return reduce(service, "no concrete target for '" + verb + "'");
        }
        if (args.size() > 1) {
            throw new Refusal("more than one target for '" + verb + "'");
        }
        String node = args.getFirst();
        return accept(verb.equals("drain") ? new Action.DrainNode(node) : new Action.CordonNode(node));
    }

    /** The kind, and the name when one is given: {@code kind/name} or {@code kind name}, never more than one object. */
    private record Target(Kind kind, String name) {
    }

    private static Target target(List<String> args, String verb, Kind... allowed) {
        if (args.isEmpty()) {
            return new Target(null, null);
        }
        String first = args.getFirst();
        int slash = first.indexOf('/');
        String kindWord = slash < 0 ? first : first.substring(0, slash);
        String name = slash < 0 ? (args.size() > 1 ? args.get(1) : null) : first.substring(slash + 1);
        if (args.size() > (slash < 0 ? 2 : 1)) {
            throw new Refusal("more than one target for '" + verb + "'");
        }
        if (kindWord.contains(",")) {
            throw new Refusal("more than one kind in " + quote(kindWord));
        }
        Kind kind = KINDS.get(kindWord);
        if (kind == null || !List.of(allowed).contains(kind)) {
            throw new Refusal("kind " + quote(kindWord) + " is not in the catalog for '" + verb + "'");
        }
        return new Target(kind, name == null || name.isEmpty() ? null : name);
    }

    private String namespace(Command command) {
        Flag flag = command.flags().get("--namespace");
        return flag == null ? defaultNamespace : flag.value();
    }

    private static void allowFlags(Command command, String verb, String... allowed) {
        List<String> allowlist = List.of(allowed);
        for (Flag flag : command.flags().values()) {
            if (!allowlist.contains(flag.name())) {
                throw new Refusal("flag " + quote(flag.typed()) + " is not allowed for '" + verb + "'");
            }
        }
    }

    private static long count(Flag flag) {
        if (!COUNT.matcher(flag.value()).matches()) {
            throw new Refusal("flag " + flag.typed() + " needs a plain decimal integer, not " + quote(flag.value()));
        }
        return Long.parseLong(flag.value());
    }

    private static Accepted accept(Action action) {
        check(action);
        return new Accepted(action);
    }

    private static void check(Action action) {
        List<String> errors = ActionCatalog.validate(action);
        if (!errors.isEmpty()) {
            throw new Refusal("invalid " + action.type() + ": " + errors.getFirst());
        }
    }

    private static String quote(String token) {
        return "'" + (token.length() <= QUOTE_LIMIT ? token : token.substring(0, QUOTE_LIMIT) + "…") + "'";
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c);
    }

    private static Map<String, String> deniedFlags() {
        Map<String, String> denied = new LinkedHashMap<>();
        for (String flag : List.of("--all", "-A", "--all-namespaces", "-l", "--selector", "--field-selector")) {
            denied.put(flag, "widens scope beyond one object");
        }
        for (String flag : List.of("--force", "--grace-period", "--now")) {
            denied.put(flag, "skips graceful termination");
        }
        denied.put("--cascade", "changes what a deletion leaves behind");
        denied.put("--disable-eviction", "bypasses PodDisruptionBudgets");
        for (String flag : List.of("--delete-emptydir-data", "--delete-local-data")) {
            denied.put(flag, "destroys pod data on drain");
        }
        for (String flag : List.of("--kubeconfig", "--context", "--cluster", "--server", "-s", "--token", "--as", "--as-group",
                "--as-uid", "--user", "--username", "--password", "--insecure-skip-tls-verify", "--certificate-authority",
                "--client-certificate", "--client-key", "--tls-server-name")) {
            denied.put(flag, "changes the cluster or the identity");
        }
        denied.put("--raw", "bypasses typed resources");
        for (String flag : List.of("-f", "--filename", "-k", "--kustomize", "--overrides")) {
            denied.put(flag, "brings input from outside the suggestion");
        }
        denied.put("--dry-run", "sets an execution mode; the planner runs its own dry run");
        return Map.copyOf(denied);
    }

    /** Ends parsing at the first rule broken; carries only the rule, never a stack trace worth logging. */
    private static final class Refusal extends RuntimeException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        Refusal(String rule) {
            super(rule, null, false, false);
        }
    }
}
