package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.awoooi.action.Scope;
import dev.awoooi.alert.Intake;
import dev.awoooi.mcp.AssistantRequests;
import dev.awoooi.mcp.AssistantServer;
import dev.awoooi.store.DynamoIncidentAlerts;
import dev.awoooi.store.DynamoIncidentStore;
import dev.awoooi.store.DynamoScanArchive;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * AWOOOI's MCP server for assistants (the mcp function, /mcp). Only the "core" deployment package carries the MCP SDK;
 * elsewhere this configuration is skipped (the condition is read from the class file, without loading the SDK).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.modelcontextprotocol.server.McpServer")
public class AssistantFunctions {

    @Bean
    AssistantServer assistantServer(DynamoIncidentStore incidents, DynamoIncidentAlerts alerts, DynamoScanArchive scans, Intake intake,
                                    Scope scope, AwoooiProperties props, Clock clock) {
        // a request_action is recorded within the function's time, a margin kept for the answer
        Duration budget = props.timeout().minusSeconds(3).isNegative() ? props.timeout() : props.timeout().minusSeconds(3);
        return new AssistantServer(incidents, incidents, alerts, scans, new AssistantRequests(intake::accept, scope), clock, budget);
    }

    /**
     * The MCP server's first requests, offline, before a SnapStart snapshot (see {@link AssistantServer#prime}); only
     * in the mcp function's snapshot: the other functions of the core package never build the server.
     */
    @Bean
    Primer assistantPrimer(ObjectProvider<AssistantServer> server, Environment environment) {
        return () -> {
            if ("mcp".equals(environment.getProperty("spring.cloud.function.definition"))) {
                server.getObject().prime();
            }
        };
    }

    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> mcp(AssistantServer server, SecretStore secrets) {
        return new AssistantRoute(server, () -> secrets.current().mcpTokens())::handle;
    }
}
