package dev.awoooi.incident;

import dev.awoooi.approval.Decision;
import dev.awoooi.approval.Signature;

import java.util.Optional;

/**
 * One committed move of an incident, as the store's change stream shows it: the status it left and the incident as
 * it was written. What the move announces is a function of the two alone, so it is published from the committed
 * write itself (a transactional outbox), never by the code that made the write and may die right after it.
 *
 * @param from     the status before the write; null when the write created the incident
 * @param reminder which reminder the write recorded (the alert of an open investigation, or of a fix that succeeded,
 *                 fired again); 0 for none
 * @param signed   how many signatures the request holds after a write that added one and left it awaiting more; 0 for
 *                 a write that added none
 */
public record Transition(IncidentStatus from, Incident to, int reminder, int signed) {

    public Transition(IncidentStatus from, Incident to) {
        this(from, to, 0, 0);
    }

    /** The event this move announces, if any: none when the status did not change, or for a move nobody is told of. */
    public Optional<DomainEvent> event() {
        String id = to.id();
        if (from == to.status()) {
            if (reminder > 0) {
                return Optional.of(new DomainEvent.StillFiring(id, reminder));
            }
            return signed > 0 && to.status() == IncidentStatus.AWAITING_APPROVAL
                    ? Optional.of(new DomainEvent.SignatureRecorded(id, signed)) : Optional.empty();
        }
        if (from == null && to.status() == IncidentStatus.RECEIVED) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (to.status()) {
            case RECEIVED, EXECUTING -> null;
            case ANALYZED -> new DomainEvent.IncidentAnalyzed(id);
            case INVESTIGATING -> new DomainEvent.InvestigationOpened(id);
            case AWAITING_APPROVAL -> new DomainEvent.ApprovalRequested(id, to.approval().risk().name(),
                    to.approval().requirement().count(), to.approval().planHash());
            case APPROVED -> new DomainEvent.ApprovalGranted(id, to.approval().planHash());
            case REJECTED -> new DomainEvent.ApprovalRejected(id, to.signatures().stream()
                    .filter(s -> s.decision() == Decision.REJECT).map(Signature::approver).findFirst().orElse("a signer"));
            case EXPIRED -> from == IncidentStatus.INVESTIGATING ? new DomainEvent.InvestigationClosed(id, to.reason())
                    : new DomainEvent.ApprovalExpired(id);
            case SUCCEEDED -> new DomainEvent.ExecutionSucceeded(id, to.execution() == null ? "" : to.execution().detail());
            case FAILED -> new DomainEvent.ExecutionFailed(id, to.reason());
            case VOIDED -> new DomainEvent.ExecutionVoided(id, to.reason());
            case RESOLVED -> new DomainEvent.IncidentRecovered(id, from == IncidentStatus.AWAITING_APPROVAL);
        });
    }
}
