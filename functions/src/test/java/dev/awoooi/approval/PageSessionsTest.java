package dev.awoooi.approval;

import dev.awoooi.approval.PageSessions.Purpose;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PageSessionsTest {
    final Instant now = Instant.parse("2026-12-01T03:00:00Z");
    final byte[] secret = "page-secret-for-tests-0123456789".getBytes();
    final PageSessions sessions = new PageSessions(() -> secret, Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void aSealedValueOpensUnchangedForItsPurposeOnlyUntilItExpires() {
        String sealed = sessions.seal(Purpose.SESSION, Map.of("i", "inc-1", "a", "dana", "sub", "https://id.example|d&a=n"), Duration.ofMinutes(15));
        assertThat(sessions.open(Purpose.SESSION, sealed)).contains(Map.of("i", "inc-1", "a", "dana", "sub", "https://id.example|d&a=n"));
        assertThat(sessions.open(Purpose.SIGN_IN, sealed)).as("one purpose never stands in for another").isEmpty();
        var later = new PageSessions(() -> secret, Clock.fixed(now.plus(Duration.ofMinutes(15)), ZoneOffset.UTC));
        assertThat(later.open(Purpose.SESSION, sealed)).as("expired").isEmpty();
        var otherKey = new PageSessions(() -> "another-secret-for-tests-01234567".getBytes(), Clock.fixed(now, ZoneOffset.UTC));
        assertThat(otherKey.open(Purpose.SESSION, sealed)).isEmpty();
    }

    @Test
    void aTamperedOrGarbledValueOpensNothing() {
        String sealed = sessions.seal(Purpose.SESSION, Map.of("a", "dana"), Duration.ofMinutes(15));
        String body = sealed.substring(0, sealed.indexOf('.'));
        String forgedBody = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("exp=9999999999&a=erin".getBytes());
        assertThat(sessions.open(Purpose.SESSION, forgedBody + sealed.substring(sealed.indexOf('.')))).isEmpty();
        assertThat(sessions.open(Purpose.SESSION, body + ".")).isEmpty();
        assertThat(sessions.open(Purpose.SESSION, "garbage")).isEmpty();
        assertThat(sessions.open(Purpose.SESSION, null)).isEmpty();
        assertThat(sessions.open(Purpose.SESSION, "x".repeat(5000))).isEmpty();
    }

    @Test
    void theCsrfTokenIsBoundToIncidentApproverAndWhatTheBrowserHolds() {
        String csrf = sessions.csrf("inc-1", "alice", "link-token");
        assertThat(sessions.csrfHolds("inc-1", "alice", "link-token", csrf)).isTrue();
        assertThat(sessions.csrfHolds("inc-2", "alice", "link-token", csrf)).isFalse();
        assertThat(sessions.csrfHolds("inc-1", "bob", "link-token", csrf)).isFalse();
        assertThat(sessions.csrfHolds("inc-1", "alice", "other-session", csrf)).isFalse();
        assertThat(sessions.csrfHolds("inc-1", "alice", "link-token", null)).isFalse();
    }

    @Test
    void thePkceChallengeIsRfc7636s() {
        // RFC 7636 Appendix B
        assertThat(PageSessions.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertThat(PageSessions.random()).hasSize(43).isNotEqualTo(PageSessions.random());
    }
}
