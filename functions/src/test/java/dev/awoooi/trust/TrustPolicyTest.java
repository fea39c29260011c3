package dev.awoooi.trust;

import dev.awoooi.action.RiskLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TrustPolicyTest {
    static final TrustPolicy POLICY = new TrustPolicy(TrustPolicy.Thresholds.DEFAULT);
    static final String PATTERN = "restart_statefulset:production/postgres-db@prod";

    static TrustPolicy.Verdict decide(RiskLevel risk, int score) {
        return POLICY.decide(new TrustPolicy.Plan(risk, PATTERN, score, true, true, null));
    }

    @Test
    void lowNeedsNoSignatureAndIsCountedAsUnsigned() {
        var verdict = decide(RiskLevel.LOW, 0);
        assertThat(verdict.requirement().count()).isZero();
        assertThat(verdict.unsigned()).isTrue();
    }

    @Test
    void mediumRunsUnsignedFromFiveVerifiedApprovals() {
        assertThat(decide(RiskLevel.MEDIUM, 4).requirement().count()).isEqualTo(1);
        assertThat(decide(RiskLevel.MEDIUM, 4).reason()).isEqualTo(PATTERN + " trusted 4/5: 1 more verified approval and it runs without a signature");
        assertThat(decide(RiskLevel.MEDIUM, 5).requirement().count()).isZero();
        assertThat(decide(RiskLevel.MEDIUM, 5).unsigned()).isTrue();
        assertThat(decide(RiskLevel.MEDIUM, 50).requirement().count()).isZero();
    }

    @Test
    void highNeedsOneSignatureFromTenAndNeverRunsUnsigned() {
        assertThat(decide(RiskLevel.HIGH, 7).requirement().count()).isEqualTo(2);
        assertThat(decide(RiskLevel.HIGH, 7).reason()).isEqualTo(PATTERN + " trusted 7/10: 3 more verified approvals and it needs one signature");
        assertThat(decide(RiskLevel.HIGH, 10).requirement().count()).isEqualTo(1);
        assertThat(decide(RiskLevel.HIGH, 10).reason()).isEqualTo(PATTERN + " trusted 10/10: it needs one signature");
        for (int score = 0; score <= 1000; score += 7) {
            assertThat(decide(RiskLevel.HIGH, score).requirement().count()).as("score " + score).isGreaterThanOrEqualTo(1);
            assertThat(decide(RiskLevel.HIGH, score).unsigned()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 10, 100, Integer.MAX_VALUE})
    void criticalIsNeverLowered(int score) {
        var verdict = decide(RiskLevel.CRITICAL, score);
        assertThat(verdict.requirement().count()).isEqualTo(2);
        assertThat(verdict.requirement().mandatory()).hasSize(2);
        assertThat(verdict.unsigned()).isFalse();
    }

    @Test
    void whatAnAssistantAskedForAlwaysNeedsAPersonAndTrustNeverLowersIt() {
        var trustedMedium = POLICY.decide(new TrustPolicy.Plan(RiskLevel.MEDIUM, PATTERN, 99, true, true, null, "mcp:claude asked for it through MCP"));
        assertThat(trustedMedium.requirement().count()).isEqualTo(1);
        assertThat(trustedMedium.unsigned()).isFalse();
        assertThat(trustedMedium.reason()).isEqualTo("mcp:claude asked for it through MCP: a person signs, trust never lowers it");
        assertThat(POLICY.decide(new TrustPolicy.Plan(RiskLevel.HIGH, PATTERN, 99, true, true, null, "mcp:claude")).requirement().count()).isEqualTo(2);
        assertThat(POLICY.decide(new TrustPolicy.Plan(RiskLevel.LOW, PATTERN, 0, true, true, null, "mcp:claude")).requirement().count()).isEqualTo(1);
    }

    @Test
    void nothingIsLoweredWhenADryRunCheckIsNotPassOrTheTargetIsOutOfScope() {
        var unknownCheck = POLICY.decide(new TrustPolicy.Plan(RiskLevel.MEDIUM, PATTERN, 99, false, true, null));
        assertThat(unknownCheck.requirement().count()).isEqualTo(1);
        assertThat(unknownCheck.reason()).contains("a dry-run check is not PASS");
        var outOfScope = POLICY.decide(new TrustPolicy.Plan(RiskLevel.HIGH, PATTERN, 99, true, false, null));
        assertThat(outOfScope.requirement().count()).isEqualTo(2);
        assertThat(outOfScope.reason()).contains("outside the managed scope");
        var pseudonym = POLICY.decide(new TrustPolicy.Plan(RiskLevel.MEDIUM, null, 99, true, true, null));
        assertThat(pseudonym.requirement().count()).isEqualTo(1);
    }

    @Test
    void aHeldBrakeRequiresSignaturesEvenForLow() {
        String brake = "circuit breaker for " + PATTERN + ": 3 unsigned runs within the hour";
        var low = POLICY.decide(new TrustPolicy.Plan(RiskLevel.LOW, PATTERN, 0, true, true, brake));
        assertThat(low.requirement().count()).isEqualTo(1);
        assertThat(low.unsigned()).isFalse();
        assertThat(low.reason()).startsWith(brake).endsWith("until a person resets it");
        assertThat(POLICY.decide(new TrustPolicy.Plan(RiskLevel.MEDIUM, PATTERN, 99, true, true, brake)).requirement().count()).isEqualTo(1);
        assertThat(POLICY.decide(new TrustPolicy.Plan(RiskLevel.HIGH, PATTERN, 99, true, true, brake)).requirement().count()).isEqualTo(2);
    }

    @Test
    void thresholdsAreConfigurable() {
        var strict = new TrustPolicy(new TrustPolicy.Thresholds(20, 50, 1, 2, java.time.Duration.ofDays(7), java.time.Duration.ofMinutes(10)));
        assertThat(strict.decide(new TrustPolicy.Plan(RiskLevel.MEDIUM, PATTERN, 19, true, true, null)).requirement().count()).isEqualTo(1);
        assertThat(strict.decide(new TrustPolicy.Plan(RiskLevel.MEDIUM, PATTERN, 20, true, true, null)).requirement().count()).isZero();
        assertThat(strict.decide(new TrustPolicy.Plan(RiskLevel.HIGH, PATTERN, 49, true, true, null)).requirement().count()).isEqualTo(2);
    }
}
