package dev.awoooi.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The one Spring application behind every AWOOOI function; each Lambda picks its bean by name. */
@SpringBootApplication(scanBasePackages = "dev.awoooi")
@ConfigurationPropertiesScan("dev.awoooi.config")
public class AwoooiApplication {
    public static void main(String[] args) {
        SpringApplication.run(AwoooiApplication.class, args);
    }
}
