package dev.awoooi.cluster;

import dev.awoooi.scan.ComplianceEvidence;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The EKS control plane's settings through {@code DescribeCluster} ({@code GET /clusters/{name}}, SigV4-signed by the
 * SDK's own signer with the function's role): which log types are on, and whether Secrets are envelope-encrypted with
 * a KMS key. One REST call: the whole {@code eks} SDK module is not needed for it.
 */
public final class EksSettings {
    private final HttpClient http;
    private final URI endpoint;
    private final String cluster;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final ObjectMapper json;
    private final Duration timeout;

    /** @param endpoint the EKS API ({@code https://eks.<region>.amazonaws.com}, or an emulator's) */
    public EksSettings(HttpClient http, URI endpoint, String cluster, String region, AwsCredentialsProvider credentials, ObjectMapper json,
                       Duration timeout) {
        if (cluster == null || !cluster.matches("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}")) {
            throw new IllegalArgumentException("an EKS cluster name is 1-100 letters, digits, hyphens and underscores");
        }
        this.http = http;
        this.endpoint = endpoint;
        this.cluster = cluster;
        this.region = region;
        this.credentials = credentials;
        this.json = json;
        this.timeout = timeout;
    }

    public ComplianceEvidence.Known<ComplianceEvidence.ClusterSettings> read() {
        URI uri = URI.create(endpoint.toString().replaceAll("/+$", "") + "/clusters/" + URLEncoder.encode(cluster, StandardCharsets.UTF_8));
        try {
            var signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                    .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "eks")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET().header("Accept", "application/json");
            signed.request().headers().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("host") && !lower.equals("content-length") && !values.isEmpty()) {
                    request.header(name, String.join(",", values));
                }
            });
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 403) {
                return ComplianceEvidence.Known.unknown("EKS refused DescribeCluster on " + cluster + " (HTTP 403: the compliance scan's role needs eks:DescribeCluster)");
            }
            if (response.statusCode() != 200) {
                return ComplianceEvidence.Known.unknown("EKS answered DescribeCluster on " + cluster + " with HTTP " + response.statusCode());
            }
            JsonNode c = json.readTree(response.body()).path("cluster");
            Set<String> logTypes = new TreeSet<>();
            for (JsonNode setting : c.path("logging").path("clusterLogging")) {
                if (setting.path("enabled").asBoolean(false)) {
                    setting.path("types").forEach(t -> logTypes.add(t.asString()));
                }
            }
            boolean secrets = false;
            for (JsonNode config : c.path("encryptionConfig")) {
                boolean coversSecrets = false;
                for (JsonNode r : config.path("resources")) {
                    coversSecrets |= "secrets".equals(r.asString());
                }
                secrets |= coversSecrets && !config.path("provider").path("keyArn").asString("").isBlank();
            }
            return ComplianceEvidence.Known.of(new ComplianceEvidence.ClusterSettings(logTypes, secrets));
        } catch (IOException e) {
            return ComplianceEvidence.Known.unknown("EKS unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ComplianceEvidence.Known.unknown("interrupted while asking EKS");
        } catch (RuntimeException e) {
            // no credentials to sign with, or an answer that is not JSON: the class name only
            return ComplianceEvidence.Known.unknown("EKS DescribeCluster failed (" + e.getClass().getSimpleName() + ")");
        }
    }
}
