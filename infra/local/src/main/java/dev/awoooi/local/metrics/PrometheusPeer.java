package dev.awoooi.local.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus}, with {@code promtool}) and a real node_exporter (Debian's
 * {@code prometheus-node-exporter}) on 127.0.0.1, for the scans: node_exporter reports this machine, scraped every
 * 2 s and labelled {@code node=<this host's name>}; a history given as OpenMetrics is backfilled into real TSDB blocks
 * with {@code promtool tsdb create-blocks-from openmetrics} before Prometheus starts; alerting rules are loaded from a
 * rule file. {@code .ci/run} installs the packages; without them {@link #installed()} is false.
 */
public final class PrometheusPeer implements AutoCloseable {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes;
    private final int port;
    private final Path dir;
    private final String node;

    private PrometheusPeer(List<Process> processes, int port, Path dir, String node) {
        this.processes = processes;
        this.port = port;
        this.dir = dir;
        this.node = node;
    }

    public static boolean installed() {
        return Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL) && Files.isExecutable(NODE_EXPORTER);
    }

    /**
     * @param history an OpenMetrics file (ending in {@code # EOF}) to backfill, deleted once it is; null for none
     * @param rules   a Prometheus rule file (YAML) to load; null for none
     */
    public static PrometheusPeer start(Path history, String rules) {
        List<Process> processes = new ArrayList<>();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("awoooi-prometheus");
            Path data = Files.createDirectories(dir.resolve("data"));
            if (history != null) {
                Path file = history;
                Process promtool = new ProcessBuilder(PROMTOOL.toString(), "tsdb", "create-blocks-from", "openmetrics", "--quiet",
                        file.toString(), data.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("promtool.log").toFile()).start();
                boolean done = promtool.waitFor(5, TimeUnit.MINUTES);
                Files.deleteIfExists(file);
                if (!done || promtool.exitValue() != 0) {
                    promtool.destroyForcibly();
                    String log = Files.readString(dir.resolve("promtool.log"));
                    delete(dir);
                    throw new IllegalStateException("promtool could not backfill the history:\n" + log);
                }
            }
            String node = InetAddress.getLocalHost().getHostName();
            int exporterPort = freePort();
            processes.add(new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + exporterPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("node-exporter.log").toFile()).start());
            Path ruleFile = dir.resolve("rules.yml");
            Files.writeString(ruleFile, rules == null ? "groups: []\n" : rules);
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global: {scrape_interval: 2s, evaluation_interval: 2s}
                    rule_files: ["%s"]
                    scrape_configs:
                      - job_name: node
                        static_configs: [{targets: ["127.0.0.1:%d"], labels: {node: "%s"}}]
                    """.formatted(ruleFile, exporterPort, node));
            int port = freePort();
            processes.add(new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=60d", "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start());
            PrometheusPeer peer = new PrometheusPeer(processes, port, dir, node);
            peer.awaitScraped(Duration.ofSeconds(60));
            return peer;
        } catch (IOException e) {
            processes.forEach(Process::destroyForcibly);
            if (dir != null) {
                delete(dir);
            }
            throw new UncheckedIOException("cannot start Prometheus and node_exporter", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            processes.forEach(Process::destroyForcibly);
            if (dir != null) {
                delete(dir);
            }
            throw new IllegalStateException("interrupted while starting Prometheus", e);
        } catch (RuntimeException e) {
            processes.forEach(Process::destroyForcibly);
            if (dir != null) {
                delete(dir);
            }
            throw e;
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The value of the {@code node} label on this machine's node_exporter series. */
    public String node() {
        return node;
    }

    /** Prometheus's answer to an instant query, as JSON text. */
    public String query(String promql) {
        return get("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Until CPU rates can be computed (two scrapes of node_exporter) and the rules are loaded. */
    private void awaitScraped(Duration within) throws InterruptedException {
        Instant until = Instant.now().plus(within);
        String last = "";
        while (Instant.now().isBefore(until)) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    String log = log();
                    close();
                    throw new IllegalStateException("a Prometheus peer exited with " + p.exitValue() + ":\n" + log);
                }
            }
            try {
                last = query("count(rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))");
                if (last.contains("\"result\":[{")) {
                    return;
                }
            } catch (UncheckedIOException e) {
                last = e.getMessage();
            }
            Thread.sleep(250);
        }
        String log = log();
        close();
        throw new IllegalStateException("Prometheus did not scrape node_exporter twice within " + within + " (" + last + "):\n" + log);
    }

    private String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is the machine's to clean
        }
    }

    @Override
    public void close() {
        processes.reversed().forEach(p -> dev.awoooi.local.Processes.stop(p, Duration.ofSeconds(10)));
        http.close();
        delete(dir);
    }
}
