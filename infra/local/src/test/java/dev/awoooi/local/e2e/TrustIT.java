package dev.awoooi.local.e2e;

import dev.awoooi.config.TrustCommand;
import dev.awoooi.local.LocalStack;
import dev.awoooi.store.DynamoApproverDirectory;
import dev.awoooi.store.DynamoAuditLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Progressive autonomy end to end, on the embedded stack with the real functions, driven as Alertmanager and people
 * drive it: alerts over HTTP, signatures by the chat platforms' signed button presses, what AWOOOI learnt read back
 * through GET /trust and GET /incidents/{id}/audit. The restart of postgres-db (HIGH) earns a point per approved,
 * verified run; the eleventh asks one signature; a rejection starts it over; a fix whose alert fires again within the
 * window does too. And the circuit breaker: a pattern that ran unsigned as often as the hour allows is held for a
 * signature, a card tells people, and only an admin's clear lets it run unsigned again.
 */
class TrustIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String DB = "restart_statefulset:production/postgres-db@default";
    static final String ORDERS = "restart_deployment:production/order-api@default";
    LocalStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void tenVerifiedApprovalsLowerTheSignaturesOneRejectionRaisesThemAndARefiredAlertStartsThePatternOver() throws Exception {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false));
        List<Long> roundMillis = new ArrayList<>();
        String last = null;
        for (int round = 1; round <= 10; round++) {
            Instant started = Instant.now();
            last = fingerprint();
            JsonNode asked = askToRestartTheDatabase(last);
            assertThat(asked.get("requiredSignatures").asInt()).as("round %d", round).isEqualTo(2);
            assertThat(asked.get("signaturesWhy").asString()).isEqualTo(DB + " trusted " + (round - 1) + "/10: " + (11 - round)
                    + " more verified approval" + (round == 10 ? "" : "s") + " and it needs one signature");
            String id = asked.get("id").asString();
            press("slack", id, "T0AWOOOI/U0ALICE", "approve");
            press("telegram", id, "100002", "approve");
            succeeded(id);
            int score = round;
            awaitPattern(DB, p -> p.get("score").asInt() == score);
            roundMillis.add(Duration.between(started, Instant.now()).toMillis());
        }
        System.out.println("TrustIT: ten approved rounds took " + roundMillis + " ms");
        JsonNode trusted = pattern(DB);
        assertThat(trusted.get("credits").asInt()).isEqualTo(10);
        assertThat(trusted.get("lastReset").isNull()).isTrue();
        assertThat(trusted.get("history")).extracting(h -> h.get("what").asString()).contains("trust-credited");

        // the eleventh asks one signature, and says why on the card every channel shows
        JsonNode eleventh = askToRestartTheDatabase(fingerprint());
        String id = eleventh.get("id").asString();
        assertThat(eleventh.get("requiredSignatures").asInt()).isEqualTo(1);
        assertThat(eleventh.get("signaturesWhy").asString()).isEqualTo(DB + " trusted 10/10: it needs one signature");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.slack().messages())
                .filteredOn(m -> m.blocks().toString().contains("\"" + id + "|")).first()
                .satisfies(card -> assertThat(card.blocks().toString()).contains("trusted 10/10: it needs one signature")));
        press("slack", id, "T0AWOOOI/U0ALICE", "approve");
        succeeded(id);
        awaitPattern(DB, p -> p.get("score").asInt() == 11);

        // one rejection, and it needs two again
        JsonNode twelfth = askToRestartTheDatabase(fingerprint());
        assertThat(twelfth.get("requiredSignatures").asInt()).isEqualTo(1);
        press("telegram", twelfth.get("id").asString(), "100002", "reject");
        JsonNode collapsed = awaitPattern(DB, p -> p.get("score").asInt() == 0);
        assertThat(collapsed.get("lastReset").get("reason").asString()).isEqualTo("rejected by bob on " + twelfth.get("id").asString());
        String refiring = fingerprint();
        JsonNode fixed = askToRestartTheDatabase(refiring);
        assertThat(fixed.get("requiredSignatures").asInt()).isEqualTo(2);
        assertThat(fixed.get("signaturesWhy").asString()).startsWith(DB + " trusted 0/10: 10 more");

        // an approved fix whose alert fires again within the window was not effective: the pattern starts over
        press("slack", fixed.get("id").asString(), "T0AWOOOI/U0ALICE", "approve");
        press("telegram", fixed.get("id").asString(), "100002", "approve");
        succeeded(fixed.get("id").asString());
        awaitPattern(DB, p -> p.get("score").asInt() == 1);
        JsonNode again = askToRestartTheDatabase(refiring);
        assertThat(again.get("requiredSignatures").asInt()).isEqualTo(2);
        JsonNode ineffective = awaitPattern(DB, p -> p.get("score").asInt() == 0);
        assertThat(ineffective.get("lastReset").get("reason").asString())
                .matches("ineffective: Frontend5xxRateHigh fired again 0 min after " + fixed.get("id").asString() + " succeeded");
        assertThat(ineffective.get("resets").asInt()).isEqualTo(2);

        // the fixed incident's trail: every step, in one chain that verifies
        JsonNode audit = JSON.readTree(StackContents.get(stack, "/incidents/" + fixed.get("id").asString() + "/audit").body());
        assertThat(audit.get("verified").asBoolean()).as(audit.toString()).isTrue();
        List<String> steps = new ArrayList<>();
        audit.get("entries").forEach(e -> steps.add(e.get("what").asString()));
        assertThat(steps).containsSubsequence("alert-accepted", "analyzed", "approval-requested", "signature", "signature", "granted",
                "execution", "trust-credited");
        assertThat(audit.get("entries")).filteredOn(e -> e.get("what").asString().equals("signature"))
                .extracting(e -> e.get("detail").get("approver").asString() + " via " + e.get("detail").get("via").asString())
                .containsExactly("alice via slack", "bob via telegram");
        // the reset is on the trail of the incident that showed the fix did not hold
        JsonNode refired = JSON.readTree(StackContents.get(stack, "/incidents/" + again.get("id").asString() + "/audit").body());
        assertThat(refired.get("verified").asBoolean()).isTrue();
        assertThat(refired.get("entries")).filteredOn(e -> e.get("what").asString().equals("trust-reset")).singleElement()
                .satisfies(e -> assertThat(e.get("detail").get("reason").asString()).startsWith("ineffective: "));
    }

    @Test
    void trustAndAuditAreReadOnlyWithTheReadersToken() throws Exception {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false));
        var http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/trust", "/incidents/inc-01m8t4sndeyr58pqv0y9/audit")) {
            for (String token : new String[]{null, stack.webhookToken(), "not-a-token"}) {
                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.baseUrl() + path));
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                assertThat(http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
                        .as(path + " with " + (token == null ? "no token" : "a token that is not the reader's")).isEqualTo(401);
            }
        }
        assertThat(StackContents.get(stack, "/incidents/inc-01m8t4sndeyr58pqv0y9/audit").statusCode()).as("no such incident").isEqualTo(404);
        assertThat(StackContents.get(stack, "/incidents/not-an-id/audit").statusCode()).isEqualTo(400);
        JsonNode empty = JSON.readTree(StackContents.get(stack, "/trust").body());
        assertThat(empty.get("thresholds").get("highNeedsOneSignatureAt").asInt()).isEqualTo(10);
        assertThat(empty.get("thresholds").get("refireWindow").asString()).isEqualTo("PT30M");
    }

    @Test
    void theCircuitBreakerHoldsUnsignedRunsUntilAnAdminClearsIt() throws Exception {
        // one verified approval is trust enough here, so that the hour's unsigned runs come quickly
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false)
                .withParameter("TrustMediumUnsignedAt", "1"));
        // the database mended first (two signatures), so that order-api's own restart is the plan
        JsonNode mend = askToRestartTheDatabase(fingerprint());
        press("slack", mend.get("id").asString(), "T0AWOOOI/U0ALICE", "approve");
        press("telegram", mend.get("id").asString(), "100002", "approve");
        succeeded(mend.get("id").asString());
        JsonNode first = askToRestartOrders();
        assertThat(first.get("requiredSignatures").asInt()).as(first.toString()).isEqualTo(1);
        press("slack", first.get("id").asString(), "T0AWOOOI/U0ALICE", "approve");
        succeeded(first.get("id").asString());
        awaitPattern(ORDERS, p -> p.get("score").asInt() == 1);

        for (int run = 1; run <= 3; run++) {
            JsonNode unsigned = askToRestartOrders();
            assertThat(unsigned.get("status").asString()).as("run %d: %s", run, unsigned).isNotEqualTo("AWAITING_APPROVAL");
            assertThat(unsigned.get("requiredSignatures").asInt()).isZero();
            assertThat(unsigned.get("signaturesWhy").asString()).isEqualTo(ORDERS + " trusted 1/1: it runs without a signature");
            assertThat(succeeded(unsigned.get("id").asString()).get("signatures")).isEmpty();
        }
        assertThat(pattern(ORDERS).get("unsignedLastHour").asInt()).isEqualTo(3);

        // the fourth within the hour trips the brake: held for a signature, and a card says so
        JsonNode held = askToRestartOrders();
        assertThat(held.get("status").asString()).isEqualTo("AWAITING_APPROVAL");
        assertThat(held.get("requiredSignatures").asInt()).isEqualTo(1);
        assertThat(held.get("signaturesWhy").asString()).isEqualTo("circuit breaker for " + ORDERS
                + ": 3 unsigned runs within the hour: signatures are required until a person resets it");
        JsonNode card = await().atMost(Duration.ofSeconds(60)).until(() -> outbox("Circuit Breaker Tripped"), c -> c != null);
        assertThat(card.get("text").asString()).contains(ORDERS, "scripts/trust clear '" + ORDERS + "' --as <admin>");
        assertThat(pattern(ORDERS).get("breaker").get("reason").asString()).contains("3 unsigned runs within the hour");
        press("slack", held.get("id").asString(), "T0AWOOOI/U0ALICE", "approve");
        succeeded(held.get("id").asString());
        // still held: a signature does not clear the brake
        JsonNode stillHeld = askToRestartOrders();
        assertThat(stillHeld.get("requiredSignatures").asInt()).isEqualTo(1);
        press("slack", stillHeld.get("id").asString(), "T0AWOOOI/U0ALICE", "approve");
        succeeded(stillHeld.get("id").asString());

        // only an admin of the directory clears it, and the clear is on the pattern's trail
        assertThat(trust("clear", ORDERS, "--as", "alice")).startsWith("1 refused: alice is not an admin");
        assertThat(pattern(ORDERS).get("breaker").isNull()).isFalse();
        assertThat(trust("clear", ORDERS, "--as", "carol")).startsWith("0 cleared the circuit breaker of " + ORDERS);
        JsonNode cleared = pattern(ORDERS);
        assertThat(cleared.get("breaker").isNull()).isTrue();
        assertThat(cleared.get("history")).extracting(h -> h.get("what").asString()).contains("breaker-tripped", "breaker-cleared");
        JsonNode free = askToRestartOrders();
        assertThat(free.get("requiredSignatures").asInt()).isZero();
        assertThat(succeeded(free.get("id").asString()).get("signatures")).isEmpty();
    }

    // --- driving the stack as its users do

    static String fingerprint() {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** The seed alert (postgres-db crash-looping behind the frontend's errors), fired anew; the incident once weighed. */
    JsonNode askToRestartTheDatabase(String fingerprint) throws Exception {
        stack.resetDemo();
        ObjectNode alert;
        try (InputStream in = TrustIT.class.getResourceAsStream("/tracer/seed-alert.json")) {
            alert = (ObjectNode) JSON.readTree(in);
        }
        ObjectNode first = (ObjectNode) alert.get("alerts").get(0);
        first.put("startsAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        first.put("fingerprint", fingerprint);
        return weighed(accepted(StackContents.post(stack, "/alerts/alertmanager", alert.toString(), "Authorization",
                "Bearer " + stack.webhookToken(), "Content-Type", "application/json")));
    }

    /** A runbook's restart of order-api on a warning (MEDIUM), fired anew. */
    JsonNode askToRestartOrders() throws Exception {
        String id = StackContents.alert(stack, fingerprint(), "order-api", "production",
                "kubectl rollout restart deployment/order-api -n production", "warning");
        return weighed(id);
    }

    static String accepted(java.net.http.HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("incidents").get(0).get("id").asString();
    }

    JsonNode weighed(String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> incident(id),
                i -> i.get("requiredSignatures") != null && !i.get("requiredSignatures").isNull());
    }

    JsonNode succeeded(String id) {
        JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> incident(id),
                i -> List.of("SUCCEEDED", "FAILED", "VOIDED", "REJECTED", "EXPIRED").contains(i.get("status").asString()));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("execution").get("verified").asBoolean()).isTrue();
        return done;
    }

    JsonNode incident(String id) throws Exception {
        var response = StackContents.get(stack, "/incidents/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A button pressed on the incident's card; it must be recorded. */
    void press(String platform, String id, String user, String action) throws Exception {
        StackContents.press(stack, platform, id, user, action);
    }

    JsonNode pattern(String key) throws Exception {
        var response = StackContents.get(stack, "/trust");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode pattern : JSON.readTree(response.body()).get("patterns")) {
            if (pattern.get("pattern").asString().equals(key)) {
                return pattern;
            }
        }
        return null;
    }

    JsonNode awaitPattern(String key, Predicate<JsonNode> done) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> pattern(key), p -> p != null && done.test(p));
    }

    JsonNode outbox(String kind) throws Exception {
        for (JsonNode card : JSON.readTree(StackContents.get(stack, "/local/outbox").body())) {
            if (kind.equals(card.path("kind").asString())) {
                return card;
            }
        }
        return null;
    }

    /** scripts/trust, as an operator runs it against the stack's tables: its exit status, then what it printed. */
    String trust(String... args) {
        try (var dynamo = StackContents.dynamo(stack)) {
            Clock clock = Clock.systemUTC();
            String audit = stack.tableName("AuditTable");
            var directory = new DynamoApproverDirectory(dynamo, stack.tableName("ApproversTable"), new DynamoAuditLog(dynamo, audit, clock), clock);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = new TrustCommand(TrustCommand.operatorsLedger(dynamo, stack.tableName("TrustTable"), audit, clock), directory, clock,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8)).run(List.of(args));
            return status + " " + out.toString(StandardCharsets.UTF_8);
        }
    }
}
