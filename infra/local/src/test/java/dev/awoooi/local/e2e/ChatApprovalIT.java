package dev.awoooi.local.e2e;

import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Signature;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.FakeDiscord;
import dev.awoooi.local.FakeSlack;
import dev.awoooi.local.FakeTelegram;
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
 * Signing from chat, over HTTP on the embedded stack with the real functions. Slack: the approval card reaches the
 * channel with Approve and Reject and no personal link; a click counts only when Slack's signature over the raw body
 * holds and the directory knows the clicker as someone the request asks. A stranger, a forged or replayed request, a
 * closed card and the same person twice all change nothing; every state change updates the card in place. Telegram:
 * the same with its webhook's secret token, a press acted on once however often Telegram delivers it, and a signer
 * from Telegram and another from their e-mailed link completing one request. Discord: PING answers PONG, a bad
 * Ed25519 signature 401, a press answers with the card redrawn (type 7) or a private refusal (type 4, ephemeral).
 */
class ChatApprovalIT {
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
        try (InputStream in = ChatApprovalIT.class.getResourceAsStream("/tracer/seed-alert.json")) {
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
        // redrawn by the click's answer ("Signed: …") or already by the grant that followed ("Now: Approved …"): no buttons
        assertThat(now(card).blocks().toString()).containsAnyOf("Signed: alice approved (slack), bob approved (slack)", "Now: Approved")
                .doesNotContain("\"actions\"");
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

    static HttpResponse<String> deliver(FakeTelegram.Press press, String secret) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/chat/telegram/webhook"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(press.body())).header("Content-Type", "application/json");
        if (secret != null) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTelegramPressCountsOnceFromSomeoneTheDirectoryKnowsAndAnEmailedLinkCompletesTheRequest() throws Exception {
        stack.resetDemo();
        long before = stack.telegram().messages().stream().mapToLong(FakeTelegram.Sent::messageId).max().orElse(0);
        String id = alert();
        await().atMost(Duration.ofSeconds(60)).until(() -> incidents.find(id).orElseThrow().status() == IncidentStatus.AWAITING_APPROVAL);
        FakeTelegram.Sent card = await().atMost(Duration.ofSeconds(60)).until(() -> stack.telegram().messages().stream()
                .filter(m -> m.messageId() > before && m.keyboard().size() > 0).findFirst().orElse(null), m -> m != null);
        assertThat(card.text()).doesNotContain("token=", "/approvals/");

        // no secret, a wrong one: refused before anything is read
        assertThat(deliver(stack.telegram().press(card, 100002, "approve"), null).statusCode()).isEqualTo(401);
        assertThat(deliver(stack.telegram().press(card, 100002, "approve"), "wrong").statusCode()).isEqualTo(401);
        // someone in the chat the directory does not know is told so, privately
        FakeTelegram.Press stranger = stack.telegram().press(card, 999, "approve");
        assertThat(deliver(stranger, stack.telegramWebhookSecret()).statusCode()).isEqualTo(200);
        assertThat(stack.telegram().toasts().get(stranger.queryId())).contains("not in AWOOOI's approver directory");
        assertThat(incidents.find(id).orElseThrow().signatures()).isEmpty();

        // bob presses Approve; Telegram delivers the same update twice: it counts once
        FakeTelegram.Press bob = stack.telegram().press(card, 100002, "approve");
        assertThat(deliver(bob, stack.telegramWebhookSecret()).statusCode()).isEqualTo(200);
        assertThat(deliver(bob, stack.telegramWebhookSecret()).statusCode()).isEqualTo(200);
        assertThat(stack.telegram().toasts().get(bob.queryId())).contains("recorded");
        Signature signed = incidents.find(id).orElseThrow().signatures().getFirst();
        assertThat(signed.via().channel()).isEqualTo(Channel.TELEGRAM);
        assertThat(signed.via().subject()).isEqualTo("100002");
        assertThat(stack.telegram().messages()).filteredOn(m -> m.messageId() == card.messageId()).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("Signed: bob approved (telegram)", "Still needed"));

        // alice signs through the link she was e-mailed: the quorum
        String link = await().atMost(Duration.ofSeconds(30)).until(() -> stack.mail().stream()
                .filter(m -> "alice@example.com".equals(m.get("to")) && String.valueOf(m.get("link")).contains("/approvals/" + id + "?"))
                .map(m -> String.valueOf(m.get("link"))).findFirst().orElse(null), l -> l != null);
        var decided = new Browser().decide(link, "approve");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        Incident granted = await().atMost(Duration.ofSeconds(60)).until(() -> incidents.find(id).orElseThrow(),
                i -> i.status() != IncidentStatus.AWAITING_APPROVAL);
        assertThat(granted.signatures()).extracting(s -> s.approver() + " via " + s.via().channel().label())
                .containsExactly("bob via telegram", "alice via link");
        // the card loses its buttons and says where things stand; what follows is a reply to it
        await().atMost(Duration.ofSeconds(60)).until(() -> stack.telegram().messages().stream()
                .anyMatch(m -> m.messageId() == card.messageId() && m.text().contains("Now: Done") && m.keyboard().isEmpty()));
        assertThat(stack.telegram().messages()).filteredOn(m -> Long.valueOf(card.messageId()).equals(m.replyTo())).isNotEmpty();
    }

    static HttpResponse<String> deliver(FakeDiscord.Interaction interaction) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/chat/discord/interactions"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(interaction.body()));
        interaction.headers().forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void discordPingsPongAndAPressFromTheDirectoryUpdatesTheCardInTheSameAnswer() throws Exception {
        // Discord's endpoint check: PONG to a signed PING, 401 to an unsigned or tampered one
        var ping = stack.discord().ping(Instant.now());
        var pong = deliver(ping);
        assertThat(pong.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(pong.body()).get("type").asInt()).isEqualTo(1);
        byte[] tampered = ping.body().clone();
        tampered[tampered.length - 2] = (byte) '2';
        assertThat(deliver(new FakeDiscord.Interaction(tampered, ping.timestamp(), ping.signature())).statusCode()).isEqualTo(401);

        stack.resetDemo();
        long before = stack.discord().messages().size();
        String id = alert();
        await().atMost(Duration.ofSeconds(60)).until(() -> incidents.find(id).orElseThrow().status() == IncidentStatus.AWAITING_APPROVAL);
        FakeDiscord.Posted card = await().atMost(Duration.ofSeconds(60)).until(() -> stack.discord().messages().stream().skip(before)
                .filter(m -> m.components().size() > 0).findFirst().orElse(null), m -> m != null);
        assertThat(card.content()).doesNotContain("token=", "/approvals/");

        // a stranger is refused privately (an ephemeral message), nothing changes
        var stranger = JSON.readTree(deliver(stack.discord().press(card, "900000000000000009", "approve", Instant.now())).body());
        assertThat(stranger.get("type").asInt()).isEqualTo(4);
        assertThat(stranger.get("data").get("flags").asInt()).isEqualTo(64);
        assertThat(stranger.get("data").get("content").asString()).contains("not in AWOOOI's approver directory");
        assertThat(incidents.find(id).orElseThrow().signatures()).isEmpty();

        // alice presses Approve: her Discord identity is recorded and the same answer redraws the card, buttons kept
        var alice = JSON.readTree(deliver(stack.discord().press(card, "800000000000000001", "approve", Instant.now())).body());
        assertThat(alice.get("type").asInt()).isEqualTo(7);
        assertThat(alice.get("data").get("content").asString()).contains("Signed: alice approved (discord)", "Still needed");
        assertThat(alice.get("data").get("components")).isNotEmpty();
        Signature signed = incidents.find(id).orElseThrow().signatures().getFirst();
        assertThat(signed.via().channel()).isEqualTo(Channel.DISCORD);
        // bob completes it: the answer drops the buttons
        var bob = JSON.readTree(deliver(stack.discord().press(card, "800000000000000002", "approve", Instant.now())).body());
        assertThat(bob.get("data").get("components")).isEmpty();
        await().atMost(Duration.ofSeconds(60)).until(() -> stack.discord().messages().stream()
                .anyMatch(m -> m.id().equals(card.id()) && m.content().contains("Now: Done")));
    }

    @Test
    void aSignatureMadeElsewhereRedrawsEveryChannelsCardInPlaceWithItsButtonsKept() throws Exception {
        stack.resetDemo();
        long telegramBefore = stack.telegram().messages().stream().mapToLong(FakeTelegram.Sent::messageId).max().orElse(0);
        long discordBefore = stack.discord().messages().size();
        String id = alert();
        FakeSlack.Posted slack = card(id);
        FakeTelegram.Sent telegram = await().atMost(Duration.ofSeconds(60)).until(() -> stack.telegram().messages().stream()
                .filter(m -> m.messageId() > telegramBefore && m.keyboard().size() > 0).findFirst().orElse(null), m -> m != null);
        FakeDiscord.Posted discord = await().atMost(Duration.ofSeconds(60)).until(() -> stack.discord().messages().stream().skip(discordBefore)
                .filter(m -> m.components().size() > 0).findFirst().orElse(null), m -> m != null);

        // alice decides on her page, through the link mailed to her: no chat saw it happen, yet each card tells it
        String link = await().atMost(Duration.ofSeconds(30)).until(() -> stack.mail().stream()
                .filter(m -> "alice@example.com".equals(m.get("to")) && String.valueOf(m.get("link")).contains("/approvals/" + id + "?"))
                .map(m -> String.valueOf(m.get("link"))).findFirst().orElse(null), l -> l != null);
        assertThat(new Browser().decide(link, "approve").statusCode()).isEqualTo(200);
        assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);

        await("Slack's card").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(now(slack).blocks().toString())
                .contains("Signed: alice approved (link)", "Still needed", "\"approve\""));
        await("Telegram's card").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.telegram().messages())
                .filteredOn(m -> m.messageId() == telegram.messageId()).last()
                .satisfies(m -> assertThat(m.text()).contains("Signed: alice approved (link)", "Still needed"))
                .satisfies(m -> assertThat(m.keyboard()).isNotEmpty()));
        await("Discord's card").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.discord().messages())
                .filteredOn(m -> m.id().equals(discord.id())).last()
                .satisfies(m -> assertThat(m.content()).contains("Signed: alice approved (link)", "Still needed"))
                .satisfies(m -> assertThat(m.components()).isNotEmpty()));
        // no new message for it: the cards changed in place
        assertThat(stack.slack().messages()).filteredOn(m -> slack.ts().equals(m.threadTs())).isEmpty();

        // bob rejects through his link: the request closes, and each card loses its buttons and says so
        String bobs = await().atMost(Duration.ofSeconds(30)).until(() -> stack.mail().stream()
                .filter(m -> "bob@example.com".equals(m.get("to")) && String.valueOf(m.get("link")).contains("/approvals/" + id + "?"))
                .map(m -> String.valueOf(m.get("link"))).findFirst().orElse(null), l -> l != null);
        assertThat(new Browser().decide(bobs, "reject").statusCode()).isEqualTo(200);
        assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.REJECTED);
        await("Slack's card, closed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(now(slack).blocks().toString())
                .contains("Now: Rejected").doesNotContain("\"actions\""));
        await("Telegram's card, closed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.telegram().messages())
                .filteredOn(m -> m.messageId() == telegram.messageId()).last()
                .satisfies(m -> assertThat(m.text()).contains("Now: Rejected"))
                .satisfies(m -> assertThat(m.keyboard() == null || m.keyboard().isEmpty()).isTrue()));
        await("Discord's card, closed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.discord().messages())
                .filteredOn(m -> m.id().equals(discord.id())).last()
                .satisfies(m -> assertThat(m.content()).contains("Now: Rejected"))
                .satisfies(m -> assertThat(m.components() == null || m.components().isEmpty()).isTrue()));
    }
}
