package dev.awoooi.approval;

import dev.awoooi.action.RiskLevel;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.incident.StaleIncidentException;
import dev.awoooi.incident.Transition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Decisions that race: another signer or an alert saving the incident between this signer's read and write. */
class ApprovalDeskTest {
    static final Instant NOW = Instant.parse("2026-11-21T03:20:00Z");
    static final byte[] SECRET = "link-secret-for-tests-0123456789".getBytes();

    final List<Approver> approvers = List.of(new Approver("ana", Role.SRE), new Approver("bo", Role.DEVOPS), new Approver("cy", Role.ADMIN));
    final ApprovalRequest request = new ApprovalRequest(RiskLevel.HIGH, SignatureRequirement.forRisk(RiskLevel.HIGH), approvers,
            "plan-1", NOW, NOW.plus(Duration.ofHours(4)));
    final ApprovalLinks links = new ApprovalLinks(SECRET, "https://awoooi.example");
    final List<DomainEvent> events = new ArrayList<>();
    final List<String> audited = new ArrayList<>();
    /** Runs once, just before this signer's first write: what another writer saves meanwhile. */
    Runnable meanwhile = () -> { };
    final Map<String, Incident> items = new HashMap<>();
    final IncidentStore store = new IncidentStore() {
        public void create(Incident incident) {
            items.put(incident.id(), incident);
        }

        public Optional<Incident> find(String id) {
            return Optional.ofNullable(items.get(id));
        }

        public void save(Incident updated, long expectedVersion) {
            Runnable other = meanwhile;
            meanwhile = () -> { };
            other.run();
            if (items.get(updated.id()).version() != expectedVersion) {
                throw new StaleIncidentException(updated.id(), expectedVersion);
            }
            new Transition(items.get(updated.id()).status(), updated).event().ifPresent(events::add);
            items.put(updated.id(), updated);
        }
    };
    final ApprovalDesk desk = new ApprovalDesk(store, (subject, what, detail) -> audited.add(what), links, ApproverDirectory.fixed(approvers),
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(4), true);

    ApprovalDeskTest() {
        store.create(Incident.received("inc-1", "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW)
                .moveTo(IncidentStatus.AWAITING_APPROVAL, NOW).withApproval(request));
    }

    ApprovalDesk.Verdict sign(String who) {
        return desk.decide("inc-1", who, links.token("inc-1", who, "plan-1"), Decision.APPROVE);
    }

    @Test
    void aSignerWhoseWriteLosesToAnotherSignerStillCountsAndTheQuorumIsCalledOnce() {
        // bo signs between ana's read and ana's write: ana's write is re-applied to bo's, and completes the quorum.
        meanwhile = () -> assertThat(sign("bo")).isInstanceOf(ApprovalDesk.Verdict.Recorded.class);
        var verdict = sign("ana");
        assertThat(verdict).isInstanceOf(ApprovalDesk.Verdict.Recorded.class);
        assertThat(((ApprovalDesk.Verdict.Recorded) verdict).outcome()).isEqualTo(ApprovalRequest.Outcome.GRANTED);
        Incident stored = items.get("inc-1");
        assertThat(stored.status()).isEqualTo(IncidentStatus.APPROVED);
        assertThat(stored.signatures()).extracting(Signature::approver).containsExactlyInAnyOrder("ana", "bo");
        assertThat(events).hasSize(1).first().isInstanceOf(DomainEvent.ApprovalGranted.class);
        assertThat(audited).containsExactly("signature", "signature", "granted");
    }

    @Test
    void aSignatureThatArrivesAfterTheQuorumWasCalledMeanwhileIsRefusedNotCountedAndNotA500() {
        meanwhile = () -> {
            sign("bo");
            sign("cy");
        };
        var verdict = sign("ana");
        assertThat(verdict).isEqualTo(new ApprovalDesk.Verdict.Refused(409, "the request is no longer awaiting approval (status APPROVED)"));
        assertThat(items.get("inc-1").signatures()).extracting(Signature::approver).containsExactlyInAnyOrder("bo", "cy");
        assertThat(events).hasSize(1);
    }

    // ------------------------------------------------------------------ signatures by a verified identity

    final Identity anaOnSlack = Identity.parse("slack:T0001/U0ANA");
    final Identity boOnTelegram = Identity.parse("telegram:4242");
    final ApprovalDesk directoryDesk = new ApprovalDesk(store, (subject, what, detail) -> audited.add(what + " " + detail), links,
            ApproverDirectory.of(List.of(new ApproverEntry("ana", java.util.Set.of(Role.SRE), List.of(anaOnSlack)),
                    new ApproverEntry("bo", java.util.Set.of(Role.DEVOPS), List.of(boOnTelegram)),
                    new ApproverEntry("dee", java.util.Set.of(Role.CTO), List.of(Identity.parse("slack:T0001/U0DEE"))))),
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(4), true);

    @Test
    void aVerifiedIdentitySignsAsTheDirectorysPersonAndTheSignatureSaysHow() {
        var first = directoryDesk.decideAs("inc-1", anaOnSlack, "plan-1", Decision.APPROVE);
        var second = directoryDesk.decideAs("inc-1", boOnTelegram, "plan-1", Decision.APPROVE);
        assertThat(first).isInstanceOf(ApprovalDesk.Verdict.Recorded.class);
        assertThat(((ApprovalDesk.Verdict.Recorded) second).outcome()).isEqualTo(ApprovalRequest.Outcome.GRANTED);
        assertThat(items.get("inc-1").signatures()).extracting(Signature::approver, Signature::via)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ana", anaOnSlack), org.assertj.core.groups.Tuple.tuple("bo", boOnTelegram));
        // the audit names the channel and a digest, never the platform id
        assertThat(audited).allSatisfy(entry -> assertThat(entry).doesNotContain("U0ANA", "4242"));
    }

    @Test
    void decidingConsumesThePersonsSayWhateverTheChannel() {
        assertThat(sign("ana")).isInstanceOf(ApprovalDesk.Verdict.Recorded.class);
        var again = desk.decide("inc-1", "ana", links.token("inc-1", "ana", "plan-1"), Decision.REJECT);
        assertThat(again).isInstanceOf(ApprovalDesk.Verdict.Refused.class);
        assertThat(((ApprovalDesk.Verdict.Refused) again).reason()).startsWith("ana already decided: approve at ");
        assertThat(directoryDesk.decideAs("inc-1", anaOnSlack, "plan-1", Decision.REJECT)).isInstanceOf(ApprovalDesk.Verdict.Refused.class);
        assertThat(items.get("inc-1").signatures()).singleElement().satisfies(s -> assertThat(s.decision()).isEqualTo(Decision.APPROVE));
    }

    @Test
    void strangersPeopleNotAskedAndStalePlansSignNothing() {
        assertThat(directoryDesk.decideAs("inc-1", Identity.parse("slack:T0001/U0EVE"), "plan-1", Decision.APPROVE))
                .isEqualTo(new ApprovalDesk.Verdict.Refused(403, "you are not in AWOOOI's approver directory"));
        // dee is a CTO: a HIGH request asks admins, devops and SREs
        assertThat(directoryDesk.decideAs("inc-1", Identity.parse("slack:T0001/U0DEE"), "plan-1", Decision.APPROVE))
                .isEqualTo(new ApprovalDesk.Verdict.Refused(403, "this request needs 2 of admin, devops, sre; dee is not one of its approvers"));
        assertThat(directoryDesk.decideAs("inc-1", anaOnSlack, "plan-0", Decision.APPROVE))
                .isEqualTo(new ApprovalDesk.Verdict.Refused(409, "the plan changed since this card was sent; nothing was signed"));
        assertThat(items.get("inc-1").signatures()).isEmpty();
        assertThat(audited).hasSize(3).allSatisfy(entry -> assertThat(entry).startsWith("decision-refused"));
    }

    @Test
    void someoneRemovedFromTheDirectorySinceTheRequestOpenedSignsNothing() {
        // cy was asked when the request opened; the directory of directoryDesk no longer has cy
        var verdict = directoryDesk.decide("inc-1", "cy", links.token("inc-1", "cy", "plan-1"), Decision.APPROVE);
        assertThat(verdict).isEqualTo(new ApprovalDesk.Verdict.Refused(403, "cy is no longer an approver for this request"));
        assertThat(items.get("inc-1").signatures()).isEmpty();
    }

    @Test
    void theRequestAsksOnlyWhomTheDirectoryHoldsWithTheRolesThatCount() {
        var analysis = new dev.awoooi.analysis.Analysis(List.of(), List.of(), new dev.awoooi.action.Action.RestartDeployment("production", "api"),
                "restart", null, null, new dev.awoooi.action.RiskAssessment(RiskLevel.CRITICAL, List.of("test")),
                new dev.awoooi.dryrun.DryRunReport(List.of(), "fp"), null, 0, dev.awoooi.analysis.SimilarIncidents.none(),
                new dev.awoooi.analysis.TopologySummary(0, 0, Map.of(), List.of()), "plan-3", NOW);
        store.create(Incident.received("inc-3", "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW).withAnalysis(analysis));
        directoryDesk.open("inc-3");
        // CRITICAL needs a CTO and a CISO; the directory has a CTO only: nobody could ever grant it
        assertThat(items.get("inc-3").status()).isEqualTo(IncidentStatus.FAILED);
        assertThat(items.get("inc-3").reason()).contains("not enough approvers in the directory for CRITICAL",
                "2 of ciso, cto, each of ciso, cto by a different person");
        assertThat(items.get("inc-3").approval().approvers()).containsExactly(new Approver("dee", Role.CTO));
    }

    @Test
    void anInvestigationIsLeftOpenForAPersonNeverApprovedNorExecuted() {
        var analysis = new dev.awoooi.analysis.Analysis(List.of(), List.of(), new dev.awoooi.action.Action.Investigate("ghost", "unknown"),
                "nothing to act on", null, null, new dev.awoooi.action.RiskAssessment(RiskLevel.LOW, List.of("baseline LOW")),
                new dev.awoooi.dryrun.DryRunReport(List.of(), "read-only"), null, 0, dev.awoooi.analysis.SimilarIncidents.none(),
                new dev.awoooi.analysis.TopologySummary(0, 0, Map.of(), List.of()), "plan-2", NOW);
        store.create(Incident.received("inc-2", "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW).withAnalysis(analysis));
        desk.open("inc-2");
        desk.open("inc-2"); // a redelivery
        assertThat(items.get("inc-2").status()).isEqualTo(IncidentStatus.INVESTIGATING);
        assertThat(items.get("inc-2").approval()).isNull();
        assertThat(events).containsExactly(new DomainEvent.InvestigationOpened("inc-2"));
        assertThat(audited).containsExactly("investigation-opened");
    }

    @Test
    void theSamePersonTwiceCountsOnce() {
        sign("ana");
        var again = sign("ana");
        assertThat(again).isInstanceOf(ApprovalDesk.Verdict.Refused.class);
        assertThat(((ApprovalDesk.Verdict.Refused) again).status()).isEqualTo(409);
        assertThat(items.get("inc-1").signatures()).hasSize(1);
        assertThat(audited).containsExactly("signature", "decision-refused");
    }

    // ------------------------------------------------------------------ CRITICAL: signed only after OpenID Connect sign-in

    static final String ISSUER = "https://id.example";
    final Identity danaSignedIn = new Identity(Channel.OIDC, ISSUER + "|dana-sub");
    final Identity erinSignedIn = new Identity(Channel.OIDC, ISSUER + "|erin-sub");
    final ApprovalDesk criticalDesk = new ApprovalDesk(store, (subject, what, detail) -> audited.add(what + " " + detail), links,
            ApproverDirectory.of(List.of(new ApproverEntry("dana", java.util.Set.of(Role.CTO), List.of(danaSignedIn, Identity.parse("slack:T0001/U0DANA"))),
                    new ApproverEntry("erin", java.util.Set.of(Role.CISO), List.of(erinSignedIn)))),
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(4), true);

    void openCritical() {
        var critical = new ApprovalRequest(RiskLevel.CRITICAL, SignatureRequirement.forRisk(RiskLevel.CRITICAL),
                List.of(new Approver("dana", Role.CTO), new Approver("erin", Role.CISO)), "plan-c", NOW, NOW.plus(Duration.ofHours(4)));
        store.create(Incident.received("inc-c", "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW)
                .moveTo(IncidentStatus.AWAITING_APPROVAL, NOW).withApproval(critical));
    }

    @Test
    void aCriticalRequestCountsOnlyDecisionsMadeAfterSignInAsTheLinksOwnPerson() {
        openCritical();
        String danaLink = links.token("inc-c", "dana", "plan-c");
        // the link alone: refused, the request unchanged
        assertThat(criticalDesk.decide("inc-c", "dana", danaLink, Decision.APPROVE))
                .isEqualTo(new ApprovalDesk.Verdict.Refused(401, "a CRITICAL request is signed only after sign-in with the identity provider"));
        // dana's link, but erin signed in: the CISO cannot sign as the CTO
        assertThat(criticalDesk.decide("inc-c", "dana", danaLink, Decision.APPROVE, erinSignedIn))
                .isEqualTo(new ApprovalDesk.Verdict.Refused(403, "you signed in as someone other than dana, for whom this link was made"));
        // a chat click by dana: her Slack identity is real, but CRITICAL needs the sign-in
        var click = criticalDesk.decideAs("inc-c", Identity.parse("slack:T0001/U0DANA"), "plan-c", Decision.APPROVE);
        assertThat(click).isInstanceOf(ApprovalDesk.Verdict.Refused.class);
        assertThat(((ApprovalDesk.Verdict.Refused) click).reason()).startsWith("a CRITICAL request is signed only on the approval page");
        assertThat(items.get("inc-c").signatures()).isEmpty();
        assertThat(audited).hasSize(3).allMatch(a -> a.startsWith("decision-refused"));

        assertThat(criticalDesk.decide("inc-c", "dana", danaLink, Decision.APPROVE, danaSignedIn)).isInstanceOf(ApprovalDesk.Verdict.Recorded.class);
        var last = criticalDesk.decide("inc-c", "erin", links.token("inc-c", "erin", "plan-c"), Decision.APPROVE, erinSignedIn);
        assertThat(((ApprovalDesk.Verdict.Recorded) last).outcome()).isEqualTo(ApprovalRequest.Outcome.GRANTED);
        assertThat(items.get("inc-c").signatures()).extracting(Signature::via).containsExactly(danaSignedIn, erinSignedIn);
    }

    @Test
    void theConsoleSignsACriticalRequestWithTheSignedInIdentityOfEachAskedPersonOnly() {
        openCritical();
        // the console's sign-in proves an OpenID Connect identity: the directory says whose
        assertThat(criticalDesk.decideAs("inc-c", danaSignedIn, "plan-other", Decision.APPROVE, NOW))
                .isEqualTo(new ApprovalDesk.Verdict.Refused(409, "the plan changed since this card was sent; nothing was signed"));
        assertThat(criticalDesk.decideAs("inc-c", new Identity(Channel.OIDC, "https://id.example|mallory"), "plan-c", Decision.APPROVE, NOW))
                .isEqualTo(new ApprovalDesk.Verdict.Refused(403, "you are not in AWOOOI's approver directory"));
        // a sign-in 16 minutes old, or none stated, does not sign a CRITICAL request
        for (Instant stale : new Instant[]{NOW.minus(Duration.ofMinutes(16)), null}) {
            assertThat(criticalDesk.decideAs("inc-c", danaSignedIn, "plan-c", Decision.APPROVE, stale)).isEqualTo(new ApprovalDesk.Verdict.Refused(401,
                    "a CRITICAL request is signed only within 15 minutes of signing in: sign in again"));
        }
        assertThat(criticalDesk.decideAs("inc-c", danaSignedIn, "plan-c", Decision.APPROVE, NOW.minus(Duration.ofMinutes(14))))
                .isInstanceOf(ApprovalDesk.Verdict.Recorded.class);
        var last = criticalDesk.decideAs("inc-c", erinSignedIn, "plan-c", Decision.APPROVE, NOW);
        assertThat(((ApprovalDesk.Verdict.Recorded) last).outcome()).isEqualTo(ApprovalRequest.Outcome.GRANTED);
        assertThat(items.get("inc-c").signatures()).extracting(Signature::via).containsExactly(danaSignedIn, erinSignedIn);
    }

    @Test
    void withoutAnIdentityProviderACriticalRequestFailsAtOnceSayingWhy() {
        var analysis = new dev.awoooi.analysis.Analysis(List.of(), List.of(), new dev.awoooi.action.Action.RestartDeployment("production", "api"),
                "restart", null, null, new dev.awoooi.action.RiskAssessment(RiskLevel.CRITICAL, List.of("test")),
                new dev.awoooi.dryrun.DryRunReport(List.of(), "fp"), null, 0, dev.awoooi.analysis.SimilarIncidents.none(),
                new dev.awoooi.analysis.TopologySummary(0, 0, Map.of(), List.of()), "plan-4", NOW);
        store.create(Incident.received("inc-4", "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW).withAnalysis(analysis));
        var noProvider = new ApprovalDesk(store, (subject, what, detail) -> audited.add(what), links,
                ApproverDirectory.of(List.of(new ApproverEntry("dana", java.util.Set.of(Role.CTO), List.of(danaSignedIn)),
                        new ApproverEntry("erin", java.util.Set.of(Role.CISO), List.of(erinSignedIn)))),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(4), false);
        noProvider.open("inc-4");
        assertThat(items.get("inc-4").status()).isEqualTo(IncidentStatus.FAILED);
        assertThat(items.get("inc-4").reason()).contains("no identity provider is configured (OidcIssuer)");
    }
}
