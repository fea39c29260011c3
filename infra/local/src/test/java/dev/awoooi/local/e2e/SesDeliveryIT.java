package dev.awoooi.local.e2e;

import dev.awoooi.approval.Identity;
import dev.awoooi.chat.EmailChannel;
import dev.awoooi.chat.SesTransport;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.LocalStack;
import dev.awoooi.local.MotoServer;
import dev.awoooi.notify.PrivateChannel;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Personal links through Amazon SES v2, against moto's SES (a real HTTP peer that refuses unverified senders and keeps
 * what it sent at /moto-api/data.json): notify sends each approver their link as raw MIME, the test reads alice's
 * message as her mail client would and follows its link to a decision. Skipped where moto_server is not installed.
 */
class SesDeliveryIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static MotoServer moto;
    static LocalStack stack;
    static SesV2Client ses;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        ses = SesV2Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        ses.createEmailIdentity(r -> r.emailIdentity("awoooi@awoooi.local"));
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false)
                .withProperty("awoooi.mail.smtp", "").withProperty("awoooi.endpoints.ses", moto.endpoint().toString()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (ses != null) {
            ses.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /** Every raw message moto's SES accepted: the source, the recipients and the bytes. */
    static List<JsonNode> sent() throws Exception {
        var body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(moto.endpoint().resolve("/moto-api/data.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<JsonNode> messages = new ArrayList<>();
        JSON.readTree(body).path("ses").path("RawMessage").forEach(messages::add);
        return messages;
    }

    @Test
    void notifySendsEachApproverTheirLinkThroughSesAndTheLinkDecides() throws Exception {
        String id = StackContents.alert(stack, "5e51", "order-api", "production", "kubectl rollout restart deployment/order-api -n production");
        IncidentStore incidents = stack.applicationContext().getBean(IncidentStore.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> incidents.find(id).orElseThrow().status() == IncidentStatus.AWAITING_APPROVAL);
        JsonNode toAlice = await().atMost(Duration.ofSeconds(30)).until(() -> sent().stream()
                .filter(m -> m.path("destinations").toString().contains("alice@example.com") && m.path("raw_data").asString().contains(id))
                .findFirst().orElse(null), m -> m != null);
        assertThat(toAlice.path("source").asString()).isEqualTo("awoooi@awoooi.local");
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(toAlice.path("raw_data").asString().getBytes(StandardCharsets.UTF_8)));
        assertThat(mail.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        String text = String.valueOf(mail.getContent());
        Matcher link = Pattern.compile("(http://\\S+/approvals/" + id + "\\?\\S+)").matcher(text);
        assertThat(link.find()).as(text).isTrue();
        // nobody else's link went to alice
        assertThat(sent()).filteredOn(m -> m.path("destinations").toString().contains("alice@example.com"))
                .allSatisfy(m -> assertThat(m.path("raw_data").asString()).doesNotContain("approver=bob", "approver=carol"));

        var decided = new Browser().decide(link.group(1), "approve");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        assertThat(incidents.find(id).orElseThrow().signatures()).singleElement()
                .satisfies(s -> assertThat(s.approver() + " via " + s.via().channel().label()).isEqualTo("alice via link"));
    }

    @Test
    void anUnverifiedSenderIsRefusedAndTheErrorNamesNoAddress() {
        var channel = new EmailChannel("nobody@unverified.example", new SesTransport(() -> ses));
        assertThatThrownBy(() -> channel.send(Identity.parse("email:alice@example.com"),
                new PrivateChannel.PersonalMessage("Approval needed", "text", "https://awoooi.example/approvals/inc-1?approver=alice&token=t")))
                .isInstanceOf(IllegalStateException.class).hasMessage("SES did not take the e-mail: MessageRejected")
                .hasMessageNotContaining("example");
    }
}
