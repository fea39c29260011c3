package dev.awoooi;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Domain code talks to ports; only adapters and wiring touch AWS, Spring or Kubernetes types. */
@AnalyzeClasses(packages = "dev.awoooi", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule domainIsFreeOfInfrastructure = noClasses()
            .that().resideInAnyPackage("dev.awoooi.alert..", "dev.awoooi.privacy..", "dev.awoooi.topology..", "dev.awoooi.analysis..",
                    "dev.awoooi.action..", "dev.awoooi.dryrun..", "dev.awoooi.approval..", "dev.awoooi.trust..", "dev.awoooi.execution..",
                    "dev.awoooi.notify..", "dev.awoooi.scan..", "dev.awoooi.audit..", "dev.awoooi.incident..", "dev.awoooi.finops..", "dev.awoooi.web..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..", "org.springframework..",
                    "io.kubernetes..", "io.fabric8..");
}
