package dev.awoooi.privacy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One incident's label space: the same value always wears the same label, labels count up per type and say
 * nothing about the value they stand for.
 */
public final class PseudonymTable {
    private final Map<String, String> labelByValue = new HashMap<>();
    private final Map<String, Integer> countByType = new HashMap<>();
    private final Map<String, String> added = new LinkedHashMap<>();

    /** Rebuilds the table from what the vault holds (label → value). */
    public static PseudonymTable of(Map<String, String> valueByLabel) {
        PseudonymTable table = new PseudonymTable();
        valueByLabel.forEach((label, value) -> {
            table.labelByValue.put(value, label);
            var parts = Pseudonym.parse(label);
            table.countByType.merge(parts.type(), parts.ordinal(), Math::max);
        });
        return table;
    }

    public String labelFor(String type, String value) {
        return labelByValue.computeIfAbsent(value, v -> {
            int ordinal = countByType.merge(type, 1, Integer::sum);
            String label = new Pseudonym(type, ordinal).toString();
            added.put(label, v);
            return label;
        });
    }

    /** Labels created since the table was loaded (label → raw value), to be written to the vault. */
    public Map<String, String> added() {
        return Map.copyOf(added);
    }
}
