package dev.awoooi.incident;

public class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(String id, IncidentStatus from, IncidentStatus to) {
        super("incident " + id + " cannot move from " + from + " to " + to);
    }
}
