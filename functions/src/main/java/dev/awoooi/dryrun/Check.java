package dev.awoooi.dryrun;

/** One dry-run check and what it found. */
public record Check(String name, Outcome outcome, String reason) {
    public enum Outcome { PASS, FAIL, UNKNOWN }

    public static Check pass(String name, String reason) {
        return new Check(name, Outcome.PASS, reason);
    }

    public static Check fail(String name, String reason) {
        return new Check(name, Outcome.FAIL, reason);
    }

    public static Check unknown(String name, String reason) {
        return new Check(name, Outcome.UNKNOWN, reason);
    }
}
