package dev.awoooi.local.console;

import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.LocalStack;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scripts/bench-console: the console's incident list on the embedded stack at a baseline of 1,000 stored incidents and
 * then at 100,000, printed as markdown for docs/benchmarks.md. The incidents are copies of one real analyzed incident
 * (its whole item, document and all, so items weigh what real ones do) under new ids, statuses, services, namespaces,
 * risks and update times spread over 90 days: 0.2 % open, the rest ended. Each list is fetched over HTTP with a
 * signed-in session (alice, through the identity provider's login form), one request at a time, after a warm-up. The
 * relay stops reading the table's stream before the copies are written, so none of them is announced.
 */
public final class ConsoleBenchmark {
    static final int SERVICES = 40;
    static final int NAMESPACES = 5;
    static final int BASELINE = 1_000;
    private static final Pattern HIDDEN = Pattern.compile("<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"");

    private ConsoleBenchmark() {
    }

    record Scenario(String name, String path) {
    }

    record Result(String scenario, int incidents, double p50, double p99, double max, int rows, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        try (LocalStack stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false))) {
            DynamoDbClient dynamo = stack.applicationContext().getBean(DynamoDbClient.class);
            String table = stack.tableName("IncidentsTable");
            Map<String, AttributeValue> template = analyzedIncident(stack, dynamo, table);
            HttpClient http = signedIn(stack, "alice");
            // the copies are stored as they are, not announced: the relay would publish each as the transition it shows
            stack.stopStreams();

            List<Result> results = new ArrayList<>();
            Random random = new Random(7);
            Instant now = Instant.now();
            seed(dynamo, table, template, BASELINE - 1, random, now);
            String deepCursor = cursorAfter(http, stack, "/console?status=RESOLVED", 10);
            results.addAll(measure(http, stack, scenarios(deepCursor), BASELINE, requests));
            long seedStart = System.nanoTime();
            seed(dynamo, table, template, total - BASELINE, random, now);
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            deepCursor = cursorAfter(http, stack, "/console?status=RESOLVED", 10);
            results.addAll(measure(http, stack, scenarios(deepCursor), total, requests));

            System.out.printf(Locale.ROOT, "%n%,d requests per list, one at a time, after 50 of warm-up; %,d more incidents seeded in %.0f s%n%n",
                    requests, total - BASELINE, seedSeconds);
            System.out.println("| list | incidents stored | p50 ms | p99 ms | max ms | rows | KiB | p99 ÷ baseline's |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (Result r : results) {
                Result base = results.stream().filter(b -> b.scenario().equals(r.scenario()) && b.incidents() == BASELINE).findFirst().orElseThrow();
                System.out.printf(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %d | %.1f | %.2f |%n", r.scenario(), r.incidents(), r.p50(), r.p99(), r.max(),
                        r.rows(), r.bytes() / 1024.0, r.p99() / base.p99());
            }
        }
    }

    static List<Scenario> scenarios(String deepCursor) {
        return List.of(new Scenario("first page: open sections + 50 recent", "/console"),
                new Scenario("one service (1 in 40)", "/console?service=svc-7"),
                new Scenario("service + namespace + risk (1 in 800)", "/console?service=svc-7&namespace=ns-3&risk=CRITICAL"),
                new Scenario("resolved, updated in the last 24 h", "/console?status=RESOLVED&since=24h"),
                new Scenario("resolved, the 11th page", "/console?status=RESOLVED&cursor=" + URLEncoder.encode(deepCursor, StandardCharsets.UTF_8)),
                new Scenario("live refresh, unchanged (304)", "/console#etag"));
    }

    /** One alert through the whole pipeline until it awaits signatures: its stored item is what the copies are made of. */
    static Map<String, AttributeValue> analyzedIncident(LocalStack stack, DynamoDbClient dynamo, String table) throws Exception {
        String body = """
                {"version":"4","groupKey":"{}:{fp=\\"be0c4\\"}","truncatedAlerts":0,"status":"firing","receiver":"awoooi",
                 "externalURL":"http://alertmanager:9093","groupLabels":{"fp":"be0c4"},"commonLabels":{},"commonAnnotations":{},
                 "alerts":[{"status":"firing","labels":{"alertname":"OrderApiLatencyHigh","service":"order-api","namespace":"production",
                 "severity":"critical"},"annotations":{"summary":"p99 latency above 2 s",
                 "awoooi_remediation":"kubectl rollout restart deployment/order-api -n production"},
                 "startsAt":"2026-11-30T03:12:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"be0c4"}]}""";
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/alerts/alertmanager"))
                .header("Authorization", "Bearer " + stack.webhookToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher id = Pattern.compile("\"id\":\"(inc-[a-z0-9]+)\"").matcher(response.body());
        if (response.statusCode() != 202 || !id.find()) {
            throw new IllegalStateException("the alert was not accepted: " + response.statusCode() + " " + response.body());
        }
        IncidentStore incidents = stack.applicationContext().getBean(IncidentStore.class);
        long deadline = System.currentTimeMillis() + 60_000;
        while (incidents.find(id.group(1)).map(i -> i.approval() == null).orElse(true)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the alert was not analyzed within a minute");
            }
            Thread.sleep(200);
        }
        return dynamo.getItem(r -> r.tableName(table).key(Map.of("id", AttributeValue.fromS(id.group(1)))).consistentRead(true)).item();
    }

    /** {@code count} copies, 25 to a BatchWriteItem on four threads, unprocessed items retried. */
    static void seed(DynamoDbClient dynamo, String table, Map<String, AttributeValue> template, int count, Random random, Instant now) throws Exception {
        List<WriteRequest> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(WriteRequest.builder().putRequest(PutRequest.builder().item(copy(template, random, now)).build()).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int from = 0; from < all.size(); from += 25) {
                List<WriteRequest> batch = all.subList(from, Math.min(from + 25, all.size()));
                done.add(pool.submit(() -> {
                    Map<String, List<WriteRequest>> left = Map.of(table, batch);
                    while (!left.isEmpty()) {
                        var pending = left;
                        var answer = dynamo.batchWriteItem(r -> r.requestItems(pending));
                        left = answer.unprocessedItems() == null ? Map.of() : answer.unprocessedItems();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static Map<String, AttributeValue> copy(Map<String, AttributeValue> template, Random random, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(template);
        Instant updated = now.minusSeconds(random.nextInt(90 * 24 * 3600));
        item.put("id", AttributeValue.fromS(IncidentIds.next(updated)));
        item.put("status", AttributeValue.fromS(status(random).name()));
        item.put("updatedAt", AttributeValue.fromS(dev.awoooi.store.DynamoIncidentStore.sortable(updated)));
        item.put("receivedAt", AttributeValue.fromS(updated.minusSeconds(random.nextInt(3600)).toString()));
        item.put("service", AttributeValue.fromS("svc-" + random.nextInt(SERVICES)));
        item.put("namespace", AttributeValue.fromS("ns-" + random.nextInt(NAMESPACES)));
        item.put("risk", AttributeValue.fromS(List.of("LOW", "MEDIUM", "HIGH", "CRITICAL").get(random.nextInt(4))));
        return item;
    }

    /** 0.2 % open (half of them awaiting signatures), the rest ended the ways incidents end. */
    static IncidentStatus status(Random random) {
        double p = random.nextDouble();
        if (p < 0.001) {
            return IncidentStatus.AWAITING_APPROVAL;
        }
        if (p < 0.0015) {
            return IncidentStatus.INVESTIGATING;
        }
        if (p < 0.002) {
            return IncidentStatus.EXECUTING;
        }
        p = random.nextDouble();
        return p < 0.60 ? IncidentStatus.RESOLVED : p < 0.85 ? IncidentStatus.SUCCEEDED : p < 0.90 ? IncidentStatus.FAILED
                : p < 0.93 ? IncidentStatus.REJECTED : p < 0.97 ? IncidentStatus.EXPIRED : IncidentStatus.VOIDED;
    }

    static List<Result> measure(HttpClient http, LocalStack stack, List<Scenario> scenarios, int incidents, int requests) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            boolean conditional = scenario.path().endsWith("#etag");
            String path = conditional ? scenario.path().substring(0, scenario.path().length() - 5) : scenario.path();
            var first = get(http, stack, path, null);
            String etag = first.headers().firstValue("ETag").orElse(null);
            int rows = count(first.body(), "class=\"row");
            double[] millis = new double[requests];
            long bytes = 0;
            for (int i = -50; i < requests; i++) {
                long start = System.nanoTime();
                var response = get(http, stack, path, conditional ? etag : null);
                double elapsed = (System.nanoTime() - start) / 1e6;
                int expected = conditional ? 304 : 200;
                if (response.statusCode() != expected) {
                    // the page changed (a minute passed and an age with it): take its new tag and go on
                    if (conditional && response.statusCode() == 200) {
                        etag = response.headers().firstValue("ETag").orElse(etag);
                    } else {
                        throw new IllegalStateException(scenario.name() + " answered " + response.statusCode() + ": " + response.body());
                    }
                }
                if (i >= 0) {
                    millis[i] = elapsed;
                    bytes = response.body().length();
                }
            }
            Arrays.sort(millis);
            results.add(new Result(scenario.name(), incidents, percentile(millis, 50), percentile(millis, 99), millis[millis.length - 1],
                    conditional ? 0 : rows, conditional ? first.body().length() : bytes));
        }
        return results;
    }

    static double percentile(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** The cursor of the page after {@code pages} pages of this list. */
    static String cursorAfter(HttpClient http, LocalStack stack, String path, int pages) throws Exception {
        String cursor = null;
        for (int i = 0; i < pages; i++) {
            var page = get(http, stack, cursor == null ? path : path + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), null);
            Matcher older = Pattern.compile("id=\"older\" href=\"[^\"]*cursor=([^\"&]+)").matcher(page.body());
            if (!older.find()) {
                throw new IllegalStateException("the list ended after " + i + " pages");
            }
            cursor = java.net.URLDecoder.decode(older.group(1).replace("&amp;", "&"), StandardCharsets.UTF_8);
        }
        return cursor;
    }

    static HttpResponse<String> get(HttpClient http, LocalStack stack, String path, String etag) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + path)).header("Accept", "text/html");
        if (etag != null) {
            request.header("If-None-Match", etag).header("X-Console-Live", "1");
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A client with alice's console session: the console's sign-in, the provider's login form, and back. */
    static HttpClient signedIn(LocalStack stack, String user) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.ALWAYS).build();
        var login = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/console")).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> form = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(login.body());
        while (m.find()) {
            form.put(m.group(1), m.group(2));
        }
        form.put("username", user);
        form.put("password", stack.identityProvider().password());
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        var back = http.send(HttpRequest.newBuilder(login.uri().resolve("/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (back.statusCode() != 200 || !back.body().contains("id=\"who\"")) {
            throw new IllegalStateException("could not sign in to the console: " + back.statusCode() + " at " + back.uri());
        }
        return http;
    }
}
