package dev.awoooi.incident;

import dev.awoooi.action.RiskLevel;
import dev.awoooi.approval.ApprovalRequest;
import dev.awoooi.approval.Approver;
import dev.awoooi.approval.Decision;
import dev.awoooi.approval.Role;
import dev.awoooi.approval.Signature;
import dev.awoooi.approval.SignatureRequirement;
import dev.awoooi.execution.ExecutionReport;
import dev.awoooi.store.IncidentStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TransitionTest {
    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
    final ApprovalRequest request = new ApprovalRequest(RiskLevel.HIGH, SignatureRequirement.forRisk(RiskLevel.HIGH),
            List.of(new Approver("ana", Role.SRE), new Approver("bo", Role.DEVOPS)), "plan-1", NOW, NOW.plusSeconds(3600));
    final Incident received = Incident.received("inc-1", "alertmanager", "fp", NOW, NOW);

    Incident in(IncidentStatus status) {
        Incident awaiting = received.moveTo(IncidentStatus.ANALYZED, NOW).withApproval(request).moveTo(IncidentStatus.AWAITING_APPROVAL, NOW);
        return switch (status) {
            case RECEIVED -> received;
            case ANALYZED -> received.moveTo(IncidentStatus.ANALYZED, NOW);
            case INVESTIGATING -> received.moveTo(IncidentStatus.ANALYZED, NOW).moveTo(IncidentStatus.INVESTIGATING, NOW);
            case AWAITING_APPROVAL -> awaiting;
            case APPROVED -> awaiting.moveTo(IncidentStatus.APPROVED, NOW);
            case EXECUTING -> awaiting.moveTo(IncidentStatus.APPROVED, NOW).moveTo(IncidentStatus.EXECUTING, NOW);
            case SUCCEEDED -> in(IncidentStatus.EXECUTING).moveTo(IncidentStatus.SUCCEEDED, NOW)
                    .withExecution(new ExecutionReport("restart_statefulset", "t", NOW, NOW, true, "rolled out 1/1", null));
            case FAILED -> in(IncidentStatus.EXECUTING).withReason("post-verify failed").moveTo(IncidentStatus.FAILED, NOW);
            case VOIDED -> in(IncidentStatus.EXECUTING).withReason("VOIDED: changed").moveTo(IncidentStatus.VOIDED, NOW);
            case REJECTED -> awaiting.withSignature(new Signature("bo", Decision.REJECT, "plan-1", NOW, new dev.awoooi.approval.Identity(dev.awoooi.approval.Channel.LINK, "bo")), NOW)
                    .moveTo(IncidentStatus.REJECTED, NOW);
            case EXPIRED -> awaiting.moveTo(IncidentStatus.EXPIRED, NOW);
            case RESOLVED -> awaiting.moveTo(IncidentStatus.RESOLVED, NOW);
        };
    }

    @Test
    void eachStatusReachedAnnouncesItsOwnEventWithTheFactsTheCardNeeds() {
        assertThat(new Transition(IncidentStatus.RECEIVED, in(IncidentStatus.ANALYZED)).event()).hasValue(new DomainEvent.IncidentAnalyzed("inc-1"));
        assertThat(new Transition(IncidentStatus.ANALYZED, in(IncidentStatus.INVESTIGATING)).event()).hasValue(new DomainEvent.InvestigationOpened("inc-1"));
        assertThat(new Transition(IncidentStatus.ANALYZED, in(IncidentStatus.AWAITING_APPROVAL)).event())
                .hasValue(new DomainEvent.ApprovalRequested("inc-1", "HIGH", 2, "plan-1"));
        assertThat(new Transition(IncidentStatus.AWAITING_APPROVAL, in(IncidentStatus.APPROVED)).event())
                .hasValue(new DomainEvent.ApprovalGranted("inc-1", "plan-1"));
        assertThat(new Transition(IncidentStatus.AWAITING_APPROVAL, in(IncidentStatus.REJECTED)).event())
                .hasValue(new DomainEvent.ApprovalRejected("inc-1", "bo"));
        assertThat(new Transition(IncidentStatus.AWAITING_APPROVAL, in(IncidentStatus.EXPIRED)).event())
                .hasValue(new DomainEvent.ApprovalExpired("inc-1"));
        assertThat(new Transition(IncidentStatus.EXECUTING, in(IncidentStatus.SUCCEEDED)).event())
                .hasValue(new DomainEvent.ExecutionSucceeded("inc-1", "rolled out 1/1"));
        assertThat(new Transition(IncidentStatus.EXECUTING, in(IncidentStatus.FAILED)).event())
                .hasValue(new DomainEvent.ExecutionFailed("inc-1", "post-verify failed"));
        assertThat(new Transition(IncidentStatus.EXECUTING, in(IncidentStatus.VOIDED)).event())
                .hasValue(new DomainEvent.ExecutionVoided("inc-1", "VOIDED: changed"));
        assertThat(new Transition(IncidentStatus.AWAITING_APPROVAL, in(IncidentStatus.RESOLVED)).event())
                .hasValue(new DomainEvent.IncidentRecovered("inc-1", true));
        assertThat(new Transition(IncidentStatus.RECEIVED, in(IncidentStatus.RESOLVED)).event())
                .hasValue(new DomainEvent.IncidentRecovered("inc-1", false));
    }

    @Test
    void aWriteThatKeepsTheStatusACreationAndTheStartOfAnExecutionAnnounceNothing() {
        for (IncidentStatus status : IncidentStatus.values()) {
            assertThat(new Transition(status, in(status)).event()).as(status.name()).isEmpty();
        }
        assertThat(new Transition(null, received).event()).isEmpty();
        assertThat(new Transition(IncidentStatus.APPROVED, in(IncidentStatus.EXECUTING)).event()).isEmpty();
    }

    @Test
    void noTwoStatusesShareAnEventIdSoARepublicationIsAlwaysRecognisedAndNewsNever() {
        Set<String> ids = new HashSet<>();
        for (IncidentStatus status : EnumSet.complementOf(EnumSet.of(IncidentStatus.RECEIVED, IncidentStatus.EXECUTING))) {
            DomainEvent event = new Transition(IncidentStatus.AWAITING_APPROVAL == status ? IncidentStatus.ANALYZED
                    : IncidentStatus.AWAITING_APPROVAL, in(status)).event().orElseThrow();
            assertThat(ids.add(event.eventId())).as(status + " has its own event id " + event.eventId()).isTrue();
            assertThat(event.eventId()).startsWith("inc-1/");
        }
        // an investigation closed by its bound reaches EXPIRED too, with an event of its own
        Incident closed = in(IncidentStatus.INVESTIGATING).withReason("open 7 days").moveTo(IncidentStatus.EXPIRED, NOW);
        DomainEvent closing = new Transition(IncidentStatus.INVESTIGATING, closed).event().orElseThrow();
        assertThat(closing).isEqualTo(new DomainEvent.InvestigationClosed("inc-1", "open 7 days"));
        assertThat(ids.add(closing.eventId())).isTrue();
        // a reminder keeps the status: its event is told apart by its number
        DomainEvent reminder = new Transition(IncidentStatus.INVESTIGATING, in(IncidentStatus.INVESTIGATING), 2, 0).event().orElseThrow();
        assertThat(reminder).isEqualTo(new DomainEvent.StillFiring("inc-1", 2));
        assertThat(ids.add(reminder.eventId())).isTrue();
        assertThat(new DomainEvent.StillFiring("inc-1", 3).eventId()).isNotEqualTo(reminder.eventId());
        // so does a signature that leaves the request awaiting more
        DomainEvent signature = new Transition(IncidentStatus.AWAITING_APPROVAL, in(IncidentStatus.AWAITING_APPROVAL), 0, 1).event().orElseThrow();
        assertThat(ids.add(signature.eventId())).isTrue();
        // every event type about an incident is announced by some status, a reminder or a signature
        assertThat(ids).hasSize((int) Arrays.stream(DomainEvent.class.getPermittedSubclasses())
                .filter(type -> Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals("incidentId"))).count());
        assertThat(new DomainEvent.ScanCompleted("finops", "2026-11-30T17:00:00Z", 1, 5.0, Map.of()).eventId())
                .isEqualTo("scan/finops/2026-11-30T17:00:00Z");
    }

    @Test
    void theStreamShowsATransitionOnlyWhereTheStoredStatusChanged() {
        JsonMapper json = JsonMapper.builder().findAndAddModules().build();
        IncidentStream stream = new IncidentStream(json);
        Incident approved = in(IncidentStatus.APPROVED);
        Map<String, String> before = Map.of("id", "inc-1", "status", "AWAITING_APPROVAL", "doc", json.writeValueAsString(in(IncidentStatus.AWAITING_APPROVAL)));
        Map<String, String> after = Map.of("id", "inc-1", "status", "APPROVED", "doc", json.writeValueAsString(approved));
        assertThat(stream.transition(before, after).flatMap(Transition::event)).hasValue(new DomainEvent.ApprovalGranted("inc-1", "plan-1"));
        Map<String, String> countMoved = Map.of("id", "inc-1", "status", "APPROVED", "doc", json.writeValueAsString(approved), "alertCount", "7");
        assertThat(stream.transition(after, countMoved)).as("a count moving").isEmpty();
        assertThat(stream.transition(after, null)).as("a removal").isEmpty();
        Incident investigating = in(IncidentStatus.INVESTIGATING);
        Map<String, String> open = Map.of("id", "inc-1", "status", "INVESTIGATING", "doc", json.writeValueAsString(investigating));
        Map<String, String> reminded = Map.of("id", "inc-1", "status", "INVESTIGATING", "doc",
                json.writeValueAsString(investigating.reminded(NOW.plusSeconds(3601), java.time.Duration.ofHours(1))), "reminders", "1");
        assertThat(stream.transition(open, reminded).flatMap(Transition::event)).as("a reminder").hasValue(new DomainEvent.StillFiring("inc-1", 1));
        assertThat(stream.transition(reminded, reminded)).as("the same reminder seen again (a count moving)").isEmpty();
        assertThat(stream.transition(null, Map.of("id", "inc-1", "status", "RECEIVED", "doc", json.writeValueAsString(received)))
                .flatMap(Transition::event)).as("a creation").isEmpty();
    }

    @Test
    void aSignatureThatLeavesTheRequestAwaitingMoreAnnouncesItselfOncePerSignature() {
        JsonMapper json = JsonMapper.builder().findAndAddModules().build();
        IncidentStream stream = new IncidentStream(json);
        String doc = json.writeValueAsString(in(IncidentStatus.AWAITING_APPROVAL));
        Map<String, String> none = Map.of("id", "inc-1", "status", "AWAITING_APPROVAL", "doc", doc);
        Map<String, String> one = Map.of("id", "inc-1", "status", "AWAITING_APPROVAL", "doc", doc, "signed", "1");
        assertThat(stream.transition(none, one).flatMap(Transition::event)).hasValue(new DomainEvent.SignatureRecorded("inc-1", 1));
        assertThat(stream.transition(one, one)).as("the same signature seen again").isEmpty();
        Map<String, String> granted = Map.of("id", "inc-1", "status", "APPROVED", "doc", json.writeValueAsString(in(IncidentStatus.APPROVED)),
                "signed", "2");
        assertThat(stream.transition(one, granted).flatMap(Transition::event)).as("the deciding signature announces the grant")
                .hasValue(new DomainEvent.ApprovalGranted("inc-1", "plan-1"));
        assertThat(new DomainEvent.SignatureRecorded("inc-1", 1).eventId()).isNotEqualTo(new DomainEvent.SignatureRecorded("inc-1", 2).eventId());
        assertThat(new DomainEvent.SignatureRecorded("inc-1", 1).detailType()).isEqualTo("Signature Recorded");
    }
}
