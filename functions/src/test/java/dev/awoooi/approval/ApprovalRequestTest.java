package dev.awoooi.approval;

import dev.awoooi.action.RiskLevel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.awoooi.approval.ApprovalRequest.Outcome.GRANTED;
import static dev.awoooi.approval.ApprovalRequest.Outcome.PENDING;
import static dev.awoooi.approval.ApprovalRequest.Outcome.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

class ApprovalRequestTest {
    private static final Instant T = Instant.parse("2026-11-21T03:15:00Z");
    private static final List<Approver> TEAM = Approver.parseAll("alice:devops,bob:sre,carol:admin,dana:cto,erin:ciso");

    private static ApprovalRequest request(RiskLevel risk) {
        return new ApprovalRequest(risk, SignatureRequirement.forRisk(risk), TEAM, "plan", T, T.plusSeconds(3600));
    }

    private static Signature sign(String who, Decision decision) {
        return new Signature(who, decision, "plan", T, new Identity(Channel.LINK, who));
    }

    @Test
    void signaturesPerRiskFollowTheMatrix() {
        assertThat(SignatureRequirement.forRisk(RiskLevel.LOW).count()).isZero();
        assertThat(request(RiskLevel.MEDIUM).outcome(List.of(sign("carol", Decision.APPROVE)))).isEqualTo(GRANTED);
        assertThat(request(RiskLevel.HIGH).outcome(List.of(sign("alice", Decision.APPROVE)))).isEqualTo(PENDING);
        assertThat(request(RiskLevel.HIGH).outcome(List.of(sign("alice", Decision.APPROVE), sign("bob", Decision.APPROVE)))).isEqualTo(GRANTED);
    }

    @Test
    void oneSignaturePerPersonAndOnlyFromEligibleRoles() {
        assertThat(request(RiskLevel.HIGH).outcome(List.of(sign("alice", Decision.APPROVE), sign("alice", Decision.APPROVE)))).isEqualTo(PENDING);
        assertThat(request(RiskLevel.HIGH).outcome(List.of(sign("alice", Decision.APPROVE), sign("dana", Decision.APPROVE)))).isEqualTo(PENDING);
    }

    @Test
    void criticalNeedsBothTheCtoAndTheCiso() {
        assertThat(request(RiskLevel.CRITICAL).outcome(List.of(sign("alice", Decision.APPROVE), sign("bob", Decision.APPROVE)))).isEqualTo(PENDING);
        assertThat(request(RiskLevel.CRITICAL).outcome(List.of(sign("dana", Decision.APPROVE)))).isEqualTo(PENDING);
        assertThat(request(RiskLevel.CRITICAL).outcome(List.of(sign("dana", Decision.APPROVE), sign("erin", Decision.APPROVE)))).isEqualTo(GRANTED);
    }

    @Test
    void onePersonWithBothRolesIsStillOnePersonAndCountsForOneMandatoryRole() {
        var team = Approver.parseAll("dana:cto+ciso,erin:ciso,frank:cto");
        var critical = new ApprovalRequest(RiskLevel.CRITICAL, SignatureRequirement.forRisk(RiskLevel.CRITICAL), team, "plan", T, T.plusSeconds(3600));
        assertThat(critical.outcome(List.of(sign("dana", Decision.APPROVE), sign("dana", Decision.APPROVE)))).isEqualTo(PENDING);
        // dana can be the CISO when frank is the CTO, or the CTO when erin is the CISO: whichever the other holds
        assertThat(critical.outcome(List.of(sign("dana", Decision.APPROVE), sign("frank", Decision.APPROVE)))).isEqualTo(GRANTED);
        assertThat(critical.outcome(List.of(sign("erin", Decision.APPROVE), sign("dana", Decision.APPROVE)))).isEqualTo(GRANTED);
        // two CISOs are not a CTO and a CISO
        var onlyCisos = new ApprovalRequest(RiskLevel.CRITICAL, SignatureRequirement.forRisk(RiskLevel.CRITICAL),
                Approver.parseAll("erin:ciso,gil:ciso"), "plan", T, T.plusSeconds(3600));
        assertThat(onlyCisos.satisfiable()).isFalse();
        assertThat(onlyCisos.outcome(List.of(sign("erin", Decision.APPROVE), sign("gil", Decision.APPROVE)))).isEqualTo(PENDING);
        assertThat(critical.satisfiable()).isTrue();
    }

    @Test
    void aRequestStoredBeforePeopleHeldSeveralRolesStillReads() {
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        assertThat(json.readValue("{\"name\":\"alice\",\"role\":\"DEVOPS\"}", Approver.class)).isEqualTo(new Approver("alice", Role.DEVOPS));
        assertThat(json.readValue(json.writeValueAsString(Approver.parseAll("dana:cto+ciso").getFirst()), Approver.class).roles())
                .containsExactlyInAnyOrder(Role.CTO, Role.CISO);
    }

    @Test
    void oneRejectRejects() {
        assertThat(request(RiskLevel.HIGH).outcome(List.of(sign("alice", Decision.APPROVE), sign("bob", Decision.REJECT)))).isEqualTo(REJECTED);
    }

    @Test
    void signaturesForAnotherPlanDoNotCount() {
        var stale = new Signature("alice", Decision.APPROVE, "old-plan", T, new Identity(Channel.LINK, "alice"));
        assertThat(request(RiskLevel.MEDIUM).outcome(List.of(stale))).isEqualTo(PENDING);
    }

    @Test
    void linksVerifyOnlyForTheirPersonAndPlan() {
        ApprovalLinks links = new ApprovalLinks("0123456789abcdef0123".getBytes(), "http://127.0.0.1:8000/");
        String token = links.token("inc-1", "alice", "plan");
        assertThat(links.verify("inc-1", "alice", "plan", token)).isTrue();
        assertThat(links.verify("inc-1", "bob", "plan", token)).isFalse();
        assertThat(links.verify("inc-1", "alice", "plan2", token)).isFalse();
        assertThat(links.verify("inc-1", "alice", "plan", token + "x")).isFalse();
        assertThat(links.link("inc-1", "alice", "plan")).startsWith("http://127.0.0.1:8000/approvals/inc-1?approver=alice&token=");
    }
}
