package dev.awoooi.incident;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happened, as published on the event bus. Events carry ids and pseudonymized facts only; consumers read
 * the rest from the store. The detail type is the EventBridge "detail-type" the template's rules match.
 */
public sealed interface DomainEvent {

    /** The incident the event is about; none for a scan. */
    default String incidentId() {
        return null;
    }

    /**
     * The same for every publication of one happening, so consumers can tell a redelivery from news. An incident
     * reaches each status at most once and each event names one status, so the incident and the type are the key.
     */
    default String eventId() {
        return incidentId() + "/" + getClass().getSimpleName();
    }

    /** The record's name in words: IncidentAnalyzed is "Incident Analyzed", as the template's rules match it. */
    default String detailType() {
        return detailTypeOf(getClass());
    }

    /** The event type a bus message's detail-type names, if it is one of ours. */
    static Optional<Class<? extends DomainEvent>> ofDetailType(String detailType) {
        for (Class<?> type : DomainEvent.class.getPermittedSubclasses()) {
            if (detailTypeOf(type).equals(detailType)) {
                return Optional.of(type.asSubclass(DomainEvent.class));
            }
        }
        return Optional.empty();
    }

    private static String detailTypeOf(Class<?> type) {
        return type.getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ");
    }

    record IncidentAnalyzed(String incidentId) implements DomainEvent {
    }

    /** AWOOOI will not act: what it looked at is on the incident, which stays open for a person. */
    record InvestigationOpened(String incidentId) implements DomainEvent {
    }

    /** An investigation stayed open past its bound without its alerts resolving: closed, with why. */
    record InvestigationClosed(String incidentId, String reason) implements DomainEvent {
    }

    /**
     * The alert of an open investigation, or of an incident whose fix succeeded, fired again: people are told again,
     * once per reminder.
     */
    /**
     * A signature was added and the request still awaits more (the one that decides it announces the grant or the
     * rejection instead): the request's cards are redrawn with who has signed. One event per signature.
     */
    record SignatureRecorded(String incidentId, int signed) implements DomainEvent {
        @Override
        public String eventId() {
            return incidentId + "/SignatureRecorded/" + signed;
        }
    }

    record StillFiring(String incidentId, int reminder) implements DomainEvent {
        @Override
        public String eventId() {
            return incidentId + "/StillFiring/" + reminder;
        }
    }

    record ApprovalRequested(String incidentId, String risk, int requiredSignatures, String planHash) implements DomainEvent {
    }

    record ApprovalGranted(String incidentId, String planHash) implements DomainEvent {
    }

    record ApprovalRejected(String incidentId, String by) implements DomainEvent {
    }

    /** Nobody decided in time: the request is closed and its links no longer work. */
    record ApprovalExpired(String incidentId) implements DomainEvent {
    }

    record ExecutionSucceeded(String incidentId, String detail) implements DomainEvent {
    }

    record ExecutionFailed(String incidentId, String reason) implements DomainEvent {
    }

    record ExecutionVoided(String incidentId, String reason) implements DomainEvent {
    }

    /** Every alert resolved before anything ran: the incident closed by itself, and any pending request is withdrawn. */
    record IncidentRecovered(String incidentId, boolean requestWithdrawn) implements DomainEvent {
    }

    /**
     * Messages were given up after their retries: which queue, how many wait there, the incidents the new ones were
     * about, and the command that redrives them. One event per batch of newly seen dead letters.
     */
    record DeadLettered(String queue, int waiting, List<String> incidents, int newLetters, String firstLetter, String redrive)
            implements DomainEvent {
        @Override
        public String eventId() {
            return "deadletter/" + queue + "/" + firstLetter;
        }
    }

    /**
     * A brake tripped: too many unsigned runs of a pattern (or in a cluster) within the hour. Signatures are required
     * for it until a person clears it ({@code scripts/trust clear}).
     */
    record CircuitBreakerTripped(String key, String reason, String at) implements DomainEvent {
        @Override
        public String eventId() {
            return "breaker/" + key + "/" + at;
        }
    }

    /**
     * A scan ran: its counts, its headline figures (FinOps: realizable, freed, annual), its top recommendations as
     * one line each, and what it could not see.
     */
    record ScanCompleted(String scan, String at, int findings, double monthlyWasteUsd, Map<String, Long> bySeverity,
                         Map<String, Double> figures, List<String> top, List<String> notes) implements DomainEvent {
        public ScanCompleted {
            figures = figures == null ? Map.of() : Map.copyOf(figures);
            top = top == null ? List.of() : List.copyOf(top);
            notes = notes == null ? List.of() : List.copyOf(notes);
        }

        public ScanCompleted(String scan, String at, int findings, double monthlyWasteUsd, Map<String, Long> bySeverity) {
            this(scan, at, findings, monthlyWasteUsd, bySeverity, Map.of(), List.of(), List.of());
        }

        @Override
        public String eventId() {
            return "scan/" + scan + "/" + at;
        }
    }
}
