package dev.awoooi.local;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The template's functions as Spring Cloud Function beans in one application context, invoked by logical id
 * with the same typed events Lambda's adapter would hand them.
 */
public final class Functions implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final FunctionCatalog catalog;
    private final Map<String, String> beanByFunction;
    private final Map<String, Function<Object, Object>> invokers = new ConcurrentHashMap<>();

    private Functions(ConfigurableApplicationContext context, Map<String, String> beanByFunction) {
        this.context = context;
        this.catalog = context.getBean(FunctionCatalog.class);
        this.beanByFunction = Collections.unmodifiableMap(new LinkedHashMap<>(beanByFunction));
    }

    /**
     * Starts the application context.
     *
     * @param templateEnvironment the template's function environment, read as if it were the OS environment so
     *                            relaxed binding maps AWOOOI_TABLES_INCIDENTS to awoooi.tables.incidents
     * @param localProperties     local endpoints and secrets; they win over the template's values
     */
    static Functions start(Class<?> application, Map<String, String> templateEnvironment,
                           Map<String, Object> localProperties, List<TemplateModel.TemplateFunction> functions) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(
                // The "-systemEnvironment" suffix is what makes Boot bind AWOOOI_TABLES_INCIDENTS to awoooi.tables.incidents.
                new SystemEnvironmentPropertySource("awoooi-template-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(templateEnvironment)));
        environment.getPropertySources().addFirst(new MapPropertySource("awoooi-local", localProperties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .environment(environment)
                .registerShutdownHook(false)
                .run();
        Functions started = new Functions(context, functions.stream().collect(Collectors.toMap(
                TemplateModel.TemplateFunction::logicalId, TemplateModel.TemplateFunction::beanName, (a, b) -> a, LinkedHashMap::new)));
        try {
            started.requireEveryBean();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        return started;
    }

    /** A template function whose bean is missing fails the start, not the first event hours later. */
    private void requireEveryBean() {
        Map<String, String> missing = new LinkedHashMap<>();
        beanByFunction.forEach((function, bean) -> {
            if (catalog.lookup(bean) == null) {
                missing.put(function, bean);
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no function bean for template functions (logical id=bean): " + missing);
        }
    }

    /**
     * Invokes a function as Lambda would: APIGatewayV2HTTPEvent for routes, SQSEvent for queues, a Map for schedules.
     *
     * @throws RuntimeException whatever the function throws
     */
    public Object invoke(String functionLogicalId, Object input) {
        return invokers.computeIfAbsent(functionLogicalId, this::lookup).apply(input);
    }

    private Function<Object, Object> lookup(String functionLogicalId) {
        String bean = beanByFunction.get(functionLogicalId);
        if (bean == null) {
            throw new IllegalArgumentException("no function " + functionLogicalId + " in the template");
        }
        Function<Object, Object> function = catalog.lookup(bean);
        if (function == null) {
            throw new IllegalStateException("no function bean named " + bean + " for " + functionLogicalId);
        }
        return function;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
