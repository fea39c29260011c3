package dev.awoooi.config;

import dev.awoooi.audit.MemoryAudit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.approval.ApprovalDesk;
import dev.awoooi.approval.ApprovalLinks;
import dev.awoooi.approval.ApprovalRequest;
import dev.awoooi.approval.Approver;
import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.approval.ApproverEntry;
import dev.awoooi.approval.Decision;
import dev.awoooi.approval.Identity;
import dev.awoooi.approval.PageSessions;
import dev.awoooi.approval.Role;
import dev.awoooi.approval.SignatureRequirement;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.RacyStore;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Point 6 of the signatures issue as one suite, through the approval routes as API Gateway calls them: each attack on
 * the page is refused with a clear status, changes nothing, and leaves an audit entry. (The chat platforms' forged,
 * stale and unsigned requests are refused in {@code SlackSignatureTest}, {@code DiscordSignatureTest} and
 * {@code ChatApprovalIT}; a real sign-in through a provider in {@code SignInIT}.)
 */
class ApprovalAttacksTest {
    static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    static final String BASE = "https://awoooi.example";
    static final String ISSUER = "https://id.example";
    final byte[] secret = "link-secret-for-tests-0123456789".getBytes();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final RacyStore store = new RacyStore();
    final Map<String, Incident> items = store.items;
    final List<String> audited = new ArrayList<>();
    final ApproverDirectory directory = ApproverDirectory.of(List.of(
            new ApproverEntry("alice", Set.of(Role.DEVOPS), List.of(Identity.parse("email:alice@example.com"), Identity.parse("slack:T01/U0ALICE"))),
            new ApproverEntry("bob", Set.of(Role.SRE), List.of(Identity.parse("email:bob@example.com"))),
            new ApproverEntry("dana", Set.of(Role.CTO), List.of(Identity.parse("oidc:" + ISSUER + "|dana"), Identity.parse("slack:T01/U0DANA"))),
            new ApproverEntry("erin", Set.of(Role.CISO), List.of(Identity.parse("oidc:" + ISSUER + "|erin")))));
    final ApprovalLinks links = new ApprovalLinks(secret, BASE);
    final PageSessions sessions = new PageSessions(() -> secret, clock);
    final ApprovalDesk desk = new ApprovalDesk(store, (subject, what, detail) -> audited.add(subject + " " + what + " " + detail.getOrDefault("reason", "")),
            links, directory, clock, Duration.ofHours(4), true);
    final ApprovalRoutes routes = new ApprovalRoutes(desk, links, store, directory, sessions, null, null,
            (subject, what, detail) -> audited.add(subject + " " + what + " " + detail.getOrDefault("reason", "")), new MemoryAudit(), clock, BASE);

    ApprovalAttacksTest() {
        open("inc-0000000000000000000h", RiskLevel.HIGH, List.of(new Approver("alice", Role.DEVOPS), new Approver("bob", Role.SRE)), NOW.plus(Duration.ofHours(4)));
        open("inc-000000000000000000zz", RiskLevel.HIGH, List.of(new Approver("alice", Role.DEVOPS), new Approver("bob", Role.SRE)), NOW.plus(Duration.ofHours(4)));
        open("inc-00000000000000000077", RiskLevel.HIGH, List.of(new Approver("alice", Role.DEVOPS), new Approver("bob", Role.SRE)), NOW.minusSeconds(1));
        open("inc-0000000000000000000c", RiskLevel.CRITICAL, List.of(new Approver("dana", Role.CTO), new Approver("erin", Role.CISO)), NOW.plus(Duration.ofHours(4)));
    }

    void open(String id, RiskLevel risk, List<Approver> asked, Instant expires) {
        store.create(Incident.received(id, "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW).moveTo(IncidentStatus.AWAITING_APPROVAL, NOW)
                .withApproval(new ApprovalRequest(risk, SignatureRequirement.forRisk(risk), asked, "plan-" + id, NOW.minusSeconds(60), expires)));
    }

    String token(String id, String who) {
        return links.token(id, who, "plan-" + id);
    }

    APIGatewayV2HTTPResponse call(String method, String id, Map<String, String> query, Map<String, String> form, Map<String, String> headers,
                                  List<String> cookies) {
        var http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        var context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setHttp(http);
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return routes.handle(APIGatewayV2HTTPEvent.builder().withRawPath("/approvals/" + id).withRequestContext(context)
                .withPathParameters(Map.of("id", id)).withQueryStringParameters(query).withHeaders(headers).withCookies(cookies)
                .withBody(body.toString()).withIsBase64Encoded(false).build());
    }

    /** The form a person's page serves them, decided. */
    Map<String, String> form(String id, String who, String decision) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("approver", who);
        form.put("token", token(id, who));
        form.put("csrf", sessions.csrf(id, who, token(id, who)));
        form.put("decision", decision);
        return form;
    }

    APIGatewayV2HTTPResponse post(String id, Map<String, String> form) {
        return call("POST", id, null, form, Map.of("origin", BASE, "sec-fetch-site", "same-origin"), null);
    }

    void assertRefused(APIGatewayV2HTTPResponse response, int status, String saying, String audit) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getBody()).contains(saying);
        assertThat(audited).as("audited").last().asString().contains(audit);
    }

    @Test
    void forgedCrossIncidentAndStalePlanTokensAreRefused() {
        Map<String, String> forged = form("inc-0000000000000000000h", "alice", "approve");
        forged.put("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        forged.put("csrf", sessions.csrf("inc-0000000000000000000h", "alice", forged.get("token")));
        assertRefused(post("inc-0000000000000000000h", forged), 403, "not valid", "inc-0000000000000000000h decision-refused invalid link");

        Map<String, String> otherIncident = form("inc-000000000000000000zz", "alice", "approve");
        otherIncident.put("token", token("inc-0000000000000000000h", "alice"));
        otherIncident.put("csrf", sessions.csrf("inc-000000000000000000zz", "alice", otherIncident.get("token")));
        assertRefused(post("inc-000000000000000000zz", otherIncident), 403, "not valid", "inc-000000000000000000zz decision-refused invalid link");

        Map<String, String> oldPlan = form("inc-0000000000000000000h", "alice", "approve");
        oldPlan.put("token", links.token("inc-0000000000000000000h", "alice", "plan-before-the-cluster-changed"));
        oldPlan.put("csrf", sessions.csrf("inc-0000000000000000000h", "alice", oldPlan.get("token")));
        assertRefused(post("inc-0000000000000000000h", oldPlan), 403, "not valid", "invalid link");

        var page = call("GET", "inc-0000000000000000000h", Map.of("approver", "alice", "token", "forged"), Map.of(), Map.of(), null);
        assertRefused(page, 403, "not valid", "inc-0000000000000000000h page-refused invalid link");
        assertThat(items.get("inc-0000000000000000000h").signatures()).isEmpty();
        assertThat(items.get("inc-000000000000000000zz").signatures()).isEmpty();
    }

    @Test
    void anExpiredRequestAndAReplayedDecisionAreRefused() {
        assertRefused(post("inc-00000000000000000077", form("inc-00000000000000000077", "alice", "approve")), 410, "expired", "inc-00000000000000000077 expired");
        assertThat(items.get("inc-00000000000000000077").status()).isEqualTo(IncidentStatus.EXPIRED);

        assertThat(post("inc-0000000000000000000h", form("inc-0000000000000000000h", "alice", "approve")).getStatusCode()).isEqualTo(200);
        assertRefused(post("inc-0000000000000000000h", form("inc-0000000000000000000h", "alice", "reject")), 409, "already decided", "inc-0000000000000000000h decision-refused already decided");
        // the same person through another channel
        var again = desk.decideAs("inc-0000000000000000000h", Identity.parse("slack:T01/U0ALICE"), "plan-inc-high", Decision.APPROVE);
        assertThat(again).isInstanceOf(ApprovalDesk.Verdict.Refused.class);
        assertThat(((ApprovalDesk.Verdict.Refused) again).status()).isEqualTo(409);
        assertThat(items.get("inc-0000000000000000000h").signatures()).hasSize(1);
    }

    @Test
    void aWrongRoleAndTheCtoSigningAsTheCisoAreRefused() {
        // the CTO is not asked for a HIGH request: no link of hers is valid there, and her chat click is refused
        Map<String, String> dana = form("inc-0000000000000000000h", "dana", "approve");
        assertRefused(post("inc-0000000000000000000h", dana), 403, "not valid", "invalid link");
        var click = desk.decideAs("inc-0000000000000000000h", Identity.parse("slack:T01/U0DANA"), "plan-inc-high", Decision.APPROVE);
        assertThat(((ApprovalDesk.Verdict.Refused) click).reason()).contains("dana is not one of its approvers");

        // CRITICAL: dana signed in (her own session) posts erin's link: the session is not for erin, so nothing counts
        String sid = PageSessions.random();
        String danaSession = "awoooi_session=" + sessions.seal(PageSessions.Purpose.SESSION,
                Map.of("i", "inc-0000000000000000000c", "a", "dana", "sub", ISSUER + "|dana", "sid", sid), Duration.ofMinutes(15));
        Map<String, String> asErin = form("inc-0000000000000000000c", "erin", "approve");
        asErin.put("csrf", sessions.csrf("inc-0000000000000000000c", "erin", sid));
        var refused = call("POST", "inc-0000000000000000000c", null, asErin, Map.of("origin", BASE), List.of(danaSession));
        assertRefused(refused, 401, "signed only after sign-in", "inc-0000000000000000000c decision-refused not signed in");
        // a session cookie tampered to say erin is no session at all
        String tampered = danaSession.replace(danaSession.substring(danaSession.indexOf('=') + 1, danaSession.indexOf('.')),
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("exp=9999999999&i=inc-crit&a=erin&sub=" + ISSUER + "|erin&sid=" + sid)
                        .getBytes(StandardCharsets.UTF_8)));
        assertRefused(call("POST", "inc-0000000000000000000c", null, asErin, Map.of("origin", BASE), List.of(tampered)), 401, "signed only after sign-in", "not signed in");
        assertThat(items.get("inc-0000000000000000000c").signatures()).isEmpty();

        // dana's own session on her own link signs, as her OpenID Connect identity
        Map<String, String> asDana = form("inc-0000000000000000000c", "dana", "approve");
        asDana.put("csrf", sessions.csrf("inc-0000000000000000000c", "dana", sid));
        assertThat(call("POST", "inc-0000000000000000000c", null, asDana, Map.of("origin", BASE), List.of(danaSession)).getStatusCode()).isEqualTo(200);
        assertThat(items.get("inc-0000000000000000000c").signatures()).singleElement().satisfies(s -> assertThat(s.via()).isEqualTo(Identity.parse("oidc:" + ISSUER + "|dana")));
    }

    @Test
    void aFormWithoutItsCsrfTokenOrFromAnotherSiteIsRefused() {
        Map<String, String> noToken = form("inc-0000000000000000000h", "alice", "approve");
        noToken.remove("csrf");
        assertRefused(post("inc-0000000000000000000h", noToken), 403, "stale or was not served by AWOOOI", "missing or wrong CSRF token");
        Map<String, String> otherToken = form("inc-0000000000000000000h", "alice", "approve");
        otherToken.put("csrf", sessions.csrf("inc-000000000000000000zz", "alice", token("inc-000000000000000000zz", "alice")));
        assertRefused(post("inc-0000000000000000000h", otherToken), 403, "stale", "missing or wrong CSRF token");
        assertRefused(call("POST", "inc-0000000000000000000h", null, form("inc-0000000000000000000h", "alice", "approve"), Map.of("origin", "https://evil.example"), null),
                403, "taken only on AWOOOI", "cross-site request");
        assertRefused(call("POST", "inc-0000000000000000000h", null, form("inc-0000000000000000000h", "alice", "approve"), Map.of("sec-fetch-site", "cross-site"), null),
                403, "taken only on AWOOOI", "cross-site request");
        assertThat(items.get("inc-0000000000000000000h").signatures()).isEmpty();
    }

    @Test
    void aLinkPreviewAHeadAndRepeatedViewsDecideNothing() {
        Map<String, String> link = Map.of("approver", "alice", "token", token("inc-0000000000000000000h", "alice"));
        for (String method : List.of("GET", "GET", "HEAD")) {
            var response = call(method, "inc-0000000000000000000h", link, Map.of(), Map.of("user-agent", "Slackbot-LinkExpanding 1.0"), null);
            assertThat(response.getStatusCode()).isEqualTo(200);
        }
        assertThat(items.get("inc-0000000000000000000h").signatures()).isEmpty();
        assertThat(items.get("inc-0000000000000000000h").status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    }

    @Test
    void scriptInEveryRenderedFieldIsShownAsText() {
        String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'";
        Incident incident = items.get("inc-0000000000000000000h");
        items.put("inc-0000000000000000000h", incident.redacted(hostile, hostile, hostile, Map.of("severity", hostile, "namespace", hostile),
                Map.of("Runbook", "javascript:alert(3)"), NOW));
        var page = call("GET", "inc-0000000000000000000h", Map.of("approver", "alice", "token", token("inc-0000000000000000000h", "alice")), Map.of(), Map.of(), null);
        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getBody()).doesNotContain("<script>alert", "<img", "javascript:");
        assertThat(page.getHeaders().get("Content-Security-Policy")).contains("default-src 'none'", "script-src 'sha256-");
    }

    @Test
    void theSignersPageShowsThePseudonymizedTargetsRealNameAndTheRevealIsAudited() {
        dev.awoooi.privacy.Vault vault = new dev.awoooi.privacy.Vault() {
            public Map<String, String> labels(String incidentId, Map<String, String> typeByValue) {
                throw new UnsupportedOperationException();
            }

            public Map<String, String> open(String incidentId) {
                throw new UnsupportedOperationException();
            }

            public Optional<String> reveal(String incidentId, String label) {
                return "[EMAIL_1]".equals(label) ? Optional.of("mail-relay-ops.lead") : Optional.empty();
            }
        };
        var withVault = new ApprovalRoutes(desk, links, store, directory, sessions, null, vault,
                (subject, what, detail) -> audited.add(subject + " " + what + " " + detail), new MemoryAudit(), clock, BASE);
        String id = "inc-0000000000000000000h";
        var analysis = new dev.awoooi.analysis.Analysis(List.of(), List.of(), new dev.awoooi.action.Action.RestartDeployment("production", "[EMAIL_1]"),
                "restart", null, null, new dev.awoooi.action.RiskAssessment(RiskLevel.HIGH, List.of("test")),
                new dev.awoooi.dryrun.DryRunReport(List.of(), "fp"), null, 0, dev.awoooi.analysis.SimilarIncidents.none(),
                new dev.awoooi.analysis.TopologySummary(0, 0, Map.of(), List.of()), "plan-" + id, NOW);
        items.put(id, items.get(id).withAnalysis(analysis));
        var page = withVault.handle(APIGatewayV2HTTPEvent.builder().withRawPath("/approvals/" + id).withPathParameters(Map.of("id", id))
                .withQueryStringParameters(Map.of("approver", "alice", "token", token(id, "alice"))).build());
        assertThat(page.getBody()).contains("id=\"target\"", "deployment/mail-relay-ops.lead in production");
        assertThat(audited).last().asString().contains(id + " target-revealed").contains("alice");
        // a page with an invalid link reveals nothing
        var refused = withVault.handle(APIGatewayV2HTTPEvent.builder().withRawPath("/approvals/" + id).withPathParameters(Map.of("id", id))
                .withQueryStringParameters(Map.of("approver", "alice", "token", "forged")).build());
        assertThat(refused.getBody()).doesNotContain("mail-relay");
    }
}
