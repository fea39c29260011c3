package dev.awoooi.incident;

import java.util.Map;

/**
 * What happened, as published on the event bus. Events carry ids and pseudonymized facts only; consumers read
 * the rest from the store. The detail type is the EventBridge "detail-type" the template's rules match.
 */
public sealed interface DomainEvent {
    String detailType();

    record IncidentAnalyzed(String incidentId) implements DomainEvent {
        public String detailType() {
            return "Incident Analyzed";
        }
    }

    record ApprovalRequested(String incidentId, String risk, int requiredSignatures, String planHash) implements DomainEvent {
        public String detailType() {
            return "Approval Requested";
        }
    }

    record ApprovalGranted(String incidentId, String planHash) implements DomainEvent {
        public String detailType() {
            return "Approval Granted";
        }
    }

    record ApprovalRejected(String incidentId, String by) implements DomainEvent {
        public String detailType() {
            return "Approval Rejected";
        }
    }

    record ExecutionSucceeded(String incidentId, String detail) implements DomainEvent {
        public String detailType() {
            return "Execution Succeeded";
        }
    }

    record ExecutionFailed(String incidentId, String reason) implements DomainEvent {
        public String detailType() {
            return "Execution Failed";
        }
    }

    record ExecutionVoided(String incidentId, String reason) implements DomainEvent {
        public String detailType() {
            return "Execution Voided";
        }
    }

    record ScanCompleted(String scan, String at, int findings, double monthlyWasteUsd, Map<String, Long> bySeverity) implements DomainEvent {
        public String detailType() {
            return "Scan Completed";
        }
    }
}
