package dev.awoooi.local.storm;

import dev.awoooi.local.LocalStack;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * scripts/bench-storm: alert storms on the embedded stack, printed as markdown for docs/benchmarks.md. Beside them in
 * the same run, the HTTP floor: the same deliveries refused at the door, at the same concurrency.
 */
public final class StormBenchmark {
    /**
     * Alerts sent before the storms are timed, on services of their own: the first ten thousand alerts after start-up
     * run while the JIT compiles the whole in-process stack (the functions, DynamoDB Local, ElasticMQ, the SDK) and
     * take about twice as long; a stack that has been running is warm. 0 times a cold stack.
     */
    static final int WARM_UP = 5_000;
    static final List<String> WARM_UP_SERVICES = List.of("warm-up-a", "warm-up-b", "warm-up-c", "warm-up-d", "warm-up-e");

    private StormBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int alerts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : WARM_UP;
        try (LocalStack stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false))) {
            AlertStorm storm = new AlertStorm(stack);
            if (warmUp > 0) {
                storm.send("warm-up", AlertStorm.newRun(), warmUp, WARM_UP_SERVICES, senders);
            }
            AlertStorm.Report floor = storm.refused("HTTP floor (401 at the door)", AlertStorm.newRun(), alerts, senders);
            String spreadRun = AlertStorm.newRun();
            AlertStorm.Report spread = storm.send("5 services", spreadRun, alerts, AlertStorm.SPREAD, senders);
            AlertStorm.Settled spreadSettled = storm.settle(spread, Duration.ofMinutes(10));
            AlertStorm.Report spreadReplay = storm.send("5 services, replayed", spreadRun, alerts, AlertStorm.SPREAD, senders);
            String singleRun = AlertStorm.newRun();
            AlertStorm.Report single = storm.send("1 service", singleRun, alerts, AlertStorm.SINGLE, senders);
            AlertStorm.Settled singleSettled = storm.settle(single, Duration.ofMinutes(10));
            AlertStorm.Report singleReplay = storm.send("1 service, replayed", singleRun, alerts, AlertStorm.SINGLE, senders);

            System.out.printf(Locale.ROOT, "%n%,d alerts, one per delivery, %d concurrent senders, after %,d alerts of warm-up%n%n",
                    alerts, senders, warmUp);
            System.out.println("| storm | seconds | alerts/s | p50 ms | p99 ms | max ms | p99 ÷ floor's | 503 retried | outcomes | incidents |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|");
            for (AlertStorm.Report report : List.of(floor, spread, spreadReplay, single, singleReplay)) {
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.0f | %.1f | %.1f | %.1f | %.2f | %d | %s | %s |%n", report.name(), report.seconds(),
                        report.alertsPerSecond(), report.percentile(50), report.percentile(99), report.percentile(100),
                        report.percentile(99) / floor.percentile(99), report.retries(), report.outcomes(),
                        report == floor ? "—" : String.valueOf(report.incidents().size()));
            }
            record Run(AlertStorm.Report report, AlertStorm.Settled settled, List<String> services) {
            }
            for (Run run : List.of(new Run(spread, spreadSettled, AlertStorm.SPREAD), new Run(single, singleSettled, AlertStorm.SINGLE))) {
                AlertStorm.Report report = run.report();
                AlertStorm.Settled settled = run.settled();
                List<String> services = run.services();
                long inTwo = settled.fingerprintsByIncident().values().stream().flatMap(java.util.Set::stream)
                        .collect(java.util.stream.Collectors.groupingBy(f -> f, java.util.stream.Collectors.counting()))
                        .values().stream().filter(n -> n > 1).count();
                System.out.printf(Locale.ROOT, "%n%s: %,d alert items, %,d counted on the incidents, %d in more than one incident, "
                                + "%,d accepted alerts without an item, queues empty: %s; %d incidents, services with two open at once: %s%n",
                        report.name(), settled.alertItems(), settled.countedAlerts(), inTwo, report.alerts() - settled.alertItems(),
                        settled.queuesEmpty(), settled.spans().size(), AlertStorm.overlapping(report, settled, services));
            }
        }
    }
}
