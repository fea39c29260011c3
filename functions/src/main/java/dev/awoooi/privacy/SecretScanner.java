package dev.awoooi.privacy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Finds every sensitive value in a text in one call. Nothing runs a pattern over the whole text: keywords (prefixes
 * such as {@code ghp_}, names such as {@code password}) are found together in one Aho–Corasick pass, shapes by
 * {@link String#indexOf} of one rare character ({@code @}, a dot between digits), and only there does a detector
 * check its exact shape. That prefiltering, as gitleaks does it, is what makes the full set fast. Overlaps are
 * settled by {@link SecretType} rank, then by length.
 */
public final class SecretScanner {

    /** Finds values by their shape around a character it searches for itself. */
    interface Detector {
        void find(String text, List<Detection> out);
    }

    /** Finds values that start at (or follow) a keyword; the scanner finds every keyword in one pass. */
    interface KeywordDetector {
        List<String> keywords();

        /** Keywords match only with this exact case ({@code AKIA}), not case-folded ({@code Bearer}, {@code password}). */
        boolean caseSensitive();

        /** Looks for a value at the keyword found at {@code at}; returns where the match ends, or -1. */
        int matchAt(String text, int at, String keyword, List<Detection> out);
    }

    private record Keyword(String text, int detector) {
    }

    private final List<Detector> detectors;
    private final List<KeywordDetector> keywordDetectors;
    private final List<Keyword> keywords = new ArrayList<>();
    private final KeywordAutomaton automaton;

    SecretScanner(List<Detector> detectors, List<KeywordDetector> keywordDetectors) {
        this.detectors = List.copyOf(detectors);
        this.keywordDetectors = List.copyOf(keywordDetectors);
        for (int d = 0; d < keywordDetectors.size(); d++) {
            for (String keyword : keywordDetectors.get(d).keywords()) {
                keywords.add(new Keyword(keyword, d));
            }
        }
        automaton = new KeywordAutomaton(keywords.stream().map(Keyword::text).toList());
    }

    /** Every detector this product ships. */
    public static SecretScanner standard() {
        List<KeywordDetector> keyed = new ArrayList<>(KeyDetectors.all());
        keyed.add(new AssignedSecretDetector());
        return new SecretScanner(ShapeDetectors.all(), keyed);
    }

    /** Non-overlapping detections, in text order. */
    public List<Detection> scan(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<Detection> found = new ArrayList<>();
        for (Detector detector : detectors) {
            detector.find(text, found);
        }
        int[] resume = new int[keywordDetectors.size()];
        automaton.scan(text, (k, start) -> {
            Keyword keyword = keywords.get(k);
            KeywordDetector detector = keywordDetectors.get(keyword.detector());
            if (start < resume[keyword.detector()] || (detector.caseSensitive() && !text.startsWith(keyword.text(), start))) {
                return;
            }
            int end = detector.matchAt(text, start, keyword.text(), found);
            if (end > 0) {
                resume[keyword.detector()] = end;
            }
        });
        return found.size() < 2 ? List.copyOf(found) : settle(found);
    }

    /** Keeps the highest-ranked, then longest, of overlapping detections (also used by the benchmark's baseline). */
    static List<Detection> settle(List<Detection> found) {
        found.sort(Comparator.comparingInt((Detection d) -> -d.type().rank())
                .thenComparingInt(d -> d.start() - d.end())
                .thenComparingInt(Detection::start));
        TreeMap<Integer, Detection> kept = new TreeMap<>();
        for (Detection d : found) {
            var before = kept.floorEntry(d.start());
            var after = kept.ceilingEntry(d.start());
            if ((before == null || !before.getValue().overlaps(d)) && (after == null || !after.getValue().overlaps(d))) {
                kept.put(d.start(), d);
            }
        }
        return List.copyOf(kept.values());
    }
}
