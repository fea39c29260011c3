package stock;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import java.util.Locale;
import java.util.function.Function;

/**
 * The baseline of scripts/bench-coldstart: Spring Cloud Function's stock {@code uppercase}, nothing else, started
 * from the same libraries and JVM flags as AWOOOI's packages. In a package of its own so that AWOOOI's component
 * scan (dev.awoooi) never picks it up.
 */
@SpringBootApplication
public class UppercaseApplication {

    @Bean
    public Function<String, String> uppercase() {
        return value -> value.toUpperCase(Locale.ROOT);
    }
}
