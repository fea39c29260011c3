package dev.awoooi.approval;

import dev.awoooi.web.Html;

import dev.awoooi.incident.Incident;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ApprovalPageTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>'";

    static Incident incident(Consumer<ObjectNode> change) throws Exception {
        try (var in = ApprovalPageTest.class.getResourceAsStream("/priming/incident.json")) {
            ObjectNode node = (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            change.accept(node);
            return JSON.treeToValue(node, Incident.class);
        }
    }

    static final ApprovalPage.Viewer ALICE = new ApprovalPage.Viewer("alice", "tok", "csrf-1", ApprovalPage.Viewer.SignIn.NOT_NEEDED, null);

    @Test
    void theDecisionComesFirstThenTheBlastRadiusDryRunAndTimeline() throws Exception {
        Incident incident = incident(n -> { });
        String page = ApprovalPage.render(incident, ALICE, incident.approval().requestedAt().plusSeconds(60), null, java.util.List.of());
        assertThat(page).containsSubsequence("id=\"action\"", "id=\"risk\"", "id=\"cost\"", "id=\"expires\"", "id=\"needs\"",
                "id=\"approve\"", "id=\"reject\"", "id=\"blast-graph\"", "id=\"root-causes\"", "id=\"dry-run\"", "id=\"timeline\"");
        assertThat(page).contains("name=\"csrf\" value=\"csrf-1\"", "Frontend5xxRateHigh", "badge critical\" id=\"severity\">critical</span>", "in 3 h 59 min</time> (23:32:57 UTC)")
                .doesNotContain("229082762", "613128046").as("no nanoseconds anywhere");
        assertThat(page).contains("<circle").contains("postgres-db");
        assertThat(page).as("why this many signatures, beside how many").containsSubsequence("id=\"needs\"", "id=\"why\"",
                e(incident.approval().why()), "id=\"approve\"");
    }

    @Test
    void theTimelineSaysWhetherTheChainItIsReadFromVerifies() throws Exception {
        Incident incident = incident(n -> { });
        Instant at = incident.approval().requestedAt();
        var first = dev.awoooi.audit.AuditEntry.after(dev.awoooi.audit.AuditEntry.Head.EMPTY, incident.id(), at, "alert-accepted",
                java.util.Map.of("alert", "Frontend5xxRateHigh", "source", "alertmanager"));
        var second = dev.awoooi.audit.AuditEntry.after(first.head(), incident.id(), at.plusSeconds(1), "approval-requested",
                java.util.Map.of("risk", "HIGH", "required", "2"));
        assertThat(ApprovalPage.render(incident, ALICE, at, null, java.util.List.of(first, second)))
                .contains("Audit chain verified: 2 items");
        // the first item deleted: the page says so rather than showing a record with a hole in it
        assertThat(ApprovalPage.render(incident, ALICE, at, null, java.util.List.of(second)))
                .contains("Audit chain does NOT verify: item 1 is missing (deleted)");
    }

    private static String e(String text) {
        return Html.escape(text);
    }

    @Test
    void everyRenderedFieldIsEscapedAndTheOnlyScriptIsTheCountdownTheCspAllows() throws Exception {
        Incident incident = incident(n -> {
            n.put("alertName", HOSTILE);
            n.put("service", HOSTILE);
            n.put("summary", HOSTILE);
            ((ObjectNode) n.get("labels")).put("severity", HOSTILE);
            ((ObjectNode) n.get("analysis").get("blastRadius").get(0)).put("service", HOSTILE);
            ((ObjectNode) n.get("analysis").get("rootCauses").get(0)).put("health", HOSTILE);
            ((ObjectNode) n.get("analysis")).put("proposal", HOSTILE);
            ((ObjectNode) n.get("approval")).put("why", HOSTILE);
        });
        var viewer = new ApprovalPage.Viewer("alice", HOSTILE, HOSTILE, ApprovalPage.Viewer.SignIn.NOT_NEEDED, null);
        String page = ApprovalPage.render(incident, viewer, Instant.now(), HOSTILE, java.util.List.of());
        assertThat(page).doesNotContain("<script>alert", "<img", "onerror=alert(2)>", "class=\"badge &");
        assertThat(page.split("<script>", -1)).hasSize(2);
        String script = page.substring(page.indexOf("<script>") + 8, page.indexOf("</script>"));
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        assertThat(ApprovalPage.CONTENT_SECURITY_POLICY).contains("script-src 'sha256-" + hash + "'").contains("default-src 'none'");
        assertThat(ApprovalPage.notice(HOSTILE)).doesNotContain("<script>alert", "<img");
    }

    @Test
    void aCriticalRequestOffersSignInNotButtonsUntilSignedIn() throws Exception {
        Incident incident = incident(n -> ((ObjectNode) n.get("approval")).put("risk", "CRITICAL"));
        var needed = new ApprovalPage.Viewer("dana", "tok", null, ApprovalPage.Viewer.SignIn.NEEDED, null);
        String page = ApprovalPage.render(incident, needed, Instant.now(), null, java.util.List.of());
        assertThat(page).contains("id=\"signin\"", "/approvals/" + incident.id() + "/signin?approver=dana&amp;token=tok").doesNotContain("id=\"approve\"");
        var signedIn = new ApprovalPage.Viewer("dana", "tok", "c", ApprovalPage.Viewer.SignIn.SIGNED_IN, "oidc https://id.example|dana");
        assertThat(ApprovalPage.render(incident, signedIn, Instant.now(), null, java.util.List.of())).contains("id=\"approve\"", "signed in as oidc https://id.example|dana")
                .doesNotContain("id=\"signin\"");
    }

    @Test
    void onceDecidedOrClosedThePageShowsNoButtons() throws Exception {
        Incident closed = incident(n -> n.put("status", "EXPIRED"));
        assertThat(ApprovalPage.render(closed, ALICE, Instant.now(), null, java.util.List.of())).doesNotContain("id=\"approve\"", "id=\"expires\"").contains("Now expired");
    }

    @Test
    void theCountdownSaysHowLongIsLeftInWords() {
        Instant now = Instant.parse("2026-12-01T03:00:00Z");
        assertThat(ApprovalPage.until(now, now.plusSeconds(4 * 3600 - 1))).isEqualTo("in 3 h 59 min");
        assertThat(ApprovalPage.until(now, now.plusSeconds(125))).isEqualTo("in 2 min");
        assertThat(ApprovalPage.until(now, now.plusSeconds(42))).isEqualTo("in 42 s");
        assertThat(ApprovalPage.until(now, now)).isEqualTo("expired");
    }
}
