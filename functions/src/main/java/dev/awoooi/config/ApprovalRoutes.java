package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.awoooi.approval.ApprovalDesk;
import dev.awoooi.approval.ApprovalLinks;
import dev.awoooi.approval.ApprovalPage;
import dev.awoooi.approval.ApprovalPage.Viewer;
import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Decision;
import dev.awoooi.approval.Identity;
import dev.awoooi.approval.PageSessions;
import dev.awoooi.approval.PageSessions.Purpose;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.signin.OpenIdProvider;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The approval page's routes. {@code GET /approvals/{id}} shows the page for a valid personal link and never decides;
 * {@code POST /approvals/{id}} decides, with the form's CSRF token and only from this site. A CRITICAL request adds
 * OpenID Connect sign-in (authorization code with PKCE): {@code GET /approvals/{id}/signin} sends the person to the
 * identity provider, {@code GET /approvals/oidc/callback} checks what comes back and opens a short session bound to
 * that incident and approver, and only then does the page show its buttons.
 */
final class ApprovalRoutes {
    static final String CALLBACK = "/approvals/oidc/callback";
    private static final String SIGN_IN_COOKIE = "awoooi_signin";
    private static final String SESSION_COOKIE = "awoooi_session";
    private static final Duration SIGN_IN_TTL = Duration.ofMinutes(10);
    private static final Duration SESSION_TTL = Duration.ofMinutes(15);

    private final ApprovalDesk desk;
    private final ApprovalLinks links;
    private final IncidentStore incidents;
    private final ApproverDirectory directory;
    private final PageSessions sessions;
    private final OpenIdProvider provider;
    private final dev.awoooi.privacy.Vault vault;
    private final AuditLog audit;
    private final dev.awoooi.audit.AuditTrail trail;
    private final Clock clock;
    private final String baseUrl;
    private final boolean secureCookies;

    /** @param provider the identity provider, or null when none is configured */
    /** @param vault where a pseudonymized target's real name is read, for the signer's eyes only */
    ApprovalRoutes(ApprovalDesk desk, ApprovalLinks links, IncidentStore incidents, ApproverDirectory directory, PageSessions sessions,
                   OpenIdProvider provider, dev.awoooi.privacy.Vault vault, AuditLog audit, dev.awoooi.audit.AuditTrail trail, Clock clock,
                   String baseUrl) {
        this.vault = vault;
        this.trail = trail;
        this.desk = desk;
        this.links = links;
        this.incidents = incidents;
        this.directory = directory;
        this.sessions = sessions;
        this.provider = provider;
        this.audit = audit;
        this.clock = clock;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.secureCookies = this.baseUrl.startsWith("https://");
    }

    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext() == null ? "GET" : event.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT);
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        if (CALLBACK.equals(path)) {
            return callback(event);
        }
        String id = Http.pathParameter(event, "id");
        if (!IncidentIds.valid(id)) {
            return Http.error(400, "not an incident id");
        }
        if (path.endsWith("/signin")) {
            return signIn(event, id);
        }
        return "POST".equals(method) ? decide(event, id) : page(event, id);
    }

    /** What a personal link in the query names: the incident it is valid for, and whose it is. */
    private record Link(Incident incident, String approver, String token) {
    }

    private static final String INVALID_LINK = "This approval link is not valid.";

    private APIGatewayV2HTTPResponse page(APIGatewayV2HTTPEvent event, String id) {
        Optional<Link> link = linked(event, id);
        if (link.isEmpty()) {
            return Http.html(403, ApprovalPage.notice(INVALID_LINK));
        }
        Link l = link.get();
        return Http.html(200, ApprovalPage.render(l.incident(), viewer(event, l.incident(), l.approver(), l.token())
                .withRealTarget(realTarget(l.incident(), l.approver())), clock.instant(), null, trail.chain(id)));
    }

    /**
     * The action's target with its pseudonyms restored, for the person asked to sign it (chat and every other reader
     * see the pseudonyms); null when nothing in it was pseudonymized. Each reveal is audited.
     */
    private String realTarget(Incident incident, String approver) {
        var target = incident.analysis() == null ? null : incident.analysis().action().target();
        if (target == null || vault == null || !(dev.awoooi.privacy.Pseudonym.isLabel(target.name())
                || dev.awoooi.privacy.Pseudonym.isLabel(target.namespace()))) {
            return null;
        }
        String name = reveal(incident.id(), target.name());
        String namespace = reveal(incident.id(), target.namespace());
        audit.record(incident.id(), "target-revealed", Map.of("approver", approver));
        return target.kind().name().toLowerCase(Locale.ROOT) + "/" + name + (namespace == null ? "" : " in " + namespace);
    }

    private String reveal(String incidentId, String value) {
        return value != null && dev.awoooi.privacy.Pseudonym.isLabel(value) ? vault.reveal(incidentId, value).orElse(value) : value;
    }

    /**
     * The link in the query, if valid: made for this approver, for the plan now on the table. Refusals are audited.
     */
    private Optional<Link> linked(APIGatewayV2HTTPEvent event, String id) {
        Map<String, String> query = Http.query(event);
        String approver = query.get("approver");
        String token = query.get("token");
        var incident = incidents.find(id).filter(i -> i.approval() != null);
        if (incident.isPresent() && links.verify(id, approver, incident.get().approval().planHash(), token)) {
            return Optional.of(new Link(incident.get(), approver, token));
        }
        if (incident.isPresent()) {
            audit.record(id, "page-refused", Map.of("reason", "invalid link"));
        }
        return Optional.empty();
    }

    private Viewer viewer(APIGatewayV2HTTPEvent event, Incident incident, String approver, String token) {
        if (!incident.approval().needsSignIn()) {
            return new Viewer(approver, token, sessions.csrf(incident.id(), approver, token), Viewer.SignIn.NOT_NEEDED, null);
        }
        return session(event, incident.id(), approver)
                .map(s -> new Viewer(approver, token, sessions.csrf(incident.id(), approver, s.get("sid")), Viewer.SignIn.SIGNED_IN,
                        new Identity(Channel.OIDC, s.get("sub")).display()))
                .orElseGet(() -> new Viewer(approver, token, null, Viewer.SignIn.NEEDED, null));
    }

    /** The signed-in session in this browser, if it is for this incident and approver and has not expired. */
    private Optional<Map<String, String>> session(APIGatewayV2HTTPEvent event, String id, String approver) {
        return sessions.open(Purpose.SESSION, Http.cookie(event, SESSION_COOKIE))
                .filter(s -> id.equals(s.get("i")) && approver != null && approver.equals(s.get("a")) && s.get("sid") != null && s.get("sub") != null);
    }

    private APIGatewayV2HTTPResponse signIn(APIGatewayV2HTTPEvent event, String id) {
        Optional<Link> link = linked(event, id);
        if (link.isEmpty()) {
            return Http.html(403, ApprovalPage.notice(INVALID_LINK));
        }
        Incident incident = link.get().incident();
        String approver = link.get().approver();
        String token = link.get().token();
        if (!incident.approval().needsSignIn() || incident.status() != IncidentStatus.AWAITING_APPROVAL) {
            return Http.html(409, ApprovalPage.notice("This request does not need sign-in now (status " + incident.status() + ")."));
        }
        if (provider == null) {
            return Http.html(503, ApprovalPage.notice("No identity provider is configured, so this request cannot be signed."));
        }
        String state = PageSessions.random();
        String nonce = PageSessions.random();
        String verifier = PageSessions.random();
        URI authorize;
        try {
            authorize = provider.authorize(baseUrl + CALLBACK, state, nonce, PageSessions.challenge(verifier));
        } catch (OpenIdProvider.SignInFailed e) {
            return Http.html(502, ApprovalPage.notice("Sign-in is unavailable: " + e.getMessage() + ". Try again in a minute."));
        }
        String sealed = sessions.seal(Purpose.SIGN_IN, Map.of("i", id, "a", approver, "t", token, "st", state, "n", nonce, "v", verifier), SIGN_IN_TTL);
        return Http.redirect(302, authorize.toString(), List.of(cookie(SIGN_IN_COOKIE, sealed, SIGN_IN_TTL)));
    }

    private APIGatewayV2HTTPResponse callback(APIGatewayV2HTTPEvent event) {
        Map<String, String> query = Http.query(event);
        var pending = sessions.open(Purpose.SIGN_IN, Http.cookie(event, SIGN_IN_COOKIE));
        if (pending.isEmpty()) {
            return Http.html(400, ApprovalPage.notice("This sign-in expired or began in another browser. Open your approval link again."));
        }
        Map<String, String> p = pending.get();
        String id = p.get("i");
        String approver = p.get("a");
        String state = query.get("state");
        if (state == null || !java.security.MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8), p.get("st").getBytes(StandardCharsets.UTF_8))) {
            audit.record(id, "sign-in-refused", Map.of("approver", approver, "reason", "state mismatch"));
            return Http.html(403, ApprovalPage.notice("This sign-in does not belong to this browser. Open your approval link again."));
        }
        if (query.get("error") != null || query.get("code") == null) {
            String error = query.getOrDefault("error", "no code");
            audit.record(id, "sign-in-refused", Map.of("approver", approver, "reason", "provider: " + error.replaceAll("[^a-z_ ]", "")));
            return Http.html(401, ApprovalPage.notice("The identity provider did not sign you in (" + error + ")."));
        }
        OpenIdProvider.Login login;
        try {
            login = provider.redeem(query.get("code"), p.get("v"), baseUrl + CALLBACK, p.get("n"));
        } catch (OpenIdProvider.SignInFailed e) {
            audit.record(id, "sign-in-refused", Map.of("approver", approver, "reason", e.getMessage()));
            return Http.html(401, ApprovalPage.notice("Sign-in failed: " + e.getMessage() + "."));
        }
        Identity identity = new Identity(Channel.OIDC, login.identitySubject());
        var person = directory.byIdentity(identity);
        if (person.isEmpty() || !person.get().id().equals(approver)) {
            audit.record(id, "sign-in-refused", Map.of("approver", approver, "reason", person.isEmpty() ? "not in the directory" : "another approver",
                    "via", identity.masked()));
            return Http.html(403, ApprovalPage.notice("You signed in as someone other than " + approver + ", for whom this link was made."));
        }
        audit.record(id, "signed-in", Map.of("approver", approver, "via", identity.masked()));
        String session = sessions.seal(Purpose.SESSION, Map.of("i", id, "a", approver, "sub", login.identitySubject(), "sid", PageSessions.random()),
                SESSION_TTL);
        String back = "/approvals/" + id + "?approver=" + URLEncoder.encode(approver, StandardCharsets.UTF_8) + "&token="
                + URLEncoder.encode(p.get("t"), StandardCharsets.UTF_8);
        return Http.redirect(303, back, List.of(cookie(SESSION_COOKIE, session, SESSION_TTL), cookie(SIGN_IN_COOKIE, "", Duration.ZERO)));
    }

    private APIGatewayV2HTTPResponse decide(APIGatewayV2HTTPEvent event, String id) {
        if (!Http.sameSite(event, baseUrl)) {
            audit.record(id, "decision-refused", Map.of("reason", "cross-site request"));
            return Http.html(403, ApprovalPage.notice("Decisions are taken only on AWOOOI's own page."));
        }
        Map<String, String> form = Http.form(Http.body(event));
        Decision decision;
        try {
            decision = Decision.valueOf(form.getOrDefault("decision", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Http.error(400, "decision must be 'approve' or 'reject'");
        }
        String approver = form.get("approver");
        String token = form.get("token");
        boolean needsSignIn = incidents.find(id).map(i -> i.approval() != null && i.approval().needsSignIn()).orElse(false);
        Optional<Map<String, String>> session = needsSignIn ? session(event, id, approver) : Optional.empty();
        Identity signedIn = session.map(s -> new Identity(Channel.OIDC, s.get("sub"))).orElse(null);
        String binding = session.map(s -> s.get("sid")).orElse(token);
        if ((!needsSignIn || session.isPresent()) && !sessions.csrfHolds(id, approver, binding, form.get("csrf"))) {
            audit.record(id, "decision-refused", Map.of("reason", "missing or wrong CSRF token"));
            return Http.html(403, ApprovalPage.notice("This form is stale or was not served by AWOOOI. Open your approval link again."));
        }
        var verdict = desk.decide(id, approver, token, decision, signedIn);
        return switch (verdict) {
            case ApprovalDesk.Verdict.Refused r -> Http.html(r.status(), ApprovalPage.notice(r.reason()));
            case ApprovalDesk.Verdict.Recorded r -> Http.html(200, ApprovalPage.render(r.incident(), viewer(event, r.incident(), approver, token),
                    clock.instant(), "Your decision is recorded: " + decision.name().toLowerCase(Locale.ROOT) + " (the request is "
                            + r.outcome().name().toLowerCase(Locale.ROOT) + ")", trail.chain(id)));
        };
    }

    private String cookie(String name, String value, Duration ttl) {
        return name + "=" + value + "; Path=/approvals; Max-Age=" + ttl.toSeconds() + "; HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : "");
    }
}
