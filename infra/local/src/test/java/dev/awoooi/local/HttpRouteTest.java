package dev.awoooi.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HttpRouteTest {

    @Test
    void pathParametersAreCapturedAndDecoded() {
        HttpApiServer.Route route = new HttpApiServer.Route("IngestFunction", "POST", "/alerts/{source}");

        assertThat(route.match("/alerts/alertmanager")).contains(Map.of("source", "alertmanager"));
        assertThat(route.match("/alerts/a%20b+c")).contains(Map.of("source", "a b+c"));
        assertThat(route.match("/alerts")).isEmpty();
        assertThat(route.match("/alerts/")).isEmpty();
        assertThat(route.match("/alerts/x/y")).isEmpty();
        assertThat(route.routeKey()).isEqualTo("POST /alerts/{source}");
    }

    @Test
    void aGreedyParameterTakesTheRestOfThePath() {
        HttpApiServer.Route route = new HttpApiServer.Route("F", "GET", "/files/{path+}");

        assertThat(route.match("/files/a/b/c")).contains(Map.of("path", "a/b/c"));
        assertThat(route.match("/files")).isEmpty();
    }

    @Test
    void literalRoutesAreMoreSpecificThanParameters() {
        assertThat(new HttpApiServer.Route("F", "GET", "/a/b").specificity())
                .isLessThan(new HttpApiServer.Route("F", "GET", "/a/{x}").specificity());
        assertThat(new HttpApiServer.Route("F", "GET", "/a/{x}").specificity())
                .isLessThan(new HttpApiServer.Route("F", "GET", "/{x+}").specificity());
    }

    @Test
    void textContentTypesStayText() {
        assertThat(HttpApiServer.isText("application/json; charset=utf-8")).isTrue();
        assertThat(HttpApiServer.isText("application/vnd.api+json")).isTrue();
        assertThat(HttpApiServer.isText("text/plain")).isTrue();
        assertThat(HttpApiServer.isText("application/octet-stream")).isFalse();
        assertThat(HttpApiServer.isText("image/png")).isFalse();
    }
}
