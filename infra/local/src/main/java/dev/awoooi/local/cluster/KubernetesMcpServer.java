package dev.awoooi.local.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The real kubernetes-mcp-server (npm {@code kubernetes-mcp-server-linux-amd64} 0.0.67, a static Go binary) run against
 * the demo API as the ServiceAccount {@code awoooi-mcp} (infra/kubernetes/rbac-mcp.yaml), on 127.0.0.1, pinned the way
 * AWOOOI's MCP actuator expects a production one to be: only the tools its actions use, Secrets and RBAC objects
 * denied, no confirmation ever assumed ({@code confirmation_fallback = "deny"}), one cluster, lists as YAML.
 */
public final class KubernetesMcpServer implements AutoCloseable {
    /** The tools McpActuator calls, and nothing else. */
    static final List<String> TOOLS = List.of("resources_get", "resources_scale", "resources_delete", "resources_create_or_update");

    private final Process process;
    private final int port;
    private final Path log;

    private KubernetesMcpServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Where .ci/run installs the npm test peers: $AWOOOI_NPM_PEERS, default ~/.cache/awoooi/npm. */
    public static Path npmPeers() {
        return Path.of(System.getenv().getOrDefault("AWOOOI_NPM_PEERS", System.getProperty("user.home") + "/.cache/awoooi/npm"));
    }

    /** The binary among the npm peers; null when absent. */
    public static Path installedBinary() {
        Path binary = npmPeers().resolve("node_modules/kubernetes-mcp-server-linux-amd64/bin/kubernetes-mcp-server-linux-amd64");
        return Files.isExecutable(binary) ? binary : null;
    }

    public static KubernetesMcpServer start(Path binary, String kubeconfig) {
        try {
            Path dir = Files.createTempDirectory("awoooi-kubernetes-mcp-server");
            Path config = dir.resolve("kubeconfig.yaml");
            Files.writeString(config, kubeconfig);
            Path toml = dir.resolve("config.toml");
            Files.writeString(toml, """
                    read_only = false
                    toolsets = ["core"]
                    enabled_tools = [%s]
                    confirmation_fallback = "deny"

                    [[denied_resources]]
                    group = ""
                    version = "v1"
                    kind = "Secret"

                    [[denied_resources]]
                    group = "rbac.authorization.k8s.io"
                    version = "v1"
                    kind = "Role"

                    [[denied_resources]]
                    group = "rbac.authorization.k8s.io"
                    version = "v1"
                    kind = "RoleBinding"

                    [[denied_resources]]
                    group = "rbac.authorization.k8s.io"
                    version = "v1"
                    kind = "ClusterRole"

                    [[denied_resources]]
                    group = "rbac.authorization.k8s.io"
                    version = "v1"
                    kind = "ClusterRoleBinding"
                    """.formatted(String.join(", ", TOOLS.stream().map(t -> "\"" + t + "\"").toList())));
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path log = dir.resolve("server.log");
            Process process = new ProcessBuilder(binary.toString(), "--config", toml.toString(), "--kubeconfig", config.toString(),
                    "--port", String.valueOf(port), "--bind-address", "127.0.0.1", "--list-output", "yaml", "--disable-multi-cluster",
                    "--stateless", "--log-level", "2").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            KubernetesMcpServer server = new KubernetesMcpServer(process, port, log);
            server.awaitHealthy(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kubernetes-mcp-server", e);
        }
    }

    /** Its streamable HTTP endpoint. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    /** Its own counters (/stats): tool calls by name, errors by name, HTTP requests. */
    public String stats() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What it logged: start-up, sessions, and any error. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy(Duration within) {
        HttpClient http = HttpClient.newHttpClient();
        Instant until = Instant.now().plus(within);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kubernetes-mcp-server exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while kubernetes-mcp-server started", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while kubernetes-mcp-server started", e);
            }
        }
        close();
        throw new IllegalStateException("kubernetes-mcp-server did not answer /healthz within " + within + ":\n" + log());
    }

    @Override
    public void close() {
        dev.awoooi.local.Processes.stop(process, Duration.ofSeconds(5));
    }
}
