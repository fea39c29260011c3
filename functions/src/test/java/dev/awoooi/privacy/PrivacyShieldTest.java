package dev.awoooi.privacy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrivacyShieldTest {
    private final PrivacyShield shield = new PrivacyShield();

    @Test
    void sameValueWearsTheSameLabelWithinAnIncident() {
        PseudonymTable table = new PseudonymTable();
        String once = shield.redact("User 192.168.1.100 with email admin@company.com triggered alert", table);
        String twice = shield.redact("again 192.168.1.100, then 10.0.0.7 and admin@company.com", table);
        assertThat(once).isEqualTo("User [IP_1] with email [EMAIL_1] triggered alert");
        assertThat(twice).isEqualTo("again [IP_1], then [IP_2] and [EMAIL_1]");
        assertThat(table.added()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "[IP_1]", "192.168.1.100", "[IP_2]", "10.0.0.7", "[EMAIL_1]", "admin@company.com"));
    }

    @Test
    void incidentsHaveIndependentLabelSpaces() {
        assertThat(shield.redact("203.0.113.9", new PseudonymTable())).isEqualTo("[IP_1]");
        PseudonymTable other = new PseudonymTable();
        shield.redact("198.51.100.1", other);
        assertThat(shield.redact("203.0.113.9", other)).isEqualTo("[IP_2]");
    }

    @Test
    void aTableReloadedFromTheVaultContinuesItsNumbering() {
        PseudonymTable reloaded = PseudonymTable.of(Map.of("[IP_1]", "10.1.1.1", "[IP_2]", "10.1.1.2"));
        assertThat(shield.redact("10.1.1.2 and 10.1.1.3", reloaded)).isEqualTo("[IP_2] and [IP_3]");
        assertThat(reloaded.added()).containsOnlyKeys("[IP_3]");
    }

    @Test
    void versionsTimestampsAndNamesSurvive() {
        String clean = "Runbook v2.14.1 at 2026-11-21T03:12:00Z on pod frontend-7d9c5b8f6-abcde, build 1.2.3.4.5, 999.1.1.1, sha 8f2a9c1d";
        assertThat(shield.redact(clean, new PseudonymTable())).isEqualTo(clean);
        assertThat(shield.finds(clean)).isFalse();
    }

    @Test
    void labelsSayNothingAboutTheValue() {
        PseudonymTable a = new PseudonymTable();
        PseudonymTable b = new PseudonymTable();
        assertThat(shield.redact("x@example.com", a)).isEqualTo(shield.redact("y@example.org", b));
    }
}
