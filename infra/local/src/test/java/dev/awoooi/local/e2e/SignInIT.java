package dev.awoooi.local.e2e;

import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Signature;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CRITICAL signatures through a real OpenID Connect provider (the local stack's Spring Authorization Server): the CTO
 * and the CISO each open their own mailed link, sign in, and decide on the page; nothing else counts. A link alone,
 * the other person's sign-in, a forged or replayed sign-in, a form without its CSRF token and a cross-site POST are
 * each refused with a clear status and leave an audit entry; the request completes only after both.
 */
class SignInIT {
    static LocalStack stack;
    static IncidentStore incidents;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false).withRbacFile(StackContents.rbacDeletingVolumes()));
        incidents = stack.applicationContext().getBean(IncidentStore.class);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A CRITICAL request: a runbook asking to delete the orphaned backup volume (destroys data). */
    static String criticalRequest(String fingerprint) throws Exception {
        String id = StackContents.alert(stack, fingerprint, "postgres-backup", "production", "kubectl delete pvc data-postgres-backup -n production");
        Incident incident = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> incidents.find(id).orElseThrow(), i -> !List.of(IncidentStatus.RECEIVED, IncidentStatus.ANALYZED).contains(i.status()));
        assertThat(incident.status()).as(incident.reason() + " " + (incident.analysis() == null ? "" : incident.analysis().dryRun()))
                .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
        assertThat(incident.approval().risk().name()).isEqualTo("CRITICAL");
        return id;
    }

    static String link(String who, String id) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> stack.mail().stream()
                .filter(m -> (who + "@example.com").equals(m.get("to")) && String.valueOf(m.get("link")).contains("/approvals/" + id + "?"))
                .map(m -> String.valueOf(m.get("link"))).findFirst().orElse(null), l -> l != null);
    }

    /** From the page's sign-in button through the provider's login form and back: the page the provider returns to. */
    static HttpResponse<String> signIn(Browser browser, String link, String user) throws Exception {
        var page = browser.get(link);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"signin\"").doesNotContain("id=\"approve\"");
        var toProvider = browser.get(URI.create(link).resolve(Browser.href(page.body(), "signin")).toString());
        assertThat(toProvider.statusCode()).isEqualTo(302);
        assertThat(toProvider.headers().firstValue("Location").orElseThrow()).startsWith(stack.identityProvider().issuer() + "/oauth2/authorize?")
                .contains("code_challenge_method=S256", "nonce=", "state=");
        var login = browser.follow(toProvider);
        assertThat(login.body()).contains("name=\"username\"", "name=\"password\"");
        Map<String, String> form = new LinkedHashMap<>(Browser.hidden(login.body()));
        form.put("username", user);
        form.put("password", stack.identityProvider().password());
        return browser.follow(browser.post(login.uri().resolve("/login").toString(), form));
    }

    static List<String> audited(String id) {
        return StackContents.items(stack, "AuditTable").stream().filter(item -> id.equals(item.get("subject") == null ? null : item.get("subject").s()))
                .map(item -> item.get("what").s() + " " + item).toList();
    }

    @Test
    void aCriticalRequestCompletesOnlyAfterTheCtoAndTheCisoSignInAndEachAttackIsRefused() throws Exception {
        String id = criticalRequest("c1");
        String dana = link("dana", id);
        String erin = link("erin", id);

        // the link alone cannot decide: the POST without a sign-in is refused, and says why
        var bare = new Browser().post(URI.create(dana).resolve("/approvals/" + id).toString(), Map.of("approver", "dana",
                "token", URI.create(dana).getQuery().replaceAll(".*token=([^&]+).*", "$1"), "decision", "approve"));
        assertThat(bare.statusCode()).isEqualTo(401);
        assertThat(bare.body()).contains("signed only after sign-in");

        // erin signs in on dana's link: the CISO cannot sign as the CTO
        var wrongPerson = signIn(new Browser(), dana, "erin");
        assertThat(wrongPerson.statusCode()).as(wrongPerson.uri() + " " + wrongPerson.body()).isEqualTo(403);
        assertThat(wrongPerson.body()).contains("someone other than dana");

        // a callback whose state is not this browser's (a forged or mixed-up sign-in) is refused
        Browser forger = new Browser();
        var page = forger.get(dana);
        forger.get(URI.create(dana).resolve(Browser.href(page.body(), "signin")).toString());
        var forged = forger.get(stack.baseUrl() + "/approvals/oidc/callback?code=made-up&state=not-mine");
        assertThat(forged.statusCode()).isEqualTo(403);
        // and one without the sign-in cookie at all
        assertThat(new Browser().get(stack.baseUrl() + "/approvals/oidc/callback?code=x&state=y").statusCode()).isEqualTo(400);

        // dana signs in as herself: the page now offers the decision, as her
        Browser danaBrowser = new Browser();
        var signedIn = signIn(danaBrowser, dana, "dana");
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        assertThat(signedIn.body()).contains("id=\"approve\"", "signed in as oidc " + stack.identityProvider().issuer() + "|dana");
        Map<String, String> form = new LinkedHashMap<>(Browser.hidden(signedIn.body()));
        form.put("decision", "approve");
        String action = stack.baseUrl() + "/approvals/" + id;
        // the same form without its CSRF token, or posted from another site, decides nothing
        Map<String, String> noCsrf = new LinkedHashMap<>(form);
        noCsrf.remove("csrf");
        assertThat(danaBrowser.post(action, noCsrf).statusCode()).isEqualTo(403);
        assertThat(danaBrowser.post(action, form, "Origin", "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(incidents.find(id).orElseThrow().signatures()).isEmpty();

        var decided = danaBrowser.post(action, form, "Origin", stack.baseUrl());
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        assertThat(decided.body()).contains("Your decision is recorded: approve (the request is pending)");
        assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);

        Browser erinBrowser = new Browser();
        var erinPage = signIn(erinBrowser, erin, "erin");
        Map<String, String> erinForm = new LinkedHashMap<>(Browser.hidden(erinPage.body()));
        erinForm.put("decision", "approve");
        assertThat(erinBrowser.post(action, erinForm).statusCode()).isEqualTo(200);

        Incident granted = await().atMost(Duration.ofSeconds(60)).until(() -> incidents.find(id).orElseThrow(),
                i -> i.status() != IncidentStatus.AWAITING_APPROVAL);
        assertThat(granted.signatures()).extracting(Signature::approver).containsExactly("dana", "erin");
        assertThat(granted.signatures()).allSatisfy(s -> {
            assertThat(s.via().channel()).isEqualTo(Channel.OIDC);
            assertThat(s.via().subject()).isEqualTo(stack.identityProvider().issuer() + "|" + s.approver());
        });
        String audit = String.join("\n", audited(id));
        assertThat(audit).contains("not signed in", "another approver", "state mismatch", "missing or wrong CSRF token", "cross-site request", "signed-in");
    }
}
