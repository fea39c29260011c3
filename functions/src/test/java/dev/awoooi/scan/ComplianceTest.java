package dev.awoooi.scan;

import dev.awoooi.scan.Compliance.Dimension;
import dev.awoooi.scan.Compliance.Status;
import dev.awoooi.scan.ComplianceEvidence.AdminBinding;
import dev.awoooi.scan.ComplianceEvidence.Asset;
import dev.awoooi.scan.ComplianceEvidence.Certificate;
import dev.awoooi.scan.ComplianceEvidence.ClusterSettings;
import dev.awoooi.scan.ComplianceEvidence.Known;
import dev.awoooi.scan.ComplianceEvidence.Restore;
import dev.awoooi.scan.ComplianceEvidence.Vulnerabilities;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each of the seven dimensions passes, warns, fails, and is unknown (saying why) only where its source is absent. */
class ComplianceTest {
    static final Instant NOW = Instant.parse("2026-12-01T19:00:00Z");
    final Compliance compliance = new Compliance(Compliance.Policy.DEFAULTS);

    /** order-api: reads db-credentials, served by Service order-api, runs as order-api, one gp3 volume. */
    static final Asset API = new Asset("production", "Deployment", "order-api", "order-api", Set.of("db-credentials"), Set.of("order-api"),
            List.of("gp3"));

    static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    /** Evidence where every dimension of {@link #API} passes; each test changes one source. */
    static ComplianceEvidence passing() {
        return new ComplianceEvidence(List.of(API),
                Known.of(Map.of("production/db-credentials", daysAgo(10))),
                Known.of(List.of(new Certificate("production", "api", Set.of("order-api"), "api-tls", NOW.plus(Duration.ofDays(200)), null))),
                Known.of(List.of(new Vulnerabilities("production", "Deployment", "order-api", 0, 0, daysAgo(1)))),
                Known.of(List.of(new Restore("weekly", Set.of("production"), "Completed", daysAgo(5)))),
                Known.of(List.of()),
                Known.of(Map.of("gp3", true, "gp2", false)),
                Known.of(new ClusterSettings(Set.of("api", "audit", "authenticator"), true)));
    }

    ComplianceEvidence with(java.util.function.UnaryOperator<ComplianceEvidence> change) {
        return change.apply(passing());
    }

    Compliance.Verdict verdict(ComplianceEvidence evidence, Dimension dimension) {
        return compliance.judge(evidence.assets().getFirst(), evidence, NOW).get(dimension);
    }

    static ComplianceEvidence secrets(ComplianceEvidence e, Known<Map<String, Instant>> s) {
        return new ComplianceEvidence(e.assets(), s, e.certificates(), e.vulnerabilities(), e.restores(), e.adminBindings(), e.storageClassesEncrypted(), e.cluster());
    }

    static ComplianceEvidence certificates(ComplianceEvidence e, Known<List<Certificate>> c) {
        return new ComplianceEvidence(e.assets(), e.secretsCreated(), c, e.vulnerabilities(), e.restores(), e.adminBindings(), e.storageClassesEncrypted(), e.cluster());
    }

    static ComplianceEvidence vulnerabilities(ComplianceEvidence e, Known<List<Vulnerabilities>> v) {
        return new ComplianceEvidence(e.assets(), e.secretsCreated(), e.certificates(), v, e.restores(), e.adminBindings(), e.storageClassesEncrypted(), e.cluster());
    }

    static ComplianceEvidence restores(ComplianceEvidence e, Known<List<Restore>> r) {
        return new ComplianceEvidence(e.assets(), e.secretsCreated(), e.certificates(), e.vulnerabilities(), r, e.adminBindings(), e.storageClassesEncrypted(), e.cluster());
    }

    static ComplianceEvidence bindings(ComplianceEvidence e, Known<List<AdminBinding>> b) {
        return new ComplianceEvidence(e.assets(), e.secretsCreated(), e.certificates(), e.vulnerabilities(), e.restores(), b, e.storageClassesEncrypted(), e.cluster());
    }

    static ComplianceEvidence classes(ComplianceEvidence e, Known<Map<String, Boolean>> c) {
        return new ComplianceEvidence(e.assets(), e.secretsCreated(), e.certificates(), e.vulnerabilities(), e.restores(), e.adminBindings(), c, e.cluster());
    }

    static ComplianceEvidence cluster(ComplianceEvidence e, Known<ClusterSettings> c) {
        return new ComplianceEvidence(e.assets(), e.secretsCreated(), e.certificates(), e.vulnerabilities(), e.restores(), e.adminBindings(), e.storageClassesEncrypted(), c);
    }

    static ComplianceEvidence asset(ComplianceEvidence e, Asset a) {
        return new ComplianceEvidence(List.of(a), e.secretsCreated(), e.certificates(), e.vulnerabilities(), e.restores(), e.adminBindings(), e.storageClassesEncrypted(), e.cluster());
    }

    @Test
    void everyDimensionPassesOnTheHealthyEvidenceAndTheScoreIsFull() {
        ScanReport report = compliance.scan(passing(), NOW);
        assertThat(report.findings()).filteredOn(f -> f.kind().startsWith("compliance:")).hasSize(7).allMatch(f -> f.severity().equals("OK"));
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("compliance-coverage")).singleElement()
                .satisfies(f -> assertThat(f.measures()).containsEntry("score", 1.0));
        assertThat(report.figures()).containsEntry("coverage", 1.0).containsEntry("assets", 1.0);
        assertThat(report.notes()).isEmpty();
    }

    @Nested
    class SecretRotated {
        @Test
        void passWarningFailUnknown() {
            assertThat(verdict(passing(), Dimension.SECRET_ROTATED).status()).isEqualTo(Status.PASS);
            assertThat(verdict(with(e -> secrets(e, Known.of(Map.of("production/db-credentials", daysAgo(120))))), Dimension.SECRET_ROTATED))
                    .satisfies(v -> {
                        assertThat(v.status()).isEqualTo(Status.WARNING);
                        assertThat(v.detail()).contains("db-credentials was created 120 days ago (rotate every 90)");
                    });
            assertThat(verdict(with(e -> secrets(e, Known.of(Map.of("production/db-credentials", daysAgo(200))))), Dimension.SECRET_ROTATED).status())
                    .isEqualTo(Status.FAIL);
            assertThat(verdict(with(e -> secrets(e, Known.unknown("Secrets could not be listed (HTTP 403)"))), Dimension.SECRET_ROTATED))
                    .isEqualTo(new Compliance.Verdict(Status.UNKNOWN, "unknown: Secrets could not be listed (HTTP 403)"));
        }

        @Test
        void aMissingSecretWarnsAndNoSecretPasses() {
            assertThat(verdict(with(e -> secrets(e, Known.of(Map.of()))), Dimension.SECRET_ROTATED).detail()).contains("does not exist");
            Asset plain = new Asset("production", "Deployment", "web", "default", Set.of(), Set.of("web"), List.of());
            assertThat(verdict(with(e -> asset(e, plain)), Dimension.SECRET_ROTATED)).isEqualTo(new Compliance.Verdict(Status.PASS, "reads no Secret"));
        }
    }

    @Nested
    class TlsCertificateValid {
        Compliance.Verdict certificate(Instant notAfter, String secret, String problem) {
            return verdict(with(e -> certificates(e, Known.of(List.of(new Certificate("production", "api", Set.of("order-api"), secret, notAfter, problem))))),
                    Dimension.TLS_CERTIFICATE_VALID);
        }

        @Test
        void passWarningFailUnknown() {
            assertThat(certificate(NOW.plus(Duration.ofDays(200)), "api-tls", null).status()).isEqualTo(Status.PASS);
            assertThat(certificate(NOW.plus(Duration.ofDays(10)), "api-tls", null).detail()).isEqualTo("the certificate of Ingress api expires in 10 days");
            assertThat(certificate(NOW.plus(Duration.ofDays(10)), "api-tls", null).status()).isEqualTo(Status.WARNING);
            assertThat(certificate(NOW.minus(Duration.ofDays(5)), "api-tls", null).status()).isEqualTo(Status.FAIL);
            assertThat(certificate(null, "api-tls", "could not be read (HTTP 403: name it in the awoooi-tls-reader Role)"))
                    .satisfies(v -> {
                        assertThat(v.status()).isEqualTo(Status.UNKNOWN);
                        assertThat(v.detail()).contains("awoooi-tls-reader");
                    });
            assertThat(verdict(with(e -> certificates(e, Known.unknown("Ingresses could not be listed (HTTP 403)"))), Dimension.TLS_CERTIFICATE_VALID).status())
                    .isEqualTo(Status.UNKNOWN);
        }

        @Test
        void plainHttpFailsAndNoIngressPasses() {
            assertThat(certificate(null, null, "no TLS").detail()).isEqualTo("Ingress api serves it over plain HTTP (no TLS)");
            assertThat(verdict(with(e -> certificates(e, Known.of(List.of()))), Dimension.TLS_CERTIFICATE_VALID).status()).isEqualTo(Status.PASS);
        }

        @Test
        void theWorstOfSeveralCertificatesCounts() {
            var two = Known.of(List.of(new Certificate("production", "a", Set.of("order-api"), "a-tls", NOW.plus(Duration.ofDays(300)), null),
                    new Certificate("production", "b", Set.of("order-api"), "b-tls", NOW.minus(Duration.ofDays(1)), null)));
            assertThat(verdict(with(e -> certificates(e, two)), Dimension.TLS_CERTIFICATE_VALID).status()).isEqualTo(Status.FAIL);
        }
    }

    @Nested
    class CveScan {
        Compliance.Verdict report(int critical, int high) {
            return verdict(with(e -> vulnerabilities(e, Known.of(List.of(new Vulnerabilities("production", "Deployment", "order-api", critical, high, NOW))))),
                    Dimension.CVE_SCAN);
        }

        @Test
        void passWarningFailUnknown() {
            assertThat(report(0, 0).status()).isEqualTo(Status.PASS);
            assertThat(report(0, 2).status()).isEqualTo(Status.WARNING);
            assertThat(report(1, 0).detail()).isEqualTo("1 critical, 0 high vulnerabilities");
            assertThat(report(1, 0).status()).isEqualTo(Status.FAIL);
            assertThat(verdict(with(e -> vulnerabilities(e, Known.unknown("Trivy Operator is not installed"))), Dimension.CVE_SCAN).detail())
                    .isEqualTo("unknown: Trivy Operator is not installed");
            assertThat(verdict(with(e -> vulnerabilities(e, Known.of(List.of()))), Dimension.CVE_SCAN).detail()).contains("no VulnerabilityReport for it yet");
        }
    }

    @Nested
    class BackupTested {
        Compliance.Verdict restore(String phase, Instant completed, Set<String> namespaces) {
            return verdict(with(e -> restores(e, Known.of(List.of(new Restore("r", namespaces, phase, completed))))), Dimension.BACKUP_TESTED);
        }

        @Test
        void passWarningFailUnknown() {
            assertThat(restore("Completed", daysAgo(5), Set.of()).status()).isEqualTo(Status.PASS);
            assertThat(restore("Completed", daysAgo(45), Set.of("production")).status()).isEqualTo(Status.WARNING);
            assertThat(restore("Failed", daysAgo(1), Set.of("production")).status()).isEqualTo(Status.FAIL);
            assertThat(restore("Completed", daysAgo(1), Set.of("staging")).status()).as("another namespace's restore proves nothing here")
                    .isEqualTo(Status.FAIL);
            assertThat(verdict(with(e -> restores(e, Known.unknown("Velero is not installed"))), Dimension.BACKUP_TESTED).status()).isEqualTo(Status.UNKNOWN);
        }

        @Test
        void aStatelessWorkloadHasNothingToRestore() {
            Asset stateless = new Asset("production", "Deployment", "web", "default", Set.of(), Set.of(), List.of());
            assertThat(verdict(with(e -> restores(asset(e, stateless), Known.unknown("Velero is not installed"))), Dimension.BACKUP_TESTED).status())
                    .isEqualTo(Status.PASS);
        }
    }

    @Nested
    class AuditLogEnabled {
        Compliance.Verdict logs(Set<String> types) {
            return verdict(with(e -> cluster(e, Known.of(new ClusterSettings(types, true)))), Dimension.AUDIT_LOG_ENABLED);
        }

        @Test
        void passWarningFailUnknown() {
            assertThat(logs(Set.of("audit", "authenticator")).status()).isEqualTo(Status.PASS);
            assertThat(logs(Set.of("api", "audit")).status()).isEqualTo(Status.WARNING);
            assertThat(logs(Set.of("api")).status()).isEqualTo(Status.FAIL);
            assertThat(verdict(with(e -> cluster(e, Known.unknown("not known to be an EKS cluster"))), Dimension.AUDIT_LOG_ENABLED).status())
                    .isEqualTo(Status.UNKNOWN);
        }
    }

    @Nested
    class AccessReviewed {
        Compliance.Verdict binding(Instant reviewed) {
            return verdict(with(e -> bindings(e, Known.of(List.of(new AdminBinding("RoleBinding production/deployers", "admin",
                    Set.of("production/order-api"), reviewed))))), Dimension.ACCESS_REVIEWED);
        }

        @Test
        void passWarningFailUnknown() {
            assertThat(binding(daysAgo(20)).status()).isEqualTo(Status.PASS);
            assertThat(binding(daysAgo(120)).status()).isEqualTo(Status.WARNING);
            assertThat(binding(daysAgo(200)).status()).isEqualTo(Status.FAIL);
            assertThat(binding(null).detail()).isEqualTo("binding RoleBinding production/deployers gives it admin and was never reviewed");
            assertThat(verdict(with(e -> bindings(e, Known.unknown("role bindings could not be listed (HTTP 403)"))), Dimension.ACCESS_REVIEWED).status())
                    .isEqualTo(Status.UNKNOWN);
        }

        @Test
        void aBindingToEveryServiceAccountOfTheNamespaceIsThisAssetsToo() {
            var group = Known.of(List.of(new AdminBinding("ClusterRoleBinding all-sa", "cluster-admin", Set.of("production/*"), null)));
            assertThat(verdict(with(e -> bindings(e, group)), Dimension.ACCESS_REVIEWED).status()).isEqualTo(Status.FAIL);
            var everyone = Known.of(List.of(new AdminBinding("ClusterRoleBinding all", "cluster-admin", Set.of("*/*"), NOW.minus(Duration.ofDays(10)))));
            assertThat(verdict(with(e -> bindings(e, everyone)), Dimension.ACCESS_REVIEWED).status()).isEqualTo(Status.PASS);
        }

        @Test
        void anotherAccountsBindingIsNotThisAssets() {
            var other = Known.of(List.of(new AdminBinding("ClusterRoleBinding ops", "cluster-admin", Set.of("kube-system/ops"), null)));
            assertThat(verdict(with(e -> bindings(e, other)), Dimension.ACCESS_REVIEWED).status()).isEqualTo(Status.PASS);
        }
    }

    @Nested
    class EncryptionAtRest {
        @Test
        void passWarningFailUnknown() {
            assertThat(verdict(passing(), Dimension.ENCRYPTION_AT_REST).status()).isEqualTo(Status.PASS);
            assertThat(verdict(with(e -> cluster(e, Known.of(new ClusterSettings(Set.of("audit"), false)))), Dimension.ENCRYPTION_AT_REST))
                    .satisfies(v -> {
                        assertThat(v.status()).isEqualTo(Status.WARNING);
                        assertThat(v.detail()).contains("does not envelope-encrypt the Secrets it reads");
                    });
            Asset onGp2 = new Asset("production", "StatefulSet", "cache", "default", Set.of(), Set.of(), List.of("gp2"));
            assertThat(verdict(with(e -> asset(e, onGp2)), Dimension.ENCRYPTION_AT_REST).detail())
                    .isEqualTo("its volumes use storage class gp2, which does not encrypt");
            assertThat(verdict(with(e -> classes(e, Known.unknown("storage classes could not be listed"))), Dimension.ENCRYPTION_AT_REST).status())
                    .isEqualTo(Status.UNKNOWN);
            Asset stateless = new Asset("production", "Deployment", "web", "default", Set.of("web-token"), Set.of(), List.of());
            assertThat(verdict(with(e -> cluster(asset(e, stateless), Known.unknown("not known to be an EKS cluster"))), Dimension.ENCRYPTION_AT_REST)
                    .detail()).isEqualTo("unknown: Secrets encryption: not known to be an EKS cluster");
        }

        @Test
        void anAssetWithNoVolumeAndNoSecretHasNothingAtRest() {
            Asset bare = new Asset("production", "Deployment", "web", "default", Set.of(), Set.of(), List.of());
            assertThat(verdict(with(e -> cluster(asset(e, bare), Known.of(new ClusterSettings(Set.of(), false)))), Dimension.ENCRYPTION_AT_REST))
                    .isEqualTo(new Compliance.Verdict(Status.PASS, "it has no volume and it reads no Secret"));
        }
    }

    @Test
    void theCoverageScoreCountsPassesAndTheReportNamesEveryAbsentSource() {
        ComplianceEvidence evidence = with(e -> cluster(vulnerabilities(e, Known.unknown("Trivy Operator is not installed")),
                Known.unknown("not known to be an EKS cluster")));
        ScanReport report = compliance.scan(evidence, NOW);
        Finding coverage = report.findings().stream().filter(f -> f.kind().equals("compliance-coverage")).findFirst().orElseThrow();
        // CVE, audit log and encryption (Secrets) unknown: 4 of 7 pass
        assertThat(coverage.measures()).containsEntry("passed", 4.0).containsEntry("unknown", 3.0);
        assertThat(coverage.severity()).isEqualTo("WARNING");
        assertThat(report.figures().get("coverage")).isEqualTo(4 / 7.0);
        assertThat(report.notes()).containsExactly("Trivy Operator is not installed", "not known to be an EKS cluster");
    }
}
