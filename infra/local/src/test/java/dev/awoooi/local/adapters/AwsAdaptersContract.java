package dev.awoooi.local.adapters;

import dev.awoooi.alert.AlertLedger;
import dev.awoooi.alert.SealedAlert;
import dev.awoooi.bus.EventBridgeEvents;
import dev.awoooi.bus.SqsWorkQueue;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.AlertCounts;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentAlert;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.StaleIncidentException;
import dev.awoooi.local.LocalStack;
import dev.awoooi.privacy.EnvelopeSealer;
import dev.awoooi.privacy.LocalKeyWrapper;
import dev.awoooi.audit.AuditChain;
import dev.awoooi.audit.AuditEntry;
import dev.awoooi.store.DynamoAuditLog;
import dev.awoooi.store.DynamoClaims;
import dev.awoooi.store.DynamoTrustStore;
import dev.awoooi.trust.TrustRecord;
import dev.awoooi.store.DynamoIncidentAlerts;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

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
    void theAuditTrailIsOneVerifiableChainPerSubjectWhateverEachWriterKnew() throws Exception {
        String subject = "inc-" + System.nanoTime();
        // Writers with cold caches and racing threads: each learns the chain's end from its own puts alone.
        var warm = new DynamoAuditLog(dynamo(), "AuditTable", Clock.systemUTC());
        for (int i = 0; i < 37; i++) {
            warm.record(subject, "step", Map.of("n", String.valueOf(i)));
        }
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writes.add(pool.submit(() -> {
                    var cold = new DynamoAuditLog(dynamo(), "AuditTable", Clock.systemUTC());
                    for (int i = 0; i < 5; i++) {
                        cold.record(subject, "race", Map.of("writer", String.valueOf(writer), "n", String.valueOf(i)));
                    }
                }));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        warm.record(subject, "last", Map.of());
        var chain = warm.chain(subject);
        assertThat(chain).hasSize(37 + 20 + 1);
        assertThat(chain).extracting(AuditEntry::seq).doesNotHaveDuplicates().isSorted();
        assertThat(AuditChain.verify(chain).verified()).isTrue();
        assertThat(warm.newest(subject, 3)).as("the newest, oldest of them first").isEqualTo(chain.subList(chain.size() - 3, chain.size()));
        assertThat(warm.day(java.time.LocalDate.now(java.time.ZoneOffset.UTC))).anyMatch(e -> e.subject().equals(subject) && e.what().equals("last"));

        // a writer may only append: its put over an existing item is refused
        var seventh = chain.get(6);
        assertThatThrownBy(() -> dynamo().putItem(r -> r.tableName("AuditTable").conditionExpression("attribute_not_exists(seq)")
                .item(Map.of("subject", AttributeValue.fromS(subject), "seq", AttributeValue.fromN("7"), "what", AttributeValue.fromS("forged")))))
                .isInstanceOf(ConditionalCheckFailedException.class);

        // someone with more than a writer's grant alters one item and deletes another: the chain says which
        dynamo().updateItem(r -> r.tableName("AuditTable").key(Map.of("subject", AttributeValue.fromS(subject), "seq", AttributeValue.fromN("7")))
                .updateExpression("SET what = :w").expressionAttributeValues(Map.of(":w", AttributeValue.fromS("nothing to see"))));
        dynamo().deleteItem(r -> r.tableName("AuditTable").key(Map.of("subject", AttributeValue.fromS(subject), "seq", AttributeValue.fromN("20"))));
        var tampered = AuditChain.verify(warm.chain(subject));
        assertThat(tampered.verified()).isFalse();
        assertThat(tampered.problems()).containsExactly("item 7 was altered (its content does not match its hash)",
                "item 20 is missing (deleted)", "item 21 does not follow item 19 (its link to the previous hash differs)");
        assertThat(seventh.what()).isEqualTo("step");
    }

    @Test
    void trustRecordsAreSavedOnlyOverTheVersionTheyWereMadeFromAndTogether() {
        var store = new DynamoTrustStore(dynamo(), "TrustTable", JSON);
        String key = "restart_statefulset:production/postgres-db@c" + System.nanoTime();
        String cluster = TrustRecord.clusterKey("c" + System.nanoTime());
        Instant now = Instant.now();
        TrustRecord first = TrustRecord.empty(key).credited("inc-1", now, Duration.ofDays(30));
        assertThat(store.save(List.of(first))).isTrue();
        assertThat(store.save(List.of(first))).as("the same version again lost the race").isFalse();
        TrustRecord second = first.credited("inc-2", now, Duration.ofDays(30));
        assertThat(store.save(List.of(second))).isTrue();
        assertThat(store.find(key)).contains(second);
        // a pattern's and its cluster's unsigned runs go together or not at all
        TrustRecord stale = first.ranUnsigned("inc-3", now);
        assertThat(store.save(List.of(stale, TrustRecord.empty(cluster).ranUnsigned("inc-3", now)))).isFalse();
        assertThat(store.find(cluster)).isEmpty();
        assertThat(store.save(List.of(second.ranUnsigned("inc-3", now), TrustRecord.empty(cluster).ranUnsigned("inc-3", now)))).isTrue();
        assertThat(store.find(cluster).orElseThrow().counted("inc-3")).isTrue();
        assertThat(store.all()).extracting(TrustRecord::key).contains(key, cluster);
    }

    @Test
    void theApproverDirectoryGivesEachIdentityToOnePersonAndAuditsEveryChange() {
        List<String> audited = new ArrayList<>();
        var directory = new dev.awoooi.store.DynamoApproverDirectory(dynamo(), "ApproversTable",
                (subject, what, detail) -> audited.add(subject + " " + what + " " + detail), Clock.systemUTC());
        String me = "contract" + System.nanoTime() % 1_000_000;
        var mail = dev.awoooi.approval.Identity.parse("email:" + me + "@Example.com");
        var slack = dev.awoooi.approval.Identity.parse("slack:T0CONTRACT/U" + me.toUpperCase(java.util.Locale.ROOT).replace("CONTRACT", ""));
        directory.put(new dev.awoooi.approval.ApproverEntry(me, java.util.Set.of(dev.awoooi.approval.Role.SRE), List.of(mail, slack)), "tester");
        assertThat(directory.byIdentity(dev.awoooi.approval.Identity.parse("email:" + me + "@example.com")))
                .as("one address however it is typed").map(dev.awoooi.approval.ApproverEntry::id).hasValue(me);

        // someone else may not take an identity that is already someone's: refused, and nothing of it written
        String other = me + "-other";
        assertThatThrownBy(() -> directory.put(new dev.awoooi.approval.ApproverEntry(other, java.util.Set.of(dev.awoooi.approval.Role.CTO),
                List.of(dev.awoooi.approval.Identity.parse("email:" + other + "@example.com"), slack)), "tester"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to another approver").hasMessageNotContaining("T0CONTRACT");
        assertThat(directory.find(other)).isEmpty();
        assertThat(directory.byIdentity(dev.awoooi.approval.Identity.parse("email:" + other + "@example.com"))).isEmpty();

        // a change frees the identities it drops; roles come with it
        directory.put(new dev.awoooi.approval.ApproverEntry(me, java.util.Set.of(dev.awoooi.approval.Role.SRE, dev.awoooi.approval.Role.CISO), List.of(mail)), "tester");
        assertThat(directory.byIdentity(slack)).isEmpty();
        assertThat(directory.find(me).orElseThrow().roles()).containsExactlyInAnyOrder(dev.awoooi.approval.Role.SRE, dev.awoooi.approval.Role.CISO);
        assertThat(directory.all()).extracting(dev.awoooi.approval.ApproverEntry::id).contains(me);

        assertThat(directory.remove(me, "tester")).isTrue();
        assertThat(directory.remove(me, "tester")).isFalse();
        assertThat(directory.byIdentity(mail)).isEmpty();
        assertThat(audited).hasSize(3);
        assertThat(audited.get(0)).startsWith("directory approver-added").contains("by=tester", "email#").doesNotContain("@example.com");
        assertThat(audited.get(1)).startsWith("directory approver-changed");
        assertThat(audited.get(2)).startsWith("directory approver-removed");
    }

    @Test
    void theLatestScanReportIsTheNewestWhateverItsFractionOfASecond() {
        var archive = new dev.awoooi.store.DynamoScanArchive(dynamo(), "ScansTable", JSON, java.time.Duration.ofDays(1));
        String scan = "contract-" + System.nanoTime();
        Instant second = Instant.parse("2026-12-02T03:00:00Z");
        assertThat(archive.latest(scan)).isEmpty();
        archive.keep(new dev.awoooi.scan.ScanReport(scan, second.plusMillis(500), List.of()));
        archive.keep(new dev.awoooi.scan.ScanReport(scan, second, List.of()));
        archive.keep(new dev.awoooi.scan.ScanReport(scan, second.minusSeconds(1), List.of()));
        assertThat(archive.latest(scan).orElseThrow().at()).isEqualTo(second.plusMillis(500));
        assertThat(archive.history(scan, 30)).extracting(dev.awoooi.scan.ScanReport::at)
                .containsExactly(second.plusMillis(500), second, second.minusSeconds(1));
    }

    /** A report written before findings were items (the whole report in the header, no figures or notes) still reads. */
    @Test
    void aReportWrittenWholeBeforeFindingsWereItemsStillReads() {
        var archive = new dev.awoooi.store.DynamoScanArchive(dynamo(), "ScansTable", JSON, java.time.Duration.ofDays(1));
        String scan = "old-" + System.nanoTime();
        dynamo().putItem(r -> r.tableName("ScansTable").item(Map.of("scan", AttributeValue.fromS(scan),
                "at", AttributeValue.fromS("2026-11-30T17:00:00.000000000Z"), "findings", AttributeValue.fromN("1"),
                "report", AttributeValue.fromS("{\"scan\":\"" + scan + "\",\"at\":\"2026-11-30T17:00:00Z\",\"findings\":[{\"kind\":\"orphaned-volume\","
                        + "\"resource\":\"production/data-postgres-backup\",\"severity\":\"LOW\",\"detail\":\"50 GiB claimed\",\"monthlyCostUsd\":5.0}]}"))));
        var old = archive.latest(scan).orElseThrow();
        assertThat(old.findings()).singleElement().satisfies(f -> assertThat(f.monthlyCostUsd()).isEqualTo(5.0));
        assertThat(old.notes()).isEmpty();
        assertThat(archive.history(scan, 30)).singleElement().satisfies(r -> assertThat(r.figures()).containsEntry("findingsTotal", 1.0));
    }

    /** A fleet's report: 3,000 findings, far past one item's 400 KB, kept as items in order and read back page by page. */
    @Test
    void aFleetSizedReportIsKeptAsItemsAndReadBackInOrder() {
        var archive = new dev.awoooi.store.DynamoScanArchive(dynamo(), "ScansTable", JSON, java.time.Duration.ofDays(1));
        String scan = "fleet-" + System.nanoTime();
        List<dev.awoooi.scan.Finding> findings = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            findings.add(new dev.awoooi.scan.Finding("orphaned-volume", "pvc/production/claim-" + i, "WARNING", "x".repeat(200), 3_000 - i));
        }
        archive.keep(new dev.awoooi.scan.ScanReport(scan, Instant.parse("2026-12-02T01:00:00Z"), findings, Map.of("realizableUsdPerMonth", 1.0), List.of("a note")));
        var all = archive.latest(scan).orElseThrow();
        assertThat(all.findings()).isEqualTo(findings);
        assertThat(all.figures()).containsEntry("findingsTotal", 3000.0).containsEntry("realizableUsdPerMonth", 1.0);
        assertThat(all.notes()).containsExactly("a note");
        var top = archive.latest(scan, 10).orElseThrow();
        assertThat(top.findings()).isEqualTo(findings.subList(0, 10));
        assertThat(top.figures()).containsEntry("findingsTotal", 3000.0);
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
    void claimsAreExclusiveUntilReleasedCompletedOrExpired() {
        var claims = new DynamoClaims(dynamo(), "IdempotencyTable", incidents(), Clock.systemUTC());
        String key = "alert#contract#" + System.nanoTime();
        Instant deadline = Instant.now().plusSeconds(30);
        assertThat(claims.claim(key, "inc-a", deadline)).isEmpty();
        assertThat(claims.claim(key, "inc-b", deadline)).hasValue(new AlertLedger.Holder("inc-a", false));
        claims.release(key, "inc-a");
        assertThat(claims.claim(key, "inc-c", deadline)).isEmpty();
        claims.complete(key, "inc-c", Instant.now().plus(Duration.ofDays(7)));
        assertThat(claims.claim(key, "inc-d", deadline)).hasValue(new AlertLedger.Holder("inc-c", true));
        assertThatThrownBy(() -> claims.release(key, "inc-c")).as("a completed claim is never given back")
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(claims.holder(key)).hasValue("inc-c");
        String died = "alert#contract-died#" + System.nanoTime();
        assertThat(claims.claim(died, "inc-dead", Instant.now().minusSeconds(2))).isEmpty();
        assertThat(claims.claim(died, "inc-retry", deadline)).as("an in-progress claim past its deadline is free").isEmpty();
        String target = "contract-target" + System.nanoTime();
        assertThat(claims.holdTarget(target, "inc-a", Duration.ofMinutes(2))).isEmpty();
        assertThat(claims.holdTarget(target, "inc-b", Duration.ofMinutes(2))).as("one mutation in flight per object").hasValue("inc-a");
        assertThat(claims.holdTarget(target, "inc-a", Duration.ofMinutes(2))).as("its own holder").isEmpty();
        claims.releaseTarget(target, "inc-b");
        assertThat(claims.holdTarget(target, "inc-b", Duration.ofMinutes(2))).as("only the holder releases").hasValue("inc-a");
        claims.releaseTarget(target, "inc-a");
        assertThat(claims.holdTarget(target, "inc-b", Duration.ofMinutes(2))).isEmpty();
        String expired = "execute#contract#" + System.nanoTime();
        assertThat(claims.claim(expired, Duration.ofSeconds(-2))).isTrue();
        assertThat(claims.claim(expired, Duration.ofHours(1))).as("an expired claim TTL has not swept yet is free").isTrue();
        assertThat(claims.claim(expired, Duration.ofHours(1))).isFalse();
    }

    @Test
    void racingDeliveriesOpenOneIncidentPerGroup() throws Exception {
        var claims = new DynamoClaims(dynamo(), "IdempotencyTable", incidents(), Clock.systemUTC());
        String group = "service#contract-race" + System.nanoTime();
        Instant now = Instant.now();
        int racers = 8;
        List<AlertLedger.Opening> openings = race(racers, i -> claims.open("alert#race" + i + "#" + group, now.plusSeconds(30),
                Incident.received("inc-race" + i + "-" + System.nanoTime(), "alertmanager", "f" + i, now, now),
                List.of(group), Map.of(), now.plusSeconds(900)));
        assertThat(openings).filteredOn(o -> o instanceof AlertLedger.Opening.Opened).hasSize(1);
        assertThat(openings).filteredOn(o -> o instanceof AlertLedger.Opening.GroupTaken).hasSize(racers - 1);
        var pointer = claims.pointers(List.of(group)).get(group);
        assertThat(incidents().status(pointer.incidentId())).hasValue(IncidentStatus.RECEIVED);
        // The losers wrote nothing: no incident, no claim.
        for (int i = 0; i < racers; i++) {
            assertThat(claims.holder("alert#race" + i + "#" + group).map(id -> id.equals(pointer.incidentId())).orElse(true)).isTrue();
        }
        // A pointer at an incident that has ended is replaced by the next opening, and only by one that saw it.
        String ended = pointer.incidentId();
        var store = incidents();
        Incident current = store.find(ended).orElseThrow();
        store.save(current.moveTo(IncidentStatus.FAILED, now), current.version());
        Incident next = Incident.received("inc-next" + System.nanoTime(), "alertmanager", "f9", now, now);
        assertThat(claims.open("alert#next#" + group, now.plusSeconds(30), next, List.of(group), Map.of(), now.plusSeconds(900)))
                .isInstanceOf(AlertLedger.Opening.GroupTaken.class);
        assertThat(claims.open("alert#next#" + group, now.plusSeconds(30), next, List.of(group),
                Map.of(group, pointer), now.plusSeconds(900))).isInstanceOf(AlertLedger.Opening.Opened.class);
        assertThat(claims.pointers(List.of(group)).get(group).incidentId()).isEqualTo(next.id());
    }

    @Test
    void anOpenIncidentIsFoundUntilItsWindowEnds() {
        var claims = new DynamoClaims(dynamo(), "IdempotencyTable", incidents(), Clock.systemUTC());
        String key = "service#contract-window" + System.nanoTime();
        claims.extend(List.of(key), Map.of(), "inc-open", Instant.now().plus(Duration.ofMinutes(15)));
        assertThat(claims.pointers(List.of(key)).get(key).incidentId()).isEqualTo("inc-open");
        claims.extend(List.of(key), Map.of(), "inc-other", Instant.now().plus(Duration.ofMinutes(15)));
        assertThat(claims.pointers(List.of(key)).get(key).incidentId()).as("a live pointer is not taken over").isEqualTo("inc-open");
        String gone = "service#contract-gone" + System.nanoTime();
        claims.extend(List.of(gone), Map.of(), "inc-open", Instant.now().minusSeconds(5));
        assertThat(claims.pointers(List.of(gone))).isEmpty();
    }

    @Test
    void sideBySideRedactionsGiveOneValueOneLabelAndOneLabelOneValue() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        var vault = new DynamoVault(dynamo(), "VaultTable", new EnvelopeSealer(new LocalKeyWrapper(key)), v -> "h" + v.hashCode(),
                Clock.systemUTC(), Duration.ofDays(1));
        String incident = "inc-vault" + System.nanoTime();
        // Eight alerts of one incident, each with the shared address and two of its own, redacted at once.
        List<Map<String, String>> labels = race(8, i -> vault.labels(incident,
                Map.of("203.0.113.7", "IP", "198.51.100." + i, "IP", "user" + i + "@example.com", "EMAIL")));
        Map<String, String> labelByValue = new HashMap<>();
        labels.forEach(answer -> answer.forEach((value, label) -> assertThat(labelByValue.merge(value, label, (a, b) -> a))
                .as("every redaction saw the same label for " + value).isEqualTo(label)));
        assertThat(labelByValue).hasSize(17);
        assertThat(new HashSet<>(labelByValue.values())).as("no label stands for two values").hasSize(17);
        assertThat(vault.open(incident)).containsExactlyInAnyOrderEntriesOf(invert(labelByValue));
        labelByValue.forEach((value, label) -> assertThat(vault.reveal(incident, label)).hasValue(value));
        assertThat(vault.reveal(incident, "[IP_999]")).isEmpty();
        assertThat(vault.reveal("inc-other", labelByValue.get("203.0.113.7"))).isEmpty();
        assertThat(vault.labels(incident, Map.of("203.0.113.7", "IP"))).as("a known value costs one read, no new label")
                .isEqualTo(Map.of("203.0.113.7", labelByValue.get("203.0.113.7")));
        var items = dynamo().query(r -> r.tableName("VaultTable").keyConditionExpression("incidentId = :i")
                .expressionAttributeValues(Map.of(":i", AttributeValue.fromS(incident)))).items();
        assertThat(items.toString()).doesNotContain("203.0.113.7").doesNotContain("@example.com");
        assertThat(items).allSatisfy(item -> assertThat(item).containsKey("expiresAt"));
    }

    @Test
    void alertsAreCountedOnceBesideTheIncidentWhateverTheOrderAndTheRedeliveries() throws Exception {
        var store = incidents();
        var alerts = alerts();
        Instant now = Instant.now();
        Incident incident = opened(store, "inc-alerts", now);
        // Forty firings delivered twice each, side by side: each counted once.
        race(80, i -> alerts.fired(incident.id(), firing("f" + (i % 40), now), 0));
        assertThat(store.find(incident.id()).orElseThrow().alertCounts()).isEqualTo(new AlertCounts(40, 40, 0));
        assertThat(alerts.resolved(incident.id(), resolution("f1", now), 3)).isTrue();
        assertThat(alerts.resolved(incident.id(), resolution("f1", now), 0)).as("a redelivered resolution").isFalse();
        assertThat(alerts.fired(incident.id(), firing("f1", now), 0)).as("a late firing does not undo its resolution").isFalse();
        // A resolution that overtook its firing is recorded; the firing that follows changes nothing.
        assertThat(alerts.resolved(incident.id(), resolution("f77", now), 0)).isTrue();
        assertThat(alerts.fired(incident.id(), firing("f77", now), 0)).isFalse();
        assertThat(store.find(incident.id()).orElseThrow().alertCounts()).isEqualTo(new AlertCounts(41, 39, 3));
        assertThat(alerts.firing(incident.id(), 500)).hasSize(39).noneMatch(a -> a.fingerprint().equals("f1"));
        assertThat(alerts.newest(incident.id(), 5)).hasSize(5);
        // The counts never ride on a versioned write: saving the incident leaves them as they are.
        Incident stored = store.find(incident.id()).orElseThrow();
        store.save(stored.moveTo(IncidentStatus.ANALYZED, now), stored.version());
        assertThat(store.find(incident.id()).orElseThrow().alertCounts()).isEqualTo(new AlertCounts(41, 39, 3));
        assertThat(dynamo().getItem(r -> r.tableName("IncidentsTable").key(Map.of("id", AttributeValue.fromS(incident.id()))))
                .item().get("doc").s()).doesNotContain("alertCounts");
        // RESOLVED only once nothing fires.
        Incident analyzed = store.find(incident.id()).orElseThrow();
        assertThatThrownBy(() -> store.save(analyzed.resolved(now), analyzed.version())).isInstanceOf(StaleIncidentException.class);
        race(40, i -> alerts.resolved(incident.id(), resolution("f" + i, now), 0));
        assertThat(store.find(incident.id()).orElseThrow().alertCounts().allResolved()).isTrue();
        store.save(analyzed.resolved(now), analyzed.version());
        assertThat(store.find(incident.id()).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThatThrownBy(() -> alerts.fired("inc-missing" + System.nanoTime(), firing("x", now), 0))
                .as("an alert of no incident fails loudly").hasMessageContaining("no incident");
    }

    @Test
    void alertsRecordedTogetherAreCountedOnceWhateverOverlapsAndRedeliveries() throws Exception {
        var store = incidents();
        var alerts = alerts();
        Instant now = Instant.now();
        Incident incident = opened(store, "inc-together", now);
        // Six batches side by side, each overlapping the next and holding one firing twice: f0..f6, each counted once.
        List<Integer> recorded = race(6, i -> alerts.firedAll(incident.id(),
                List.of(firing("f" + i, now), firing("f" + (i + 1), now), firing("f" + i, now)), 0));
        assertThat(recorded.stream().mapToInt(Integer::intValue).sum()).as("each firing recorded by one batch").isEqualTo(7);
        assertThat(store.find(incident.id()).orElseThrow().alertCounts()).isEqualTo(new AlertCounts(7, 7, 0));
        assertThat(alerts.firedAll(incident.id(), List.of(firing("f3", now), firing("f9", now)), 0)).as("a redelivery among new ones").isEqualTo(1);
        assertThat(store.find(incident.id()).orElseThrow().alertCounts()).isEqualTo(new AlertCounts(8, 8, 0));
        assertThat(alerts.firing(incident.id(), 500)).hasSize(8);
        assertThatThrownBy(() -> alerts.firedAll("inc-missing" + System.nanoTime(), List.of(firing("x", now), firing("y", now)), 0))
                .as("alerts of no incident fail loudly").hasMessageContaining("no incident");
    }

    static IncidentAlert firing(String fingerprint, Instant at) {
        return new IncidentAlert(fingerprint, Instant.parse("2026-11-21T03:12:00Z"), "firing", null, "A", "svc", "[IP_1] down");
    }

    static IncidentAlert resolution(String fingerprint, Instant at) {
        return new IncidentAlert(fingerprint, Instant.parse("2026-11-21T03:12:00Z"), "resolved", at, "A", "svc", "[IP_1] down");
    }

    @Test
    void theConsolesListMergesItsStatusesNewestFirstPageByPageWithoutGapsOrRepeats() {
        // a table of its own, keyed and indexed as IncidentsTable but with no stream: these bare items are no incidents
        // the relay should announce
        String table = "ListedIncidents" + System.nanoTime();
        dynamo().createTable(r -> r.tableName(table).billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType("S"), a -> a.attributeName("status").attributeType("S"),
                        a -> a.attributeName("updatedAt").attributeType("S"))
                .keySchema(k -> k.attributeName("id").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName("byStatus").keySchema(
                                k -> k.attributeName("status").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH),
                                k -> k.attributeName("updatedAt").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.RANGE))
                        .projection(p -> p.projectionType(software.amazon.awssdk.services.dynamodb.model.ProjectionType.INCLUDE)
                                .nonKeyAttributes(DynamoIncidentStore.LISTED))));
        dynamo().waiter().waitUntilTableExists(r -> r.tableName(table));
        // a filtered page reads 8 items per status, so most statuses stop with more to read and pages must merge them
        var store = new DynamoIncidentStore(dynamo(), table, JSON, 8);
        Instant base = Instant.parse("2099-01-01T00:00:00Z");
        var random = new java.util.Random(3);
        var closed = java.util.EnumSet.of(IncidentStatus.SUCCEEDED, IncidentStatus.FAILED, IncidentStatus.VOIDED, IncidentStatus.REJECTED,
                IncidentStatus.EXPIRED, IncidentStatus.RESOLVED);
        record Stored(String id, IncidentStatus status, String updatedAt, String service) {
        }
        List<Stored> stored = new ArrayList<>();
        for (int i = 0; i < 440; i++) {
            // a few hundred distinct seconds for 240 incidents of any status (ties within a status and across), then 200
            // resolved ones crowded into the newest minute, one in ten of svc-1: a filtered page reads a few seconds of
            // them and much longer stretches of the others, the case where merging by what was read alone would go wrong
            boolean crowded = i >= 240;
            // half of the crowded ones on a whole second, half within it: "…:05Z" must sort before "…:05.250Z"
            Instant updated = crowded ? base.plusSeconds(240 + random.nextInt(60)).plusMillis(random.nextBoolean() ? 0 : 1 + random.nextInt(999))
                    : base.plusSeconds(random.nextInt(300));
            IncidentStatus status = crowded ? IncidentStatus.RESOLVED : IncidentStatus.values()[random.nextInt(IncidentStatus.values().length)];
            String service = crowded ? (i % 10 == 0 ? "svc-1" : "svc-2") : "svc-" + random.nextInt(3);
            Stored one = new Stored(dev.awoooi.incident.IncidentIds.next(updated), status, DynamoIncidentStore.sortable(updated), service);
            stored.add(one);
            dynamo().putItem(r -> r.tableName(table).item(Map.of("id", AttributeValue.fromS(one.id()), "status",
                    AttributeValue.fromS(one.status().name()), "updatedAt", AttributeValue.fromS(one.updatedAt()), "service",
                    AttributeValue.fromS(one.service()), "version", AttributeValue.fromN("1"), "doc", AttributeValue.fromS("{}"))));
        }
        for (var filter : List.of(new dev.awoooi.incident.IncidentList.Filter(null, null, null, null, base),
                new dev.awoooi.incident.IncidentList.Filter("svc-1", null, null, null, base))) {
            List<dev.awoooi.incident.IncidentList.Listed> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var page = store.list(closed, filter, cursor, filter.service() == null ? 7 : 2);
                seen.addAll(page.rows());
                cursor = page.next();
                assertThat(++pages).as("the pages end").isLessThan(400);
            } while (cursor != null);
            var expected = stored.stream().filter(s -> closed.contains(s.status()) && (filter.service() == null || filter.service().equals(s.service())))
                    .map(Stored::id).toList();
            assertThat(seen).extracting(dev.awoooi.incident.IncidentList.Listed::id).as(String.valueOf(filter))
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
            assertThat(seen).extracting(dev.awoooi.incident.IncidentList.Listed::updatedAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        }
        // a cursor is read back only as given out, and only for the statuses it was given for
        assertThatThrownBy(() -> store.list(closed, dev.awoooi.incident.IncidentList.Filter.NONE, "bm90IGEgY3Vyc29y", 7))
                .isInstanceOf(IllegalArgumentException.class);
        String closedCursor = store.list(closed, new dev.awoooi.incident.IncidentList.Filter(null, null, null, null, base), null, 7).next();
        assertThatThrownBy(() -> store.list(java.util.EnumSet.of(IncidentStatus.RECEIVED), dev.awoooi.incident.IncidentList.Filter.NONE, closedCursor, 7))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIncidentsAlertsArePagedNewestFirstEachOnce() {
        var store = incidents();
        var alerts = alerts();
        Incident incident = opened(store, "inc-paged-", Instant.now());
        for (int i = 0; i < 45; i++) {
            alerts.fired(incident.id(), firing(String.format("%04x", i), Instant.now()), 0);
        }
        List<IncidentAlert> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = alerts.page(incident.id(), cursor, 20);
            assertThat(page.alerts().size()).isLessThanOrEqualTo(20);
            seen.addAll(page.alerts());
            cursor = page.next();
        } while (cursor != null);
        assertThat(seen).extracting(IncidentAlert::fingerprint).hasSize(45).doesNotHaveDuplicates()
                .containsExactlyElementsOf(alerts.newest(incident.id(), 45).stream().map(IncidentAlert::fingerprint).toList());
        assertThatThrownBy(() -> alerts.page(incident.id(), "%%%", 20)).isInstanceOf(IllegalArgumentException.class);
    }

    DynamoIncidentStore incidents() {
        return new DynamoIncidentStore(dynamo(), "IncidentsTable", JSON);
    }

    DynamoIncidentAlerts alerts() {
        return new DynamoIncidentAlerts(dynamo(), "AlertsTable", "IncidentsTable", Clock.systemUTC(), Duration.ofDays(1));
    }

    /** A new incident, stored, for alerts to be recorded on. */
    static Incident opened(DynamoIncidentStore store, String prefix, Instant now) {
        Incident incident = Incident.received(prefix + System.nanoTime(), "alertmanager", "f0", now, now);
        store.create(incident);
        return incident;
    }

    /** Runs {@code task} for 0..n-1 at once, on n threads released together; the answers in order. */
    static <T> List<T> race(int n, IntFunction<T> task) throws Exception {
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(n)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.apply(index);
                }));
            }
            start.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        }
    }

    static Map<String, String> invert(Map<String, String> map) {
        Map<String, String> inverted = new HashMap<>();
        map.forEach((k, v) -> inverted.put(v, k));
        return inverted;
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

    @Test
    void aCardIsRedrawnOnlyForwardsWhateverOrderTheRedrawsComeIn() {
        var refs = new DynamoClaims(dynamo(), "IdempotencyTable", incidents(), Clock.systemUTC());
        assertThat(refs.advance("slack", "inc-card", 1)).as("no card yet").isFalse();
        refs.remember("slack", "inc-card", new dev.awoooi.notify.CardRefs.Ref("1700000000.0001", "Approval needed", "text"));
        assertThat(refs.advance("slack", "inc-card", dev.awoooi.notify.CardRefs.signed(2))).isTrue();
        assertThat(refs.advance("slack", "inc-card", dev.awoooi.notify.CardRefs.signed(1))).as("a late, earlier signature").isFalse();
        assertThat(refs.advance("slack", "inc-card", dev.awoooi.notify.CardRefs.signed(2))).as("the same one again").isFalse();
        assertThat(refs.advance("slack", "inc-card", dev.awoooi.notify.CardRefs.closed("Execution Succeeded"))).isTrue();
        assertThat(refs.advance("slack", "inc-card", dev.awoooi.notify.CardRefs.closed("Approval Granted"))).as("the grant after the result").isFalse();
        assertThat(refs.recall("slack", "inc-card")).hasValueSatisfying(ref -> assertThat(ref.handle()).isEqualTo("1700000000.0001"));
    }
}
