package dev.awoooi.config;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs each AWS SDK operation the functions use once, in clients of their own whose HTTP client answers every request
 * on this machine with {@code 200 {}}: request marshalling, endpoint resolution, signing and response unmarshalling are
 * loaded and linked before the SnapStart snapshot, and nothing leaves the JVM (no request, no credential, no IAM
 * permission needed). The functions' own clients share those classes; what is theirs alone (a connection) is made after
 * the restore anyway.
 */
final class OfflineSdkPriming {
    private static final URI NOWHERE = URI.create("http://priming.invalid");

    private OfflineSdkPriming() {
    }

    /** A few rounds: the first loads and links, the rest let the JIT see the paths (no measured gain beyond ten). */
    static final int ROUNDS = 10;

    static void run() {
        try (DynamoDbClient dynamo = client(DynamoDbClient.builder());
             SqsClient sqs = client(SqsClient.builder());
             EventBridgeClient events = client(EventBridgeClient.builder());
             KmsClient kms = client(KmsClient.builder())) {
            Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("priming"));
            for (int round = 0; round < ROUNDS; round++) {
                attempt(() -> dynamo.putItem(r -> r.tableName("priming").item(key).conditionExpression("attribute_not_exists(id)")));
                attempt(() -> dynamo.getItem(r -> r.tableName("priming").key(key).consistentRead(true)));
                attempt(() -> dynamo.updateItem(r -> r.tableName("priming").key(key).updateExpression("SET #v = :v")
                        .expressionAttributeNames(Map.of("#v", "v")).expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1")))));
                attempt(() -> dynamo.deleteItem(r -> r.tableName("priming").key(key)));
                attempt(() -> dynamo.batchGetItem(r -> r.requestItems(Map.of("priming", KeysAndAttributes.builder().keys(key).consistentRead(true).build()))));
                attempt(() -> dynamo.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().put(p -> p.tableName("priming").item(key)
                        .conditionExpression("attribute_not_exists(id)").returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build())));
                attempt(() -> dynamo.query(r -> r.tableName("priming").keyConditionExpression("id = :id")
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("priming")))));
                attempt(() -> sqs.sendMessage(r -> r.queueUrl(NOWHERE + "/000000000000/priming").messageBody("{}")));
                attempt(() -> events.putEvents(r -> r.entries(e -> e.eventBusName("priming").source("awoooi").detailType("Priming").detail("{}"))));
                attempt(() -> kms.generateDataKey(r -> r.keyId("alias/priming").numberOfBytes(32).encryptionContext(Map.of("app", "awoooi"))));
                attempt(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(new byte[32])).encryptionContext(Map.of("app", "awoooi"))));
            }
        }
    }

    /**
     * A canned answer is not always a valid one (SQS checks the MD5 of the body it echoes): what fails after the
     * response was read has primed the path all the same.
     */
    private static void attempt(Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            // expected for some operations; the classes are loaded either way
        }
    }

    private static <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
        builder.endpointOverride(NOWHERE).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClient(new CannedOk());
        }
        return builder.build();
    }

    /** Answers every request with 200 and an empty JSON object, without I/O. */
    private static final class CannedOk implements SdkHttpClient {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200).putHeader("Content-Type", "application/x-amz-json-1.0")
                                    .putHeader("Content-Length", String.valueOf(body.length)).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
