package dev.awoooi.local.e2e;

import dev.awoooi.approval.Channel;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The approval page as people see it, in Debian's Chromium driven by Selenium: at phone width (390 × 844) the decision
 * and both buttons are inside the first screen and nothing scrolls sideways, at desktop width (1280 × 800) too; a
 * CRITICAL request is signed by the CTO and the CISO through the identity provider's login form. Screenshots land in
 * target/screenshots. Needs {@code chromium} and {@code chromium-driver} (Debian packages; {@code .ci/run} installs
 * them): skipped without them, except in CI.
 */
class ApprovalPageBrowserIT {
    static final Path SHOTS = Path.of("target/screenshots");
    static LocalStack stack;
    static IncidentStore incidents;
    WebDriver browser;

    /** Skips the test without Debian's Chromium and its driver, except in CI, which installs them: there it fails. */
    static void requireChromium() {
        if (!Files.isExecutable(Path.of("/usr/bin/chromium")) || !Files.isExecutable(Path.of("/usr/bin/chromedriver"))) {
            String why = "no /usr/bin/chromium and /usr/bin/chromedriver; install them with: apt-get install -y chromium chromium-driver";
            if (System.getenv("CI") != null && !System.getenv("CI").isBlank()) {
                fail("CI is set and CI installs Chromium, yet there is " + why);
            }
            assumeTrue(false, "skipped: " + why);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        requireChromium();
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
        if (browser != null) {
            browser.quit();
        }
    }

    /** Headless Debian Chromium at this window size, without its background traffic. */
    static ChromeDriver chromium(int width, int height) {
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                        "--window-size=" + width + "," + height, "--force-device-scale-factor=1", "--lang=en-US",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    void shot(String name) throws Exception {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** The page at this width: nothing wider than the viewport, both buttons within the first screen. */
    void assertPhoneFirst(String what) {
        long viewport = ((Number) js("return window.innerWidth")).longValue();
        long widest = ((Number) js("return document.documentElement.scrollWidth")).longValue();
        assertThat(widest).as(what + ": no horizontal scrolling").isLessThanOrEqualTo(viewport);
        long screen = ((Number) js("return window.innerHeight")).longValue();
        for (String id : List.of("approve", "reject")) {
            WebElement button = browser.findElement(By.id(id));
            assertThat(button.isDisplayed()).isTrue();
            long bottom = ((Number) js("return document.getElementById('" + id + "').getBoundingClientRect().bottom")).longValue();
            assertThat(bottom).as(what + ": #" + id + " inside the first screen").isLessThanOrEqualTo(screen);
        }
    }

    /** After a click on Approve: the page says the decision is recorded (or the test says what it said instead). */
    void recorded() throws Exception {
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.getPageSource().contains("Your decision is recorded"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            shot("failed-decision");
            fail("the decision was not recorded; the page says: " + browser.findElement(By.tagName("body")).getText());
        }
    }

    static String link(String who, String id) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> stack.mail().stream()
                .filter(m -> (who + "@example.com").equals(m.get("to")) && String.valueOf(m.get("link")).contains("/approvals/" + id + "?"))
                .map(m -> String.valueOf(m.get("link"))).findFirst().orElse(null), l -> l != null);
    }

    static Incident awaiting(String id) {
        return StackContents.awaiting(incidents, id);
    }

    @Test
    void atPhoneAndDesktopWidthTheDecisionComesFirstAndAClickSigns() throws Exception {
        String id = StackContents.alert(stack, "b1", "order-api", "production", "kubectl rollout restart deployment/order-api -n production");
        assertThat(awaiting(id).approval().risk().name()).isEqualTo("HIGH");
        String alice = link("alice", id);

        // a link preview (GET, twice) and a HEAD decide nothing
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(alice)).GET().header("User-Agent", "Slackbot-LinkExpanding 1.0").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        http.send(HttpRequest.newBuilder(URI.create(alice)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(http.send(HttpRequest.newBuilder(URI.create(alice)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isNotEqualTo(200);
        assertThat(incidents.find(id).orElseThrow().signatures()).isEmpty();

        browser = chromium(1280, 800);
        browser.get(alice);
        assertPhoneFirst("1280 px");
        assertThat(browser.findElement(By.id("blast-graph")).isDisplayed()).isTrue();
        shot("approval-high-1280");
        browser.quit();

        browser = chromium(390, 844);
        browser.get(alice);
        assertPhoneFirst("390 px");
        assertThat(browser.findElement(By.id("action")).getText()).contains("order-api");
        // the countdown ticks in the page: a script the Content-Security-Policy lets run (and no other)
        String first = browser.findElement(By.id("expires")).getText();
        await().atMost(Duration.ofSeconds(5)).until(() -> !browser.findElement(By.id("expires")).getText().equals(first));
        assertThat(browser.findElement(By.id("expires")).getText()).matches("in \\d+ h \\d+ min \\d+ s");
        shot("approval-high-390");
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, document.body.scrollHeight)");
        shot("approval-high-390-bottom");

        browser.findElement(By.id("approve")).click();
        recorded();
        assertThat(browser.findElements(By.id("approve"))).as("a decision cannot be made twice").isEmpty();
        assertThat(incidents.find(id).orElseThrow().signatures()).singleElement()
                .satisfies(s -> assertThat(s.approver() + " via " + s.via().channel().label()).isEqualTo("alice via link"));
        shot("approval-high-390-decided");
    }

    @Test
    void theCtoAndTheCisoSignACriticalRequestAfterSigningInAtPhoneWidth() throws Exception {
        String id = StackContents.alert(stack, "b2", "postgres-backup", "production", "kubectl delete pvc data-postgres-backup -n production");
        assertThat(awaiting(id).approval().risk().name()).isEqualTo("CRITICAL");
        for (String who : List.of("dana", "erin")) {
            browser = chromium(390, 844);
            browser.get(link(who, id));
            assertThat(browser.findElements(By.id("approve"))).as("no buttons before sign-in").isEmpty();
            shot("approval-critical-390-" + who + "-before-sign-in");
            browser.findElement(By.id("signin")).click();
            await().atMost(Duration.ofSeconds(15)).until(() -> !browser.findElements(By.name("username")).isEmpty());
            assertThat(browser.getCurrentUrl()).startsWith(stack.identityProvider().issuer());
            browser.findElement(By.name("username")).sendKeys(who);
            browser.findElement(By.name("password")).sendKeys(stack.identityProvider().password());
            shot("approval-critical-390-" + who + "-provider-login");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            await().atMost(Duration.ofSeconds(15)).until(() -> !browser.findElements(By.id("approve")).isEmpty());
            assertThat(browser.findElement(By.id("decision")).getText()).contains("signed in as oidc");
            assertPhoneFirst("390 px, " + who + " signed in");
            shot("approval-critical-390-" + who + "-signed-in");
            browser.findElement(By.id("approve")).click();
            recorded();
            browser.quit();
            browser = null;
        }
        Incident granted = await().atMost(Duration.ofSeconds(60)).until(() -> incidents.find(id).orElseThrow(),
                i -> i.status() != IncidentStatus.AWAITING_APPROVAL);
        assertThat(granted.signatures()).extracting(s -> s.approver() + " via " + s.via().channel().label())
                .containsExactly("dana via oidc", "erin via oidc");
        assertThat(granted.signatures()).allMatch(s -> s.via().channel() == Channel.OIDC);
    }
}
