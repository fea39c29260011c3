package dev.awoooi.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * Least privilege you can read: the README's table of every function's grants, held exactly to what template.yaml
 * grants (a grant missing from the table, or a row the template does not grant, fails), and the stack's operating
 * limits beside it.
 */
class LeastPrivilegeTest {
    private static final Path TEMPLATE_FILE = LocalStack.findTemplate(Path.of("").toAbsolutePath());
    private static final TemplateModel TEMPLATE = TemplateModel.load(TEMPLATE_FILE);
    private static final List<String> COLUMNS = List.of("Secrets", "DynamoDB", "SQS send", "Other");

    /** The README's "Least privilege" table: function → column → its entries. */
    static Map<String, Map<String, Set<String>>> readmeTable() throws IOException {
        List<String> lines = Files.readAllLines(TEMPLATE_FILE.resolveSibling("README.md"));
        int header = lines.indexOf("| Function | Secrets | DynamoDB | SQS send | Other |");
        assertThat(header).as("the README's least-privilege table").isNotNegative();
        Map<String, Map<String, Set<String>>> table = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            Map<String, Set<String>> row = new LinkedHashMap<>();
            for (int c = 0; c < COLUMNS.size(); c++) {
                row.put(COLUMNS.get(c), entries(cells[c + 2]));
            }
            table.put(cells[1].trim(), row);
        }
        return table;
    }

    private static Set<String> entries(String cell) {
        String text = cell.trim();
        return text.equals("—") ? Set.of() : new TreeSet<>(Arrays.stream(text.split(",\\s*")).map(String::trim).toList());
    }

    /** What the template grants one function, in the table's words. */
    static Map<String, Set<String>> granted(TemplateModel.Resource function) {
        Map<String, Set<String>> row = new LinkedHashMap<>();
        COLUMNS.forEach(column -> row.put(column, new TreeSet<>()));
        for (Object policy : list(function.properties().get("Policies"))) {
            grant(function, (Map<?, ?>) policy, row, "");
        }
        return row;
    }

    /** One policy's grants; one that holds only under a condition ({@code !If [Cond, policy, !Ref AWS::NoValue]}) says so. */
    private static void grant(TemplateModel.Resource function, Map<?, ?> entry, Map<String, Set<String>> row, String condition) {
        if (entry.containsKey("Fn::If")) {
            List<?> parts = list(entry.get("Fn::If"));
            assertThat(parts.get(2)).as(function.logicalId() + ": a conditional grant grants nothing otherwise").isEqualTo(Map.of("Ref", "AWS::NoValue"));
            Map<String, Set<String>> conditional = new LinkedHashMap<>();
            COLUMNS.forEach(column -> conditional.put(column, new TreeSet<>()));
            grant(function, (Map<?, ?>) parts.get(1), conditional, " if " + parts.get(0));
            conditional.forEach((column, grants) -> row.get(column).addAll(grants));
            return;
        }
        entry.forEach((name, value) -> {
            Map<?, ?> args = value instanceof Map<?, ?> m ? m : Map.of();
            switch (String.valueOf(name)) {
                case "AWSSecretsManagerGetSecretValuePolicy" -> row.get("Secrets").add(ref(args.get("SecretArn")) + condition);
                case "DynamoDBCrudPolicy" -> row.get("DynamoDB").add(ref(args.get("TableName")) + " crud" + condition);
                case "DynamoDBReadPolicy" -> row.get("DynamoDB").add(ref(args.get("TableName")) + " read" + condition);
                case "DynamoDBWritePolicy" -> row.get("DynamoDB").add(ref(args.get("TableName")) + " write" + condition);
                case "SQSSendMessagePolicy" -> row.get("SQS send").add(getAtt(args.get("QueueName")) + condition);
                case "EventBridgePutEventsPolicy" -> row.get("Other").add("events:PutEvents" + condition);
                case "Statement" -> statements(value, row, condition);
                default -> throw new AssertionError(function.logicalId() + " has a policy the table cannot say: " + name);
            }
        });
    }

    private static void statements(Object value, Map<String, Set<String>> row, String condition) {
        for (Object statement : list(value)) {
            Map<?, ?> s = (Map<?, ?>) statement;
            assertThat(s.get("Effect")).isEqualTo("Allow");
            List<String> actions = list(s.get("Action")).stream().map(String::valueOf).toList();
            if (actions.equals(List.of("dynamodb:PutItem"))) {
                row.get("DynamoDB").add(getAtt(s.get("Resource")) + " put");
            } else if (actions.equals(List.of("ses:SendEmail"))) {
                assertThat(map(map(s.get("Condition")).get("StringEquals"))).as("e-mail only from the configured sender")
                        .containsKey("ses:FromAddress");
                row.get("Other").add("ses:SendEmail");
            } else if (actions.stream().allMatch(a -> a.startsWith("kms:"))) {
                assertThat(s.get("Condition")).as("KMS only with the vault's encryption context").isNotNull();
                row.get("Other").addAll(actions);
            } else if (actions.equals(List.of("bedrock:InvokeModel"))) {
                assertThat(list(s.get("Resource"))).as("only the configured model").allSatisfy(model ->
                        assertThat(String.valueOf(map(model).get("Fn::Sub"))).endsWith("/${ModelName}"));
                row.get("Other").add("bedrock:InvokeModel" + condition);
            } else if (actions.equals(List.of("eks:DescribeCluster"))) {
                assertThat(String.valueOf(map(s.get("Resource")).get("Fn::Sub"))).as("only the configured cluster").endsWith(":cluster/${EksClusterName}");
                row.get("Other").add("eks:DescribeCluster" + condition);
            } else if (actions.stream().allMatch(a -> a.startsWith("sqs:")) && actions.stream().noneMatch(a -> a.equals("sqs:DeleteMessage"))) {
                assertThat(list(s.get("Resource"))).allSatisfy(queue -> assertThat(getAtt(queue)).endsWith("DLQ"));
                row.get("Other").add("dead-letter queues read");
            } else {
                throw new AssertionError("a statement the table cannot say: " + s);
            }
        }
    }

    @Test
    void everyFunctionsGrantsAreExactlyTheReadmesTable() throws IOException {
        Map<String, Map<String, Set<String>>> table = readmeTable();
        Map<String, Map<String, Set<String>>> template = new LinkedHashMap<>();
        for (TemplateModel.Resource function : TEMPLATE.resourcesOfType("AWS::Serverless::Function")) {
            template.put(function.logicalId(), granted(function));
        }
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(template.keySet());
        template.forEach((function, row) -> assertThat(row).as(function).isEqualTo(table.get(function)));
    }

    @Test
    void aFunctionReadsOnlyTheSecretsItIsGranted() {
        for (TemplateModel.Resource function : TEMPLATE.resourcesOfType("AWS::Serverless::Function")) {
            Set<String> granted = granted(function).get("Secrets");
            Object variable = ((Map<?, ?>) ((Map<?, ?>) function.properties().get("Environment")).get("Variables")).get("AWOOOI_SECRETSARNS");
            Set<String> read = new TreeSet<>();
            if (variable instanceof Map<?, ?> choice && choice.get("Fn::If") != null) {
                // what both branches read is read always; what only the first reads, under its condition
                List<?> parts = list(choice.get("Fn::If"));
                Set<String> then = secretsRead(parts.get(1));
                Set<String> otherwise = secretsRead(parts.get(2));
                assertThat(then).as(function.logicalId() + ": the condition only adds secrets").containsAll(otherwise);
                then.forEach(secret -> read.add(otherwise.contains(secret) ? secret : secret + " if " + parts.get(0)));
            } else {
                read.addAll(secretsRead(variable));
            }
            assertThat(read).as(function.logicalId()).isEqualTo(granted);
        }
        assertThat(map(map(TEMPLATE.globalsFunction().get("Environment")).get("Variables")))
                .as("no secret for every function").doesNotContainKeys("AWOOOI_SECRETSARNS", "AWOOOI_SECRETSARN");
    }

    private static Set<String> secretsRead(Object variable) {
        Set<String> read = new TreeSet<>();
        if (variable instanceof Map<?, ?> intrinsic && intrinsic.get("Ref") != null) {
            read.add(String.valueOf(intrinsic.get("Ref")));
        } else if (variable instanceof Map<?, ?> join && join.get("Fn::Join") != null) {
            list(list(join.get("Fn::Join")).get(1)).forEach(part -> read.add(ref(part)));
        }
        return read;
    }

    @Test
    void theAuditTableIsAppendOnlyForEveryFunction() throws IOException {
        readmeTable().forEach((function, row) -> assertThat(row.get("DynamoDB")).as(function)
                .noneMatch(grant -> grant.startsWith("AuditTable ") && !grant.equals("AuditTable put") && !grant.equals("AuditTable read")));
    }

    @Test
    void theStacksLimitsAreInPlace() {
        for (TemplateModel.Resource function : TEMPLATE.resourcesOfType("AWS::Serverless::Function")) {
            Object group = ((Map<?, ?>) function.properties().get("LoggingConfig")).get("LogGroup");
            String logs = ref(group);
            assertThat(TEMPLATE.requireResource(logs).properties().get("RetentionInDays")).as(function.logicalId() + "'s logs expire")
                    .isEqualTo(Map.of("Ref", "LogRetentionDays"));
        }
        assertThat(TEMPLATE.requireResource("ExecuteFunction").properties().get("ReservedConcurrentExecutions")).isEqualTo(2);
        Map<String, Object> api = TEMPLATE.requireResource("HttpApi").properties();
        assertThat(map(api.get("DefaultRouteSettings"))).containsKeys("ThrottlingBurstLimit", "ThrottlingRateLimit");
        assertThat(map(api.get("RouteSettings"))).containsKey("POST /alerts/{source}");
        for (TemplateModel.Resource rule : TEMPLATE.resourcesOfType("AWS::Events::Rule")) {
            for (Object target : list(rule.properties().get("Targets"))) {
                assertThat(map(target)).as(rule.logicalId()).containsKeys("RetryPolicy", "DeadLetterConfig");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    // ------------------------------------------------------------------ Kubernetes

    /** "verb/verb resource, resource; verb resource" → {"verb resource", …}. */
    private static Set<String> grants(String cell) {
        Set<String> out = new TreeSet<>();
        for (String entry : cell.trim().split(";\\s*")) {
            int space = entry.indexOf(' ');
            for (String verb : entry.substring(0, space).split("/")) {
                for (String resource : entry.substring(space + 1).split(",\\s*")) {
                    out.add(verb + " " + resource.trim());
                }
            }
        }
        return out;
    }

    /** What rbac.yaml binds each ServiceAccount: scope ("cluster" or the namespace) → {"verb resource", …}. */
    static Map<String, Map<String, Set<String>>> clusterGrants() throws IOException {
        return clusterGrants("rbac.yaml");
    }

    /** What one manifest in infra/kubernetes binds each ServiceAccount. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Set<String>>> clusterGrants(String manifest) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (var reader = Files.newBufferedReader(TEMPLATE_FILE.resolveSibling("infra/kubernetes/" + manifest))) {
            new org.yaml.snakeyaml.Yaml().loadAll(reader).forEach(d -> documents.add((Map<String, Object>) d));
        }
        Map<String, Map<String, Set<String>>> byIdentity = new TreeMap<>();
        for (Map<String, Object> binding : documents) {
            String kind = String.valueOf(binding.get("kind"));
            if (!kind.equals("RoleBinding") && !kind.equals("ClusterRoleBinding")) {
                continue;
            }
            Map<String, Object> ref = map(binding.get("roleRef"));
            String scope = kind.equals("RoleBinding") ? String.valueOf(map(binding.get("metadata")).get("namespace")) : "cluster";
            Map<String, Object> role = documents.stream().filter(d -> d.get("kind").equals(ref.get("kind"))
                    && map(d.get("metadata")).get("name").equals(ref.get("name"))).findFirst().orElseThrow();
            for (Object subject : list(binding.get("subjects"))) {
                String identity = String.valueOf(map(subject).get("name"));
                Set<String> granted = byIdentity.computeIfAbsent(identity, k -> new TreeMap<>()).computeIfAbsent(scope, k -> new TreeSet<>());
                for (Object rule : list(role.get("rules"))) {
                    for (Object verb : list(map(rule).get("verbs"))) {
                        for (Object resource : list(map(rule).get("resources"))) {
                            // a rule held to named objects says so: the table shows it is not the whole kind
                            granted.add(verb + " " + resource + (map(rule).containsKey("resourceNames") ? " (named)" : ""));
                        }
                    }
                }
            }
        }
        return byIdentity;
    }

    @Test
    void everyClusterIdentitysGrantsAreExactlyTheReadmesTableAndNothingWritesClusterWide() throws IOException {
        List<String> lines = Files.readAllLines(TEMPLATE_FILE.resolveSibling("README.md"));
        int header = lines.indexOf("| Identity | Used by | Cluster-wide | In each managed namespace |");
        assertThat(header).as("the README's cluster identities table").isNotNegative();
        Map<String, Map<String, Set<String>>> table = new TreeMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            table.put(cells[1].trim(), Map.of("cluster", grants(cells[3]), "production", grants(cells[4])));
        }
        Map<String, Map<String, Set<String>>> manifest = clusterGrants();
        assertThat(manifest).isEqualTo(table);
        Set<String> reads = Set.of("get", "list", "watch");
        manifest.forEach((identity, scopes) -> {
            assertThat(scopes.keySet()).as(identity).containsOnly("cluster", "production");
            assertThat(scopes.get("cluster")).as(identity + ": nothing that writes is granted cluster-wide")
                    .allMatch(g -> reads.contains(g.split(" ")[0]) || g.equals("create selfsubjectaccessreviews"));
            scopes.values().forEach(granted -> assertThat(granted).as(identity).noneMatch(g -> g.contains("*")));
        });
        assertThat(manifest.get("awoooi-executor").values()).as("the executor reads no Secret")
                .allSatisfy(granted -> assertThat(granted).noneMatch(g -> g.endsWith(" secrets")));
        assertThat(manifest.get("awoooi-reader").get("production")).as("secrets: list (asked for as metadata) and the named TLS Secrets")
                .filteredOn(g -> g.contains(" secrets")).containsExactlyInAnyOrder("list secrets", "get secrets (named)");
        assertThat(manifest.get("awoooi-analyzer").values()).as("the analyzer reads no Secret")
                .allSatisfy(granted -> assertThat(granted).noneMatch(g -> g.endsWith(" secrets")));
        // The analyzer's dry runs and access reviews stand for the executor's requests: the same writes, exactly.
        java.util.function.Function<String, Set<String>> writes = identity -> manifest.get(identity).get("production").stream()
                .filter(g -> !reads.contains(g.split(" ")[0])).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        assertThat(writes.apply("awoooi-analyzer")).as("the analyzer's writes are the executor's").isEqualTo(writes.apply("awoooi-executor"));
    }

    /** The optional node grants (ActOnNodes): exactly what the README lists, to the executor and the analyzer alone. */
    @Test
    void theNodeGrantsAreOptionalAndExactlyTheReadmes() throws IOException {
        Set<String> nodeActions = Set.of("patch nodes", "list pods", "list poddisruptionbudgets", "create pods/eviction");
        assertThat(clusterGrants("rbac-nodes.yaml")).isEqualTo(Map.of(
                "awoooi-executor", Map.of("cluster", nodeActions), "awoooi-analyzer", Map.of("cluster", nodeActions)));
        assertThat(Files.readString(TEMPLATE_FILE.resolveSibling("README.md")).replaceAll("\\s+", " "))
                .contains("cluster-wide `patch nodes`, `list pods`, `list poddisruptionbudgets` and `create pods/eviction` for the executor and the analyzer");
    }

    /** The optional identity kubernetes-mcp-server acts as (ExecutionMcpUrl): exactly what the README lists, in the namespace. */
    @Test
    void theMcpServersGrantsAreOptionalAndExactlyTheReadmes() throws IOException {
        assertThat(clusterGrants("rbac-mcp.yaml")).isEqualTo(Map.of("awoooi-mcp", Map.of("production",
                Set.of("get deployments/scale", "update deployments/scale", "get deployments", "patch deployments", "get statefulsets",
                        "patch statefulsets", "get pods", "delete pods"))));
        assertThat(Files.readString(TEMPLATE_FILE.resolveSibling("README.md")).replaceAll("\\s+", " "))
                .contains("in each managed namespace `get, update deployments/scale`, `get, patch deployments, statefulsets`, `get, delete pods`, nothing cluster-wide");
    }

    /**
     * Everything the analyzer may write is a dry run: a ValidatingAdmissionPolicy, bound to deny, matches each of its
     * write grants for the analyzer's user name alone and admits only dry runs. (The demo API server evaluates the
     * same CEL on every request; DemoClusterTest shows the real writes refused.)
     */
    @Test
    @SuppressWarnings("unchecked")
    void anAdmissionPolicyLetsTheAnalyzerOnlyDryRun() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (var reader = Files.newBufferedReader(TEMPLATE_FILE.resolveSibling("infra/kubernetes/rbac.yaml"))) {
            new org.yaml.snakeyaml.Yaml().loadAll(reader).forEach(d -> documents.add((Map<String, Object>) d));
        }
        Map<String, Object> policy = documents.stream().filter(d -> "ValidatingAdmissionPolicy".equals(d.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> spec = map(policy.get("spec"));
        String name = String.valueOf(map(policy.get("metadata")).get("name"));
        assertThat(documents).as("bound to deny").anySatisfy(d -> {
            assertThat(d.get("kind")).isEqualTo("ValidatingAdmissionPolicyBinding");
            assertThat(map(d.get("spec")).get("policyName")).isEqualTo(name);
            assertThat(strings(map(d.get("spec")).get("validationActions"))).containsExactly("Deny");
        });
        assertThat(spec.get("failurePolicy")).isEqualTo("Fail");
        assertThat(list(spec.get("matchConditions"))).singleElement().satisfies(condition -> assertThat(map(condition).get("expression"))
                .isEqualTo("request.userInfo.username == \"system:serviceaccount:awoooi:awoooi-analyzer\""));
        assertThat(list(spec.get("validations"))).singleElement().satisfies(v -> assertThat(map(v).get("expression")).isEqualTo("request.dryRun == true"));
        Set<String> reads = Set.of("get", "list", "watch");
        Map<String, String> operations = Map.of("create", "CREATE", "update", "UPDATE", "patch", "UPDATE", "delete", "DELETE", "deletecollection", "DELETE");
        List<Map<String, Object>> rules = list(map(spec.get("matchConstraints")).get("resourceRules")).stream().map(r -> map(r)).toList();
        for (String grant : clusterGrants().get("awoooi-analyzer").get("production")) {
            String verb = grant.split(" ")[0];
            String resource = grant.split(" ")[1];
            if (reads.contains(verb)) {
                continue;
            }
            assertThat(rules).as("the policy matches the analyzer's grant '%s'", grant).anySatisfy(rule -> {
                assertThat(strings(rule.get("operations"))).contains(operations.get(verb));
                assertThat(strings(rule.get("resources"))).containsAnyOf(resource, resource.contains("/") ? "*/*" : "*");
            });
        }
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : new ArrayList<>(List.of(value));
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    private static String ref(Object value) {
        if (value instanceof Map<?, ?> m && m.get("Ref") != null) {
            return String.valueOf(m.get("Ref"));
        }
        throw new AssertionError("not a Ref: " + value);
    }

    private static String getAtt(Object value) {
        if (value instanceof Map<?, ?> m && m.get("Fn::GetAtt") != null) {
            Object att = m.get("Fn::GetAtt");
            return att instanceof List<?> parts ? String.valueOf(parts.getFirst()) : String.valueOf(att).split("\\.")[0];
        }
        throw new AssertionError("not a GetAtt: " + value);
    }
}
