package dev.awoooi.privacy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static dev.awoooi.BenchmarkFigures.max;
import static dev.awoooi.BenchmarkFigures.median;
import static dev.awoooi.BenchmarkFigures.min;

/**
 * Throughput and quality of the detector set on the labelled corpus, against the naive one-regex-per-type
 * baseline, measured side by side on one thread (so MB/s is per core). Rounds alternate the two engines so that
 * machine noise hits both alike; medians are reported. Run with {@code scripts/bench-shield}.
 */
public final class ShieldBenchmark {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        DetectorCorpus corpus = DetectorCorpus.load();
        List<String> texts = corpus.all().stream().map(DetectorCorpus.Line::text).toList();
        long chars = corpus.chars();
        SecretScanner scanner = SecretScanner.standard();
        Function<String, List<Detection>> shield = scanner::scan;
        Function<String, List<Detection>> naive = NaiveRegexDetectors::scan;

        for (int i = 0; i < 5; i++) {
            run(texts, shield);
            run(texts, naive);
        }
        double[] shieldMbs = new double[rounds];
        double[] naiveMbs = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            shieldMbs[i] = chars / 1e6 / run(texts, shield);
            naiveMbs[i] = chars / 1e6 / run(texts, naive);
        }
        double shieldMedian = median(shieldMbs);
        double naiveMedian = median(naiveMbs);
        System.out.printf(Locale.ROOT, "corpus: %d lines, %.2f MB (%d planted values, %d clean lines)%n", texts.size(), chars / 1e6,
                corpus.planted().stream().mapToInt(l -> l.planted().size()).sum(), corpus.clean().size());
        System.out.printf(Locale.ROOT, "| engine | median MB/s (one core) | min | max |%n|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| Privacy Shield (prefiltered) | %.1f | %.1f | %.1f |%n", shieldMedian, min(shieldMbs), max(shieldMbs));
        System.out.printf(Locale.ROOT, "| naive regex, one pass per pattern | %.1f | %.1f | %.1f |%n", naiveMedian, min(naiveMbs), max(naiveMbs));
        System.out.printf(Locale.ROOT, "ratio (median): %.1fx%n%n", shieldMedian / naiveMedian);

        var shieldScores = corpus.score(shield);
        var naiveScores = corpus.score(naive);
        System.out.println("| type | planted | recall | exact span | precision | naive recall | naive precision |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (SecretType type : SecretType.values()) {
            var s = shieldScores.get(type);
            var n = naiveScores.get(type);
            System.out.printf(Locale.ROOT, "| %s | %d | %.4f | %.4f | %s | %.4f | %s |%n", type.name().toLowerCase(Locale.ROOT), s.planted,
                    s.recall(), (double) s.exact / s.planted, fmt(s), n.recall(), fmt(n));
        }
        total("all", shieldScores, naiveScores);
    }

    private static void total(String name, Map<SecretType, DetectorCorpus.Score> shield, Map<SecretType, DetectorCorpus.Score> naive) {
        int planted = 0, hidden = 0, detections = 0, tp = 0, nHidden = 0, nDetections = 0, nTp = 0;
        for (SecretType t : SecretType.values()) {
            planted += shield.get(t).planted;
            hidden += shield.get(t).hidden;
            detections += shield.get(t).detections;
            tp += shield.get(t).truePositives;
            nHidden += naive.get(t).hidden;
            nDetections += naive.get(t).detections;
            nTp += naive.get(t).truePositives;
        }
        System.out.printf(Locale.ROOT, "| **%s** | %d | %.4f | | %.4f | %.4f | %.4f |%n", name, planted, (double) hidden / planted,
                (double) tp / detections, (double) nHidden / planted, (double) nTp / nDetections);
    }

    private static String fmt(DetectorCorpus.Score s) {
        return s.detections == 0 ? "n/a" : String.format(Locale.ROOT, "%.4f (%d/%d)", s.precision(), s.truePositives, s.detections);
    }

    /** Seconds for one pass over every text. */
    private static double run(List<String> texts, Function<String, List<Detection>> engine) {
        long sink = 0;
        long start = System.nanoTime();
        for (String text : texts) {
            sink += engine.apply(text).size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink < 0) {
            throw new AssertionError();
        }
        return seconds;
    }

    private ShieldBenchmark() {
    }

}
