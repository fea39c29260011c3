package dev.awoooi.config;

import dev.awoooi.audit.AuditChain;
import dev.awoooi.audit.AuditEntry;
import dev.awoooi.audit.AuditTrail;
import dev.awoooi.trust.TrustLedger;
import dev.awoooi.trust.TrustRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of GET /trust and GET /incidents/{id}/audit: stable field names, pseudonyms only (as stored). */
final class ReadViews {
    /** How many of a pattern's newest trail items GET /trust lists as its history. */
    static final int HISTORY = 10;

    private ReadViews() {
    }

    static Map<String, Object> audit(String subject, List<AuditEntry> chain) {
        AuditChain.Verification verification = AuditChain.verify(chain);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("subject", subject);
        view.put("verified", verification.verified());
        view.put("length", verification.length());
        view.put("head", verification.head());
        view.put("problems", verification.problems());
        view.put("entries", chain.stream().map(ReadViews::entry).toList());
        return view;
    }

    static Map<String, Object> entry(AuditEntry entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("subject", entry.subject());
        view.put("seq", entry.seq());
        view.put("at", entry.at().toString());
        view.put("what", entry.what());
        view.put("detail", entry.detail());
        view.put("prev", entry.prev());
        view.put("hash", entry.hash());
        return view;
    }

    static Map<String, Object> trust(TrustLedger ledger, AuditTrail trail, Instant now) {
        var limits = ledger.thresholds();
        Map<String, Object> thresholds = new LinkedHashMap<>();
        thresholds.put("mediumRunsUnsignedAt", limits.mediumUnsigned());
        thresholds.put("highNeedsOneSignatureAt", limits.highOneSignature());
        thresholds.put("unsignedPerPatternPerHour", limits.perPatternHour());
        thresholds.put("unsignedPerClusterPerHour", limits.perClusterHour());
        thresholds.put("halfLife", limits.halfLife().toString());
        thresholds.put("refireWindow", limits.refireWindow().toString());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("thresholds", thresholds);
        view.put("patterns", ledger.all().stream().map(record -> pattern(record, trail, ledger, now)).toList());
        return view;
    }

    private static Map<String, Object> pattern(TrustRecord record, AuditTrail trail, TrustLedger ledger, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("pattern", record.key());
        view.put("score", record.score(now, ledger.thresholds().halfLife()));
        view.put("credits", record.credits());
        view.put("resets", record.resets());
        view.put("usedAt", record.usedAt() == null ? null : record.usedAt().toString());
        view.put("lastReset", record.lastReset() == null ? null : Map.of("at", record.lastReset().at().toString(),
                "reason", record.lastReset().reason(), "by", record.lastReset().by()));
        view.put("unsignedLastHour", record.lastHour(now).size());
        view.put("breaker", record.tripped() == null ? null : Map.of("at", record.tripped().at().toString(), "reason", record.tripped().reason()));
        view.put("history", trail.newest(TrustLedger.subject(record.key()), HISTORY).stream()
                .map(e -> Map.of("at", e.at().toString(), "what", e.what(), "detail", e.detail())).toList());
        return view;
    }

    /**
     * A scan's report page, masked with one pseudonym table: its chart drawn from every finding, the first
     * REPORT_FINDINGS listed, the last 30 runs' figures. For GET /scans/{scan} and the console alike.
     *
     * @param base   where the scans' pages are ("/scans/" or "/console/scans/")
     * @param header rendered HTML above the report (the console's bar), or ""
     */
    static String reportPage(dev.awoooi.scan.ScanArchive archive, String scan, String base, String header) {
        var mask = new dev.awoooi.privacy.PrivacyShield().pseudonymizer();
        var history = archive.history(scan, 30).stream().map(r -> r.masked(mask)).toList();
        var whole = archive.latest(scan, PAGE_FINDINGS).map(r -> r.masked(mask));
        return dev.awoooi.scan.ReportPage.html(scan, whole, history, REPORT_FINDINGS, base, header);
    }

    /** How many findings a report page or its JSON carries; the rest stay in the archive (the costliest or worst come first). */
    static final int REPORT_FINDINGS = 500;
    /** How many findings a page reads to draw its chart: a fleet's compliance heat map needs every cell. */
    static final int PAGE_FINDINGS = 50_000;
    static final java.util.List<String> SCANS = java.util.List.of("finops", "capacity", "compliance", "assets");

    /**
     * {@code GET /scans}: each scan's latest figures; {@code GET /scans/{scan}}: its report (the page for a browser,
     * JSON otherwise) with the last 30 runs' figures.
     */
    static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse scans(
            com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent event, dev.awoooi.scan.ScanArchive archive,
            tools.jackson.databind.ObjectMapper json) {
        String scan = Http.pathParameter(event, "scan");
        if (scan == null) {
            if (Http.wantsHtml(event)) {
                var redirect = Http.html(303, "");
                var headers = new java.util.HashMap<>(redirect.getHeaders());
                headers.put("Location", "/scans/finops");
                redirect.setHeaders(headers);
                return redirect;
            }
            java.util.List<Map<String, Object>> latest = new java.util.ArrayList<>();
            var mask = new dev.awoooi.privacy.PrivacyShield().pseudonymizer();
            for (String s : SCANS) {
                // the newest header alone: its figures and notes, no findings read
                var report = archive.history(s, 1).stream().findFirst().map(r -> r.masked(mask));
                Map<String, Object> one = new java.util.LinkedHashMap<>();
                one.put("scan", s);
                one.put("at", report.map(r -> r.at().toString()).orElse(null));
                one.put("figures", report.map(dev.awoooi.scan.ScanReport::figures).orElse(Map.of()));
                one.put("notes", report.map(dev.awoooi.scan.ScanReport::notes).orElse(java.util.List.of()));
                latest.add(one);
            }
            return Http.json(200, json.writeValueAsString(Map.of("scans", latest)));
        }
        if (!SCANS.contains(scan)) {
            return Http.error(404, "no scan '" + scan + "'; the scans are " + String.join(", ", SCANS));
        }
        if (Http.wantsHtml(event)) {
            return Http.page(200, reportPage(archive, scan, "/scans/", ""), dev.awoooi.scan.ReportPage.CONTENT_SECURITY_POLICY);
        }
        // the reader sees pseudonyms, as in GET /incidents: one table per answer, so a name keeps its label throughout
        var mask = new dev.awoooi.privacy.PrivacyShield().pseudonymizer();
        var history = archive.history(scan, 30).stream().map(r -> r.masked(mask)).toList();
        var report = archive.latest(scan, REPORT_FINDINGS).map(r -> r.masked(mask));
        if (report.isEmpty()) {
            return Http.error(404, "the " + scan + " scan has not run yet");
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("report", report.get());
        body.put("history", history.stream().map(r -> Map.of("at", r.at().toString(), "figures", r.figures())).toList());
        return Http.json(200, json.writeValueAsString(body));
    }
}
