package dev.awoooi.cluster;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure parts of the Kubernetes adapter: budget selectors and how a refusal reads. The rest is ClusterActionsIT. */
class KubernetesActionsTest {

    private static final Map<String, String> FRONTEND = Map.of("app", "frontend", "tier", "web");

    @Test
    void aBudgetWithoutSelectorCoversNothingAndAnEmptyOneCoversEverything() {
        assertThat(KubernetesActions.selects(null, FRONTEND)).isFalse();
        assertThat(KubernetesActions.selects(new V1LabelSelector(), FRONTEND)).isTrue();
        assertThat(KubernetesActions.selects(new V1LabelSelector(), null)).isTrue();
    }

    @Test
    void matchLabelsAndMatchExpressionsMustAllHold() {
        assertThat(KubernetesActions.selects(new V1LabelSelector().matchLabels(Map.of("app", "frontend")), FRONTEND)).isTrue();
        assertThat(KubernetesActions.selects(new V1LabelSelector().matchLabels(Map.of("app", "postgres-db")), FRONTEND)).isFalse();

        assertThat(KubernetesActions.selects(expression("tier", "In", "web", "api"), FRONTEND)).isTrue();
        assertThat(KubernetesActions.selects(expression("tier", "In", "db"), FRONTEND)).isFalse();
        assertThat(KubernetesActions.selects(expression("tier", "NotIn", "db"), FRONTEND)).isTrue();
        assertThat(KubernetesActions.selects(expression("zone", "NotIn", "a"), FRONTEND)).as("an absent label is not in any set").isTrue();
        assertThat(KubernetesActions.selects(expression("tier", "Exists"), FRONTEND)).isTrue();
        assertThat(KubernetesActions.selects(expression("zone", "Exists"), FRONTEND)).isFalse();
        assertThat(KubernetesActions.selects(expression("zone", "DoesNotExist"), FRONTEND)).isTrue();
        assertThat(KubernetesActions.selects(expression("tier", "Gt", "1"), FRONTEND)).as("an unknown operator selects nothing").isFalse();

        V1LabelSelector both = expression("tier", "In", "web").matchLabels(Map.of("app", "auth-service"));
        assertThat(KubernetesActions.selects(both, FRONTEND)).isFalse();
    }

    @Test
    void aRefusalCarriesTheCodeTheStatusMessageAndItsCauses() {
        String body = """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                 "message":"Cannot evict pod as it would violate the pod's disruption budget.","reason":"TooManyRequests",
                 "details":{"causes":[{"reason":"DisruptionBudget","message":"The disruption budget frontend-pdb needs 2 healthy pods and has 2 currently"}]},
                 "code":429}""";
        assertThat(KubernetesActions.refusal(new ApiException("Too Many Requests", 429, Map.of(), body)))
                .isEqualTo("HTTP 429 Cannot evict pod as it would violate the pod's disruption budget. "
                        + "The disruption budget frontend-pdb needs 2 healthy pods and has 2 currently");
    }

    @Test
    void aRefusalWithoutStatusBodyIsItsCode() {
        assertThat(KubernetesActions.refusal(new ApiException("Bad Gateway", 502, Map.of(), "<html>bad gateway</html>"))).isEqualTo("HTTP 502");
        assertThat(KubernetesActions.refusal(new ApiException(new IOException("connection refused"))))
                .isEqualTo("no answer from the API server (IOException)");
    }

    private static V1LabelSelector expression(String key, String operator, String... values) {
        return new V1LabelSelector().matchExpressions(List.of(new V1LabelSelectorRequirement().key(key).operator(operator)
                .values(values.length == 0 ? null : List.of(values))));
    }

    /** A PATCH that reaches an API server which never answers: the executor must learn it cannot know, not "failed". */
    @Test
    void aMutationThatGetsNoAnswerIsReportedAsAnswerLostNotAsFailed() throws Exception {
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        var received = new java.util.concurrent.CountDownLatch(1);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.countDown();
            try {
                Thread.sleep(3_000); // longer than the client waits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        try {
            var client = new io.kubernetes.client.openapi.ApiClient().setBasePath("http://127.0.0.1:" + server.getAddress().getPort())
                    .setReadTimeout(300);
            var actions = new KubernetesActions(client);
            var restart = new dev.awoooi.action.Action.RestartDeployment("production", "frontend");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> actions.apply(restart, java.time.Instant.parse("2026-11-21T03:30:00Z")))
                    .isInstanceOf(dev.awoooi.execution.AnswerLostException.class).hasMessageContaining("got no answer");
            assertThat(received.getCount()).as("the request did reach the server").isZero();
        } finally {
            server.stop(0);
        }
    }

    /**
     * The HTTP client resends a request whose connection was reset before the answer: a delete that went through
     * comes back 404 the second time. Gone is what a delete wants; the verification decides, not the 404.
     */
    @Test
    void aRemovalThatFindsItsObjectGoneIsLeftToTheVerificationNotFailed() throws Exception {
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}".getBytes();
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            var actions = new KubernetesActions(new io.kubernetes.client.openapi.ApiClient()
                    .setBasePath("http://127.0.0.1:" + server.getAddress().getPort()));
            actions.apply(new dev.awoooi.action.Action.DeletePod("production", "frontend-7d4b9-abcde"), java.time.Instant.now());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> actions.apply(
                            new dev.awoooi.action.Action.ScaleDeployment("production", "frontend", 3), java.time.Instant.now()))
                    .as("any other action that meets a 404 failed").hasMessageContaining("404");
        } finally {
            server.stop(0);
        }
    }
}
