package dev.awoooi.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The local stack's OpenID Connect provider (infra/oidc: Spring Authorization Server), in a JVM of its own so that
 * Spring Security and Tomcat never reach the functions' classpath. Its issuer is {@code http://127.0.0.1:<port>}; the
 * approval page and the console are its one client ({@code awoooi}, two redirect URIs, secret generated per run, PKCE required, no consent screen), and
 * the demo approvers are its users, with one generated password. It ends with the stack: when its standard input
 * closes, which also happens if the stack's JVM dies.
 */
public final class IdentityProvider implements AutoCloseable {
    public static final String CLIENT_ID = "awoooi";
    private static final Logger log = LoggerFactory.getLogger(IdentityProvider.class);

    private final Process process;
    private final String issuer;
    private final String clientSecret;
    private final String password;
    private final CompletableFuture<Void> ready;

    private IdentityProvider(Process process, String issuer, String clientSecret, String password, CompletableFuture<Void> ready) {
        this.process = process;
        this.issuer = issuer;
        this.clientSecret = clientSecret;
        this.password = password;
        this.ready = ready;
    }

    /**
     * Starts the provider and returns at once ({@link #awaitReady} waits for it); null if infra/oidc is not built.
     *
     * @param root        the repository root (where template.yaml is)
     * @param redirectUris the approval page's callback and the console's
     */
    public static IdentityProvider start(Path root, List<String> redirectUris, List<String> users, String clientSecret, String password) {
        Path module = root.resolve("infra/oidc/target");
        Path classpath = module.resolve("classpath.txt");
        if (!Files.isRegularFile(classpath)) {
            log.warn("{} is missing (build infra/oidc): no identity provider, so CRITICAL requests cannot be signed", classpath);
            return null;
        }
        try {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            String issuer = "http://127.0.0.1:" + port;
            String prefix = "--spring.security.oauth2.authorizationserver.";
            String client = prefix + "client.awoooi.";
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", module.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpath).trim(),
                    "dev.awoooi.idp.LocalIdentityProvider",
                    "--server.address=127.0.0.1", "--server.port=" + port, prefix + "issuer=" + issuer,
                    client + "registration.client-id=" + CLIENT_ID,
                    client + "registration.client-secret={noop}" + clientSecret,
                    client + "registration.client-authentication-methods=client_secret_basic",
                    client + "registration.authorization-grant-types=authorization_code",
                    client + "registration.redirect-uris=" + String.join(",", redirectUris),
                    client + "registration.scopes=openid",
                    client + "require-proof-key=true",
                    client + "require-authorization-consent=false",
                    "--awoooi.idp.users=" + String.join(",", users),
                    "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--logging.level.dev.awoooi=INFO"));
            // the password is handed over in the environment: a command line is visible to every local user
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("AWOOOI_IDP_PASSWORD", password);
            Process process = builder.start();
            CompletableFuture<Void> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("AWOOOI-IDP-READY")) {
                            ready.complete(null);
                        } else {
                            log.info("idp: {}", line);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
                ready.completeExceptionally(new IllegalStateException("the identity provider ended before it was ready"));
            }, "idp-output");
            reader.setDaemon(true);
            reader.start();
            return new IdentityProvider(process, issuer, clientSecret, password, ready);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the identity provider", e);
        }
    }

    public IdentityProvider awaitReady(Duration patience) {
        try {
            ready.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return this;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the identity provider did not start within " + patience, e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public String clientSecret() {
        return clientSecret;
    }

    /** The demo approvers' password at this provider. */
    public String password() {
        return password;
    }

    @Override
    public void close() {
        Processes.stop(process, java.time.Duration.ofSeconds(5));
    }
}
