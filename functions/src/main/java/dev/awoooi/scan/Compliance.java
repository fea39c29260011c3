package dev.awoooi.scan;

import dev.awoooi.scan.ComplianceEvidence.Asset;
import dev.awoooi.scan.ComplianceEvidence.Known;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The nightly compliance scan: every asset in seven dimensions, each PASS, WARNING, FAIL or UNKNOWN (with why), and a
 * coverage score per asset and overall (the share of dimensions that pass). A finding per asset and dimension
 * ({@code compliance:<dimension>}; severity OK, WARNING, CRITICAL or UNKNOWN) and one per asset for its score.
 */
public final class Compliance {

    public enum Dimension {
        SECRET_ROTATED, TLS_CERTIFICATE_VALID, CVE_SCAN, BACKUP_TESTED, AUDIT_LOG_ENABLED, ACCESS_REVIEWED, ENCRYPTION_AT_REST;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Status {
        PASS("OK"), WARNING("WARNING"), FAIL("CRITICAL"), UNKNOWN("UNKNOWN");

        final String severity;

        Status(String severity) {
            this.severity = severity;
        }
    }

    /** A dimension's verdict for one asset. */
    public record Verdict(Status status, String detail) {
        static Verdict pass(String detail) {
            return new Verdict(Status.PASS, detail);
        }

        static Verdict warning(String detail) {
            return new Verdict(Status.WARNING, detail);
        }

        static Verdict fail(String detail) {
            return new Verdict(Status.FAIL, detail);
        }

        static Verdict unknown(String because) {
            return new Verdict(Status.UNKNOWN, "unknown: " + because);
        }
    }

    /** The ages and windows the checks judge by. */
    public record Policy(Duration secretMaxAge, Duration certificateWarning, Duration restoreWithin, Duration reviewWithin) {
        public static final Policy DEFAULTS = new Policy(Duration.ofDays(90), Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(90));
    }

    private final Policy policy;

    public Compliance(Policy policy) {
        this.policy = policy;
    }

    public ScanReport scan(ComplianceEvidence evidence, Instant now) {
        List<Finding> findings = new ArrayList<>();
        int passed = 0;
        int unknown = 0;
        for (Asset asset : evidence.assets()) {
            Map<Dimension, Verdict> verdicts = judge(asset, evidence, now);
            int mine = 0;
            int dark = 0;
            for (var entry : verdicts.entrySet()) {
                Verdict v = entry.getValue();
                mine += v.status() == Status.PASS ? 1 : 0;
                dark += v.status() == Status.UNKNOWN ? 1 : 0;
                findings.add(new Finding("compliance:" + entry.getKey().key(), asset.id(), v.status().severity, v.detail(), 0));
            }
            passed += mine;
            unknown += dark;
            double score = mine / (double) Dimension.values().length;
            findings.add(new Finding("compliance-coverage", asset.id(), score >= 6 / 7.0 ? "OK" : score >= 4 / 7.0 ? "WARNING" : "CRITICAL",
                    String.format(Locale.ROOT, "%d of 7 dimensions pass, %d unknown", mine, dark), 0, null, null,
                    Map.of("score", score, "passed", (double) mine, "unknown", (double) dark)));
        }
        int total = evidence.assets().size() * Dimension.values().length;
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("assets", (double) evidence.assets().size());
        figures.put("coverage", total == 0 ? 0 : passed / (double) total);
        figures.put("unknown", (double) unknown);
        List<String> notes = new ArrayList<>();
        for (Known<?> source : List.of(evidence.secretsCreated(), evidence.certificates(), evidence.vulnerabilities(), evidence.restores(),
                evidence.adminBindings(), evidence.storageClassesEncrypted(), evidence.cluster())) {
            if (!source.known() && !notes.contains(source.unknownBecause())) {
                notes.add(source.unknownBecause());
            }
        }
        return new ScanReport("compliance", now, findings, figures, notes);
    }

    Map<Dimension, Verdict> judge(Asset asset, ComplianceEvidence e, Instant now) {
        Map<Dimension, Verdict> out = new LinkedHashMap<>();
        out.put(Dimension.SECRET_ROTATED, known(e.secretsCreated(), created -> secrets(asset, created, now)));
        out.put(Dimension.TLS_CERTIFICATE_VALID, known(e.certificates(), certificates -> tls(asset, certificates, now)));
        out.put(Dimension.CVE_SCAN, known(e.vulnerabilities(), reports -> cves(asset, reports)));
        out.put(Dimension.BACKUP_TESTED, !asset.stateful() ? Verdict.pass("holds no persistent volume: nothing to restore")
                : known(e.restores(), restores -> backup(asset, restores, now)));
        out.put(Dimension.AUDIT_LOG_ENABLED, known(e.cluster(), Compliance::audit));
        out.put(Dimension.ACCESS_REVIEWED, known(e.adminBindings(), bindings -> access(asset, bindings, now)));
        out.put(Dimension.ENCRYPTION_AT_REST, encryption(asset, e.storageClassesEncrypted(), e.cluster()));
        return out;
    }

    private static <T> Verdict known(Known<T> source, Function<T, Verdict> check) {
        return source.known() ? check.apply(source.value()) : Verdict.unknown(source.unknownBecause());
    }

    private Verdict secrets(Asset asset, Map<String, Instant> created, Instant now) {
        if (asset.secrets().isEmpty()) {
            return Verdict.pass("reads no Secret");
        }
        String oldest = null;
        long oldestDays = -1;
        for (String secret : asset.secrets().stream().sorted().toList()) {
            Instant at = created.get(asset.namespace() + "/" + secret);
            if (at == null) {
                return Verdict.warning("reads Secret " + secret + ", which does not exist");
            }
            long days = Duration.between(at, now).toDays();
            if (days > oldestDays) {
                oldest = secret;
                oldestDays = days;
            }
        }
        long max = policy.secretMaxAge().toDays();
        String detail = "oldest Secret " + oldest + " was created " + oldestDays + " days ago (rotate every " + max + ")";
        return oldestDays > 2 * max ? Verdict.fail(detail) : oldestDays > max ? Verdict.warning(detail) : Verdict.pass(detail);
    }

    private Verdict tls(Asset asset, List<ComplianceEvidence.Certificate> certificates, Instant now) {
        var mine = certificates.stream().filter(c -> c.namespace().equals(asset.namespace())
                && c.services().stream().anyMatch(asset.services()::contains)).toList();
        if (mine.isEmpty()) {
            return Verdict.pass("no Ingress routes to it: no certificate to expire");
        }
        Verdict worst = null;
        for (var c : mine) {
            Verdict v;
            if (c.secret() == null) {
                v = Verdict.fail("Ingress " + c.ingress() + " serves it over plain HTTP (no TLS)");
            } else if (c.notAfter() == null) {
                v = Verdict.unknown("the certificate of Ingress " + c.ingress() + " (Secret " + c.secret() + ") " + c.problem());
            } else if (!c.notAfter().isAfter(now)) {
                v = Verdict.fail("the certificate of Ingress " + c.ingress() + " expired " + Duration.between(c.notAfter(), now).toDays() + " days ago");
            } else if (c.notAfter().isBefore(now.plus(policy.certificateWarning()))) {
                v = Verdict.warning("the certificate of Ingress " + c.ingress() + " expires in " + Duration.between(now, c.notAfter()).toDays() + " days");
            } else {
                v = Verdict.pass("the certificate of Ingress " + c.ingress() + " is valid until " + c.notAfter().toString().substring(0, 10));
            }
            worst = worse(worst, v);
        }
        return worst;
    }

    private static Verdict cves(Asset asset, List<ComplianceEvidence.Vulnerabilities> reports) {
        Optional<ComplianceEvidence.Vulnerabilities> report = reports.stream().filter(r -> r.namespace().equals(asset.namespace())
                && r.name().equals(asset.name()) && r.kind().equalsIgnoreCase(asset.kind())).findFirst();
        if (report.isEmpty()) {
            return Verdict.unknown("Trivy Operator has no VulnerabilityReport for it yet");
        }
        var r = report.get();
        String counts = r.critical() + " critical, " + r.high() + " high vulnerabilities";
        return r.critical() > 0 ? Verdict.fail(counts) : r.high() > 0 ? Verdict.warning(counts) : Verdict.pass(counts);
    }

    private Verdict backup(Asset asset, List<ComplianceEvidence.Restore> restores, Instant now) {
        var tested = restores.stream().filter(r -> "Completed".equals(r.phase()) && r.completedAt() != null
                        && (r.namespaces().isEmpty() || r.namespaces().contains(asset.namespace())))
                .max(java.util.Comparator.comparing(ComplianceEvidence.Restore::completedAt));
        if (tested.isEmpty()) {
            return Verdict.fail("no Velero restore of " + asset.namespace() + " ever completed: its backups are untested");
        }
        long days = Duration.between(tested.get().completedAt(), now).toDays();
        String detail = "last restore test " + tested.get().name() + " completed " + days + " days ago";
        return tested.get().completedAt().isBefore(now.minus(policy.restoreWithin())) ? Verdict.warning(detail + " (test every "
                + policy.restoreWithin().toDays() + ")") : Verdict.pass(detail);
    }

    private static Verdict audit(ComplianceEvidence.ClusterSettings cluster) {
        if (!cluster.logTypes().contains("audit")) {
            return Verdict.fail("the control plane's audit log is off");
        }
        return cluster.logTypes().contains("authenticator") ? Verdict.pass("audit and authenticator logs are on")
                : Verdict.warning("the audit log is on, the authenticator log is off: who signed in as whom is not recorded");
    }

    private Verdict access(Asset asset, List<ComplianceEvidence.AdminBinding> bindings, Instant now) {
        String account = asset.namespace() + "/" + asset.serviceAccount();
        // a binding to the groups system:serviceaccounts[:namespace] names every account of the cluster or namespace
        var mine = bindings.stream().filter(b -> b.serviceAccounts().contains(account) || b.serviceAccounts().contains(asset.namespace() + "/*")
                || b.serviceAccounts().contains("*/*")).toList();
        if (mine.isEmpty()) {
            return Verdict.pass("its ServiceAccount " + asset.serviceAccount() + " holds no admin or cluster-admin binding");
        }
        Verdict worst = null;
        for (var b : mine) {
            Verdict v;
            if (b.reviewedAt() == null) {
                v = Verdict.fail("binding " + b.binding() + " gives it " + b.role() + " and was never reviewed");
            } else {
                long days = Duration.between(b.reviewedAt(), now).toDays();
                String detail = "binding " + b.binding() + " gives it " + b.role() + ", last reviewed " + days + " days ago";
                v = b.reviewedAt().isBefore(now.minus(policy.reviewWithin().multipliedBy(2))) ? Verdict.fail(detail)
                        : b.reviewedAt().isBefore(now.minus(policy.reviewWithin())) ? Verdict.warning(detail + " (review every "
                        + policy.reviewWithin().toDays() + ")") : Verdict.pass(detail);
            }
            worst = worse(worst, v);
        }
        return worst;
    }

    private static Verdict encryption(Asset asset, Known<Map<String, Boolean>> classes, Known<ComplianceEvidence.ClusterSettings> cluster) {
        List<String> unencrypted = new ArrayList<>();
        if (asset.stateful()) {
            if (!classes.known()) {
                return Verdict.unknown(classes.unknownBecause());
            }
            for (String sc : asset.storageClasses()) {
                Boolean encrypted = sc == null ? null : classes.value().get(sc);
                if (encrypted == null) {
                    return Verdict.unknown("storage class " + (sc == null ? "(none named)" : sc) + " of its volume is not found");
                }
                if (!encrypted && !unencrypted.contains(sc)) {
                    unencrypted.add(sc);
                }
            }
        }
        if (!unencrypted.isEmpty()) {
            return Verdict.fail("its volumes use storage class " + String.join(", ", unencrypted) + ", which does not encrypt");
        }
        String volumes = asset.stateful() ? "its volumes are encrypted" : "it has no volume";
        if (asset.secrets().isEmpty()) {
            return Verdict.pass(volumes + " and it reads no Secret");
        }
        // what it keeps in Secrets is at rest in etcd: envelope-encrypted with a KMS key, or only by the disk
        if (!cluster.known()) {
            return Verdict.unknown("Secrets encryption: " + cluster.unknownBecause());
        }
        return cluster.value().secretsEncrypted() ? Verdict.pass(volumes + " and the cluster envelope-encrypts the Secrets it reads")
                : Verdict.warning(volumes + ", but the cluster does not envelope-encrypt the Secrets it reads with a KMS key");
    }

    private static Verdict worse(Verdict a, Verdict b) {
        if (a == null) {
            return b;
        }
        return rank(b.status()) > rank(a.status()) ? b : a;
    }

    private static int rank(Status s) {
        return switch (s) {
            case PASS -> 0;
            case WARNING -> 1;
            case UNKNOWN -> 2;
            case FAIL -> 3;
        };
    }
}
