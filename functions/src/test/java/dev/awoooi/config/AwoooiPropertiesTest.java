package dev.awoooi.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AwoooiPropertiesTest {
    @Test
    void defaultsHoldWhenNothingIsConfigured() {
        var props = new Binder(new MapConfigurationPropertySource(Map.of("awoooi.eventbus", "awoooi-prod")))
                .bind("awoooi", AwoooiProperties.class).get();
        assertThat(props.analysis().maxdepth()).isEqualTo(3);
        assertThat(props.analysis().productionnamespaces()).containsExactlyInAnyOrder("production", "prod");
        assertThat(props.analysis().wideblastradius()).isEqualTo(6);
        assertThat(props.analysis().servicecosts()).isEmpty();
        assertThat(props.cluster().namespace()).isEqualTo("production");
        assertThat(props.cluster().rollouttimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(props.topology().file()).isNull();
        assertThat(props.topology().errorratio()).isEqualTo(0.05);
    }
}
