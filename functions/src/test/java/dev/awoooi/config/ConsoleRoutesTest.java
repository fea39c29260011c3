package dev.awoooi.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleRoutesTest {
    @Test
    void afterSignInThePersonGoesBackOnlyToAConsolePageOfThisSite() {
        assertThat(ConsoleRoutes.next("/console/incidents/inc-0000000000000000000a")).isEqualTo("/console/incidents/inc-0000000000000000000a");
        assertThat(ConsoleRoutes.next("/console?status=FAILED&service=api")).isEqualTo("/console?status=FAILED&service=api");
        for (String away : new String[]{null, "", "https://evil.example/", "//evil.example/console", "/\\evil.example", "/approvals/x",
                "/console\\..\\x", "/console/signin?next=/console", "/console/oidc/callback?code=x", "/console\r\nSet-Cookie: x=y", "javascript:alert(1)"}) {
            assertThat(ConsoleRoutes.next(away)).as(String.valueOf(away)).isEqualTo("/console");
        }
    }

    @Test
    void noAdminChangesTheirOwnEntryOrAppointsOrChangesACriticalSigner() {
        var carol = new dev.awoooi.console.ConsolePages.Person("carol", "carol", java.util.Set.of(dev.awoooi.approval.Role.ADMIN), "oidc x|carol", "c");
        var none = java.util.Set.<dev.awoooi.approval.Role>of();
        var sre = java.util.Set.of(dev.awoooi.approval.Role.SRE);
        assertThat(ConsoleRoutes.refusal(carol, "frank", none, sre)).isNull();
        assertThat(ConsoleRoutes.refusal(carol, "frank", sre, java.util.Set.of(dev.awoooi.approval.Role.ADMIN))).isNull();
        assertThat(ConsoleRoutes.refusal(carol, "carol", java.util.Set.of(dev.awoooi.approval.Role.ADMIN),
                java.util.Set.of(dev.awoooi.approval.Role.ADMIN, dev.awoooi.approval.Role.SRE))).startsWith("Your own entry");
        assertThat(ConsoleRoutes.refusal(carol, "frank", none, java.util.Set.of(dev.awoooi.approval.Role.CTO))).startsWith("The CTO and the CISO");
        assertThat(ConsoleRoutes.refusal(carol, "dana", java.util.Set.of(dev.awoooi.approval.Role.CTO), none)).as("removing the CTO")
                .startsWith("The CTO and the CISO");
        assertThat(ConsoleRoutes.refusal(carol, "erin", java.util.Set.of(dev.awoooi.approval.Role.CISO), java.util.Set.of(dev.awoooi.approval.Role.CISO)))
                .as("changing the CISO's identities").startsWith("The CTO and the CISO");
    }
}
