package dev.awoooi.scan;

import dev.awoooi.action.Action;
import dev.awoooi.action.RiskLevel;

import java.util.Map;
import java.util.TreeMap;

/**
 * One thing a scan found: what, where, how bad ({@code INFO}, {@code OK}, {@code WARNING}, {@code CRITICAL},
 * {@code UNKNOWN}), what it costs a month where that is known and whether fixing it lowers the bill or only frees
 * capacity, the typed action that would fix it (never run by the scan), and the measurements behind it.
 */
public record Finding(String kind, String resource, String severity, String detail, double monthlyCostUsd,
                      Saving saving, Recommendation recommendation, Map<String, Double> measures) {

    /** What fixing a cost finding does to the bill. */
    public enum Saving {
        /** The bill drops: a volume deleted, a node replaced by a smaller one. */
        REALIZABLE,
        /** Capacity inside nodes already paid for is freed; the bill drops only when the nodes shrink too. */
        FREED
    }

    /**
     * What an SRE can send into the normal dry run and signatures; {@code action} null when no catalog action does
     * it (the title then says what a person does instead). {@code risk} is the catalog's baseline for the action; the
     * dry run raises it as the target's context demands.
     */
    public record Recommendation(String title, Action action, RiskLevel risk) {
    }

    public Finding {
        monthlyCostUsd = cents(monthlyCostUsd);
        // only finite numbers: an unknown or unbounded measure is left out (JSON has no NaN or infinity)
        TreeMap<String, Double> finite = new TreeMap<>();
        if (measures != null) {
            measures.forEach((name, value) -> {
                if (value != null && Double.isFinite(value)) {
                    finite.put(name, value);
                }
            });
        }
        measures = finite;
    }

    /** The worst first: CRITICAL, WARNING, UNKNOWN, then the rest (OK, INFO), in the order given. */
    public static final java.util.Comparator<Finding> WORST_FIRST = java.util.Comparator.comparingInt(f -> switch (f.severity()) {
        case "CRITICAL" -> 0;
        case "WARNING" -> 1;
        case "UNKNOWN" -> 2;
        default -> 3;
    });

    public Finding(String kind, String resource, String severity, String detail, double monthlyCostUsd) {
        this(kind, resource, severity, detail, monthlyCostUsd, null, null, Map.of());
    }

    static double cents(double usd) {
        return Math.round(usd * 100) / 100.0;
    }
}
