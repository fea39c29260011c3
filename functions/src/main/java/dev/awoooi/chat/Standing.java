package dev.awoooi.chat;

import dev.awoooi.approval.Decision;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;

import java.util.Locale;
import java.util.stream.Collectors;

/** Where an approval request stands, for a card redrawn after a decision: who signed, through what, and what is left. */
final class Standing {
    private Standing() {
    }

    static boolean open(Incident incident) {
        return incident.status() == IncidentStatus.AWAITING_APPROVAL;
    }

    static String of(Incident incident) {
        String signed = incident.signatures().stream()
                .map(s -> s.approver() + " " + (s.decision() == Decision.APPROVE ? "approved" : "rejected")
                        + " (" + (s.via() == null ? "?" : s.via().channel().label()) + ")")
                .collect(Collectors.joining(", "));
        return (signed.isEmpty() ? "" : "Signed: " + signed + ". ") + (open(incident)
                ? "Still needed: " + incident.approval().requirement().describe() + "."
                : "Request " + incident.status().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ".");
    }
}
