package dev.awoooi.idp;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.io.IOException;
import java.util.List;

/**
 * The local stack's OpenID Connect provider: Spring Authorization Server, configured by the local stack on the command
 * line (issuer, port, the approval page's client and redirect URI, all through Boot's
 * {@code spring.security.oauth2.authorizationserver.*} properties) with the demo approvers as users, each signing in
 * with the password the stack generated (AWOOOI_IDP_PASSWORD, from its environment). Their subject is their user name. It runs in its own JVM, and ends when the
 * stack that started it closes its standard input (or dies).
 */
@SpringBootApplication
public class LocalIdentityProvider {

    public static void main(String[] args) {
        var context = SpringApplication.run(LocalIdentityProvider.class, args);
        System.out.println("AWOOOI-IDP-READY " + context.getEnvironment().getProperty("spring.security.oauth2.authorizationserver.issuer"));
        System.out.flush();
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the stack holds the pipe open while it runs
                }
            } catch (IOException ignored) {
                // the pipe broke: the stack is gone
            }
            System.exit(context.isActive() ? SpringApplication.exit(context) : 0);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The demo approvers, each with the stack's generated password (kept as given: this provider never leaves loopback). */
    @Bean
    InMemoryUserDetailsManager users(@Value("${awoooi.idp.users}") List<String> names, @Value("${AWOOOI_IDP_PASSWORD}") String password) {
        return new InMemoryUserDetailsManager(names.stream()
                .map(name -> User.withUsername(name.trim()).password("{noop}" + password).roles("APPROVER").build()).toList());
    }
}
