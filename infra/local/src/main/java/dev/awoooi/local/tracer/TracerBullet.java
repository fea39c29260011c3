package dev.awoooi.local.tracer;

import dev.awoooi.local.LocalStack;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The full loop against a running stack, the way Alertmanager and two people would drive it: the seed alert,
 * the analysis, the approval request, each approver's link by e-mail, two signatures by Slack's and Telegram's
 * buttons, the restart and its verification; what the approval taught the pattern's trust, and the incident's audit
 * chain verified; then a second request signed through an e-mailed link (or, once its pattern has earned it, run
 * unsigned). Each run on one stack adds to the trust of its patterns: run it again and the signatures asked fall.
 * Used by scripts/tracer-bullet and by the end-to-end test.
 */
public final class TracerBullet {
    public static final String RAW_IP = "203.0.113.42";
    public static final String RAW_EMAIL = "ops.lead@example.com";
    /** The seed's plan, as progressive trust keys it (the local stack's cluster is "default"). */
    public static final String DB_PATTERN = "restart_statefulset:production/postgres-db@default";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String baseUrl;
    private final String token;
    private final String readerToken;
    private final PrintStream out;
    private final Duration patience;
    private final Map<String, Boolean> results = new LinkedHashMap<>();
    private String incidentId;
    private int required;
    private int trustedBefore;
    /** The score at which the HIGH pattern needs one signature, as the request's reason states it. */
    private int trustTarget;

    /**
     * @param token       the alert senders' token (it also opens the local runner's own routes)
     * @param readerToken the token that reads incidents
     */
    public TracerBullet(String baseUrl, String token, String readerToken, PrintStream out, Duration patience) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.readerToken = readerToken;
        this.out = out;
        this.patience = patience;
    }

    public static void main(String[] args) {
        String url = System.getenv().getOrDefault("AWOOOI_URL", "http://127.0.0.1:" + System.getenv().getOrDefault("AWOOOI_PORT", "8000"));
        String token = System.getenv().getOrDefault("AWOOOI_WEBHOOK_TOKEN", LocalStack.DEFAULT_WEBHOOK_TOKEN);
        String readerToken = System.getenv().getOrDefault("AWOOOI_READER_TOKEN", LocalStack.DEFAULT_READER_TOKEN);
        var bullet = new TracerBullet(url, token, readerToken, System.out, Duration.ofSeconds(90));
        System.exit(bullet.run() ? 0 : 1);
    }

    /** Runs every step (a step after a failed one fails too) and prints the summary line. */
    public boolean run() {
        String testId = "tb-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replaceAll("[^0-9]", "");
        out.println("=".repeat(60));
        out.println("AWOOOI TRACER BULLET - FULL LOOP against " + baseUrl + " (" + testId + ")");
        out.println("=".repeat(60));
        step("trigger_alert", this::triggerAlert);
        step("graphrag_analysis", this::analysis);
        step("generate_approval", this::approvalRequest);
        step("multisig_approval", this::signatures);
        step("execution", this::execution);
        step("progressive_autonomy", this::trust);
        step("link_and_discord_approval", this::secondRequest);
        long passed = results.values().stream().filter(b -> b).count();
        out.println("=".repeat(60));
        out.println(passed + " passed, " + (results.size() - passed) + " failed");
        return passed == results.size();
    }

    public String incidentId() {
        return incidentId;
    }

    public Map<String, Boolean> results() {
        return Map.copyOf(results);
    }

    private interface Step {
        String run() throws Exception;
    }

    private void step(String name, Step step) {
        boolean earlierFailed = results.containsValue(false);
        String detail;
        boolean ok;
        if (earlierFailed) {
            ok = false;
            detail = "skipped: an earlier step failed";
        } else {
            try {
                detail = step.run();
                ok = true;
            } catch (Exception | AssertionError e) {
                ok = false;
                detail = e.getMessage();
            }
        }
        results.put(name, ok);
        out.println((ok ? "[x] [" : "[ ] [") + name + "] " + (ok ? "PASS" : "FAIL") + " - " + detail);
    }

    private String triggerAlert() throws Exception {
        send("POST", "/local/demo/reset", null, null, 200);
        ObjectNode alert;
        try (InputStream in = TracerBullet.class.getResourceAsStream("/tracer/seed-alert.json")) {
            alert = (ObjectNode) json.readTree(in);
        }
        // A fresh firing each run: a new start time and fingerprint, so each run is its own incident.
        ObjectNode first = (ObjectNode) alert.get("alerts").get(0);
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        first.put("startsAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        first.put("fingerprint", HexFormat.of().formatHex(random));
        String body = json.writeValueAsString(alert);
        JsonNode accepted = json.readTree(send("POST", "/alerts/alertmanager", body, "application/json", 202));
        incidentId = accepted.get("incidents").get(0).get("id").asString();
        JsonNode again = json.readTree(send("POST", "/alerts/alertmanager", body, "application/json", 202));
        check(incidentId.equals(again.get("incidents").get(0).get("id").asString()), "the redelivered alert made a second incident");
        return "incident " + incidentId + " (redelivery deduplicated)";
    }

    private String analysis() throws Exception {
        JsonNode incident = awaitIncident(i -> !i.get("status").asString().equals("RECEIVED"), "analysis");
        String text = incident.toString();
        check(!text.contains(RAW_IP) && !text.contains(RAW_EMAIL), "raw IP or e-mail visible in the incident");
        JsonNode causes = incident.get("rootCauses");
        check(causes.size() > 0 && causes.get(0).get("service").asString().equals("postgres-db"),
                "root cause is not postgres-db: " + causes);
        List<String> radius = new ArrayList<>();
        incident.get("blastRadius").forEach(i -> radius.add(i.get("service").asString()));
        check(radius.contains("ingress") && radius.contains("frontend"), "blast radius lacks ingress/frontend: " + radius);
        JsonNode action = incident.get("action");
        check(action != null && action.get("type").asString().equals("restart_statefulset"), "proposed action: " + action);
        check(incident.get("risk").get("reasons").size() > 1, "risk without its reasons: " + incident.get("risk"));
        List<String> checks = new ArrayList<>();
        incident.get("dryRun").get("checks").forEach(c -> checks.add(c.get("name").asString() + "=" + c.get("outcome").asString()));
        check(checks.containsAll(List.of("parameters=PASS", "rbac: patch apps/statefulsets=PASS", "existence=PASS", "pdb=PASS",
                "server-dry-run=PASS")), "dry-run checks: " + checks);
        double cost = incident.get("costPerMinuteUsd").asDouble();
        check(cost > 0, "no outage cost: " + cost);
        String similar = incident.get("similarIncidents").get("summary").asString();
        return "root cause postgres-db, blast radius " + radius + ", restart_statefulset, " + checks.size() + " dry-run checks, $"
                + cost + "/min, history: " + similar;
    }

    private String approvalRequest() throws Exception {
        JsonNode incident = awaitIncident(i -> !List.of("RECEIVED", "ANALYZED").contains(i.get("status").asString()), "approval request");
        check(incident.get("status").asString().equals("AWAITING_APPROVAL"), "status is " + incident.get("status"));
        check(incident.get("risk").get("level").asString().equals("HIGH"), "risk is " + incident.get("risk"));
        // HIGH needs two signatures until its pattern has earned trust: then one, never none
        String why = incident.get("signaturesWhy").asString("");
        var standing = java.util.regex.Pattern.compile("^" + java.util.regex.Pattern.quote(DB_PATTERN) + " trusted (\\d+)/(\\d+): ").matcher(why);
        check(standing.find(), "the request does not say why this many signatures: " + why);
        trustedBefore = Integer.parseInt(standing.group(1));
        trustTarget = Integer.parseInt(standing.group(2));
        required = incident.get("requiredSignatures").asInt();
        check(required == (trustedBefore < trustTarget ? 2 : 1), "required signatures " + required + " for " + why);
        JsonNode card = awaitCard("Approval Requested");
        check(card.get("links").isEmpty() && !card.get("text").asString().contains("token="),
                "the shared approval card carries a personal link: " + card);
        check(card.get("text").asString().contains("alice (devops)") && card.get("text").asString().contains("bob (sre)"),
                "the approval card does not name alice and bob: " + card.get("text"));
        check(card.get("text").asString().contains(why), "the card does not say why this many signatures: " + card.get("text"));
        return "HIGH risk, " + required + " signature" + (required == 1 ? "" : "s") + " (" + why + "); the shared card names who is asked and carries no link";
    }

    /**
     * Each asked approver finds their own link in their own mailbox, and its page offers the decision; then alice
     * signs with the Approve button on the Slack card and bob with the one on the Telegram card (the two the HIGH
     * request needs), each proven by the platform's signed request; carol's mailed page then shows the request closed,
     * with both signatures and the identity each came through.
     */
    private String signatures() throws Exception {
        for (String who : List.of("alice", "bob", "carol")) {
            URI link = URI.create(awaitMail(who + "@example.com").get("link").asString());
            String page = send("GET", link.getRawPath() + "?" + link.getRawQuery(), null, null, 200);
            check(page.contains("id=\"approve\"") && page.contains("name=\"csrf\""), "the page for " + who + " offers no decision");
        }
        press("slack", "T0AWOOOI/U0ALICE", "alice");
        if (required == 2) {
            JsonNode pending = awaitIncident(i -> i.get("signatures").size() == 1, "alice's signature");
            check(pending.get("status").asString().equals("AWAITING_APPROVAL"), "one signature of two moved the request on: " + pending.get("status"));
            press("telegram", "100002", "bob");
        }
        JsonNode incident = awaitIncident(i -> !i.get("status").asString().equals("AWAITING_APPROVAL"), "quorum");
        check(incident.get("signatures").size() == required, "signatures: " + incident.get("signatures"));
        List<String> signed = new ArrayList<>();
        incident.get("signatures").forEach(s -> signed.add(s.get("approver").asString() + " via " + s.get("via").asString()));
        check(signed.get(0).startsWith("alice via slack T0AWOOOI/U0ALICE") && (required == 1 || signed.get(1).startsWith("bob via telegram 100002")),
                "the signatures do not carry the identities that made them: " + signed);
        URI carol = URI.create(awaitMail("carol@example.com").get("link").asString());
        String closed = send("GET", carol.getRawPath() + "?" + carol.getRawQuery(), null, null, 200);
        check(!closed.contains("id=\"approve\"") && closed.contains("via slack T0AWOOOI/U0ALICE") && (required == 1 || closed.contains("via telegram 100002")),
                "carol's page does not show the closed request with its signatures");
        return "each approver's own link came by e-mail; " + (required == 2 ? "alice signed with Slack's button and bob with Telegram's ("
                : "alice signed with Slack's button, the one signature the pattern's trust asks (") + String.join(", ", signed)
                + "); status " + incident.get("status").asString() + "; carol's page shows it closed";
    }

    /** A button pressed on this incident's card, as the platform delivers it; the presser's private answer must say recorded. */
    private void press(String platform, String user, String who) throws Exception {
        press(platform, incidentId, user, who);
    }

    private void press(String platform, String incident, String user, String who) throws Exception {
        String body = json.writeValueAsString(Map.of("platform", platform, "incident", incident, "user", user, "action", "approve"));
        JsonNode answer = json.readTree(send("POST", "/local/chat/press", body, "application/json", 200));
        check(answer.get("status").asInt() == 200, platform + " answered " + answer.get("status") + " to " + who + "'s press");
        check(answer.path("private").asString("").contains("Your approve is recorded"), who + " was told: " + answer.path("private").asString(""));
    }

    /**
     * What the approved, verified restart taught: its pattern's score one higher on GET /trust, and the incident's
     * audit trail one chain that verifies, from the accepted alert to the trust credited.
     */
    private String trust() throws Exception {
        JsonNode pattern = awaitPattern(DB_PATTERN, p -> p.get("score").asInt() == trustedBefore + 1);
        JsonNode audit = json.readTree(send("GET", "/incidents/" + incidentId + "/audit", null, null, 200));
        check(audit.get("verified").asBoolean(), "the audit chain does not verify: " + audit.get("problems"));
        List<String> steps = new ArrayList<>();
        audit.get("entries").forEach(e -> steps.add(e.get("what").asString()));
        for (String step : List.of("alert-accepted", "analyzed", "approval-requested", "signature", "granted", "execution", "trust-credited")) {
            check(steps.contains(step), "the audit trail lacks " + step + ": " + steps);
        }
        int score = pattern.get("score").asInt();
        return DB_PATTERN + " trusted " + score + "/" + trustTarget + " (GET /trust)" + (score >= trustTarget ? ": the next restart needs one signature"
                : ": " + (trustTarget - score) + " more verified approval" + (trustTarget - score == 1 ? "" : "s") + " and it needs one signature")
                + "; the audit chain of " + incidentId + " verifies (" + audit.get("length").asInt() + " items)";
    }

    private JsonNode awaitPattern(String key, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        JsonNode found = null;
        while (Instant.now().isBefore(deadline)) {
            found = null;
            for (JsonNode pattern : json.readTree(send("GET", "/trust", null, null, 200)).get("patterns")) {
                if (pattern.get("pattern").asString().equals(key)) {
                    found = pattern;
                }
            }
            if (found != null && done.test(found)) {
                return found;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET /trust does not show what the run taught " + key + ": " + found);
    }

    /**
     * A second request, so that the approvals have been signed through a link too: a runbook's restart of order-api,
     * signed by carol on the page her e-mailed link opens (with the form's CSRF token), and by alice with the Discord
     * card's button if its risk asks for a second signature; then it runs.
     */
    private String secondRequest() throws Exception {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        ObjectNode alert = json.createObjectNode();
        alert.put("status", "firing").put("startsAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).put("endsAt", "0001-01-01T00:00:00Z")
                .put("fingerprint", HexFormat.of().formatHex(random));
        alert.putObject("labels").put("alertname", "OrderApiLatencyHigh").put("service", "order-api").put("namespace", "production")
                .put("severity", "warning");
        alert.putObject("annotations").put("summary", "order-api p99 latency above 2 s")
                .put("awoooi_remediation", "kubectl rollout restart deployment/order-api -n production");
        ObjectNode batch = json.createObjectNode().put("version", "4").put("groupKey", "{}:{alertname=\"OrderApiLatencyHigh\"}")
                .put("truncatedAlerts", 0).put("status", "firing").put("receiver", "awoooi").put("externalURL", "http://alertmanager.monitoring:9093");
        batch.putObject("groupLabels").put("alertname", "OrderApiLatencyHigh");
        batch.putObject("commonLabels");
        batch.putObject("commonAnnotations");
        batch.putArray("alerts").add(alert);
        String second = json.readTree(send("POST", "/alerts/alertmanager", json.writeValueAsString(batch), "application/json", 202))
                .get("incidents").get(0).get("id").asString();
        JsonNode asked = awaitIncident(second, i -> !List.of("RECEIVED", "ANALYZED").contains(i.get("status").asString()), "the second request");
        String why = asked.path("signaturesWhy").asString("");
        if (asked.get("requiredSignatures").asInt() == 0) {
            // earned: after enough verified approvals the routine MEDIUM restart runs without a signature
            check(why.endsWith(": it runs without a signature"), "the second request ran unsigned, and says: " + why);
            JsonNode done = awaitIncident(second, i -> List.of("SUCCEEDED", "FAILED", "VOIDED").contains(i.get("status").asString()), "the second execution");
            check(done.get("status").asString().equals("SUCCEEDED") && done.get("signatures").isEmpty(),
                    "the unsigned second incident is " + done.get("status") + ": " + done.get("reason"));
            return second + " (" + asked.get("risk").get("level").asString() + ") ran unsigned: " + why + "; "
                    + done.get("execution").get("target").asString() + " restarted";
        }
        check(asked.get("status").asString().equals("AWAITING_APPROVAL"), "the second incident is " + asked.get("status") + ": " + asked.get("reason"));

        URI link = URI.create(awaitMail("carol@example.com", second).get("link").asString());
        String page = send("GET", link.getRawPath() + "?" + link.getRawQuery(), null, null, 200);
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        String tokenValue = link.getRawQuery().replaceAll(".*token=([^&]+).*", "$1");
        String decided = send("POST", link.getRawPath(), "approver=carol&token=" + tokenValue + "&csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)
                + "&decision=approve", "application/x-www-form-urlencoded", 200);
        check(decided.contains("Your decision is recorded"), "carol's decision was not recorded");
        if (json.readTree(send("GET", "/incidents/" + second, null, null, 200)).get("status").asString().equals("AWAITING_APPROVAL")) {
            press("discord", second, "800000000000000001", "alice"); // a second signature, if the risk asks for one
        }
        JsonNode done = awaitIncident(second, i -> List.of("SUCCEEDED", "FAILED", "VOIDED").contains(i.get("status").asString()), "the second execution");
        check(done.get("status").asString().equals("SUCCEEDED"), "the second incident is " + done.get("status") + ": " + done.get("reason"));
        List<String> signed = new ArrayList<>();
        done.get("signatures").forEach(s -> signed.add(s.get("approver").asString() + " via " + s.get("via").asString()));
        check(signed.getFirst().equals("carol via link carol") && (signed.size() == 1 || signed.get(1).equals("alice via discord 800000000000000001")),
                "signatures: " + signed);
        return second + " (" + asked.get("risk").get("level").asString() + ", " + why + "): carol signed on the page her e-mailed link opened ("
                + String.join(", ", signed) + "); "
                + done.get("execution").get("target").asString() + " restarted";
    }

    /** The newest e-mail to {@code address} about this incident, as its owner would find it. */
    private JsonNode awaitMail(String address) throws Exception {
        return awaitMail(address, incidentId);
    }

    private JsonNode awaitMail(String address, String incidentId) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            JsonNode found = null;
            for (JsonNode mail : json.readTree(send("GET", "/local/mail?to=" + URLEncoder.encode(address, StandardCharsets.UTF_8), null, null, 200))) {
                if (mail.path("link").asString("").contains("/approvals/" + incidentId + "?")) {
                    found = mail;
                }
            }
            if (found != null) {
                return found;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no e-mail with a link for " + incidentId + " reached " + address);
    }

    private String execution() throws Exception {
        JsonNode incident = awaitIncident(i -> List.of("SUCCEEDED", "FAILED", "VOIDED").contains(i.get("status").asString()), "execution");
        check(incident.get("status").asString().equals("SUCCEEDED"), "status " + incident.get("status") + ": " + incident.get("reason"));
        check(incident.get("execution").get("verified").asBoolean(), "not verified: " + incident.get("execution"));
        awaitCard("Execution Succeeded");
        return incident.get("execution").get("target").asString() + " restarted; " + incident.get("execution").get("detail").asString();
    }

    private JsonNode awaitIncident(Predicate<JsonNode> done, String what) throws Exception {
        return awaitIncident(incidentId, done, what);
    }

    private JsonNode awaitIncident(String incidentId, Predicate<JsonNode> done, String what) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        JsonNode incident = null;
        while (Instant.now().isBefore(deadline)) {
            incident = json.readTree(send("GET", "/incidents/" + incidentId, null, null, 200));
            if (done.test(incident)) {
                return incident;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; incident is " + (incident == null ? "?" : incident.get("status")));
    }

    private JsonNode awaitCard(String kind) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode card : json.readTree(send("GET", "/local/outbox", null, null, 200))) {
                if (kind.equals(card.path("kind").asString()) && incidentId.equals(card.path("incidentId").asString())) {
                    return card;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + kind + "' notification for " + incidentId + " in the outbox");
    }

    private String send(String method, String path, String body, String contentType, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + (path.startsWith("/incidents/") || path.equals("/trust") ? readerToken : token));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new AssertionError(method + " " + path.replaceAll("token=[^&]+", "token=…") + " answered " + response.statusCode()
                    + " (expected " + expected + "): " + response.body().substring(0, Math.min(300, response.body().length())));
        }
        return response.body();
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
