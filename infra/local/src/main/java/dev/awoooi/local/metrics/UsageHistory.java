package dev.awoooi.local.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Days of container usage as cAdvisor would have exported it, written as OpenMetrics for {@code promtool tsdb
 * create-blocks-from openmetrics}: per pod a {@code container_cpu_usage_seconds_total} counter growing at a base rate,
 * and at a peak rate for the first hours of every UTC day, and a constant {@code container_memory_working_set_bytes}.
 * Simple shapes on purpose: their 95th percentile and maximum can be worked out by hand.
 */
public final class UsageHistory {
    /** One pod's usage: CPU cores off-peak and at peak, peak hours per day, working-set bytes. */
    public record Profile(String namespace, String pod, String container, double baseCores, double peakCores, int peakHours,
                          double memoryBytes) {
    }

    static final Duration STEP = Duration.ofMinutes(1);

    private UsageHistory() {
    }

    /**
     * What the demo's pods use: legacy-api idles at 2 millicores (a zombie), report-worker uses 0.1 core and 0.3 at
     * peak with 1.5 GiB (far below its requests), everything else half its CPU request, three quarters at peak, and
     * 70% of its memory request.
     */
    public static Profile demo(String namespace, String pod, String container, String app, double cpuRequest, double memoryRequestBytes) {
        return switch (app == null ? "" : app) {
            case "legacy-api" -> new Profile(namespace, pod, container, 0.002, 0.002, 0, 200 * 1024 * 1024.0);
            case "report-worker" -> new Profile(namespace, pod, container, 0.1, 0.3, 4, 1.5 * (1L << 30));
            default -> new Profile(namespace, pod, container, cpuRequest * 0.5, cpuRequest * 0.75, 4, memoryRequestBytes * 0.7);
        };
    }

    /** Writes {@code span} of history ending at {@code end} (truncated to the minute), one sample a minute. */
    public static void write(Path file, List<Profile> profiles, Instant end, Duration span) {
        Instant last = end.truncatedTo(ChronoUnit.MINUTES);
        Instant first = last.minus(span);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Profile p : profiles) {
                String labels = String.format(Locale.ROOT, "{namespace=\"%s\",pod=\"%s\",container=\"%s\"}", p.namespace(), p.pod(), p.container());
                double seconds = 0;
                for (Instant t = first; !t.isAfter(last); t = t.plus(STEP)) {
                    out.write("container_cpu_usage_seconds_total" + labels + " " + String.format(Locale.ROOT, "%.6f", seconds)
                            + " " + t.getEpochSecond() + "\n");
                    // the rate over the coming minute
                    int hour = (int) ((t.getEpochSecond() % 86400) / 3600);
                    seconds += (hour < p.peakHours() ? p.peakCores() : p.baseCores()) * STEP.toSeconds();
                }
                for (Instant t = first; !t.isAfter(last); t = t.plus(STEP)) {
                    out.write("container_memory_working_set_bytes" + labels + " " + String.format(Locale.ROOT, "%.0f", p.memoryBytes())
                            + " " + t.getEpochSecond() + "\n");
                }
            }
            out.write("# EOF\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the usage history", e);
        }
    }
}
