package dev.awoooi.console;

import dev.awoooi.approval.ApproverEntry;
import dev.awoooi.approval.Identity;
import dev.awoooi.approval.Role;
import dev.awoooi.incident.IncidentList.Listed;
import dev.awoooi.incident.IncidentStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ConsolePagesTest {
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final String HOSTILE = "\"><script>alert(1)</script><img src=x onerror=alert(2)>";
    static final ConsolePages.Person ALICE = new ConsolePages.Person("alice", "alice", Set.of(Role.DEVOPS), "oidc https://id|alice", "csrf-a");
    static final ConsolePages.Person CAROL = new ConsolePages.Person("carol", "carol", Set.of(Role.ADMIN), "oidc https://id|carol", "csrf-c");
    static final ConsolePages.Person VICTOR = new ConsolePages.Person("oidc https://id|victor", null, Set.of(), "oidc https://id|victor", "csrf-v");
    static final ConsolePages.Query ALL = new ConsolePages.Query(null, null, null, null, null, null, null);

    static Listed awaiting(String id, String alertName, List<String> asked, Map<String, String> signers) {
        return new Listed(id, IncidentStatus.AWAITING_APPROVAL, NOW.minusSeconds(90), NOW.minusSeconds(120), alertName, "critical", "order-api",
                "production", "postgres-db", "Rolling restart of deployment/order-api in production", "HIGH", 2, asked, signers, NOW.plusSeconds(3600));
    }

    static ConsolePages.Open open(List<Listed> mine, List<Listed> others) {
        return new ConsolePages.Open(mine, others, List.of(), List.of(), List.of(), List.of(), false);
    }

    @Test
    void whatAnAlertSaysIsShownAsTextNeverAsMarkup() {
        Listed row = awaiting("inc-0000000000000000000a", HOSTILE, List.of("alice", "bob"), Map.of());
        String html = ConsolePages.incidents(new ConsolePages.Query(null, HOSTILE, null, null, null, null, null), open(List.of(row), List.of()),
                List.of(), null, NOW, ALICE);
        assertThat(html).doesNotContain("<script>", "<img").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("value=\"&quot;&gt;&lt;script&gt;");
    }

    @Test
    void theRequestsAwaitingMeComeFirstWithWhoSignedAndWhenTheyExpire() {
        var signers = new LinkedHashMap<String, String>();
        signers.put("bob", "APPROVE");
        Listed mine = awaiting("inc-0000000000000000000a", "Frontend5xx", List.of("alice", "bob"), signers);
        String html = ConsolePages.incidents(ALL, open(List.of(mine), List.of()), List.of(), null, NOW, ALICE);
        assertThat(html.indexOf("id=\"awaiting-me\"")).isLessThan(html.indexOf("id=\"awaiting-others\""));
        assertThat(html).contains("class=\"row mine\"", "signatures 1/2 (bob ✓)", "expires in 1 h 0 min", "1 min ago", "root cause postgres-db");
        assertThat(mine.awaits("alice")).isTrue();
        assertThat(mine.awaits("bob")).as("bob signed").isFalse();
        assertThat(mine.awaits(null)).as("a viewer is asked nothing").isFalse();
        assertThat(ConsolePages.incidents(ALL, open(List.of(), List.of(mine)), List.of(), null, NOW, VICTOR))
                .doesNotContain("id=\"awaiting-me\"").contains("Awaiting signatures");
    }

    @Test
    void onlyAnAdminIsOfferedToManageTheDirectoryOrTrust() {
        var people = List.of(new ApproverEntry("alice", Set.of(Role.DEVOPS), List.of(Identity.parse("email:alice@example.com"))));
        assertThat(ConsolePages.directory(people, CAROL, null)).contains("id=\"put\"", "value=\"remove\"");
        for (var person : List.of(ALICE, VICTOR)) {
            assertThat(ConsolePages.directory(people, person, null)).doesNotContain("<form", "csrf");
        }
        assertThat(ConsolePages.directory(people, CAROL, null)).as("addresses are shown masked").contains("email a…@example.com")
                .doesNotContain("alice@example.com");
        var slack = List.of(new ApproverEntry("bob", Set.of(Role.SRE), List.of(Identity.parse("slack:T0001/U0BOB"))));
        assertThat(ConsolePages.directory(slack, CAROL, null)).as("an admin sees whom to reach").contains("slack T0001/U0BOB");
        assertThat(ConsolePages.directory(slack, VICTOR, null)).as("a viewer sees no platform id").doesNotContain("U0BOB").contains("slack#");
        assertThat(ConsolePages.directory(slack, CAROL, null)).as("CTO and CISO are the operator's to appoint").doesNotContain("value=\"cto\"", "value=\"ciso\"");
    }

    @Test
    void thePolicyLetsTheLiveRefreshRunAndNoOtherScript() throws Exception {
        String hash = "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(ConsolePages.LIVE.getBytes(StandardCharsets.UTF_8)));
        assertThat(ConsolePages.CONTENT_SECURITY_POLICY).contains("'" + hash + "'", "connect-src 'self'", "default-src 'none'", "form-action 'self'")
                .doesNotContain("unsafe-eval", "'unsafe-inline' 'sha");
        String page = ConsolePages.page("Incidents", ALICE, "<p>x</p>", List.of("lists"), "\"e1\"", false);
        assertThat(page).contains("data-live=\"lists\"", "data-etag=\"&quot;e1&quot;\"", "<script>" + ConsolePages.LIVE + "</script>");
        assertThat(ConsolePages.page("Trust", ALICE, "<p>x</p>", List.of(), "\"e1\"", false)).doesNotContain("<script>");
    }

    @Test
    void agesReadAsPeopleSayThem() {
        assertThat(ConsolePages.age(NOW, NOW.minusSeconds(42))).isEqualTo("just now");
        assertThat(ConsolePages.age(NOW, NOW.minusSeconds(7 * 60))).isEqualTo("7 min ago");
        assertThat(ConsolePages.age(NOW, NOW.minusSeconds(3 * 3600))).isEqualTo("3 h ago");
        assertThat(ConsolePages.age(NOW, NOW.minusSeconds(5 * 86400))).isEqualTo("5 d ago");
        assertThat(ConsolePages.age(NOW, NOW.plusSeconds(5))).as("a clock a little ahead").isEqualTo("just now");
    }
}
