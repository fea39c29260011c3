package dev.awoooi.local.e2e;

import dev.awoooi.audit.AuditTrail;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console on the local stack. In Debian's Chromium at 1280 and 390 px: alice and bob sign in with the identity
 * provider, find the incident awaiting their signature at the top of the list, open it and sign it; the timeline says
 * so, and alice's open page updates by itself when bob signs. Over HTTP: a viewer reads everything and can sign or
 * manage nothing; an admin manages the directory and trust, audited; without a session a browser is sent to sign in
 * and anything else gets 401; a form from another site or without its token is refused. Screenshots land in
 * target/screenshots. Needs chromium and chromium-driver (skipped without them, except in CI).
 */
class ConsoleIT {
    static final Path SHOTS = Path.of("target/screenshots");
    static LocalStack stack;
    static IncidentStore incidents;
    WebDriver browser;
    WebDriver second;

    @BeforeAll
    static void start() throws Exception {
        ApprovalPageBrowserIT.requireChromium();
        Files.createDirectories(SHOTS);
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false).withRbacFile(StackContents.rbacDeletingVolumes()));
        incidents = stack.applicationContext().getBean(IncidentStore.class);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void quit() {
        for (WebDriver driver : new WebDriver[]{browser, second}) {
            if (driver != null) {
                driver.quit();
            }
        }
        browser = null;
        second = null;
    }

    static String console() {
        return stack.baseUrl() + "/console";
    }

    void shot(WebDriver driver, String name) throws Exception {
        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    static Object js(WebDriver driver, String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Opens the console, is sent to the provider's login form, signs in there, and comes back to where it began. */
    static void signIn(WebDriver driver, String url, String user) {
        driver.get(url);
        await().atMost(Duration.ofSeconds(15)).until(() -> !driver.findElements(By.name("username")).isEmpty());
        assertThat(driver.getCurrentUrl()).startsWith(stack.identityProvider().issuer());
        driver.findElement(By.name("username")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(stack.identityProvider().password());
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> driver.getCurrentUrl().startsWith(url) && !driver.findElements(By.id("who")).isEmpty());
    }

    static void noSidewaysScrolling(WebDriver driver, String what) {
        long viewport = ((Number) js(driver, "return window.innerWidth")).longValue();
        long widest = ((Number) js(driver, "return document.documentElement.scrollWidth")).longValue();
        assertThat(widest).as(what + ": no horizontal scrolling").isLessThanOrEqualTo(viewport);
    }

    static Incident awaiting(String id) {
        return StackContents.awaiting(incidents, id);
    }

    @Test
    void twoApproversFindTheIncidentAwaitingThemSignItAndSeeTheTimelineUpdate() throws Exception {
        String id = StackContents.alert(stack, "c1", "order-api", "production", "kubectl rollout restart deployment/order-api -n production");
        assertThat(awaiting(id).approval().risk().name()).isEqualTo("HIGH");

        browser = ApprovalPageBrowserIT.chromium(1280, 800);
        signIn(browser, console(), "alice");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("alice · devops");
        var mine = browser.findElement(By.id("awaiting-me")).findElements(By.cssSelector("a.row[data-incident='" + id + "']"));
        assertThat(mine).as("the incident awaits alice's signature, in the first section").hasSize(1);
        noSidewaysScrolling(browser, "list at 1280 px");
        shot(browser, "console-incidents-1280");
        mine.getFirst().click();
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("approve")).isEmpty());
        assertThat(browser.findElement(By.id("signer")).getText()).isEqualTo("alice");
        shot(browser, "console-incident-1280");
        browser.findElement(By.id("approve")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getPageSource().contains("Your decision is recorded"));
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("alice approved via oidc");
        assertThat(browser.findElements(By.id("approve"))).as("a decision is made once").isEmpty();
        assertThat(browser.findElement(By.id("chain")).getText()).startsWith("Audit chain verified");
        shot(browser, "console-incident-1280-signed");

        // bob signs at phone width while alice's page stays open: hers refreshes itself
        second = ApprovalPageBrowserIT.chromium(390, 844);
        signIn(second, console(), "bob");
        var bobs = second.findElement(By.id("awaiting-me")).findElements(By.cssSelector("a.row[data-incident='" + id + "']"));
        assertThat(bobs).hasSize(1);
        noSidewaysScrolling(second, "list at 390 px");
        shot(second, "console-incidents-390");
        bobs.getFirst().click();
        await().atMost(Duration.ofSeconds(10)).until(() -> !second.findElements(By.id("approve")).isEmpty());
        noSidewaysScrolling(second, "incident at 390 px");
        long bottom = ((Number) js(second, "return document.getElementById('approve').getBoundingClientRect().bottom")).longValue();
        assertThat(bottom).as("the decision within the first screen at 390 × 844").isLessThanOrEqualTo(844);
        shot(second, "console-incident-390");
        second.findElement(By.id("approve")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.getPageSource().contains("Your decision is recorded"));
        assertThat(second.findElement(By.id("timeline")).getText()).contains("bob approved via oidc", "Quorum reached");
        shot(second, "console-incident-390-signed");

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                .until(() -> browser.findElement(By.id("timeline")).getText().contains("bob approved via oidc"));
        assertThat(browser.getPageSource()).as("refreshed in place, not reloaded").contains("Your decision is recorded");
        assertThat(incidents.find(id).orElseThrow().signatures()).extracting(s -> s.approver() + " via " + s.via().channel().label())
                .containsExactly("alice via oidc", "bob via oidc");
        // the list shows it signed, at both widths
        second.get(console());
        shot(second, "console-incidents-390-after");
        for (String page : List.of("trust", "scans", "directory")) {
            browser.get(console() + "/" + page);
            noSidewaysScrolling(browser, page + " at 1280 px");
            shot(browser, "console-" + page + "-1280");
        }
    }

    @Test
    void aViewerReadsEverythingAndCanSignOrManageNothing() throws Exception {
        String id = StackContents.alert(stack, "c2", "product-api", "production", "kubectl rollout restart deployment/product-api -n production");
        awaiting(id);
        Browser victor = new Browser();
        var list = signIn(victor, "victor");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("id=\"who\">oidc ").contains("· viewer").contains("data-incident=\"" + id + "\"").doesNotContain("id=\"awaiting-me\"");
        var page = victor.get(console() + "/incidents/" + id);
        assertThat(page.body()).contains("id=\"read-only\"").doesNotContain("id=\"approve\"");
        String csrf = Browser.hidden(page.body()).get("csrf");
        String plan = incidents.find(id).orElseThrow().approval().planHash();

        var forged = victor.post(console() + "/incidents/" + id, Map.of("csrf", csrf, "plan", plan, "decision", "approve"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("Viewers cannot sign");
        assertThat(victor.post(console() + "/directory", Map.of("csrf", csrf, "op", "put", "id", "mallory", "role", "admin")).statusCode()).isEqualTo(403);
        assertThat(victor.post(console() + "/directory", Map.of("csrf", csrf, "op", "remove", "id", "alice")).statusCode()).isEqualTo(403);
        assertThat(victor.post(console() + "/trust", Map.of("csrf", csrf, "op", "reset", "pattern", "x")).statusCode()).isEqualTo(403);
        assertThat(victor.get(console() + "/directory").body()).doesNotContain("<form class=\"inline\"", "id=\"put\"");
        assertThat(incidents.find(id).orElseThrow().signatures()).isEmpty();
        var directory = stack.applicationContext().getBean(dev.awoooi.approval.ApproverDirectory.class);
        assertThat(directory.find("mallory")).isEmpty();
        assertThat(directory.find("alice")).isPresent();
        assertThat(audited("console")).contains("console-refused");
        assertThat(audited(id)).contains("decision-refused");
    }

    @Test
    void withoutASessionABrowserIsSentToSignInAndAnythingElseGets401() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        var page = http.send(HttpRequest.newBuilder(URI.create(console() + "?status=FAILED")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).isEqualTo("/console/signin?next=%2Fconsole%3Fstatus%3DFAILED");
        for (String path : List.of("", "/incidents/inc-00000000000000000000", "/trust", "/scans/finops", "/directory")) {
            var api = http.send(HttpRequest.newBuilder(URI.create(console() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).as(path).isEqualTo(401);
            assertThat(api.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        var post = http.send(HttpRequest.newBuilder(URI.create(console() + "/directory")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("op=remove&id=alice")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
        // a forged session cookie is no session
        var forged = http.send(HttpRequest.newBuilder(URI.create(console())).header("Cookie", "awoooi_console=ZXhwPTk5OTk5OTk5OTkmc3ViPXg.AAAA").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
        // the sign-in goes nowhere but the console
        var away = http.send(HttpRequest.newBuilder(URI.create(console() + "/signin?next=https://evil.example/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(away.statusCode()).isEqualTo(302);
        assertThat(away.headers().firstValue("Location").orElseThrow()).startsWith(stack.identityProvider().issuer());
    }

    @Test
    void anAdminManagesTheDirectoryAuditedAndAFormFromElsewhereIsRefused() throws Exception {
        Browser carol = new Browser();
        var list = signIn(carol, "carol");
        String csrf = Browser.hidden(list.body()).get("csrf");
        var crossSite = carol.post(console() + "/directory", Map.of("csrf", csrf, "op", "put", "id", "frank", "role", "sre"),
                "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(carol.post(console() + "/directory", Map.of("csrf", "forged", "op", "put", "id", "frank", "role", "sre")).statusCode()).isEqualTo(403);

        var added = carol.post(console() + "/directory", Map.of("csrf", csrf, "op", "put", "id", "frank", "role", "sre",
                "identities", "email:frank@example.com"));
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).contains("Added frank.", "data-approver=\"frank\"").doesNotContain("frank@example.com");
        var directory = stack.applicationContext().getBean(dev.awoooi.approval.ApproverDirectory.class);
        assertThat(directory.find("frank").orElseThrow().roles()).containsExactly(dev.awoooi.approval.Role.SRE);
        // no admin changes their own entry, nor appoints, changes or removes a CRITICAL signer
        assertThat(carol.post(console() + "/directory", Map.of("csrf", csrf, "op", "remove", "id", "carol")).statusCode()).isEqualTo(403);
        assertThat(carol.post(console() + "/directory", Map.of("csrf", csrf, "op", "put", "id", "carol", "role", "admin",
                "identities", "email:carol@example.com")).statusCode()).isEqualTo(403);
        assertThat(carol.post(console() + "/directory", Map.of("csrf", csrf, "op", "put", "id", "frank", "role", "cto")).statusCode()).isEqualTo(403);
        assertThat(carol.post(console() + "/directory", Map.of("csrf", csrf, "op", "remove", "id", "dana")).statusCode()).isEqualTo(403);
        assertThat(directory.find("dana")).isPresent();
        assertThat(directory.find("frank").orElseThrow().roles()).containsExactly(dev.awoooi.approval.Role.SRE);
        assertThat(carol.post(console() + "/directory", Map.of("csrf", csrf, "op", "remove", "id", "frank")).statusCode()).isEqualTo(200);
        assertThat(directory.find("frank")).isEmpty();
        var trail = stack.applicationContext().getBean(AuditTrail.class).chain("directory");
        assertThat(trail).filteredOn(e -> "frank".equals(e.detail().get("approver")))
                .extracting(e -> e.what() + " by " + e.detail().get("by")).containsExactly("approver-added by console:carol", "approver-removed by console:carol");
    }

    @Test
    void theCtoAndTheCisoSignACriticalRequestInTheConsoleRightAfterSigningIn() throws Exception {
        String id = StackContents.alert(stack, "c3", "postgres-backup", "production", "kubectl delete pvc data-postgres-backup -n production");
        assertThat(awaiting(id).approval().risk().name()).isEqualTo("CRITICAL");
        // alice is no CRITICAL signer: she reads it, with no buttons
        assertThat(signIn(new Browser(), "alice").body()).contains("data-incident=\"" + id + "\"");
        for (String who : List.of("dana", "erin")) {
            Browser browser = new Browser();
            var list = signIn(browser, who);
            assertThat(list.body()).contains("id=\"awaiting-me\"").contains("data-incident=\"" + id + "\"");
            var page = browser.get(console() + "/incidents/" + id);
            assertThat(page.body()).contains("id=\"approve\"");
            Map<String, String> form = new LinkedHashMap<>(Browser.hidden(page.body()));
            form.put("decision", "approve");
            var decided = browser.post(console() + "/incidents/" + id, form, "Origin", stack.baseUrl());
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(303);
            assertThat(browser.follow(decided).body()).contains("Your decision is recorded", who + " approved via oidc");
        }
        Incident granted = await().atMost(Duration.ofSeconds(60)).until(() -> incidents.find(id).orElseThrow(),
                i -> i.status() != IncidentStatus.AWAITING_APPROVAL);
        assertThat(granted.signatures()).extracting(s -> s.approver() + " via " + s.via().channel().label())
                .containsExactly("dana via oidc", "erin via oidc");
    }

    static HttpResponse<String> signIn(Browser browser, String user) throws Exception {
        var login = browser.open(console());
        assertThat(login.body()).contains("name=\"username\"", "name=\"password\"");
        Map<String, String> form = new LinkedHashMap<>(Browser.hidden(login.body()));
        form.put("username", user);
        form.put("password", stack.identityProvider().password());
        return browser.follow(browser.post(login.uri().resolve("/login").toString(), form));
    }

    static List<String> audited(String subject) {
        return stack.applicationContext().getBean(AuditTrail.class).chain(subject).stream().map(e -> e.what()).toList();
    }
}
