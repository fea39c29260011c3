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
    }
}
