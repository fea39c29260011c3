package dev.awoooi;

import java.util.Arrays;

/** The figures every benchmark reports over its rounds: median, min and max. */
public final class BenchmarkFigures {
    private BenchmarkFigures() {
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    public static double min(double[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    public static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
