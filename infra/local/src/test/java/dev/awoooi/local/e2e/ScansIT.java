package dev.awoooi.local.e2e;

import dev.awoooi.action.Action;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.cluster.KubernetesCluster;
import dev.awoooi.local.LocalStack;
import dev.awoooi.local.MotoServer;
import dev.awoooi.local.metrics.PrometheusPeer;
import dev.awoooi.scan.Finding;
import dev.awoooi.scan.ScanArchive;
import dev.awoooi.scan.ScanReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The nightly scans on the embedded stack against a real Prometheus (Debian's, started here) holding eight days of the
 * demo pods' usage, backfilled as real TSDB blocks by promtool, and scraping this machine's real node_exporter; the
 * compliance scan reads the demo cluster as the reader identity and the EKS API of moto's server, signed with SigV4.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ScansIT {
    static LocalStack stack;
    static ScanArchive archive;
    static MotoServer moto;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(PrometheusPeer.installed(), "prometheus, promtool and prometheus-node-exporter are not installed (.ci/run installs them)");
        moto = MotoServer.start();
        // an EKS cluster with the API and audit logs on, the authenticator log off, Secrets encrypted with a KMS key
        var created = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(moto.endpoint().resolve("/clusters"))
                // moto tells the service by the credential scope of the Authorization header (it checks no signature)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/eks/aws4_request, SignedHeaders=host, Signature=0")
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"name":"awoooi-demo","roleArn":"arn:aws:iam::123456789012:role/eks","resourcesVpcConfig":{"subnetIds":["subnet-1"]},
                         "logging":{"clusterLogging":[{"types":["api","audit"],"enabled":true},{"types":["authenticator"],"enabled":false}]},
                         "encryptionConfig":[{"resources":["secrets"],"provider":{"keyArn":"arn:aws:kms:us-east-1:123456789012:key/demo"}}]}
                        """)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false)
                .withProperties(Map.of("awoooi.scans.prometheus", LocalStack.LOCAL_PROMETHEUS,
                        "awoooi.scans.ekscluster", "awoooi-demo", "awoooi.scans.eksendpoint", moto.endpoint().toString())));
        archive = stack.applicationContext().getBean(ScanArchive.class);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /**
     * The demo in seven dimensions, each status seen on real objects: db-credentials (200 days) read by order-api, the
     * shop's valid certificate, the API's expiring one, legacy's expired one and the reports Ingress without TLS;
     * Trivy's clean, high and critical reports; Velero's restore test of production 12 days ago; EKS's audit log on
     * without the authenticator log; legacy-api's admin binding never reviewed, report-worker's 120 days ago;
     * redis-cache on unencrypted gp2.
     */
    @Test
    void complianceJudgesTheDemoInSevenDimensions() {
        stack.runSchedule("ComplianceScanFunction");
        ScanReport report = archive.latest("compliance").orElseThrow();
        Map<String, Finding> cells = report.findings().stream().collect(Collectors.toMap(f -> f.resource() + " " + f.kind(), f -> f));
        java.util.function.BiFunction<String, String, String> status = (asset, dimension) -> {
            Finding cell = cells.get(asset + " compliance:" + dimension);
            assertThat(cell).as(asset + " " + dimension + " in " + cells.keySet()).isNotNull();
            return cell.severity() + ": " + cell.detail();
        };
        assertThat(status.apply("deployment/production/order-api", "secret_rotated")).startsWith("CRITICAL: oldest Secret db-credentials was created 200 days ago");
        assertThat(status.apply("deployment/production/auth-service", "secret_rotated")).startsWith("OK: oldest Secret api-tokens was created 10 days ago");
        assertThat(status.apply("deployment/production/frontend", "tls_certificate_valid")).startsWith("OK: the certificate of Ingress shop is valid until");
        assertThat(status.apply("deployment/production/product-api", "tls_certificate_valid")).startsWith("WARNING: the certificate of Ingress api expires in");
        assertThat(status.apply("deployment/production/legacy-api", "tls_certificate_valid")).startsWith("CRITICAL: the certificate of Ingress legacy expired 5 days ago");
        assertThat(status.apply("deployment/production/report-worker", "tls_certificate_valid")).isEqualTo("CRITICAL: Ingress reports serves it over plain HTTP (no TLS)");
        assertThat(status.apply("deployment/production/frontend", "cve_scan")).isEqualTo("OK: 0 critical, 0 high vulnerabilities");
        assertThat(status.apply("deployment/production/product-api", "cve_scan")).as("its app and envoy containers' reports summed").isEqualTo("WARNING: 0 critical, 3 high vulnerabilities");
        assertThat(status.apply("deployment/production/legacy-api", "cve_scan")).isEqualTo("CRITICAL: 3 critical, 7 high vulnerabilities");
        assertThat(status.apply("deployment/production/order-api", "cve_scan")).isEqualTo("UNKNOWN: unknown: Trivy Operator has no VulnerabilityReport for it yet");
        assertThat(status.apply("statefulset/production/postgres-db", "backup_tested")).startsWith("OK: last restore test restore-test-production completed 12 days ago");
        assertThat(status.apply("deployment/production/frontend", "audit_log_enabled")).startsWith("WARNING: the audit log is on, the authenticator log is off");
        assertThat(status.apply("deployment/production/legacy-api", "access_reviewed")).isEqualTo(
                "CRITICAL: binding RoleBinding production/legacy-deployer gives it admin and was never reviewed");
        assertThat(status.apply("deployment/production/report-worker", "access_reviewed")).startsWith(
                "WARNING: binding RoleBinding production/report-publisher gives it admin, last reviewed 120 days ago");
        assertThat(status.apply("statefulset/production/redis-cache", "encryption_at_rest")).isEqualTo(
                "CRITICAL: its volumes use storage class gp2, which does not encrypt");
        assertThat(status.apply("statefulset/production/postgres-db", "encryption_at_rest")).isEqualTo(
                "OK: its volumes are encrypted and it reads no Secret");
        assertThat(status.apply("deployment/production/order-api", "encryption_at_rest")).isEqualTo(
                "OK: it has no volume and the cluster envelope-encrypts the Secrets it reads");
        assertThat(report.figures()).containsEntry("assets", 10.0);
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("compliance-coverage")).hasSize(10);
        // no Secret's value, no certificate, no key in what was kept
        assertThat(report.toString()).doesNotContain("BEGIN").doesNotContain("s3cr3t-demo-only").doesNotContain("demo-payments");
    }

    /**
     * The demo's pods and what they use (UsageHistory.demo), worked out by hand. Prices: an m6i.xlarge costs $0.192/h
     * for 4 vCPU and 16 GiB; split in Kubecost's ratio (0.031611 : 0.004237) that is $0.0312471/vCPU-h and
     * $0.00418822/GiB-h; a month is 730 h.
     * <ul>
     * <li>data-postgres-backup: 50 GiB of gp2 at $0.10, unmounted for 40 days: 50 × 0.10 = $5.00 realizable.</li>
     * <li>worker-large-01 (m6i.4xlarge, $0.768/h) runs only kube-proxy (p95 0.75 × 100m = 75m, 0.7 × 64 MiB): × 1.2 it
     *     fits an m6i.large ($0.096/h): (0.768 − 0.096) × 730 = $490.56 realizable.</li>
     * <li>worker-2 (m6i.xlarge): p95 0.75 × (200+250+250+500+500+100)m + report-worker's 300m = 1650m, × 1.2 = 1980m ≤ 2
     *     vCPU, memory 0.7 × 2.8125 GiB + 1.5 GiB = 3.47 GiB × 1.2 ≤ 8 GiB: an m6i.large, (0.192 − 0.096) × 730 = $70.08.</li>
     * <li>report-worker, 3 pods on m6i.xlarge nodes requesting 1 CPU and 4 GiB each, using 0.3 core at p95 (4 peak hours
     *     a day: over 16% of the samples) and 1.5 GiB: waste per pod 1 − 0.36 = 0.64 CPU and 4 − 1.8 = 2.2 GiB:
     *     3 × (0.64 × 0.0312471 + 2.2 × 0.00418822) × 730 = $63.97 freed; 3 × 0.36 = 1.08 CPU and 5.4 GiB fit 2 replicas.</li>
     * <li>legacy-api, one pod on worker-1 requesting 500m and 1 GiB, never above 2m (0.4% &lt; 1%) for eight days: a
     *     zombie, (0.5 × 0.0312471 + 1 × 0.00418822) × 730 = $14.46 freed; its deployment scaled from 1 to 0.</li>
     * <li>Everything else uses 75% of its CPU request at peak and 70% of its memory: × 1.2 that is within 20% of the
     *     requests, so not over-provisioned; worker-1's pods need more than an m6i.large.</li>
     * </ul>
     * Realizable 5.00 + 490.56 + 70.08 = $565.64, freed 63.97 + 14.46 = $78.43, annual 565.64 × 12 = $6,787.68. One of
     * report-worker's pods runs on worker-2, which is to be replaced: its (0.64 × 0.0312471 + 2.2 × 0.00418822) × 730
     * = $21.32 is in both, so the monthly waste counts it once: 565.64 + 78.43 − 21.32 = $622.75.
     */
    @Test
    void finopsOverTheBackfilledPrometheusReproducesTheHandComputedReport() {
        stack.runSchedule("FinopsScanFunction");
        ScanReport report = archive.latest("finops").orElseThrow();
        Map<String, Finding> found = report.findings().stream().collect(Collectors.toMap(Finding::resource, f -> f));
        assertThat(found.keySet()).as(report.toString()).containsExactlyInAnyOrder("pvc/production/data-postgres-backup",
                "node/worker-large-01", "node/worker-2", "deployment/production/report-worker", "pod/production/" + legacyPod());
        assertThat(report.notes()).isEmpty();

        Finding volume = found.get("pvc/production/data-postgres-backup");
        assertThat(volume.monthlyCostUsd()).isEqualTo(5.00);
        assertThat(volume.saving()).isEqualTo(Finding.Saving.REALIZABLE);
        assertThat(volume.recommendation().action()).isEqualTo(new Action.DeletePvc("production", "data-postgres-backup"));
        assertThat(volume.recommendation().risk()).isEqualTo(RiskLevel.CRITICAL);
        assertThat(volume.detail()).contains("50 GiB of gp2").contains("for 40 days");

        Finding large = found.get("node/worker-large-01");
        assertThat(large.monthlyCostUsd()).isEqualTo(490.56);
        assertThat(large.saving()).isEqualTo(Finding.Saving.REALIZABLE);
        assertThat(large.recommendation().action()).isEqualTo(new Action.DrainNode("worker-large-01"));
        assertThat(large.recommendation().title()).contains("m6i.large");
        assertThat(large.measures().get("cpuUsedP95")).isCloseTo(0.075, within(1e-9));

        Finding worker2 = found.get("node/worker-2");
        assertThat(worker2.monthlyCostUsd()).isEqualTo(70.08);
        assertThat(worker2.measures().get("cpuUsedP95")).isCloseTo(1.65, within(1e-9));
        assertThat(worker2.measures().get("memoryUsedP95GiB")).isCloseTo(3.46875, within(1e-6));
        assertThat(worker2.detail()).contains("lower those requests first");

        Finding reports = found.get("deployment/production/report-worker");
        assertThat(reports.monthlyCostUsd()).isEqualTo(63.97);
        assertThat(reports.saving()).isEqualTo(Finding.Saving.FREED);
        assertThat(reports.measures().get("cpuNeeded")).as("3 × p95 0.3 × 1.2").isCloseTo(1.08, within(1e-9));
        assertThat(reports.recommendation().action()).isEqualTo(new Action.ScaleDeployment("production", "report-worker", 2));

        Finding zombie = found.get("pod/production/" + legacyPod());
        assertThat(zombie.kind()).isEqualTo("zombie-pod");
        assertThat(zombie.monthlyCostUsd()).isEqualTo(14.46);
        assertThat(zombie.saving()).isEqualTo(Finding.Saving.FREED);
        assertThat(zombie.measures().get("cpuMax")).isCloseTo(0.002, within(1e-9));
        assertThat(zombie.recommendation().action()).isEqualTo(new Action.ScaleDeployment("production", "legacy-api", 0));

        assertThat(report.figures()).containsEntry("realizableUsdPerMonth", 565.64).containsEntry("freedUsdPerMonth", 78.43)
                .containsEntry("overlapUsdPerMonth", 21.32).containsEntry("monthlyWasteUsd", 622.75).containsEntry("annualUsd", 6787.68);
        assertThat(report.findings().getFirst().resource()).as("the costliest first").isEqualTo("node/worker-large-01");

        await().atMost(Duration.ofSeconds(20)).until(() -> stack.outbox().stream().anyMatch(c -> "Scan Completed".equals(c.get("kind"))
                && String.valueOf(c.get("text")).contains("realizable")));
        String card = stack.outbox().stream().filter(c -> "Scan Completed".equals(c.get("kind")) && String.valueOf(c.get("text")).contains("realizable"))
                .map(c -> String.valueOf(c.get("text"))).findFirst().orElseThrow();
        assertThat(card).contains("Monthly waste $622.75: realizable $565.64/mo, freed $78.43/mo ($21.32 of it on nodes to be replaced, "
                + "counted once), annual $6,787.68/yr")
                .contains("Resize node 'worker-large-01' to m6i.large").contains("−$490.56/mo  HIGH");
    }

    /** The scan itself changes nothing: the demo's workloads and claims are as they were. */
    @Test
    void theScansChangeNothing() {
        var cluster = stack.applicationContext().getBean(KubernetesCluster.class);
        var before = cluster.workloads();
        var volumes = cluster.volumes();
        stack.runSchedule("FinopsScanFunction");
        stack.runSchedule("CapacityScanFunction");
        assertThat(cluster.workloads()).isEqualTo(before);
        assertThat(cluster.volumes()).isEqualTo(volumes);
    }

    @Test
    void capacityReadsEveryMetricOfTheRealNodeExporter() throws Exception {
        stack.runSchedule("CapacityScanFunction");
        ScanReport report = archive.latest("capacity").orElseThrow();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        assertThat(report.findings()).singleElement().satisfies(snapshot -> {
            assertThat(snapshot.resource()).isEqualTo("node/" + host);
            var m = snapshot.measures();
            assertThat(m).containsKeys("cores", "load1PerCore", "load5PerCore", "load15PerCore", "cpuBusy", "iowait", "memoryUsed",
                    "swapUsed", "diskFill");
            assertThat(m.get("cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(m.get("memoryUsed")).isBetween(0.0, 1.0);
            assertThat(m.get("cpuBusy")).isBetween(0.0, 1.0);
            assertThat(m.get("diskFill")).isBetween(0.0, 1.0);
            // days until full only where the fullest disk is filling
            assertThat(m.containsKey("daysUntilFull") || snapshot.detail().contains("not filling")).as(snapshot.detail()).isTrue();
            // the verdict is the default thresholds applied to what was measured
            boolean critical = m.get("cpuBusy") > 0.8 || m.get("memoryUsed") > 0.85 || m.get("diskFill") > 0.9
                    || m.getOrDefault("daysUntilFull", Double.POSITIVE_INFINITY) < 7;
            boolean warning = m.get("cpuBusy") > 0.6 || m.get("memoryUsed") > 0.7 || m.get("diskFill") > 0.8
                    || m.getOrDefault("daysUntilFull", Double.POSITIVE_INFINITY) < 30;
            assertThat(snapshot.severity()).isEqualTo(critical ? "CRITICAL" : warning ? "WARNING" : "OK");
        });
        assertThat(report.figures()).containsEntry("nodes", 1.0).containsKeys("cpuBusyMax", "memoryUsedMax", "diskFillMax");
    }

    /**
     * The inventory with owners and the rule catalog read from the real Prometheus (infra/local/demo-rules.yml, checked
     * by promtool): each rule with what it watches, and what no rule watches as a finding; then a service added is new.
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: it adds a service, which the other scans would then see
    void assetsListTheFleetTheRuleCatalogAndWhatNoRuleWatches() throws Exception {
        Process check = new ProcessBuilder("/usr/bin/promtool", "check", "rules", stack.templateFile().getParent().resolve("infra/local/demo-rules.yml").toString())
                .redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(checked).isZero();

        stack.runSchedule("AssetScanFunction");
        ScanReport first = archive.latest("assets").orElseThrow();
        Map<String, Finding> found = first.findings().stream().collect(Collectors.toMap(f -> f.kind() + " " + f.resource(), f -> f, (a, b) -> a));
        assertThat(found).containsKeys("asset deployment/production/frontend", "asset statefulset/production/postgres-db", "asset node/worker-large-01",
                "asset persistentvolumeclaim/production/data-postgres-backup", "asset ingress/production/shop", "asset namespace/production");
        assertThat(found.get("alert-rule rule/awoooi-demo-workloads/PostgresDown").detail())
                .isEqualTo("inactive, severity critical; watches 1 asset: statefulset/production/postgres-db");
        assertThat(found.get("alert-rule rule/awoooi-demo-workloads/PostgresVolumeFillingUp") == null
                ? found.get("alert-rule rule/awoooi-demo-nodes/PostgresVolumeFillingUp").detail() : "").contains("persistentvolumeclaim/production/data-postgres-db-0");
        assertThat(first.findings()).filteredOn(f -> f.kind().equals("unwatched-asset")).extracting(Finding::resource).containsExactlyInAnyOrder(
                "deployment/production/auth-service", "deployment/production/product-api", "deployment/production/legacy-api",
                "deployment/production/report-worker", "statefulset/production/rabbitmq",
                "persistentvolumeclaim/production/data-redis-cache-0", "persistentvolumeclaim/production/data-postgres-backup");
        assertThat(first.figures()).containsEntry("rules", 9.0);

        stack.demoCluster().orElseThrow().addServices(List.of("search-api"));
        stack.runSchedule("AssetScanFunction");
        ScanReport second = archive.latest("assets").orElseThrow();
        assertThat(second.findings()).filteredOn(f -> f.kind().equals("asset-new")).extracting(Finding::resource)
                .containsExactly("deployment/production/search-api");
        assertThat(second.figures()).containsEntry("new", 1.0).containsEntry("gone", 0.0);
    }

    /**
     * Each report page in Debian's Chromium at phone width (390 × 844) and desktop width (1280 × 800): signed in with the
     * reader token (sent as a header, never in the URL), its chart drawn as SVG within the page's width, nothing
     * scrolling sideways; screenshots land in target/screenshots. The capacity chart gets 29 earlier nights kept
     * through the archive (as the nightly runs would have), so it shows a month.
     */
    @Test
    @org.junit.jupiter.api.Order(1000)
    void theReportPagesDrawTheirChartsAtPhoneAndDesktopWidth() throws Exception {
        ApprovalPageBrowserIT.requireChromium();
        java.time.Instant tonight = java.time.Instant.now().minus(Duration.ofDays(1));
        for (int night = 29; night >= 1; night--) {
            double wave = 0.5 + 0.3 * Math.sin(night / 4.0);
            archive.keep(new ScanReport("capacity", tonight.minus(Duration.ofDays(night)), List.of(), Map.of("nodes", 3.0, "nodesCritical", 0.0,
                    "nodesWarning", wave > 0.7 ? 1.0 : 0.0, "cpuBusyMax", wave, "memoryUsedMax", 0.4 + night / 200.0, "diskFillMax", 0.55 + (29 - night) / 300.0), List.of()));
        }
        for (String scan : List.of("FinopsScanFunction", "CapacityScanFunction", "ComplianceScanFunction", "AssetScanFunction")) {
            stack.runSchedule(scan);
        }
        java.nio.file.Path shots = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target/screenshots"));
        for (int[] size : new int[][] {{390, 844}, {1280, 800}}) {
            var browser = ApprovalPageBrowserIT.chromium(size[0], size[1]);
            try {
                browser.executeCdpCommand("Network.enable", Map.of());
                browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Bearer " + stack.readerToken())));
                for (String scan : List.of("finops", "capacity", "compliance", "assets")) {
                    browser.get(stack.baseUrl() + "/scans/" + scan);
                    String what = scan + " at " + size[0] + " px";
                    var svg = browser.findElement(org.openqa.selenium.By.cssSelector("svg[role=img]"));
                    assertThat(svg.getAttribute("aria-label")).as(what).isNotBlank();
                    long viewport = ((Number) browser.executeScript("return window.innerWidth")).longValue();
                    long widest = ((Number) browser.executeScript("return document.documentElement.scrollWidth")).longValue();
                    assertThat(widest).as(what + ": no horizontal scrolling").isLessThanOrEqualTo(viewport);
                    double drawn = ((Number) browser.executeScript("return document.querySelector('svg[role=img]').getBoundingClientRect().width")).doubleValue();
                    double column = ((Number) browser.executeScript("return document.querySelector('h1').getBoundingClientRect().width")).doubleValue();
                    // the column's width, up to 44rem (704 px) on wide screens
                    assertThat(drawn).as(what + ": the chart fills the column").isCloseTo(Math.min(column, 704), org.assertj.core.data.Offset.offset(1.0));
                    assertThat(browser.findElements(org.openqa.selenium.By.cssSelector(".figure"))).as(what).isNotEmpty();
                    var png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
                    java.nio.file.Files.write(shots.resolve("scan-" + scan + "-" + size[0] + ".png"), png);
                }
                browser.get(stack.baseUrl() + "/scans/finops");
                assertThat(browser.findElement(org.openqa.selenium.By.tagName("body")).getText()).contains("Realizable /mo").contains("$565.64")
                        .contains("Resize node 'worker-large-01' to m6i.large");
                browser.get(stack.baseUrl() + "/scans/capacity");
                assertThat(browser.findElements(org.openqa.selenium.By.cssSelector("svg circle"))).as("three series over 30 nights").hasSize(90);
                browser.get(stack.baseUrl() + "/scans/compliance");
                assertThat(browser.findElements(org.openqa.selenium.By.cssSelector("svg rect title"))).as("10 assets × 7 dimensions").hasSize(70);
            } finally {
                browser.quit();
            }
        }
        // without the reader token: 401, and no page
        var anonymous = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.baseUrl() + "/scans/finops"))
                .header("Accept", "text/html").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("worker-large-01");
    }

    private static String legacyPod() {
        return stack.applicationContext().getBean(KubernetesCluster.class).pods().stream()
                .filter(p -> "legacy-api".equals(p.ownerName())).findFirst().orElseThrow().name();
    }
}
