package dev.awoooi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class TemplateModelTest {

    private static final TemplateModel TEMPLATE = TemplateModel.load(LocalStack.findTemplate(Path.of("").toAbsolutePath()));

    private static Intrinsics intrinsics(Map<String, String> parameters) {
        return new Intrinsics(TEMPLATE, parameters, "us-east-1", name -> "http://sqs.local/000000000000/" + name);
    }

    private static final Intrinsics LOCAL = intrinsics(Map.ofEntries(Map.entry("IntakeSecretArn", ""),
            Map.entry("ReaderSecretArn", ""), Map.entry("McpSecretArn", ""), Map.entry("LinkSecretArn", ""), Map.entry("BlindSecretArn", ""), Map.entry("NotifySecretArn", ""),
            Map.entry("ChatSecretArn", ""), Map.entry("SignInSecretArn", ""), Map.entry("ClusterReadSecretArn", ""),
            Map.entry("ClusterAnalysisSecretArn", ""), Map.entry("ClusterWriteSecretArn", ""), Map.entry("PublicBaseUrl", "http://127.0.0.1:8000")));

    @Test
    void shortFormTagsAreReadInTheirLongForm() {
        TemplateModel template = TemplateModel.parse("""
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      A: !GetAtt Other.Arn
                      B: !GetAtt [Other, QueueName]
                      C: !Ref Thing
                      D: !Sub '${AWS::Region}-x'
                      E: !Not [!Equals [!Ref Stage, prod]]
                """);
        Map<String, Object> properties = template.requireResource("Q").properties();
        assertThat(properties.get("A")).isEqualTo(Map.of("Fn::GetAtt", List.of("Other", "Arn")));
        assertThat(properties.get("B")).isEqualTo(Map.of("Fn::GetAtt", List.of("Other", "QueueName")));
        assertThat(properties.get("C")).isEqualTo(Map.of("Ref", "Thing"));
        assertThat(properties.get("D")).isEqualTo(Map.of("Fn::Sub", "${AWS::Region}-x"));
        assertThat(properties.get("E")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "Stage"), "prod")))));
    }

    @Test
    void everyQueueHidesAMessageSixTimesAsLongAsItsFunctionMayTakePlusItsBatchingWindow() {
        // AWS's advice for SQS event sources: shorter, and a message still in a slow or throttled batch comes back and
        // is handled twice at once, or uses up its receives and is dead-lettered unprocessed.
        List<String> checked = new java.util.ArrayList<>();
        for (TemplateModel.TemplateFunction function : TEMPLATE.functions(LOCAL)) {
            int timeout = TEMPLATE.deployment(function.logicalId(), LOCAL).timeoutSeconds();
            for (TemplateModel.Trigger trigger : function.triggers()) {
                if (trigger instanceof TemplateModel.Trigger.Sqs queue) {
                    String name = Intrinsics.nameOfArn(queue.queueArn());
                    int visibility = Integer.parseInt(String.valueOf(TEMPLATE.requireResource(name).properties().get("VisibilityTimeout")));
                    assertThat(visibility).as(name + " feeding " + function.logicalId() + " (Timeout " + timeout + " s)")
                            .isGreaterThanOrEqualTo(6 * timeout + (int) queue.batchingWindow().toSeconds());
                    checked.add(name);
                }
            }
        }
        assertThat(checked).contains("RedactQueue", "AnalyzeQueue", "ApproveQueue", "ExecuteQueue", "NotifyQueue");
    }

    @Test
    void refsResolveToLocalPhysicalIds() {
        assertThat(LOCAL.resolve(Map.of("Ref", "IncidentsTable"))).isEqualTo("IncidentsTable");
        assertThat(LOCAL.resolve(Map.of("Ref", "RedactQueue"))).isEqualTo("http://sqs.local/000000000000/RedactQueue");
        assertThat(LOCAL.resolve(Map.of("Ref", "EventBus"))).isEqualTo("awoooi-prod");
        assertThat(LOCAL.resolve(Map.of("Ref", "KubernetesNamespace"))).isEqualTo("production");
        assertThat(LOCAL.resolve(Map.of("Ref", "PublicBaseUrl"))).isEqualTo("http://127.0.0.1:8000");
    }

    @Test
    void getAttResolvesQueueArnsAndNames() {
        assertThat(LOCAL.resolve(Map.of("Fn::GetAtt", List.of("RedactDLQ", "Arn"))))
                .isEqualTo("arn:aws:sqs:us-east-1:000000000000:RedactDLQ");
        assertThat(LOCAL.resolve(Map.of("Fn::GetAtt", List.of("RedactQueue", "QueueName")))).isEqualTo("RedactQueue");
        assertThat(LOCAL.resolve(Map.of("Fn::GetAtt", "IncidentsTable.Arn")))
                .isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/IncidentsTable");
    }

    @Test
    void localParametersOverrideDefaults() {
        Intrinsics dev = intrinsics(Map.of("Stage", "dev"));
        assertThat(dev.resolve(Map.of("Ref", "EventBus"))).isEqualTo("awoooi-dev");
        assertThat(dev.eventBusName("EventBus")).isEqualTo("awoooi-dev");
    }

    @Test
    void aParameterWithoutDefaultOrLocalValueIsAClearError() {
        assertThatThrownBy(() -> intrinsics(Map.of()).resolve(Map.of("Ref", "IntakeSecretArn")))
                .hasMessageContaining("IntakeSecretArn").hasMessageContaining("no Default");
    }

    @Test
    void pseudoParametersAndSubResolve() {
        assertThat(LOCAL.resolve(Map.of("Fn::Sub", "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}")))
                .isEqualTo("https://HttpApi.execute-api.us-east-1.amazonaws.com");
        assertThat(LOCAL.resolve(Map.of("Ref", "AWS::AccountId"))).isEqualTo("000000000000");
        assertThat(LOCAL.resolve(Map.of("Fn::Sub", List.of("${Q}-${!Literal}", Map.of("Q", Map.of("Ref", "TrustTable"))))))
                .isEqualTo("TrustTable-${Literal}");
    }

    @Test
    void conditionsAndNoValueResolve() {
        TemplateModel template = TemplateModel.parse("""
                Parameters:
                  Stage: {Type: String, Default: prod}
                Conditions:
                  IsProd: !Equals [!Ref Stage, prod]
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: !If [IsProd, live, !Ref AWS::NoValue]
                      Flag: !Not [!Condition IsProd]
                """);
        Intrinsics prod = new Intrinsics(template, Map.of(), "us-east-1", name -> name);
        Intrinsics dev = new Intrinsics(template, Map.of("Stage", "dev"), "us-east-1", name -> name);
        assertThat(prod.tableName("T")).isEqualTo("live");
        assertThat(dev.tableName("T")).isEqualTo("T");
        assertThat(prod.resolve(template.requireResource("T").properties())).isEqualTo(Map.of("TableName", "live", "Flag", false));
    }

    @Test
    void functionsCarryTheirBeansAndTriggers() {
        Map<String, TemplateModel.TemplateFunction> functions = TEMPLATE.functions(LOCAL).stream()
                .collect(Collectors.toMap(TemplateModel.TemplateFunction::logicalId, f -> f));

        assertThat(functions.get("IngestFunction").beanName()).isEqualTo("ingest");
        assertThat(functions.get("IngestFunction").triggers())
                .containsExactly(new TemplateModel.Trigger.HttpApi("Alerts", "POST", "/alerts/{source}"));
        assertThat(functions.get("RedactFunction").triggers()).containsExactly(new TemplateModel.Trigger.Sqs(
                "Queue", "arn:aws:sqs:us-east-1:000000000000:RedactQueue", 100, java.time.Duration.ofSeconds(1), true, true, 5));
        assertThat(functions.get("FinopsScanFunction").triggers()).containsExactly(new TemplateModel.Trigger.Schedule(
                "Nightly", "cron(0 1 * * ? *)", ZoneId.of("Asia/Taipei"), "{\"scan\":\"finops\"}", true));
    }

    @Test
    void theOutboxIsTheIncidentsTablesStreamAndOnlyItsRelayTheReconcilerTheScansAndTheBreakerMayPublish() {
        Map<String, TemplateModel.TemplateFunction> functions = TEMPLATE.functions(LOCAL).stream()
                .collect(Collectors.toMap(TemplateModel.TemplateFunction::logicalId, f -> f));
        var relay = functions.get("RelayFunction").triggers(TemplateModel.Trigger.DynamoDbStream.class);
        assertThat(relay).singleElement().satisfies(stream -> {
            assertThat(stream.tableName()).isEqualTo("IncidentsTable");
            assertThat(stream.reportsBatchItemFailures()).isTrue();
            assertThat(stream.startingPosition()).isEqualTo("TRIM_HORIZON");
            assertThat(stream.onFailureArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:RelayDLQ");
        });
        assertThat(TemplateModel.map(TEMPLATE.requireResource("IncidentsTable").properties().get("StreamSpecification")))
                .containsEntry("StreamViewType", "NEW_AND_OLD_IMAGES");
        List<String> publishers = TEMPLATE.resourcesOfType(TemplateModel.FUNCTION).stream()
                .filter(f -> String.valueOf(f.properties().get("Policies")).contains("EventBridgePutEventsPolicy"))
                .map(TemplateModel.Resource::logicalId).toList();
        // the relay for incident transitions; the reconciler for dead-letter cards; the scans for their reports; the
        // approver for a tripped circuit breaker (the trust record is its own outbox: announced is set after the publish)
        assertThat(publishers).containsExactlyInAnyOrder("ApproveFunction", "RelayFunction", "ReconcileFunction", "FinopsScanFunction", "CapacityScanFunction",
                "ComplianceScanFunction", "AssetScanFunction");
    }

    @Test
    void theFunctionEnvironmentIsResolvedWithoutLambdaOnlyVariables() {
        Map<String, String> environment = TEMPLATE.functionEnvironment(LOCAL);

        assertThat(environment).containsEntry("AWOOOI_TABLES_INCIDENTS", "IncidentsTable")
                .containsEntry("AWOOOI_QUEUES_REDACT", "http://sqs.local/000000000000/RedactQueue")
                .containsEntry("AWOOOI_EVENTBUS", "awoooi-prod")
                .doesNotContainKeys("JAVA_TOOL_OPTIONS", "SPRING_CLOUD_FUNCTION_DEFINITION", "AWOOOI_SECRETSARNS");
    }

    @Test
    void everyFunctionKnowsItsOwnTimeoutWhichLambdaDoesNotTellIt() {
        for (var function : TEMPLATE.functions(LOCAL)) {
            var deployment = TEMPLATE.deployment(function.logicalId(), LOCAL);
            assertThat(deployment.environment().get("AWOOOI_TIMEOUT")).as(function.logicalId())
                    .isEqualTo(deployment.timeoutSeconds() + "s");
        }
    }

    /** Nothing fails unseen: every dead-letter queue and every function has an alarm, and every alarm tells the topic. */
    @Test
    void everyDeadLetterQueueAndEveryFunctionHasAnAlarmThatTellsSomebody() {
        var alarms = TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm");
        java.util.Set<String> watched = new java.util.HashSet<>();
        for (var alarm : alarms) {
            assertThat(alarm.properties().get("AlarmActions")).as(alarm.logicalId()).isEqualTo(List.of(Map.of("Ref", "AlarmTopic")));
            Map<?, ?> dimension = (Map<?, ?>) ((List<?>) alarm.properties().get("Dimensions")).getFirst();
            Object value = dimension.get("Value");
            watched.add(value instanceof Map<?, ?> ref && ref.get("Ref") != null ? String.valueOf(ref.get("Ref"))
                    : String.valueOf(((List<?>) ((Map<?, ?>) value).get("Fn::GetAtt")).getFirst()));
        }
        var deadLetterQueues = TEMPLATE.resourcesOfType("AWS::SQS::Queue").stream().map(TemplateModel.Resource::logicalId)
                .filter(id -> id.endsWith("DLQ")).toList();
        assertThat(deadLetterQueues).hasSize(7);
        assertThat(watched).containsAll(deadLetterQueues);
        assertThat(watched).containsAll(TEMPLATE.resourcesOfType("AWS::Serverless::Function").stream()
                .map(TemplateModel.Resource::logicalId).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStatusIndexProjectsEveryColumnTheConsolesListReads() {
        var indexes = (List<Map<String, Object>>) TEMPLATE.requireResource("IncidentsTable").properties().get("GlobalSecondaryIndexes");
        var byStatus = indexes.stream().filter(i -> "byStatus".equals(i.get("IndexName"))).findFirst().orElseThrow();
        var projection = (Map<String, Object>) byStatus.get("Projection");
        assertThat(projection.get("ProjectionType")).isEqualTo("INCLUDE");
        assertThat((List<String>) projection.get("NonKeyAttributes")).containsExactlyElementsOf(dev.awoooi.store.DynamoIncidentStore.LISTED);
    }
}
