package dev.awoooi.config;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator's commands (scripts/approvers, scripts/trust, scripts/audit-export) share: the stack's table
 * names from the environment (exit 2 naming the missing ones), and a DynamoDB client with the operator's own
 * credentials, pointed at an emulator if AWOOOI_ENDPOINTS_DYNAMODB says so.
 */
final class OperatorTables {
    private OperatorTables() {
    }

    /**
     * @param needed environment variable → the stack output that names it, e.g. AWOOOI_TABLES_AUDIT → AuditTableName
     * @return each variable's value; exits 2, naming every one unset, if any is
     */
    static Map<String, String> names(Map<String, String> needed) {
        Map<String, String> names = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        needed.forEach((variable, output) -> {
            String value = System.getenv(variable);
            if (value == null || value.isBlank()) {
                missing.add(variable + " (the stack output " + output + ")");
            } else {
                names.put(variable, value);
            }
        });
        if (!missing.isEmpty()) {
            System.err.println("set " + String.join(", ", missing));
            System.exit(2);
        }
        return names;
    }

    static DynamoDbClient dynamo() {
        var builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        String endpoint = System.getenv("AWOOOI_ENDPOINTS_DYNAMODB");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }
}
