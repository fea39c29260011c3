package dev.awoooi.action;

public enum RiskLevel {
    LOW, MEDIUM, HIGH, CRITICAL;

    /** One level up, but never into CRITICAL: only inherently destructive actions are CRITICAL. */
    public RiskLevel raised() {
        return switch (this) {
            case LOW -> MEDIUM;
            case MEDIUM, HIGH -> HIGH;
            case CRITICAL -> CRITICAL;
        };
    }
}
