package dev.awoooi.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsics the way the stack would, with local physical ids: a table or queue is
 * named after its logical id unless the template names it, and the account is the emulators' 000000000000.
 */
public final class Intrinsics {

    /** The account of the embedded stack, and LocalStack's. */
    public static final String ACCOUNT_ID = "000000000000";

    /** {@code AWS::NoValue}: removes the property or list element that resolves to it. */
    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final TemplateModel template;
    private final Map<String, String> parameterOverrides;
    private final String region;
    private final String accountId;
    private final Function<String, String> queueUrlByName;

    /**
     * @param parameterOverrides local parameter values, taking precedence over the template's defaults
     * @param queueUrlByName     the URL of a queue given its physical name, known once the queue exists
     */
    public Intrinsics(TemplateModel template, Map<String, String> parameterOverrides, String region,
                      Function<String, String> queueUrlByName) {
        this(template, parameterOverrides, region, ACCOUNT_ID, queueUrlByName);
    }

    private Intrinsics(TemplateModel template, Map<String, String> parameterOverrides, String region, String accountId,
                       Function<String, String> queueUrlByName) {
        this.template = Objects.requireNonNull(template);
        this.parameterOverrides = Map.copyOf(parameterOverrides);
        this.region = Objects.requireNonNull(region);
        this.accountId = Objects.requireNonNull(accountId);
        this.queueUrlByName = Objects.requireNonNull(queueUrlByName);
    }

    /** The same resolver for another account: emulators disagree on theirs (LocalStack 000000000000, moto 123456789012). */
    public Intrinsics inAccount(String accountId) {
        return new Intrinsics(template, parameterOverrides, region, accountId, queueUrlByName);
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    /** Resolves every intrinsic in a template value, deeply. */
    public Object resolve(Object node) {
        Object resolved = resolveOrNoValue(node);
        return resolved == NO_VALUE ? null : resolved;
    }

    public String resolveString(Object node) {
        Object resolved = resolve(node);
        if (resolved instanceof Map<?, ?> || resolved instanceof List<?>) {
            throw new IllegalArgumentException("expected a string but " + node + " resolves to " + resolved);
        }
        return resolved == null ? "" : String.valueOf(resolved);
    }

    public String parameter(String name) {
        String override = parameterOverrides.get(name);
        if (override != null) {
            return override;
        }
        TemplateModel.Parameter parameter = template.parameters().get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter " + name + " in the template");
        }
        return parameter.defaultValue().orElseThrow(() -> new IllegalStateException(
                "parameter " + name + " has no Default and no local value; pass it in LocalStack.Options.parameters"));
    }

    public String tableName(String logicalId) {
        return explicitName(logicalId, TemplateModel.TABLE, "TableName");
    }

    public String queueName(String logicalId) {
        TemplateModel.Resource queue = template.requireResource(logicalId);
        requireType(queue, TemplateModel.QUEUE);
        Object name = resolve(queue.properties().get("QueueName"));
        if (name != null) {
            return String.valueOf(name);
        }
        // CloudFormation appends the suffix SQS insists on for generated FIFO queue names
        return Boolean.TRUE.equals(resolve(queue.properties().get("FifoQueue"))) ? logicalId + ".fifo" : logicalId;
    }

    public String queueArn(String logicalId) {
        return arn("sqs", queueName(logicalId));
    }

    public String queueUrl(String logicalId) {
        return queueUrlByName.apply(queueName(logicalId));
    }

    /** The URL of a queue given its physical name, such as the last part of its ARN. */
    public String queueUrlNamed(String queueName) {
        return queueUrlByName.apply(queueName);
    }

    public String eventBusName(String logicalId) {
        return explicitName(logicalId, TemplateModel.EVENT_BUS, "Name");
    }

    public String ruleName(String logicalId) {
        return explicitName(logicalId, TemplateModel.RULE, "Name");
    }

    /** The event bus a rule listens on, as a name. */
    public String ruleBusName(String ruleLogicalId) {
        Object bus = template.requireResource(ruleLogicalId).properties().get("EventBusName");
        return bus == null ? "default" : busNameOf(resolveString(bus));
    }

    /** A bus given by name or ARN, as a name. */
    public static String busNameOf(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isBlank()) {
            return "default";
        }
        int slash = nameOrArn.lastIndexOf(":event-bus/");
        return slash >= 0 ? nameOrArn.substring(slash + ":event-bus/".length()) : nameOrArn;
    }

    /** The resource name at the end of an ARN such as {@code arn:aws:sqs:us-east-1:000000000000:RedactQueue}. */
    public static String nameOfArn(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    private String explicitName(String logicalId, String type, String property) {
        TemplateModel.Resource resource = template.requireResource(logicalId);
        requireType(resource, type);
        Object name = resolve(resource.properties().get(property));
        return name == null ? logicalId : String.valueOf(name);
    }

    private static void requireType(TemplateModel.Resource resource, String type) {
        if (!resource.type().equals(type)) {
            throw new IllegalArgumentException(resource.logicalId() + " is a " + resource.type() + ", not a " + type);
        }
    }

    private String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + accountId + ":" + resource;
    }

    private Object resolveOrNoValue(Object node) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                String key = String.valueOf(only.getKey());
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return intrinsic(key, only.getValue());
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object value = resolveOrNoValue(v);
                if (value != NO_VALUE) {
                    resolved.put(String.valueOf(k), value);
                }
            });
            return resolved;
        }
        if (node instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object element : list) {
                Object value = resolveOrNoValue(element);
                if (value != NO_VALUE) {
                    resolved.add(value);
                }
            }
            return resolved;
        }
        return node;
    }

    private Object intrinsic(String function, Object argument) {
        return switch (function) {
            case "Ref" -> ref(String.valueOf(resolve(argument)));
            case "Fn::GetAtt" -> {
                List<?> parts = argument instanceof List<?> l ? (List<?>) resolve(l) : List.of(String.valueOf(argument).split("\\.", 2));
                yield getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
            }
            case "Fn::Sub" -> sub(argument);
            case "Fn::Join" -> {
                List<?> parts = list(argument, function);
                List<?> values = list(resolve(parts.get(1)), function);
                yield String.join(String.valueOf(parts.get(0)), values.stream().map(String::valueOf).toList());
            }
            case "Fn::Select" -> {
                List<?> parts = list(resolve(argument), function);
                yield list(parts.get(1), function).get(Integer.parseInt(String.valueOf(parts.get(0))));
            }
            case "Fn::Split" -> {
                List<?> parts = list(resolve(argument), function);
                yield List.of(String.valueOf(parts.get(1)).split(Pattern.quote(String.valueOf(parts.get(0))), -1));
            }
            case "Fn::If" -> {
                List<?> parts = list(argument, function);
                yield resolveOrNoValue(condition(String.valueOf(parts.get(0))) ? parts.get(1) : parts.get(2));
            }
            case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or" -> truth(Map.of(function, argument));
            default -> throw new UnsupportedOperationException(function + " is not resolved by the local stack");
        };
    }

    private Object ref(String name) {
        return switch (name) {
            case "AWS::Region" -> region;
            case "AWS::AccountId" -> accountId;
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::Partition" -> "aws";
            case "AWS::StackName" -> "awoooi-local";
            case "AWS::StackId" -> arn("cloudformation", "stack/awoooi-local/local");
            case "AWS::NoValue" -> NO_VALUE;
            default -> {
                if (template.parameters().containsKey(name)) {
                    yield parameter(name);
                }
                TemplateModel.Resource resource = template.resource(name).orElseThrow(
                        () -> new IllegalArgumentException("!Ref " + name + ": no such parameter or resource"));
                yield switch (resource.type()) {
                    case TemplateModel.TABLE -> tableName(name);
                    case TemplateModel.QUEUE -> queueUrl(name);
                    case TemplateModel.EVENT_BUS -> eventBusName(name);
                    case TemplateModel.RULE -> ruleName(name);
                    default -> name;
                };
            }
        };
    }

    private String getAtt(String logicalId, String attribute) {
        TemplateModel.Resource resource = template.requireResource(logicalId);
        String unsupported = "!GetAtt " + logicalId + "." + attribute + " is not resolved by the local stack";
        return switch (resource.type()) {
            case TemplateModel.QUEUE -> switch (attribute) {
                case "Arn" -> queueArn(logicalId);
                case "QueueName" -> queueName(logicalId);
                case "QueueUrl" -> queueUrl(logicalId);
                default -> throw new UnsupportedOperationException(unsupported);
            };
            case TemplateModel.TABLE -> switch (attribute) {
                case "Arn" -> arn("dynamodb", "table/" + tableName(logicalId));
                case "StreamArn" -> arn("dynamodb", "table/" + tableName(logicalId) + "/stream/local");
                default -> throw new UnsupportedOperationException(unsupported);
            };
            case TemplateModel.EVENT_BUS -> switch (attribute) {
                case "Arn" -> arn("events", "event-bus/" + eventBusName(logicalId));
                case "Name" -> eventBusName(logicalId);
                default -> throw new UnsupportedOperationException(unsupported);
            };
            case TemplateModel.RULE -> {
                if (!attribute.equals("Arn")) {
                    throw new UnsupportedOperationException(unsupported);
                }
                String bus = ruleBusName(logicalId);
                yield arn("events", "rule/" + (bus.equals("default") ? "" : bus + "/") + ruleName(logicalId));
            }
            case TemplateModel.FUNCTION -> {
                if (!attribute.equals("Arn")) {
                    throw new UnsupportedOperationException(unsupported);
                }
                yield arn("lambda", "function:" + logicalId);
            }
            default -> throw new UnsupportedOperationException(unsupported);
        };
    }

    private String sub(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> parts) {
            text = String.valueOf(parts.get(0));
            variables = TemplateModel.map(resolve(parts.get(1)));
        } else {
            text = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value;
            if (variable.startsWith("!")) {
                value = "${" + variable.substring(1) + "}";
            } else if (variables.containsKey(variable)) {
                value = String.valueOf(variables.get(variable));
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                String[] parts = variable.split("\\.", 2);
                value = getAtt(parts[0], parts[1]);
            } else {
                value = String.valueOf(ref(variable));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private boolean condition(String name) {
        Object definition = template.conditions().get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name + " in the template");
        }
        return truth(definition);
    }

    private boolean truth(Object node) {
        if (node instanceof Boolean b) {
            return b;
        }
        Map<String, Object> expression = TemplateModel.map(node);
        if (expression.size() != 1) {
            throw new IllegalArgumentException("not a condition: " + node);
        }
        Map.Entry<String, Object> only = expression.entrySet().iterator().next();
        List<?> arguments = only.getKey().equals("Condition") ? List.of() : list(only.getValue(), only.getKey());
        return switch (only.getKey()) {
            case "Condition" -> condition(String.valueOf(only.getValue()));
            case "Fn::Equals" -> String.valueOf(resolve(arguments.get(0))).equals(String.valueOf(resolve(arguments.get(1))));
            case "Fn::Not" -> !truth(arguments.get(0));
            case "Fn::And" -> arguments.stream().allMatch(this::truth);
            case "Fn::Or" -> arguments.stream().anyMatch(this::truth);
            default -> throw new IllegalArgumentException("not a condition function: " + only.getKey());
        };
    }

    private static List<?> list(Object value, String function) {
        if (value instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(function + " expects a list, got " + value);
    }
}
