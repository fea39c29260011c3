package dev.awoooi.local.adapters;

import dev.awoooi.alert.SealedAlert;
import dev.awoooi.bus.EventBridgeEvents;
import dev.awoooi.bus.SqsWorkQueue;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.StaleIncidentException;
import dev.awoooi.local.LocalStack;
import dev.awoooi.privacy.EnvelopeSealer;
import dev.awoooi.privacy.LocalKeyWrapper;
import dev.awoooi.store.DynamoClaims;
import dev.awoooi.store.DynamoIncidentStore;
import dev.awoooi.store.DynamoPayloads;
import dev.awoooi.store.DynamoVault;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.json.JsonMapper;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the AWS adapters promise, checked against real DynamoDB and SQS semantics: conditional writes that lose a
 * race fail loudly, claims are exclusive until they expire, the vault keeps values sealed. Run against the
 * embedded stack always, and against LocalStack wherever a Docker engine exists.
 */
abstract class AwsAdaptersContract {
    static final JsonMapper JSON = JsonMapper.builder().build();

    abstract LocalStack stack();

    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    DynamoDbClient dynamo() {
        return DynamoDbClient.builder().endpointOverride(stack().dynamoEndpoint()).region(Region.of(stack().region()))
                .credentialsProvider(CREDENTIALS).build();
    }

    @Test
    void incidentWritesAreOptimisticallyLocked() {
        var store = new DynamoIncidentStore(dynamo(), "IncidentsTable", JSON);
        Instant now = Instant.parse("2026-11-21T03:12:00Z");
        Incident received = Incident.received("inc-contract" + System.nanoTime(), "alertmanager", "f00d", now, now);
        store.create(received);
        assertThatThrownBy(() -> store.create(received)).isInstanceOf(ConditionalCheckFailedException.class);
        Incident analyzed = received.moveTo(IncidentStatus.ANALYZED, now);
        store.save(analyzed, received.version());
        assertThat(store.find(received.id())).hasValue(analyzed);
        assertThatThrownBy(() -> store.save(received.moveTo(IncidentStatus.FAILED, now), received.version()))
                .as("a transition that lost the race fails, never overwrites").isInstanceOf(StaleIncidentException.class);
        assertThat(store.find(received.id()).orElseThrow().status()).isEqualTo(IncidentStatus.ANALYZED);
    }

    @Test
    void claimsAreExclusiveUntilReleasedOrExpired() {
        var claims = new DynamoClaims(dynamo(), "IdempotencyTable", Clock.systemUTC());
        String key = "alert#contract#" + System.nanoTime();
        assertThat(claims.claim(key, "inc-a", Duration.ofHours(1))).isEmpty();
        assertThat(claims.claim(key, "inc-b", Duration.ofHours(1))).hasValue("inc-a");
        claims.release(key, "inc-a");
        assertThat(claims.claim(key, "inc-c", Duration.ofHours(1))).isEmpty();
        String expired = "execute#contract#" + System.nanoTime();
        assertThat(claims.claim(expired, Duration.ofSeconds(-1))).isTrue();
        assertThat(claims.claim(expired, Duration.ofHours(1))).as("an expired claim TTL has not swept yet is free").isTrue();
        assertThat(claims.claim(expired, Duration.ofHours(1))).isFalse();
    }

    @Test
    void theVaultKeepsValuesSealedAndRevealsOnlyExactLabels() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        var vault = new DynamoVault(dynamo(), "VaultTable", new EnvelopeSealer(new LocalKeyWrapper(key)), Clock.systemUTC(), Duration.ofDays(1));
        String incident = "inc-vault" + System.nanoTime();
        vault.keep(incident, Map.of("[IP_1]", "203.0.113.7", "[EMAIL_1]", "a@example.com"));
        assertThat(vault.open(incident)).containsExactlyInAnyOrderEntriesOf(Map.of("[IP_1]", "203.0.113.7", "[EMAIL_1]", "a@example.com"));
        assertThat(vault.reveal(incident, "[IP_1]")).hasValue("203.0.113.7");
        assertThat(vault.reveal(incident, "[IP_9]")).isEmpty();
        assertThat(vault.reveal("inc-other", "[IP_1]")).isEmpty();
        var items = dynamo().query(r -> r.tableName("VaultTable").keyConditionExpression("incidentId = :i")
                .expressionAttributeValues(Map.of(":i", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(incident)))).items();
        assertThat(items.toString()).doesNotContain("203.0.113.7").doesNotContain("a@example.com");
        assertThat(items).allSatisfy(item -> assertThat(item).containsKey("expiresAt"));
    }

    @Test
    void aLargeSealedAlertComesBackWholeFromItsPartsAndAMissingPartFailsLoudly() {
        var payloads = new DynamoPayloads(dynamo(), "PayloadsTable", Clock.systemUTC(), Duration.ofDays(1));
        String sealed = "s".repeat(DynamoPayloads.PART_CHARS * 2 + 17);
        String ref = payloads.keep("inc-spill", sealed);
        assertThat(payloads.take(ref)).isEqualTo(sealed);
        dynamo().deleteItem(r -> r.tableName("PayloadsTable").key(Map.of("ref", AttributeValue.fromS(ref), "part", AttributeValue.fromN("1"))));
        assertThatThrownBy(() -> payloads.take(ref)).hasMessageContaining("missing part 1");
        assertThatThrownBy(() -> payloads.take("inc-spill/none")).hasMessageContaining("incomplete");
    }

    @Test
    void anOpenIncidentIsFoundUntilItsWindowEnds() {
        var claims = new DynamoClaims(dynamo(), "IdempotencyTable", Clock.systemUTC());
        claims.remember("service#contract", "inc-open", Duration.ofMinutes(15));
        assertThat(claims.find("service#contract")).contains("inc-open");
        claims.remember("service#contract", "inc-open", Duration.ofSeconds(-5));
        assertThat(claims.find("service#contract")).isEmpty();
    }

    @Test
    void workItemsAndEventsReachTheirQueues() {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(stack().sqsEndpoint()).region(Region.of(stack().region()))
                .credentialsProvider(CREDENTIALS).build();
             EventBridgeClient events = EventBridgeClient.builder().endpointOverride(stack().eventBridgeEndpoint())
                     .region(Region.of(stack().region())).credentialsProvider(CREDENTIALS).build()) {
            String queue = sqs.createQueue(r -> r.queueName("ContractQueue")).queueUrl();
            new SqsWorkQueue<SealedAlert>(sqs, queue, JSON).send(new SealedAlert("inc-q", "alertmanager", "c2VhbGVk", null, 0));
            var received = sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(2)).messages();
            assertThat(received).hasSize(1);
            assertThat(JSON.readValue(received.getFirst().body(), SealedAlert.class)).isEqualTo(new SealedAlert("inc-q", "alertmanager", "c2VhbGVk", null, 0));
            // An unknown bus must fail loudly rather than drop the event.
            assertThatThrownBy(() -> new EventBridgeEvents(events, "no-such-bus", JSON).publish(new DomainEvent.IncidentAnalyzed("inc-q")))
                    .isInstanceOf(RuntimeException.class);
        }
    }
}
