package dev.awoooi.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as data: the one description of the stack that both AWS and the local runner obey.
 * Short-form intrinsics ({@code !Ref}, {@code !GetAtt A.Arn}, ...) are read into their long form
 * ({@code {"Ref": ...}}, {@code {"Fn::GetAtt": [A, Arn]}}) so one resolver handles both spellings.
 */
public final class TemplateModel {

    private static final Logger log = LoggerFactory.getLogger(TemplateModel.class);

    public static final String FUNCTION = "AWS::Serverless::Function";
    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String QUEUE = "AWS::SQS::Queue";
    public static final String EVENT_BUS = "AWS::Events::EventBus";
    public static final String RULE = "AWS::Events::Rule";

    /**
     * Variables one JVM cannot share: which bean a Lambda runs, its JVM options, and which secrets it is granted (the
     * local JVM holds every secret, from properties).
     */
    private static final List<String> LAMBDA_ONLY_VARIABLES = List.of("SPRING_CLOUD_FUNCTION_DEFINITION", "JAVA_TOOL_OPTIONS", "MAIN_CLASS",
            "AWOOOI_SECRETSARNS");

    private final Map<String, Object> root;
    private final Map<String, Resource> resources;
    private final List<String> order;

    private TemplateModel(Map<String, Object> root) {
        this.root = root;
        Map<String, Resource> byId = new LinkedHashMap<>();
        map(root.get("Resources")).forEach((id, body) -> {
            Map<String, Object> resource = map(body);
            byId.put(id, new Resource(id, String.valueOf(resource.get("Type")), map(resource.get("Properties"))));
        });
        this.resources = Map.copyOf(byId);
        this.order = List.copyOf(byId.keySet());
    }

    public static TemplateModel load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + file, e);
        }
    }

    public static TemplateModel parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        Object document = new Yaml(new ShortFormConstructor(options)).load(yaml);
        if (!(document instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("a template is a YAML mapping");
        }
        return new TemplateModel(map(document));
    }

    /** Every resource in template order. */
    public List<Resource> resources() {
        return order.stream().map(resources::get).toList();
    }

    public List<Resource> resourcesOfType(String type) {
        return resources().stream().filter(r -> r.type().equals(type)).toList();
    }

    public Optional<Resource> resource(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId));
    }

    public Resource requireResource(String logicalId) {
        return resource(logicalId).orElseThrow(() -> new IllegalArgumentException("no resource " + logicalId + " in the template"));
    }

    public Map<String, Object> globalsFunction() {
        return map(map(root.get("Globals")).get("Function"));
    }

    public Map<String, Parameter> parameters() {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        map(root.get("Parameters")).forEach((name, body) -> {
            Map<String, Object> declaration = map(body);
            Object fallback = declaration.get("Default");
            parameters.put(name, new Parameter(name, String.valueOf(declaration.getOrDefault("Type", "String")),
                    Optional.ofNullable(fallback).map(String::valueOf)));
        });
        return parameters;
    }

    public Map<String, Object> conditions() {
        return map(root.get("Conditions"));
    }

    /**
     * The environment the functions share in one local JVM: Globals.Function variables, then each function's
     * own, resolved; a name two functions set differently is reported because one context can hold only one value.
     */
    public Map<String, String> functionEnvironment(Intrinsics intrinsics) {
        Map<String, String> environment = new LinkedHashMap<>();
        addVariables(environment, map(map(globalsFunction().get("Environment")).get("Variables")), intrinsics, "Globals");
        for (Resource function : resourcesOfType(FUNCTION)) {
            addVariables(environment, map(map(function.properties().get("Environment")).get("Variables")), intrinsics, function.logicalId());
        }
        return environment;
    }

    private static void addVariables(Map<String, String> environment, Map<String, Object> variables, Intrinsics intrinsics, String owner) {
        variables.forEach((name, value) -> {
            if (LAMBDA_ONLY_VARIABLES.contains(name)) {
                return;
            }
            String resolved = intrinsics.resolveString(value);
            String previous = environment.putIfAbsent(name, resolved);
            if (previous != null && !previous.equals(resolved)) {
                log.warn("{} sets {} differently from another function; the local JVM keeps the first value", owner, name);
            }
        });
    }

    /** Every AWS::Serverless::Function with the Spring bean it runs and the events that trigger it. */
    public List<TemplateFunction> functions(Intrinsics intrinsics) {
        String globalDefinition = stringOrNull(map(map(globalsFunction().get("Environment")).get("Variables"))
                .get("SPRING_CLOUD_FUNCTION_DEFINITION"));
        List<TemplateFunction> functions = new ArrayList<>();
        for (Resource resource : resourcesOfType(FUNCTION)) {
            Map<String, Object> variables = map(map(resource.properties().get("Environment")).get("Variables"));
            Object definition = variables.getOrDefault("SPRING_CLOUD_FUNCTION_DEFINITION", globalDefinition);
            if (definition == null) {
                throw new IllegalArgumentException(resource.logicalId() + " has no SPRING_CLOUD_FUNCTION_DEFINITION: the local runner cannot tell which bean it runs");
            }
            List<Trigger> triggers = new ArrayList<>();
            map(resource.properties().get("Events")).forEach((name, body) ->
                    trigger(resource.logicalId(), name, map(body), intrinsics).ifPresent(triggers::add));
            functions.add(new TemplateFunction(resource.logicalId(), intrinsics.resolveString(definition), List.copyOf(triggers)));
        }
        return List.copyOf(functions);
    }

    /**
     * What Lambda runs for one function: its package (CodeUri, relative to the template), handler, runtime,
     * architectures, memory, timeout and its whole environment (Globals, then its own), each resolved.
     */
    public Deployment deployment(String logicalId, Intrinsics intrinsics) {
        Resource function = requireResource(logicalId);
        Map<String, Object> globals = globalsFunction();
        Map<String, Object> own = function.properties();
        java.util.function.Function<String, Object> setting = name -> own.containsKey(name) ? own.get(name) : globals.get(name);
        Map<String, String> environment = new LinkedHashMap<>();
        map(map(globals.get("Environment")).get("Variables")).forEach((name, value) -> environment.put(name, intrinsics.resolveString(value)));
        map(map(own.get("Environment")).get("Variables")).forEach((name, value) -> environment.put(name, intrinsics.resolveString(value)));
        Object architectures = intrinsics.resolve(setting.apply("Architectures"));
        return new Deployment(logicalId, stringOrNull(intrinsics.resolve(setting.apply("CodeUri"))),
                stringOrNull(setting.apply("Handler")), stringOrNull(setting.apply("Runtime")),
                architectures instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of("x86_64"),
                intValue(Objects.requireNonNullElse(setting.apply("MemorySize"), 128)),
                intValue(Objects.requireNonNullElse(setting.apply("Timeout"), 3)), Map.copyOf(environment),
                java.util.Set.copyOf(refs(map(own.get("Environment")).get("Variables") instanceof Map<?, ?> variables
                        ? variables.get("AWOOOI_SECRETSARNS") : null)));
    }

    /**
     * One function as Lambda deploys it (see {@link #deployment}); {@code secretParameters} names the template
     * parameters its AWOOOI_SECRETSARNS refers to, the secrets it is granted.
     */
    public record Deployment(String logicalId, String codeUri, String handler, String runtime, List<String> architectures,
                             int memorySize, int timeoutSeconds, Map<String, String> environment, java.util.Set<String> secretParameters) {
    }

    /** Every name a {@code Ref} inside a value refers to. */
    private static List<String> refs(Object value) {
        List<String> found = new ArrayList<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((key, inner) -> {
                if ("Ref".equals(key)) {
                    found.add(String.valueOf(inner));
                } else {
                    found.addAll(refs(inner));
                }
            });
        } else if (value instanceof List<?> l) {
            l.forEach(inner -> found.addAll(refs(inner)));
        }
        return found;
    }

    private static Optional<Trigger> trigger(String function, String name, Map<String, Object> event, Intrinsics intrinsics) {
        String type = String.valueOf(event.get("Type"));
        Map<String, Object> p = map(intrinsics.resolve(event.getOrDefault("Properties", Map.of())));
        return switch (type) {
            case "HttpApi" -> Optional.of(new Trigger.HttpApi(name,
                    String.valueOf(p.getOrDefault("Method", "ANY")).toUpperCase(Locale.ROOT),
                    String.valueOf(p.getOrDefault("Path", "/"))));
            case "SQS" -> {
                int batchSize = Math.min(10_000, Math.max(1, intValue(p.getOrDefault("BatchSize", 10))));
                List<?> responseTypes = p.get("FunctionResponseTypes") instanceof List<?> l ? l : List.of();
                Object maximum = map(p.get("ScalingConfig")).get("MaximumConcurrency");
                yield Optional.of(new Trigger.Sqs(name, String.valueOf(p.get("Queue")), batchSize,
                        Duration.ofSeconds(intValue(p.getOrDefault("MaximumBatchingWindowInSeconds", 0))),
                        responseTypes.contains("ReportBatchItemFailures"), !Boolean.FALSE.equals(p.get("Enabled")),
                        maximum == null ? Trigger.Sqs.LAMBDA_INITIAL_POLLERS : intValue(maximum)));
            }
            case "DynamoDB" -> {
                List<?> responseTypes = p.get("FunctionResponseTypes") instanceof List<?> l ? l : List.of();
                Object onFailure = map(map(p.get("DestinationConfig")).get("OnFailure")).get("Destination");
                yield Optional.of(new Trigger.DynamoDbStream(name, String.valueOf(p.get("Stream")),
                        String.valueOf(p.getOrDefault("StartingPosition", "LATEST")),
                        Math.max(1, intValue(p.getOrDefault("BatchSize", 100))),
                        responseTypes.contains("ReportBatchItemFailures"),
                        intValue(p.getOrDefault("MaximumRetryAttempts", -1)),
                        onFailure == null ? null : String.valueOf(onFailure), Boolean.TRUE.equals(p.get("BisectBatchOnFunctionError")),
                        !Boolean.FALSE.equals(p.get("Enabled"))));
            }
            case "ScheduleV2" -> {
                Object input = p.get("Input");
                yield Optional.of(new Trigger.Schedule(name, String.valueOf(p.get("ScheduleExpression")),
                        ZoneId.of(String.valueOf(p.getOrDefault("ScheduleExpressionTimezone", "UTC"))),
                        input == null ? null : String.valueOf(input),
                        !"DISABLED".equals(p.get("State"))));
            }
            default -> {
                log.warn("{}.{}: event type {} is not run by the local stack", function, name, type);
                yield Optional.empty();
            }
        };
    }

    private static int intValue(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("expected a mapping but found " + value);
    }

    public record Resource(String logicalId, String type, Map<String, Object> properties) {
    }

    public record Parameter(String name, String type, Optional<String> defaultValue) {
    }

    /** A template function: its logical id, the Spring bean behind it and what triggers it. */
    public record TemplateFunction(String logicalId, String beanName, List<Trigger> triggers) {

        public <T extends Trigger> List<T> triggers(Class<T> kind) {
            return triggers.stream().filter(kind::isInstance).map(kind::cast).toList();
        }
    }

    /** The event sources the local stack runs; the template's other event types are reported and skipped. */
    public sealed interface Trigger {

        String name();

        /** An HTTP API route; {@code path} may hold {@code {name}} and a greedy {@code {name+}}. */
        record HttpApi(String name, String method, String path) implements Trigger {
        }

        /**
         * An SQS event source mapping; {@code queueArn} as resolved from the template. {@code concurrency}: how many
         * batches run at once, {@code ScalingConfig.MaximumConcurrency}, or the five pollers Lambda starts with;
         * {@code batchingWindow}: how long a batch may gather messages, {@code MaximumBatchingWindowInSeconds}.
         */
        record Sqs(String name, String queueArn, int batchSize, Duration batchingWindow, boolean reportsBatchItemFailures,
                   boolean enabled, int concurrency)
                implements Trigger {
            static final int LAMBDA_INITIAL_POLLERS = 5;
        }

        /**
         * A DynamoDB stream event source mapping: {@code streamArn} as resolved from the template, where records
         * start, how many per batch, how often a failing batch is retried (-1: until the records expire), the
         * queue that is told of what was given up, and whether a failing batch is split to find the record at fault.
         */
        record DynamoDbStream(String name, String streamArn, String startingPosition, int batchSize, boolean reportsBatchItemFailures,
                              int maximumRetryAttempts, String onFailureArn, boolean bisect, boolean enabled) implements Trigger {
            /** The table whose stream it is: {@code arn:…:table/NAME/stream/…}. */
            public String tableName() {
                int table = streamArn.indexOf(":table/");
                int stream = streamArn.indexOf("/stream/");
                if (table < 0 || stream < table) {
                    throw new IllegalArgumentException("not a DynamoDB stream ARN: " + streamArn);
                }
                return streamArn.substring(table + ":table/".length(), stream);
            }
        }

        /** An EventBridge Scheduler schedule; {@code input} is the literal JSON the scheduler sends. */
        record Schedule(String name, String expression, ZoneId zone, String input, boolean enabled) implements Trigger {
        }
    }

    /** Reads CloudFormation's short-form tags into the long form. */
    private static final class ShortFormConstructor extends SafeConstructor {

        private static final Map<String, String> TAGS = Map.ofEntries(
                Map.entry("Ref", "Ref"),
                Map.entry("Condition", "Condition"),
                Map.entry("GetAtt", "Fn::GetAtt"),
                Map.entry("Sub", "Fn::Sub"),
                Map.entry("Join", "Fn::Join"),
                Map.entry("Select", "Fn::Select"),
                Map.entry("Split", "Fn::Split"),
                Map.entry("If", "Fn::If"),
                Map.entry("Not", "Fn::Not"),
                Map.entry("Equals", "Fn::Equals"),
                Map.entry("And", "Fn::And"),
                Map.entry("Or", "Fn::Or"),
                Map.entry("FindInMap", "Fn::FindInMap"),
                Map.entry("GetAZs", "Fn::GetAZs"),
                Map.entry("ImportValue", "Fn::ImportValue"),
                Map.entry("Base64", "Fn::Base64"),
                Map.entry("Cidr", "Fn::Cidr"),
                Map.entry("Transform", "Fn::Transform"),
                Map.entry("ToJsonString", "Fn::ToJsonString"),
                Map.entry("Length", "Fn::Length"));

        ShortFormConstructor(LoaderOptions options) {
            super(options);
            TAGS.forEach((shortName, longName) -> yamlConstructors.put(new Tag("!" + shortName), new Intrinsic(longName)));
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String longName;

            Intrinsic(String longName) {
                this.longName = longName;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unexpected YAML node for " + longName);
                };
                if (longName.equals("Fn::GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    if (dot < 1) {
                        throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got " + dotted);
                    }
                    value = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                Map<String, Object> longForm = new LinkedHashMap<>();
                longForm.put(longName, value);
                return longForm;
            }
        }
    }
}
