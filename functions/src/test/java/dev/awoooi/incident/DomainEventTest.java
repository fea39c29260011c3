package dev.awoooi.incident;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class DomainEventTest {
    @Test
    void detailTypesAreTheNamesTheTemplatesRulesMatch() throws IOException {
        assertThat(new DomainEvent.IncidentAnalyzed("inc-1").detailType()).isEqualTo("Incident Analyzed");
        assertThat(new DomainEvent.ExecutionVoided("inc-1", "changed").detailType()).isEqualTo("Execution Voided");
        String template = Files.readString(Path.of("..", "template.yaml"));
        Arrays.stream(DomainEvent.class.getPermittedSubclasses()).forEach(type -> {
            var detailType = type.getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ");
            assertThat(template).as("a rule matches '" + detailType + "'").contains(detailType);
            assertThat(DomainEvent.ofDetailType(detailType)).hasValue(type.asSubclass(DomainEvent.class));
        });
        assertThat(DomainEvent.ofDetailType("Something Else")).isEmpty();
    }
}
