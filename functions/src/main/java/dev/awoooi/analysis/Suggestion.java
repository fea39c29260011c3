package dev.awoooi.analysis;

/** What the command guard made of a runbook's suggestion: ACCEPTED, REDUCED (to investigate) or REFUSED, and why. */
public record Suggestion(String outcome, String reason) {
    public boolean refused() {
        return "REFUSED".equals(outcome);
    }
}
