package dev.awoooi.local.e2e;

import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Signature;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.FakeSlack;
import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signing from Slack, over HTTP on the embedded stack with the real functions: the approval card reaches the channel
 * with Approve and Reject and no personal link; a click counts only when Slack's signature over the raw body holds and
 * the directory knows the clicker as someone the request asks. A stranger, a forged or replayed request, a stale card,
 * and the same person twice all change nothing; every state change updates the card in place.
 */
class SlackApprovalIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalStack stack;
    static IncidentStore incidents;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false));
        incidents = stack.applicationContext().getBean(IncidentStore.class);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String alert() throws Exception {
        ObjectNode alert;
        try (InputStream in = SlackApprovalIT.class.getResourceAsStream("/tracer/seed-alert.json")) {
            alert = (ObjectNode) JSON.readTree(in);
        }
        ObjectNode first = (ObjectNode) alert.get("alerts").get(0);
        first.put("startsAt", Instant.now().toString().substring(0, 19) + "Z");
        first.put("fingerprint", HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(System.nanoTime()).array()));
        var response = StackContents.post(stack, "/alerts/alertmanager", alert.toString(), "Authorization", "Bearer " + stack.webhookToken(),
                "Content-Type", "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("incidents").get(0).get("id").asString();
    }

    static HttpResponse<String> deliver(FakeSlack.Click click) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/chat/slack/interactions"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(click.body()));
        click.headers().forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static FakeSlack.Posted card(String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> stack.slack().messages().stream()
                .filter(m -> m.blocks().toString().contains("\"" + id + "|")).findFirst().orElse(null), m -> m != null);
    }

    static FakeSlack.Posted now(FakeSlack.Posted card) {
        return stack.slack().messages().stream().filter(m -> m.ts().equals(card.ts())).findFirst().orElseThrow();
    }

    static FakeSlack.Click click(FakeSlack.Posted card, String team, String user, String action) {
        return stack.slack().click(stack.slackSigningSecret(), card, team, user, action, Instant.now());
    }

    @Test
    void aClickCountsOnlyFromSomeoneTheDirectoryKnowsAndEveryOtherIsRefusedWithNothingChanged() throws Exception {
        stack.resetDemo();
        String id = alert();
        FakeSlack.Posted card = card(id);
        assertThat(card.blocks().toString()).as("no personal link in the channel").doesNotContain("token=", "/approvals/");
        assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);

        // a forged request (another signing secret), and Slack's own request replayed six minutes later
        var forged = stack.slack().click("not-the-secret".getBytes(), card, "T0AWOOOI", "U0ALICE", "approve", Instant.now());
        assertThat(deliver(forged).statusCode()).isEqualTo(401);
        var replayed = stack.slack().click(stack.slackSigningSecret(), card, "T0AWOOOI", "U0ALICE", "approve", Instant.now().minusSeconds(360));
        assertThat(deliver(replayed).statusCode()).isEqualTo(401);
        // a member of the channel the directory does not know
        assertThat(deliver(click(card, "T0AWOOOI", "U0MALLORY", "approve")).statusCode()).isEqualTo(200);
        // a look-alike: alice's user id in another workspace
        assertThat(deliver(click(card, "T0OTHER", "U0ALICE", "approve")).statusCode()).isEqualTo(200);
        assertThat(incidents.find(id).orElseThrow().signatures()).isEmpty();
        assertThat(stack.slack().ephemerals()).filteredOn(e -> e.user().equals("U0MALLORY")).singleElement()
                .satisfies(e -> assertThat(e.text()).contains("not in AWOOOI's approver directory"));

        // alice approves from Slack: her Slack identity is on the signature, and the card says so in place
        assertThat(deliver(click(card, "T0AWOOOI", "U0ALICE", "approve")).statusCode()).isEqualTo(200);
        Signature alice = incidents.find(id).orElseThrow().signatures().getFirst();
        assertThat(alice.approver()).isEqualTo("alice");
        assertThat(alice.via().channel()).isEqualTo(Channel.SLACK);
        assertThat(alice.via().subject()).isEqualTo("T0AWOOOI/U0ALICE");
        assertThat(now(card).blocks().toString()).contains("Signed: alice approved (slack)", "Still needed", "\"approve\"");
        // the same person twice counts once
        assertThat(deliver(click(card, "T0AWOOOI", "U0ALICE", "approve")).statusCode()).isEqualTo(200);
        assertThat(incidents.find(id).orElseThrow().signatures()).hasSize(1);

        // bob approves from Slack: the quorum; the card loses its buttons and says what happened
        assertThat(deliver(click(card, "T0AWOOOI", "U0BOB", "approve")).statusCode()).isEqualTo(200);
        Incident granted = await().atMost(Duration.ofSeconds(60)).until(() -> incidents.find(id).orElseThrow(),
                i -> i.status() != IncidentStatus.AWAITING_APPROVAL);
        assertThat(granted.signatures()).extracting(Signature::approver).containsExactly("alice", "bob");
        assertThat(now(card).blocks().toString()).contains("Signed: alice approved (slack), bob approved (slack)").doesNotContain("\"actions\"");
        // a click on the closed card changes nothing
        assertThat(deliver(click(card, "T0AWOOOI", "U0BOB", "reject")).statusCode()).isEqualTo(200);
        assertThat(incidents.find(id).orElseThrow().signatures()).hasSize(2);
        assertThat(stack.slack().ephemerals()).filteredOn(e -> e.user().equals("U0BOB")).last()
                .satisfies(e -> assertThat(e.text()).contains("no longer awaiting approval"));
        // what follows is told in the request's thread, and the request's card itself says where things stand
        await().atMost(Duration.ofSeconds(60)).until(() -> now(card).blocks().toString().contains("Now: Done"));
        assertThat(stack.slack().messages()).filteredOn(m -> card.ts().equals(m.threadTs())).extracting(FakeSlack.Posted::text)
                .anySatisfy(t -> assertThat(t).startsWith("Done")).anySatisfy(t -> assertThat(t).contains("pprov"));
        // every refusal is audited: the forgeries under "slack", the strangers and the closed card under the incident
        List<String> audited = StackContents.items(stack, "AuditTable").stream()
                .map(item -> item.get("subject").s() + " " + item.get("what").s()).toList();
        assertThat(audited).filteredOn(a -> a.equals("slack chat-refused")).hasSize(2);
        assertThat(audited).filteredOn(a -> a.equals(id + " decision-refused")).hasSizeGreaterThanOrEqualTo(2);
    }
}
