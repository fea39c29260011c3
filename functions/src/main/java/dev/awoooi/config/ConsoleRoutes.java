package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.awoooi.approval.ApprovalDesk;
import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.approval.ApproverEntry;
import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Decision;
import dev.awoooi.approval.Identity;
import dev.awoooi.approval.PageSessions;
import dev.awoooi.approval.PageSessions.Purpose;
import dev.awoooi.approval.Role;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.audit.AuditTrail;
import dev.awoooi.console.ConsolePages;
import dev.awoooi.console.ConsolePages.Person;
import dev.awoooi.console.ConsolePages.Say;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentAlerts;
import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentList;
import dev.awoooi.incident.IncidentList.Filter;
import dev.awoooi.incident.IncidentList.Listed;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.scan.ScanArchive;
import dev.awoooi.signin.OpenIdProvider;
import dev.awoooi.trust.TrustLedger;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The console (/console/...): one place where an on-call engineer sees the incidents, signs what awaits them, and reads
 * trust, scans and the directory. Everyone signs in with the organisation's OpenID Connect provider (authorization code
 * with PKCE, the approval page's provider); the directory says, on every request, whether they are an approver (with
 * roles; admins manage the directory and trust) or a viewer. Nothing is carried in a query string but filters and
 * cursors. A page without a session sends a browser to sign in; anything else gets 401. Forms carry a CSRF token
 * bound to the session and are accepted only from this site.
 */
final class ConsoleRoutes {
    static final String CALLBACK = "/console/oidc/callback";
    private static final String SIGN_IN_COOKIE = "awoooi_console_signin";
    private static final String SESSION_COOKIE = "awoooi_console";
    private static final Duration SIGN_IN_TTL = Duration.ofMinutes(10);
    /** A session lasts a shift; the directory is read on every request, so a removed person loses their rights at once. */
    static final Duration SESSION_TTL = Duration.ofHours(8);
    static final int PAGE = 50;
    /** How many open incidents the first page reads: more says so and asks for a filter. */
    static final int OPEN = 200;
    static final Set<IncidentStatus> OPEN_STATUSES = EnumSet.of(IncidentStatus.RECEIVED, IncidentStatus.ANALYZED, IncidentStatus.INVESTIGATING,
            IncidentStatus.AWAITING_APPROVAL, IncidentStatus.APPROVED, IncidentStatus.EXECUTING);
    static final Set<IncidentStatus> CLOSED_STATUSES = EnumSet.complementOf(EnumSet.copyOf(OPEN_STATUSES));
    static final Set<IncidentStatus> AWAITING = EnumSet.of(IncidentStatus.AWAITING_APPROVAL);
    static final Set<IncidentStatus> MOVING = EnumSet.of(IncidentStatus.RECEIVED, IncidentStatus.ANALYZED, IncidentStatus.INVESTIGATING,
            IncidentStatus.APPROVED, IncidentStatus.EXECUTING);
    private static final int ALERTS_PAGE = 20;
    private static final java.util.concurrent.Executor PARALLEL = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final IncidentStore incidents;
    private final IncidentList list;
    private final IncidentAlerts alerts;
    private final AuditTrail trail;
    private final AuditLog audit;
    private final ApprovalDesk desk;
    private final ApproverDirectory directory;
    private final TrustLedger trust;
    private final ScanArchive scans;
    private final PageSessions sessions;
    private final OpenIdProvider provider;
    private final Clock clock;
    private final String baseUrl;
    private final boolean secureCookies;
    /** How long a non-waiting open incident may stand still before the list calls it stuck (the reconciler's bounds). */
    private final Duration stuckAfter;

    ConsoleRoutes(IncidentStore incidents, IncidentList list, IncidentAlerts alerts, AuditTrail trail, AuditLog audit, ApprovalDesk desk,
                  ApproverDirectory directory, TrustLedger trust, ScanArchive scans, PageSessions sessions, OpenIdProvider provider, Clock clock,
                  String baseUrl, Duration stuckAfter) {
        this.incidents = incidents;
        this.list = list;
        this.alerts = alerts;
        this.trail = trail;
        this.audit = audit;
        this.desk = desk;
        this.directory = directory;
        this.trust = trust;
        this.scans = scans;
        this.sessions = sessions;
        this.provider = provider;
        this.clock = clock;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.secureCookies = this.baseUrl.startsWith("https://");
        this.stuckAfter = stuckAfter;
    }

    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext() == null ? "GET" : event.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT);
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        if (path.equals("/console/signin")) {
            return signIn(event);
        }
        if (path.equals(CALLBACK)) {
            return callback(event);
        }
        Optional<Session> session = session(event);
        if (session.isEmpty()) {
            return unauthenticated(event, method, path);
        }
        Person person = session.get().person();
        if ("POST".equals(method)) {
            Map<String, String> form = Http.form(Http.body(event));
            String csrf = form.get("csrf");
            if (!Http.sameSite(event, baseUrl) || csrf == null
                    || !MessageDigest.isEqual(person.csrf().getBytes(StandardCharsets.US_ASCII), csrf.getBytes(StandardCharsets.US_ASCII))) {
                audit.record(AUDIT_SUBJECT, "console-refused", Map.of("reason", "cross-site or stale form", "path", path, "by", person.name()));
                return notice(403, "This form is stale or was not served by AWOOOI. Reload the page and try again.");
            }
            return switch (path) {
                case "/console/signout" -> signOut(person);
                case "/console/trust" -> manageTrust(event, person, form);
                case "/console/directory" -> manageDirectory(event, person, form);
                default -> path.startsWith("/console/incidents/") ? decide(event, session.get(), form) : Http.error(404, "no such console page");
            };
        }
        if (path.equals("/console") || path.equals("/console/")) {
            return incidents(event, person);
        }
        if (path.startsWith("/console/incidents/")) {
            return incident(event, session.get(), null, 200);
        }
        return switch (path) {
            case "/console/trust" -> trustPage(event, person, null, 200);
            case "/console/directory" -> directoryPage(event, person, null, 200);
            default -> path.startsWith("/console/scans") ? scan(event, person) : Http.error(404, "no such console page");
        };
    }

    /** The audit subject of what happens in the console outside an incident: sign-ins, refusals, trust resets. */
    static final String AUDIT_SUBJECT = "console";

    // ------------------------------------------------------------------ who is signed in

    /** A signed-in session: the identity the provider proved, the person the directory says it is now, and when. */
    private record Session(Identity identity, Person person, Instant signedInAt) {
    }

    /** The session in this browser, if valid; the person's rights are read from the directory now. */
    private Optional<Session> session(APIGatewayV2HTTPEvent event) {
        return sessions.open(Purpose.SESSION, Http.cookie(event, SESSION_COOKIE)).flatMap(s -> {
            String sub = s.get("sub");
            String sid = s.get("sid");
            Instant at;
            try {
                at = Instant.ofEpochSecond(Long.parseLong(s.get("at")));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            if (sub == null || sid == null) {
                return Optional.empty();
            }
            Identity identity = new Identity(Channel.OIDC, sub);
            String csrf = sessions.csrf("console", sub, sid);
            // a viewer is named by the masked identity wherever it is recorded; the page shows them their own
            Person person = directory.byIdentity(identity).map(p -> new Person(p.id(), p.id(), p.roles(), identity.display(), csrf))
                    .orElseGet(() -> new Person(identity.masked(), null, Set.of(), identity.display(), csrf));
            return Optional.of(new Session(identity, person, at));
        });
    }

    private APIGatewayV2HTTPResponse unauthenticated(APIGatewayV2HTTPEvent event, String method, String path) {
        if ("GET".equals(method) && Http.wantsHtml(event) && Http.header(event, "x-console-live") == null) {
            String query = event.getRawQueryString() == null || event.getRawQueryString().isEmpty() ? "" : "?" + event.getRawQueryString();
            return Http.redirect(302, "/console/signin?next=" + URLEncoder.encode(path + query, StandardCharsets.UTF_8), List.of());
        }
        APIGatewayV2HTTPResponse response = Http.error(401, "sign in to the console first: GET /console/signin");
        response.getHeaders().put("WWW-Authenticate", "Cookie realm=\"awoooi-console\"");
        return response;
    }

    /** Where to go after signing in: a console path of this site, nothing else (no open redirect). */
    static String next(String given) {
        if (given == null || !given.startsWith("/console") || given.startsWith("//") || given.contains("\\") || given.length() > 2000
                || given.chars().anyMatch(c -> c < 0x21 || c == 0x7f) || given.startsWith("/console/signin") || given.startsWith(CALLBACK)) {
            return "/console";
        }
        return given;
    }

    private APIGatewayV2HTTPResponse signIn(APIGatewayV2HTTPEvent event) {
        if (provider == null) {
            return notice(503, "No identity provider is configured (OidcIssuer), so nobody can sign in to the console.");
        }
        String state = PageSessions.random();
        String nonce = PageSessions.random();
        String verifier = PageSessions.random();
        URI authorize;
        try {
            authorize = provider.authorize(baseUrl + CALLBACK, state, nonce, PageSessions.challenge(verifier));
        } catch (OpenIdProvider.SignInFailed e) {
            return notice(502, "Sign-in is unavailable: " + e.getMessage() + ". Try again in a minute.");
        }
        String sealed = sessions.seal(Purpose.SIGN_IN, Map.of("st", state, "n", nonce, "v", verifier, "next", next(Http.query(event).get("next"))),
                SIGN_IN_TTL);
        return Http.redirect(302, authorize.toString(), List.of(cookie(SIGN_IN_COOKIE, sealed, SIGN_IN_TTL)));
    }

    private APIGatewayV2HTTPResponse callback(APIGatewayV2HTTPEvent event) {
        Map<String, String> query = Http.query(event);
        var pending = sessions.open(Purpose.SIGN_IN, Http.cookie(event, SIGN_IN_COOKIE));
        if (pending.isEmpty() || provider == null) {
            return notice(400, "This sign-in expired or began in another browser. Open the console again.");
        }
        Map<String, String> p = pending.get();
        String state = query.get("state");
        if (state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8), p.get("st").getBytes(StandardCharsets.UTF_8))) {
            audit.record(AUDIT_SUBJECT, "sign-in-refused", Map.of("reason", "state mismatch"));
            return notice(403, "This sign-in does not belong to this browser. Open the console again.");
        }
        if (query.get("error") != null || query.get("code") == null) {
            String error = query.getOrDefault("error", "no code").replaceAll("[^a-z_ ]", "");
            audit.record(AUDIT_SUBJECT, "sign-in-refused", Map.of("reason", "provider: " + error));
            return notice(401, "The identity provider did not sign you in (" + error + ").");
        }
        OpenIdProvider.Login login;
        try {
            login = provider.redeem(query.get("code"), p.get("v"), baseUrl + CALLBACK, p.get("n"));
        } catch (OpenIdProvider.SignInFailed e) {
            audit.record(AUDIT_SUBJECT, "sign-in-refused", Map.of("reason", e.getMessage()));
            return notice(401, "Sign-in failed: " + e.getMessage() + ".");
        }
        Identity identity = new Identity(Channel.OIDC, login.identitySubject());
        String who = directory.byIdentity(identity).map(ApproverEntry::id).orElse("viewer");
        audit.record(AUDIT_SUBJECT, "signed-in", Map.of("approver", who, "via", identity.masked()));
        String session = sessions.seal(Purpose.SESSION, Map.of("sub", login.identitySubject(), "sid", PageSessions.random(),
                "at", Long.toString(clock.instant().getEpochSecond())), SESSION_TTL);
        return Http.redirect(303, next(p.get("next")), List.of(cookie(SESSION_COOKIE, session, SESSION_TTL), cookie(SIGN_IN_COOKIE, "", Duration.ZERO)));
    }

    private APIGatewayV2HTTPResponse signOut(Person person) {
        audit.record(AUDIT_SUBJECT, "signed-out", Map.of("approver", person.viewer() ? "viewer" : person.approverId()));
        APIGatewayV2HTTPResponse response = Http.page(200, ConsolePages.notice("You are signed out of the console."), ConsolePages.CONTENT_SECURITY_POLICY);
        response.setCookies(new ArrayList<>(List.of(cookie(SESSION_COOKIE, "", Duration.ZERO))));
        return response;
    }

    // ------------------------------------------------------------------ incidents

    private APIGatewayV2HTTPResponse incidents(APIGatewayV2HTTPEvent event, Person person) {
        Map<String, String> q = Http.query(event);
        ConsolePages.Query query = new ConsolePages.Query(blank(q.get("status")), blank(q.get("service")), blank(q.get("namespace")),
                blank(q.get("risk")), blank(q.get("severity")), blank(q.get("since")), blank(q.get("cursor")));
        Filter filter;
        Set<IncidentStatus> only;
        try {
            filter = filter(query);
            only = query.status() == null ? null : EnumSet.of(IncidentStatus.valueOf(query.status()));
        } catch (IllegalArgumentException e) {
            return Http.error(400, e.getMessage().startsWith("No enum") ? "no status '" + query.status() + "'" : e.getMessage());
        }
        Instant now = clock.instant();
        ConsolePages.Open open = null;
        IncidentList.Listing recent;
        try {
            // the open ones and the recent ones at once; those awaiting signatures apart, so a storm of new incidents
            // never crowds them off the first page
            boolean first = only == null && query.cursor() == null;
            var awaiting = first ? java.util.concurrent.CompletableFuture.supplyAsync(() -> list.list(AWAITING, filter, null, OPEN), PARALLEL) : null;
            var moving = first ? java.util.concurrent.CompletableFuture.supplyAsync(() -> list.list(MOVING, filter, null, OPEN), PARALLEL) : null;
            recent = list.list(only == null ? CLOSED_STATUSES : only, filter, query.cursor(), PAGE);
            if (first) {
                open = open(awaiting.join(), moving.join(), person, now);
            }
        } catch (IllegalArgumentException e) {
            return Http.error(400, e.getMessage());
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return page(event, "Incidents", person, ConsolePages.incidents(query, open, recent.rows(), recent.next(), now, person), List.of("lists"),
                false, 200);
    }

    private ConsolePages.Open open(IncidentList.Listing awaiting, IncidentList.Listing moving, Person person, Instant now) {
        List<Listed> rows = new ArrayList<>(awaiting.rows());
        rows.addAll(moving.rows());
        Predicate<Listed> stuck = r -> EnumSet.of(IncidentStatus.RECEIVED, IncidentStatus.ANALYZED, IncidentStatus.APPROVED, IncidentStatus.EXECUTING)
                .contains(r.status()) && r.updatedAt().isBefore(now.minus(stuckAfter));
        return new ConsolePages.Open(
                rows.stream().filter(r -> r.awaits(person.approverId())).toList(),
                rows.stream().filter(r -> r.status() == IncidentStatus.AWAITING_APPROVAL && !r.awaits(person.approverId())).toList(),
                rows.stream().filter(r -> EnumSet.of(IncidentStatus.APPROVED, IncidentStatus.EXECUTING).contains(r.status()) && !stuck.test(r)).toList(),
                rows.stream().filter(stuck).toList(),
                rows.stream().filter(r -> EnumSet.of(IncidentStatus.RECEIVED, IncidentStatus.ANALYZED).contains(r.status()) && !stuck.test(r)).toList(),
                rows.stream().filter(r -> r.status() == IncidentStatus.INVESTIGATING).toList(),
                awaiting.next() != null || moving.next() != null);
    }

    private Filter filter(ConsolePages.Query q) {
        for (String text : new String[]{q.service(), q.namespace(), q.severity()}) {
            if (text != null && (text.length() > 253 || text.chars().anyMatch(Character::isISOControl))) {
                throw new IllegalArgumentException("a filter is at most 253 characters of text");
            }
        }
        if (q.risk() != null && !List.of("LOW", "MEDIUM", "HIGH", "CRITICAL").contains(q.risk())) {
            throw new IllegalArgumentException("risk is LOW, MEDIUM, HIGH or CRITICAL");
        }
        Instant since = q.since() == null ? null : clock.instant().minus(switch (q.since()) {
            case "1h" -> Duration.ofHours(1);
            case "24h" -> Duration.ofDays(1);
            case "7d" -> Duration.ofDays(7);
            case "30d" -> Duration.ofDays(30);
            default -> throw new IllegalArgumentException("since is 1h, 24h, 7d or 30d");
        });
        return new Filter(q.service(), q.namespace(), q.risk(), q.severity(), since);
    }

    private APIGatewayV2HTTPResponse incident(APIGatewayV2HTTPEvent event, Session session, String notice, int status) {
        String id = event.getRawPath().substring("/console/incidents/".length());
        if (!IncidentIds.valid(id)) {
            return Http.error(400, "not an incident id");
        }
        Optional<Incident> found = incidents.find(id);
        if (found.isEmpty()) {
            return notice(404, "There is no incident " + id + ".");
        }
        Incident incident = found.get();
        String cursor = blank(Http.query(event).get("alerts"));
        IncidentAlerts.Page page;
        try {
            page = alerts.page(id, cursor, ALERTS_PAGE);
        } catch (IllegalArgumentException e) {
            return Http.error(400, e.getMessage());
        }
        String shown = notice != null ? notice : "recorded".equals(Http.query(event).get("decided")) ? "Your decision is recorded." : null;
        var chain = trail.chain(id);
        String content = ConsolePages.incident(incident, chain, page, cursor, clock.instant(), session.person(), say(incident, session), shown);
        return page(event, dev.awoooi.approval.ApprovalPage.title(incident), session.person(), content, List.of("status", "decision", "timeline", "chain", "alert-counts"),
                true, status);
    }

    /** What the person may do with the request on the table. */
    private Say say(Incident incident, Session session) {
        Person person = session.person();
        var request = incident.approval();
        if (request == null || person.viewer() || incident.status() != IncidentStatus.AWAITING_APPROVAL || request.approver(person.approverId()).isEmpty()
                || incident.signatures().stream().anyMatch(s -> s.approver().equals(person.approverId()) && s.planHash().equals(request.planHash()))) {
            return Say.READ_ONLY;
        }
        return request.needsSignIn() && session.signedInAt().isBefore(clock.instant().minus(ApprovalDesk.FRESH_SIGN_IN)) ? Say.SIGN_IN_AGAIN : Say.SIGN;
    }

    private APIGatewayV2HTTPResponse decide(APIGatewayV2HTTPEvent event, Session session, Map<String, String> form) {
        String id = event.getRawPath().substring("/console/incidents/".length());
        if (!IncidentIds.valid(id)) {
            return Http.error(400, "not an incident id");
        }
        Person person = session.person();
        Decision decision;
        try {
            decision = Decision.valueOf(form.getOrDefault("decision", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Http.error(400, "decision must be 'approve' or 'reject'");
        }
        if (person.viewer()) {
            audit.record(id, "decision-refused", Map.of("reason", "a viewer", "via", "console"));
            return incident(event, session, "Viewers cannot sign: you are not in the approver directory.", 403);
        }
        // the desk weighs it as every channel's signature: who the identity is, the plan, and a CRITICAL request's fresh sign-in
        var verdict = desk.decideAs(id, session.identity(), form.getOrDefault("plan", ""), decision, session.signedInAt());
        return switch (verdict) {
            case ApprovalDesk.Verdict.Refused r -> incident(event, session, r.reason(), r.status());
            case ApprovalDesk.Verdict.Recorded r -> Http.redirect(303, "/console/incidents/" + id + "?decided=recorded", List.of());
        };
    }

    // ------------------------------------------------------------------ trust, directory, scans

    private APIGatewayV2HTTPResponse trustPage(APIGatewayV2HTTPEvent event, Person person, String notice, int status) {
        return page(event, "Trust", person, ConsolePages.trust(trust, key -> trail.newest(TrustLedger.subject(key), ReadViews.HISTORY),
                clock.instant(), person, notice), List.of(), false, status);
    }

    private APIGatewayV2HTTPResponse manageTrust(APIGatewayV2HTTPEvent event, Person person, Map<String, String> form) {
        if (!person.admin()) {
            audit.record(AUDIT_SUBJECT, "console-refused", Map.of("reason", "not an admin", "what", "trust", "by", person.name()));
            return trustPage(event, person, "Only an admin may reset trust or clear a brake.", 403);
        }
        String pattern = form.get("pattern");
        if (pattern == null || trust.all().stream().noneMatch(r -> r.key().equals(pattern))) {
            return trustPage(event, person, "There is no such pattern.", 404);
        }
        String by = "console:" + person.approverId();
        return switch (form.getOrDefault("op", "")) {
            case "reset" -> {
                trust.reset(pattern, by);
                yield trustPage(event, person, "Trust in " + pattern + " starts over.", 200);
            }
            case "clear" -> trustPage(event, person, trust.clear(pattern, by) ? "The brake on " + pattern + " is cleared."
                    : "The brake on " + pattern + " did not hold.", 200);
            default -> Http.error(400, "op must be 'reset' or 'clear'");
        };
    }

    private APIGatewayV2HTTPResponse directoryPage(APIGatewayV2HTTPEvent event, Person person, String notice, int status) {
        return page(event, "Directory", person, ConsolePages.directory(directory.all(), person, notice), List.of(), false, status);
    }

    private APIGatewayV2HTTPResponse manageDirectory(APIGatewayV2HTTPEvent event, Person person, Map<String, String> form) {
        if (!person.admin()) {
            audit.record(AUDIT_SUBJECT, "console-refused", Map.of("reason", "not an admin", "what", "directory", "by", person.name()));
            return directoryPage(event, person, "Only an admin may change the directory.", 403);
        }
        String id = form.getOrDefault("id", "").trim();
        String by = "console:" + person.approverId();
        try {
            switch (form.getOrDefault("op", "")) {
                case "remove" -> {
                    String refusal = refusal(person, id, directory.find(id).map(ApproverEntry::roles).orElse(Set.of()), Set.of());
                    if (refusal != null) {
                        audit.record(AUDIT_SUBJECT, "console-refused", Map.of("reason", refusal, "what", "directory", "by", person.name()));
                        return directoryPage(event, person, refusal, 403);
                    }
                    return directory.remove(id, by) ? directoryPage(event, person, "Removed " + id + ".", 200)
                            : directoryPage(event, person, "There is nobody " + id + " in the directory.", 404);
                }
                case "put" -> {
                    Set<Role> roles = EnumSet.noneOf(Role.class);
                    for (String role : Http.formValues(Http.body(event), "role")) {
                        roles.add(Role.valueOf(role.trim().toUpperCase(Locale.ROOT)));
                    }
                    var existing = directory.find(id);
                    String refusal = refusal(person, id, existing.map(ApproverEntry::roles).orElse(Set.of()), roles);
                    if (refusal != null) {
                        audit.record(AUDIT_SUBJECT, "console-refused", Map.of("reason", refusal, "what", "directory", "by", person.name()));
                        return directoryPage(event, person, refusal, 403);
                    }
                    List<Identity> identities = new ArrayList<>();
                    for (String line : form.getOrDefault("identities", "").split("\\R")) {
                        if (!line.isBlank()) {
                            identities.add(Identity.parse(line.trim()));
                        }
                    }
                    if (identities.isEmpty() && existing.isPresent()) {
                        identities.addAll(existing.get().identities());
                    }
                    directory.put(new ApproverEntry(id, roles, identities), by);
                    return directoryPage(event, person, (existing.isPresent() ? "Changed " : "Added ") + id + ".", 200);
                }
                default -> {
                    return Http.error(400, "op must be 'put' or 'remove'");
                }
            }
        } catch (IllegalArgumentException e) {
            return directoryPage(event, person, "Refused: " + e.getMessage() + ".", 400);
        } catch (IllegalStateException e) {
            return directoryPage(event, person, "Not saved: " + e.getMessage() + ". Reload and try again.", 409);
        }
    }

    /**
     * Why an admin may not make this change here, or null. Nobody changes their own entry (no one grants themselves a
     * role, or locks themselves out); the CTO and the CISO, whose two signatures are CRITICAL's, are appointed and
     * changed only by the operator's command, so no admin can make a CRITICAL signer out of an account they hold.
     */
    static String refusal(Person admin, String id, Set<Role> before, Set<Role> after) {
        if (id.equals(admin.approverId())) {
            return "Your own entry is changed by another admin or by the operator's command (scripts/approvers), not by you";
        }
        Set<Role> critical = EnumSet.of(Role.CTO, Role.CISO);
        if (before.stream().anyMatch(critical::contains) || after.stream().anyMatch(critical::contains)) {
            return "The CTO and the CISO sign CRITICAL requests: they are appointed and changed only by the operator's command"
                    + " (scripts/approvers)";
        }
        return null;
    }

    private APIGatewayV2HTTPResponse scan(APIGatewayV2HTTPEvent event, Person person) {
        String scan = event.getRawPath().equals("/console/scans") || event.getRawPath().equals("/console/scans/") ? "finops"
                : event.getRawPath().substring("/console/scans/".length());
        if (!ReadViews.SCANS.contains(scan)) {
            return Http.error(404, "no scan '" + scan + "'; the scans are " + String.join(", ", ReadViews.SCANS));
        }
        return Http.page(200, ReadViews.reportPage(scans, scan, "/console/scans/", ConsolePages.bar(person)), ConsolePages.CONTENT_SECURITY_POLICY);
    }

    // ------------------------------------------------------------------ plumbing

    /** A page, or 304 when the live refresh already holds it. */
    private APIGatewayV2HTTPResponse page(APIGatewayV2HTTPEvent event, String title, Person person, String content, List<String> live,
                                          boolean countdown, int status) {
        String etag = ConsolePages.etag(content + "\n" + person.describe());
        String given = Http.header(event, "if-none-match");
        if (status == 200 && given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), etag.getBytes(StandardCharsets.UTF_8))) {
            APIGatewayV2HTTPResponse notModified = Http.page(304, "", ConsolePages.CONTENT_SECURITY_POLICY);
            notModified.getHeaders().put("ETag", etag);
            return notModified;
        }
        APIGatewayV2HTTPResponse response = Http.page(status, ConsolePages.page(title, person, content, live, etag, countdown),
                ConsolePages.CONTENT_SECURITY_POLICY);
        response.getHeaders().put("ETag", etag);
        return response;
    }

    private static APIGatewayV2HTTPResponse notice(int status, String message) {
        return Http.page(status, ConsolePages.notice(message), ConsolePages.CONTENT_SECURITY_POLICY);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private String cookie(String name, String value, Duration ttl) {
        return name + "=" + value + "; Path=/console; Max-Age=" + ttl.toSeconds() + "; HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : "");
    }



}
