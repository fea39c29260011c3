package dev.awoooi.local;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the stack's DynamoDB, SQS and EventBridge answer, and the runner's own SDK clients for them.
 * The HTTP client is named because several SDK HTTP clients sit on this classpath and the SDK refuses to guess.
 */
public record AwsEndpoints(URI dynamoDb, URI sqs, URI eventBridge, String region) {

    DynamoDbClient dynamoDbClient() {
        return DynamoDbClient.builder().endpointOverride(dynamoDb).region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    DynamoDbStreamsClient dynamoDbStreamsClient() {
        return DynamoDbStreamsClient.builder().endpointOverride(dynamoDb).region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    SqsClient sqsClient() {
        return SqsClient.builder().endpointOverride(sqs).region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    EventBridgeClient eventBridgeClient() {
        return EventBridgeClient.builder().endpointOverride(eventBridge).region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
