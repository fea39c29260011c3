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
}
