package dev.awoooi.local.e2e;

import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Prometheus Alertmanager, configured with infra/alertmanager/alertmanager.yml (only the webhook URL's host
 * and port changed, to the embedded stack's), delivers an alert to the real functions: bearer token from the
 * token file, Alertmanager's own payload, fingerprint and grouping. With a wrong token the stack answers 401 and no
 * incident appears. Needs the {@code alertmanager} (or Debian's {@code prometheus-alertmanager}) binary: skipped
 * without it, failed without it when {@code CI} is set, because CI installs it.
 */
class AlertmanagerDeliveryIT {
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final String WEBHOOK_PATH = "/alerts/alertmanager";

    static LocalStack stack;
    static Path binary;
    static Path workDir;
    static DynamoDbClient dynamo;
    static String incidentsTable;
    static final List<Alertmanager> running = new CopyOnWriteArrayList<>();
    static final JsonMapper json = JsonMapper.builder().build();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        binary = findAlertmanager();
        if (binary == null) {
            String why = "no Prometheus Alertmanager binary (alertmanager or prometheus-alertmanager on PATH, or "
                    + "/usr/bin/prometheus-alertmanager); install it with: apt-get install -y prometheus-alertmanager";
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank()) {
                fail("CI is set and CI installs Alertmanager, yet there is " + why);
            }
            assumeTrue(false, "skipped: " + why);
        }
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false));
        dynamo = DynamoDbClient.builder().endpointOverride(stack.dynamoEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        incidentsTable = stack.functionProperties().getOrDefault("awoooi.tables.incidents", "IncidentsTable");
        workDir = Files.createTempDirectory("awoooi-alertmanager-it");
    }

    @AfterAll
    static void stop() throws IOException {
        running.forEach(Alertmanager::close);
        if (dynamo != null) {
            dynamo.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (workDir != null) {
            try (Stream<Path> all = Files.walk(workDir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aRealAlertmanagerDeliversWithTheBearerTokenAndTheIncidentHoldsNoPersonalData() throws Exception {
        String email = "jane.doe@example.com";
        String ip = "198.51.100.23";
        String alertname = "AlertmanagerDelivery" + System.nanoTime();
        try (Alertmanager alertmanager = Alertmanager.start(configFor("right-token", stack.webhookToken()))) {
            Instant posted = Instant.now();
            postAlert(alertmanager, alertname, "frontend 5xx above 15%; client " + ip + ", on-call " + email + " paged");
            String fingerprint = fingerprintOf(alertmanager, alertname);

            Map<String, AttributeValue> received = await("an incident for fingerprint " + fingerprint)
                    .atMost(DELIVERY).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        failOnDeliveryError(alertmanager);
                        return incidentWithFingerprint(fingerprint);
                    }, Optional::isPresent).orElseThrow();
            System.out.println("Alertmanager delivered " + alertname + " in "
                    + Duration.between(posted, Instant.now()).toMillis() + " ms (group_wait included); incident "
                    + received.get("id").s());

            Map<String, AttributeValue> progressed = await("incident " + received.get("id").s() + " to move past RECEIVED")
                    .atMost(DELIVERY).pollInterval(Duration.ofMillis(250))
                    .until(() -> incidentWithFingerprint(fingerprint).orElseThrow(),
                            item -> !item.get("status").s().equals("RECEIVED"));

            JsonNode incident = json.readTree(progressed.get("doc").s());
            assertThat(carries(incident, fingerprint)).as("the incident carries Alertmanager's fingerprint").isTrue();
            assertThat(incident.path("source").asString("")).isEqualTo("alertmanager");
            assertThat(incident.path("alertName").asString("")).isEqualTo(alertname);
            assertThat(incident.path("service").asString("")).isEqualTo("frontend");
            assertThat(incident.path("summary").asString("")).as("the summary, pseudonymized")
                    .contains("[EMAIL_1]").contains("[IP_1]");
            assertThat(progressed.toString()).as("the stored incident").doesNotContain(email).doesNotContain(ip);
            for (String table : List.of(incidentsTable, "AuditTable", "IdempotencyTable")) {
                dynamo.scanPaginator(r -> r.tableName(table)).items().forEach(item ->
                        assertThat(item.toString()).as("an item of " + table).doesNotContain(email).doesNotContain(ip));
            }
            assertThat(alertmanager.log()).as("Alertmanager's log").doesNotContain("Notify for alerts failed")
                    .doesNotContain("Notify attempt failed");
        }
    }

    @Test
    void aWrongTokenIsRefusedWith401AndOpensNoIncident() throws Exception {
        String email = "wrong.token@example.com";
        String ip = "192.0.2.77";
        String alertname = "AlertmanagerWrongToken" + System.nanoTime();
        try (Alertmanager alertmanager = Alertmanager.start(configFor("wrong-token", stack.webhookToken() + "-but-wrong"))) {
            postAlert(alertmanager, alertname, "disk full on " + ip + ", owner " + email);
            String fingerprint = fingerprintOf(alertmanager, alertname);

            String log = await("Alertmanager to report the stack's answer").atMost(DELIVERY).pollInterval(Duration.ofMillis(250))
                    .until(alertmanager::log, l -> l.contains("Notify for alerts failed") || l.contains("Notify attempt failed"));
            assertThat(log).as("Alertmanager's log: the stack refused the delivery")
                    .contains("Notify for alerts failed").contains("status code 401");

            await("no incident for fingerprint " + fingerprint).during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250)).until(() -> incidentWithFingerprint(fingerprint).isEmpty());
            for (String table : List.of(incidentsTable, "AuditTable", "IdempotencyTable", "VaultTable")) {
                dynamo.scanPaginator(r -> r.tableName(table)).items().forEach(item ->
                        assertThat(item.toString()).as("an item of " + table).doesNotContain(alertname).doesNotContain(email).doesNotContain(ip));
            }
        }
    }

    // ------------------------------------------------------------------ Alertmanager, the stack, the config

    private static Path findAlertmanager() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, "alertmanager"));
                    candidates.add(Path.of(dir, "prometheus-alertmanager"));
                }
            }
        }
        candidates.add(Path.of("/usr/bin/prometheus-alertmanager"));
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst().orElse(null);
    }

    /**
     * infra/alertmanager/alertmanager.yml in its own directory, its webhook URL's host and port changed to the
     * stack's and nothing else, and the token in the credentials file the config names, beside it.
     */
    private static Path configFor(String name, String token) throws IOException {
        Path original = LocalStack.findTemplate(Path.of("").toAbsolutePath()).getParent()
                .resolve("infra/alertmanager/alertmanager.yml");
        String text = Files.readString(original);
        Matcher url = Pattern.compile("(?m)^(\\s*(?:-\\s+)?url:\\s*)(https?://[^/\\s]+)(/\\S*)\\s*$").matcher(text);
        assertThat(url.find()).as("a webhook url in " + original).isTrue();
        String path = url.group(3);
        assertThat(path).as("the webhook path in " + original).isEqualTo(WEBHOOK_PATH);
        int start = url.start(2);
        int end = url.end(2);
        assertThat(url.find()).as("exactly one webhook url in " + original).isFalse();
        String rewritten = text.substring(0, start) + stack.baseUrl() + text.substring(end);

        // Prove that the URL is the only difference.
        Map<String, Object> expected = new Yaml().load(text);
        webhook(expected).put("url", stack.baseUrl() + path);
        Map<String, Object> actual = new Yaml().load(rewritten);
        assertThat(actual).as("the config, URL apart, is the repository's").isEqualTo(expected);

        Path dir = Files.createDirectories(workDir.resolve(name).resolve("config"));
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), rewritten);
        Object tokenFile = ((Map<?, ?>) ((Map<?, ?>) webhook(expected).get("http_config")).get("authorization")).get("credentials_file");
        assertThat(tokenFile).as("the token comes from a credentials_file").isInstanceOf(String.class);
        // As people write it (echo token > file): Alertmanager trims the newline.
        Files.writeString(dir.resolve((String) tokenFile), token + "\n");
        return config;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> webhook(Map<String, Object> config) {
        List<Map<String, Object>> receivers = (List<Map<String, Object>>) config.get("receivers");
        assertThat(receivers).hasSize(1);
        List<Map<String, Object>> webhooks = (List<Map<String, Object>>) receivers.get(0).get("webhook_configs");
        assertThat(webhooks).hasSize(1);
        return webhooks.get(0);
    }

    private static void postAlert(Alertmanager alertmanager, String alertname, String summary) throws Exception {
        String body = json.writeValueAsString(List.of(Map.of(
                "labels", Map.of("alertname", alertname, "service", "frontend", "namespace", "production", "severity", "critical"),
                "annotations", Map.of("summary", summary),
                "generatorURL", "http://prometheus.monitoring:9090/graph")));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(alertmanager.url() + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("Alertmanager took the alert: " + response.body()).isEqualTo(200);
    }

    /** The fingerprint Alertmanager gave the alert, which it sends in the webhook payload. */
    private static String fingerprintOf(Alertmanager alertmanager, String alertname) {
        String filter = URLEncoder.encode("alertname=\"" + alertname + "\"", StandardCharsets.UTF_8);
        return await("Alertmanager to list " + alertname).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(alertmanager.url() + "/api/v2/alerts?filter=" + filter)).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    for (JsonNode alert : json.readTree(response.body())) {
                        if (alertname.equals(alert.path("labels").path("alertname").asString(""))) {
                            return alert.path("fingerprint").asString("");
                        }
                    }
                    return "";
                }, fingerprint -> !fingerprint.isBlank());
    }

    private static Optional<Map<String, AttributeValue>> incidentWithFingerprint(String fingerprint) {
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(r -> r.tableName(incidentsTable).consistentRead(true)).items()) {
            AttributeValue doc = item.get("doc");
            if (doc != null && carries(json.readTree(doc.s()), fingerprint)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }

    /** The incident's own fingerprint, or that of one of the alerts it records. */
    private static boolean carries(JsonNode incident, String fingerprint) {
        if (fingerprint.equals(incident.path("fingerprint").asString(""))) {
            return true;
        }
        for (JsonNode alert : incident.path("alerts")) {
            if (fingerprint.equals(alert.path("fingerprint").asString(""))) {
                return true;
            }
        }
        return false;
    }

    /** Stops waiting at once, with Alertmanager's log, when it reports that the stack refused the delivery. */
    private static void failOnDeliveryError(Alertmanager alertmanager) {
        String log = alertmanager.log();
        if (log.contains("Notify for alerts failed") || log.contains("Notify attempt failed")) {
            throw new IllegalStateException("Alertmanager could not deliver to the stack:\n" + log);
        }
    }

    /** One Alertmanager process: its own port and storage, no clustering, its output kept. */
    record Alertmanager(Process process, String url, StringBuffer output) implements AutoCloseable {

        static Alertmanager start(Path config) throws IOException {
            Path storage = Files.createDirectories(config.getParent().resolveSibling("data"));
            for (int attempt = 1; ; attempt++) {
                int port = freePort();
                ProcessBuilder builder = new ProcessBuilder(binary.toString(),
                        "--config.file=" + config,
                        "--storage.path=" + storage,
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=",
                        "--log.level=info")
                        // not the config's directory: the credentials_file must resolve against the config, not here
                        .directory(config.getParent().getParent().toFile())
                        .redirectErrorStream(true);
                Alertmanager alertmanager = new Alertmanager(builder.start(), "http://127.0.0.1:" + port, new StringBuffer());
                running.add(alertmanager);
                alertmanager.pump();
                try {
                    await("Alertmanager on port " + port + " to be ready").atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(100)).until(() -> {
                                if (!alertmanager.process().isAlive()) {
                                    throw new IllegalStateException("Alertmanager exited with " + alertmanager.process().exitValue()
                                            + ":\n" + alertmanager.log());
                                }
                                return alertmanager.ready();
                            });
                    return alertmanager;
                } catch (RuntimeException e) {
                    alertmanager.close();
                    if (attempt < 3 && alertmanager.log().contains("address already in use")) {
                        continue; // another process took the free port first
                    }
                    throw e;
                }
            }
        }

        private void pump() {
            Thread.ofVirtual().name("alertmanager-output").start(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        String chunk = new String(buffer, 0, n, StandardCharsets.UTF_8);
                        output.append(chunk);
                        System.out.print(chunk.lines().map(l -> "[alertmanager] " + l + "\n").reduce("", String::concat));
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            });
        }

        boolean ready() {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        String log() {
            return output.toString();
        }

        @Override
        public void close() {
            if (!process.isAlive()) {
                return;
            }
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
