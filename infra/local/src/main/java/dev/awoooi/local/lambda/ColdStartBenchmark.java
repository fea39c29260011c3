package dev.awoooi.local.lambda;

import dev.awoooi.local.Interposer;

import dev.awoooi.approval.ApprovalLinks;
import dev.awoooi.local.LocalStack;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * scripts/bench-coldstart: fresh Lambda environments (LambdaSandbox: the deployment package, Lambda's Java runtime
 * flags and interface client, the Runtime API) for ingest, approvalApi, analyze and execute, and Spring Cloud
 * Function's stock {@code uppercase} on the same libraries and flags, each started on demand (no hooks) and as SnapStart
 * does it (the beforeCheckpoint hooks, the restore, the afterRestore hooks), several runs each in one process.
 * Per environment: init (JVM launch to the end of INIT; with SnapStart that is the snapshot point, priming included),
 * the first and the second request after it, and the peak RSS. Real requests against the embedded stack: an alert
 * accepted, an approval page for a pending request, a fresh incident analysed, an approved restart executed.
 */
public final class ColdStartBenchmark {
    private static final Duration ANSWER = Duration.ofSeconds(120);
    private static final List<String> CHAIN_SERVICES = List.of("frontend", "auth-service", "order-api", "product-api");
    private static final Pattern PRIMED = Pattern.compile("primed \\S+ before the snapshot: \\d+ invocations, (\\d+) ms");

    record Sample(double initMs, double primingMs, double firstMs, double secondMs, double rssMb) {
    }

    private final LocalStack stack;
    private final PackageDriver driver;
    private final Path stockPackage;
    private final AtomicInteger alerts = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Every invocation of a warm package while preparing or pricing: function and duration. */
    private final List<Map.Entry<String, Double>> invocations = new ArrayList<>();

    private ColdStartBenchmark(LocalStack stack, Path stockPackage, PackageDriver driver) {
        this.stack = stack;
        this.driver = driver;
        this.stockPackage = stockPackage;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> targets = args.length > 1 ? Arrays.asList(args[1].split(",")) : List.of("uppercase", "ingest", "approvalApi", "analyze", "execute");
        // every alert its own incident, so each measured request does the whole work
        LocalStack stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false)
                .withQueuePollers(false).withProperty("awoooi.intake.groupingwindow", "1ms"));
        Path stock = stockPackage(stack.templateFile().getParent().resolve(stack.deployment("IngestFunction").codeUri()));
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        try {
            ColdStartBenchmark bench = new ColdStartBenchmark(stack, stock, new PackageDriver(stack));
            for (int run = 1; run <= runs; run++) {
                for (boolean snapStart : List.of(false, true)) {
                    for (String target : targets) {
                        Sample sample = bench.measure(target, snapStart);
                        samples.computeIfAbsent(target + (snapStart ? " snapstart" : " on-demand"), k -> new ArrayList<>()).add(sample);
                        System.err.printf(Locale.ROOT, "run %d %-10s %-9s init %6.0f ms (priming %4.0f) first %6.1f ms second %6.1f ms rss %4.0f MB%n",
                                run, target, snapStart ? "snapstart" : "on-demand", sample.initMs(), sample.primingMs(),
                                sample.firstMs(), sample.secondMs(), sample.rssMb());
                    }
                }
            }
            bench.driver.close();
            report(samples, runs);
            price(stack, stock, 3);
        } finally {
            stack.close();
            Files.deleteIfExists(stock);
        }
    }

    private Sample measure(String target, boolean snapStart) throws Exception {
        return switch (target) {
            case "uppercase" -> run(stockSandbox(snapStart), "\"hello\"", "\"again\"");
            // services of their own: two alerts of one service within a second would join one incident
            case "ingest" -> run(driver.start("IngestFunction", snapStart, profiling(), Set.of()), alertEvent("checkout-" + alerts.get()),
                    alertEvent("payments-" + alerts.get()));
            case "approvalApi" -> {
                String a = awaitingApproval();
                String b = awaitingApproval();
                yield run(driver.start("ApprovalApiFunction", snapStart, profiling(), Set.of()), approvalPage(a), approvalPage(b));
            }
            case "analyze" -> {
                String a = redacted();
                String b = redacted();
                LambdaSandbox sandbox = driver.start("AnalyzeFunction", snapStart, profiling(), Set.of());
                yield run(sandbox, () -> driver.sqsEvent(about("AnalyzeQueue", a), "AnalyzeQueue"),
                        () -> driver.sqsEvent(about("AnalyzeQueue", b), "AnalyzeQueue"));
            }
            case "execute" -> {
                resetDemoDatabase();
                String id = awaitingApproval();
                sign(id, "alice");
                sign(id, "bob");
                relay();
                String event = driver.sqsEvent(about("ExecuteQueue", id), "ExecuteQueue");
                // the second request is the same message redelivered: the claim makes it a no-op
                yield run(driver.start("ExecuteFunction", snapStart, profiling(), Set.of()), event, event);
            }
            default -> throw new IllegalArgumentException("unknown target " + target);
        };
    }

    /** JAVA_TOOL_OPTIONS for the measured environments (as Lambda honours it), from BENCH_JAVA_TOOL_OPTIONS: profiling. */
    private static Map<String, String> profiling() {
        String options = System.getenv("BENCH_JAVA_TOOL_OPTIONS");
        return options == null || options.isBlank() ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", options);
    }

    private Sample run(LambdaSandbox sandbox, String first, String second) {
        return run(sandbox, () -> first, () -> second);
    }

    private Sample run(LambdaSandbox sandbox, java.util.function.Supplier<String> first, java.util.function.Supplier<String> second) {
        try (sandbox) {
            double init = sandbox.awaitInit(Duration.ofSeconds(120)).toNanos() / 1e6;
            LambdaSandbox.Answer a = checked(sandbox, sandbox.invoke(first.get(), ANSWER));
            LambdaSandbox.Answer b = checked(sandbox, sandbox.invoke(second.get(), ANSWER));
            Matcher primed = PRIMED.matcher(sandbox.output());
            return new Sample(init, primed.find() ? Double.parseDouble(primed.group(1)) : 0, a.millis(), b.millis(), sandbox.peakRssMb());
        }
    }

    private static LambdaSandbox.Answer checked(LambdaSandbox sandbox, LambdaSandbox.Answer answer) {
        String body = answer.body();
        boolean failed = answer.failed() || body.contains("\"itemIdentifier\"") || body.matches("(?s).*\"statusCode\"\\s*:\\s*[45]\\d\\d.*");
        if (failed) {
            throw new IllegalStateException("the measured request failed: " + body + "\n" + sandbox.output());
        }
        return answer;
    }

    private LambdaSandbox stockSandbox(boolean snapStart) throws IOException {
        return LambdaSandbox.start(new LambdaSandbox.Launch("uppercase", stockPackage,
                "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest",
                Map.of("MAIN_CLASS", "stock.UppercaseApplication", "SPRING_CLOUD_FUNCTION_DEFINITION", "uppercase"), 512, snapStart));
    }

    /** The stock function's package: the core package's libraries and nothing of AWOOOI's own. */
    private static Path stockPackage(Path core) throws IOException {
        Path zip = Files.createTempFile("stock-uppercase-", ".zip");
        try (ZipFile in = new ZipFile(core.toFile()); OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (var entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().startsWith("lib/") && !entry.isDirectory()) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            out.putNextEntry(new ZipEntry("stock/UppercaseApplication.class"));
            try (InputStream data = ColdStartBenchmark.class.getResourceAsStream("/stock/UppercaseApplication.class")) {
                data.transferTo(out);
            }
            out.closeEntry();
        }
        return zip;
    }

    /** A new Alertmanager alert, as API Gateway delivers it; its own incident here (a grouping window of 1 ms, each alert starting a second after the last). */
    private String alertEvent(String service) {
        int n = alerts.incrementAndGet();
        String body = """
                {"version":"4","groupKey":"{}:{bench=\\"%d\\"}","status":"firing","receiver":"awoooi",
                 "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093","truncatedAlerts":0,
                 "alerts":[{"status":"firing","labels":{"alertname":"Frontend5xxRateHigh","service":"%s","namespace":"production",
                 "severity":"critical"},"annotations":{"summary":"frontend 5xx rate > 15%%","description":"client 203.0.113.%d hit errors"},
                 "startsAt":"%s","fingerprint":"%016x"}]}""".formatted(n, service, n % 250, Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(n), 0xbe000000L + n);
        return PackageDriver.httpEvent("POST", "/alerts/alertmanager", Map.of("source", "alertmanager"), Map.of(),
                Map.of("authorization", "Bearer " + stack.webhookToken(), "content-type", "application/json"), body);
    }

    /** A new incident through ingest and redact (warm packages); its message waits on the analyze queue. */
    private String redacted() {
        // consecutive incidents on different services that all depend on the crash-looping database: a warm chain can
        // take less than a second, and alerts of one service within the same second join one incident
        String service = CHAIN_SERVICES.get(alerts.get() % CHAIN_SERVICES.size());
        JsonNode accepted = PackageDriver.JSON.readTree(call("IngestFunction", alertEvent(service)));
        String id = PackageDriver.JSON.readTree(accepted.get("body").asString()).get("incidents").get(0).get("id").asString();
        feed("RedactFunction", "RedactQueue", id);
        return id;
    }

    /** A new incident analysed and waiting for two signatures. */
    private String awaitingApproval() {
        String id = redacted();
        feed("AnalyzeFunction", "AnalyzeQueue", id);
        relay();
        feed("ApproveFunction", "ApproveQueue", id);
        relay();
        return id;
    }

    /**
     * What the incidents table's stream holds since the last call, handed to the relay's warm package as Lambda hands
     * it over: the events the committed moves announce reach the bus and the queues behind it (here nothing reads the
     * stream by itself).
     */
    private void relay() {
        for (var event = driver.streamEvent("IncidentsTable"); event.isPresent(); event = driver.streamEvent("IncidentsTable")) {
            String answer = call("RelayFunction", event.get());
            if (!answer.contains("\"batchItemFailures\":[]")) {
                throw new IllegalStateException("the relay failed while preparing: " + answer);
            }
        }
    }

    /** The queue's message about this incident (what earlier measurements left there is dropped), to a warm package. */
    private void feed(String function, String queue, String incidentId) {
        String event = driver.sqsEvent(about(queue, incidentId), queue);
        String answer = call(function, event);
        if (!answer.contains("\"batchItemFailures\":[]")) {
            throw new IllegalStateException(function + " failed while preparing: " + answer);
        }
    }

    private String call(String function, String event) {
        LambdaSandbox.Answer answer = driver.warm(function).invoke(event, ANSWER);
        invocations.add(Map.entry(function, answer.millis()));
        return answer.body();
    }

    private software.amazon.awssdk.services.sqs.model.Message about(String queue, String incidentId) {
        while (true) {
            var message = driver.receive(queue, Duration.ofSeconds(30)).orElseThrow(() -> new IllegalStateException(
                    "nothing about " + incidentId + " arrived on " + queue + "; the incident: " + incident(incidentId)));
            if (message.body().contains(incidentId)) {
                return message;
            }
        }
    }

    private String approvalPage(String id) {
        return approvalPage(id, "alice", token(id, "alice"));
    }

    private static String approvalPage(String id, String approver, String token) {
        return PackageDriver.httpEvent("GET", "/approvals/" + id, Map.of("id", id), Map.of("approver", approver, "token", token), Map.of(), null);
    }

    /** As a person signs: the page first (its form carries the CSRF token the decision needs), then the decision. */
    private void sign(String id, String approver) {
        String token = token(id, approver);
        String page = PackageDriver.JSON.readTree(call("ApprovalApiFunction", approvalPage(id, approver, token))).get("body").asString();
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        String form = "decision=approve&approver=" + approver + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
        String event = PackageDriver.httpEvent("POST", "/approvals/" + id, Map.of("id", id), Map.of(),
                Map.of("content-type", "application/x-www-form-urlencoded"), form);
        String answer = call("ApprovalApiFunction", event);
        if (!answer.contains("Your decision is recorded")) {
            throw new IllegalStateException("signing failed: " + answer);
        }
    }

    private String token(String id, String approver) {
        String planHash = incident(id).get("planHash").asString();
        byte[] secret = stack.functionProperties().get("awoooi.linksecret").getBytes(StandardCharsets.UTF_8);
        return new ApprovalLinks(secret, "").token(id, approver, planHash);
    }

    private JsonNode incident(String id) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/incidents/" + id))
                    .header("Authorization", "Bearer " + stack.readerToken()).build(), HttpResponse.BodyHandlers.ofString());
            return PackageDriver.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One alert through the whole loop on warm packages: analysed, requested, opened and signed twice, executed, reported. */
    private void wholeIncident() throws Exception {
        resetDemoDatabase();
        String id = awaitingApproval();
        notifyEverythingQueued();
        for (String approver : List.of("alice", "bob")) {
            sign(id, approver); // opens the page, then decides
        }
        relay();
        feed("ExecuteFunction", "ExecuteQueue", id);
        relay();
        feed("ApproveFunction", "ApproveQueue", id); // the verified, approved restart credits its pattern's trust
        notifyEverythingQueued();
    }

    private void notifyEverythingQueued() {
        for (var message = driver.receive("NotifyQueue", Duration.ofSeconds(2)); message.isPresent();
             message = driver.receive("NotifyQueue", Duration.ofSeconds(2))) {
            String answer = call("NotifyFunction", driver.sqsEvent(message.get(), "NotifyQueue"));
            if (!answer.contains("\"batchItemFailures\":[]")) {
                throw new IllegalStateException("notify failed: " + answer);
            }
        }
    }

    /**
     * What an incident costs on AWS, from what the packages really did for a few whole incidents: the invocations
     * and their durations, and every DynamoDB, SQS and EventBridge call counted by a pass-through in front of each
     * (Interposer), priced at us-east-1 list prices (arm64, 512 MB).
     */
    private static void price(LocalStack stack, Path stock, int incidents) throws Exception {
        try (Interposer dynamo = new Interposer(stack.dynamoEndpoint()); Interposer sqs = new Interposer(stack.sqsEndpoint());
             Interposer events = new Interposer(stack.eventBridgeEndpoint());
             PackageDriver metered = new PackageDriver(stack, Map.of("AWOOOI_ENDPOINTS_DYNAMODB", dynamo.endpoint().toString(),
                     "AWOOOI_ENDPOINTS_SQS", sqs.endpoint().toString(), "AWOOOI_ENDPOINTS_EVENTBRIDGE", events.endpoint().toString()))) {
            ColdStartBenchmark loop = new ColdStartBenchmark(stack, stock, metered);
            loop.wholeIncident(); // starts and warms every package; not counted
            dynamo.reset();
            sqs.reset();
            events.reset();
            loop.invocations.clear();
            for (int i = 0; i < incidents; i++) {
                loop.wholeIncident();
            }
            Map<String, double[]> byFunction = new java.util.TreeMap<>();
            loop.invocations.forEach(e -> {
                double[] v = byFunction.computeIfAbsent(e.getKey(), k -> new double[2]);
                v[0]++;
                v[1] += e.getValue();
            });
            System.out.printf(Locale.ROOT, "%nPer incident (mean of %d whole incidents on warm packages)%n%n", incidents);
            System.out.println("| function | invocations | mean duration |");
            System.out.println("|---|---:|---:|");
            double invocationsPerIncident = 0;
            double gbSeconds = 0;
            double httpCalls = 0;
            for (var e : byFunction.entrySet()) {
                double count = e.getValue()[0] / incidents;
                invocationsPerIncident += count;
                gbSeconds += e.getValue()[1] / incidents / 1000.0 * 0.5;
                if (e.getKey().equals("IngestFunction") || e.getKey().equals("ApprovalApiFunction")) {
                    httpCalls += count;
                }
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.0f ms |%n", e.getKey(), count, e.getValue()[1] / e.getValue()[0]);
            }
            System.out.println();
            System.out.println("| service | operation | calls | bytes sent | bytes received |");
            System.out.println("|---|---|---:|---:|---:|");
            double writeUnits = 0;
            double readUnits = 0;
            double sqsRequests = 0;
            double eventsPublished = 0;
            for (var meter : List.of(Map.entry("DynamoDB", dynamo), Map.entry("SQS", sqs), Map.entry("EventBridge", events))) {
                for (var t : meter.getValue().tallies().entrySet()) {
                    double calls = (double) t.getValue().calls / incidents;
                    double sent = (double) t.getValue().requestBytes / t.getValue().calls;
                    double received = (double) t.getValue().responseBytes / t.getValue().calls;
                    System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.0f | %.0f |%n", meter.getKey(),
                            t.getKey().replaceAll("^[A-Za-z0-9_]+\\.", ""), calls, sent, received);
                    String op = t.getKey();
                    if (op.endsWith("PutItem") || op.endsWith("UpdateItem") || op.endsWith("DeleteItem")) {
                        writeUnits += calls * Math.max(1, Math.ceil(sent / 1024));
                    } else if (op.endsWith("TransactWriteItems")) {
                        writeUnits += calls * 2 * Math.max(1, Math.ceil(sent / 1024));
                    } else if (op.endsWith("GetItem") || op.endsWith("Query")) {
                        readUnits += calls * Math.max(1, Math.ceil(received / 4096));
                    } else if (op.endsWith("SendMessage")) {
                        sqsRequests += calls * 3; // send, and the event source mapping's receive and delete
                    } else if (op.endsWith("PutEvents")) {
                        eventsPublished += calls;
                        sqsRequests += calls * 3; // every rule targets a queue: delivery, receive, delete
                    }
                }
            }
            double dynamoUsd = writeUnits * 0.625 / 1e6 + readUnits * 0.125 / 1e6;
            double sqsUsd = sqsRequests * 0.40 / 1e6;
            double eventsUsd = eventsPublished * 1.00 / 1e6;
            double apiUsd = httpCalls * 1.00 / 1e6;
            System.out.println();
            System.out.printf(Locale.ROOT, "Per incident: %.1f invocations, %.3f GB-s at 512 MB, %.0f write and %.0f read units, "
                    + "%.0f SQS requests, %.0f events, %.0f HTTP API calls%n%n", invocationsPerIncident, gbSeconds, writeUnits, readUnits,
                    sqsRequests, eventsPublished, httpCalls);
            System.out.println("| per 1,000 incidents | Lambda (arm64) | DynamoDB | SQS | EventBridge | HTTP API | total |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            for (double slowdown : new double[]{1, 3}) {
                double lambda = (gbSeconds * slowdown * 0.0000133334 + invocationsPerIncident * 0.20 / 1e6) * 1000;
                System.out.printf(Locale.ROOT, "| durations as measured here%s | $%.4f | $%.4f | $%.4f | $%.4f | $%.4f | **$%.4f** |%n",
                        slowdown == 1 ? "" : " ×3 (512 MB is 0.29 vCPU)", lambda, dynamoUsd * 1000, sqsUsd * 1000, eventsUsd * 1000,
                        apiUsd * 1000, lambda + (dynamoUsd + sqsUsd + eventsUsd + apiUsd) * 1000);
            }
        }
    }

    /** The demo database crash-loops again (the last run's restart healed it). */
    private void resetDemoDatabase() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/local/demo/reset"))
                .header("Authorization", "Bearer " + stack.webhookToken()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static void report(Map<String, List<Sample>> samples, int runs) {
        System.out.printf(Locale.ROOT, "%n%d runs each; medians, with [min–max]%n%n", runs);
        System.out.println("| function | start | init (launch → end of INIT) | of which priming | first request | second request | peak RSS |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        samples.forEach((name, list) -> {
            String[] parts = name.split(" ");
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", parts[0], parts[1],
                    figure(list, Sample::initMs, "%.0f ms"), figure(list, Sample::primingMs, "%.0f ms"),
                    figure(list, Sample::firstMs, "%.1f ms"), figure(list, Sample::secondMs, "%.1f ms"), figure(list, Sample::rssMb, "%.0f MB"));
        });
        System.out.println();
        System.out.println("| function | start | init ÷ uppercase's | first request ÷ uppercase's |");
        System.out.println("|---|---|---:|---:|");
        samples.forEach((name, list) -> {
            String[] parts = name.split(" ");
            List<Sample> stock = samples.get("uppercase " + parts[1]);
            if (stock == null || parts[0].equals("uppercase")) {
                return;
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.1f |%n", parts[0], parts[1],
                    median(list, Sample::initMs) / median(stock, Sample::initMs), median(list, Sample::firstMs) / median(stock, Sample::firstMs));
        });
    }

    private static String figure(List<Sample> list, java.util.function.ToDoubleFunction<Sample> value, String format) {
        double[] sorted = list.stream().mapToDouble(value).sorted().toArray();
        return String.format(Locale.ROOT, format + " [" + format + "–" + format + "]", median(list, value), sorted[0], sorted[sorted.length - 1]);
    }

    private static double median(List<Sample> list, java.util.function.ToDoubleFunction<Sample> value) {
        double[] sorted = list.stream().mapToDouble(value).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
