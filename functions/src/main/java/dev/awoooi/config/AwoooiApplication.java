package dev.awoooi.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The one Spring application behind every AWOOOI function; each Lambda picks its bean by name. Only the wiring
 * package is scanned: every bean is declared there, and reading the other packages' classes at start-up would only
 * cost cold-start time.
 */
@SpringBootApplication(scanBasePackages = "dev.awoooi.config")
@ConfigurationPropertiesScan("dev.awoooi.config")
public class AwoooiApplication {
    public static void main(String[] args) {
        SpringApplication.run(AwoooiApplication.class, args);
    }
}
