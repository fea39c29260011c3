package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** HTTP API (payload format 2.0) plumbing shared by the HTTP functions. */
final class Http {
    private Http() {
    }

    static APIGatewayV2HTTPResponse json(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(new HashMap<>(Map.of("Content-Type", "application/json", "Cache-Control", "no-store")))
                .withBody(body).build();
    }

    static APIGatewayV2HTTPResponse error(int status, String reason) {
        return json(status, "{\"error\":" + quote(reason) + "}");
    }

    /**
     * Pages carry their link token in the URL: no referrer ever leaves the site (same-origin), and within it the
     * browser still sends the Origin its decisions are checked against (no-referrer would make a form's Origin "null").
     */
    static APIGatewayV2HTTPResponse html(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-store",
                        "Content-Security-Policy", dev.awoooi.approval.ApprovalPage.CONTENT_SECURITY_POLICY,
                        "X-Frame-Options", "DENY", "Referrer-Policy", "same-origin"))
                .withBody(body).build();
    }

    /** A page with no script at all (the scan reports): its own, stricter policy. */
    static APIGatewayV2HTTPResponse page(int status, String body, String contentSecurityPolicy) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(new HashMap<>(Map.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-store",
                        "Content-Security-Policy", contentSecurityPolicy, "X-Frame-Options", "DENY", "Referrer-Policy", "same-origin",
                        "X-Content-Type-Options", "nosniff")))
                .withBody(body).build();
    }

    /** Whether the caller asks for a page (a browser's Accept) rather than JSON. */
    static boolean wantsHtml(APIGatewayV2HTTPEvent event) {
        String accept = header(event, "accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html");
    }

    /**
     * Whether a form's POST comes from this site's own pages: the browser's Sec-Fetch-Site, and its Origin against the
     * public base URL. A request that sends neither (a script, not a browser) is judged by its token alone.
     */
    static boolean sameSite(APIGatewayV2HTTPEvent event, String baseUrl) {
        String site = header(event, "sec-fetch-site");
        String origin = header(event, "origin");
        return (site == null || site.equals("same-origin") || site.equals("none")) && (origin == null || baseUrl.isEmpty() || origin.equals(origin(baseUrl)));
    }

    private static String origin(String url) {
        java.net.URI uri = java.net.URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    static String header(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) {
            return null;
        }
        for (var e : event.getHeaders().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    static String body(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null) {
            return "";
        }
        return event.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8)
                : event.getBody();
    }

    /** Bearer token check in constant time. */
    /** The expected token is read only when a bearer token was sent: a request without one costs no secret lookup. */
    static boolean bearer(APIGatewayV2HTTPEvent event, Supplier<String> expected) {
        byte[] given = bearerToken(event);
        return given != null && MessageDigest.isEqual(given, expected.get().getBytes(StandardCharsets.UTF_8));
    }

    /** The bearer token the request carries, as bytes to compare in constant time; null without one. */
    static byte[] bearerToken(APIGatewayV2HTTPEvent event) {
        String header = header(event, "authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    }

    static APIGatewayV2HTTPResponse unauthorized() {
        APIGatewayV2HTTPResponse response = error(401, "missing or invalid bearer token");
        response.getHeaders().put("WWW-Authenticate", "Bearer realm=\"awoooi\"");
        return response;
    }

    static String pathParameter(APIGatewayV2HTTPEvent event, String name) {
        return event.getPathParameters() == null ? null : event.getPathParameters().get(name);
    }

    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The value of a cookie the request carries, null without it. */
    static String cookie(APIGatewayV2HTTPEvent event, String name) {
        if (event.getCookies() == null) {
            return null;
        }
        for (String cookie : event.getCookies()) {
            if (cookie.startsWith(name + "=")) {
                String value = cookie.substring(name.length() + 1);
                // RFC 6265 §4.1.1: a cookie value may come wrapped in double quotes
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    /** A redirect that caches nothing and sends no referrer, setting these cookies. */
    static APIGatewayV2HTTPResponse redirect(int status, String location, List<String> cookies) {
        Map<String, String> headers = new HashMap<>(Map.of("Location", location, "Cache-Control", "no-store", "Referrer-Policy", "no-referrer"));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withCookies(new ArrayList<>(cookies)).build();
    }

    static Map<String, String> query(APIGatewayV2HTTPEvent event) {
        return event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    }

    /** Every value of a field a form sends more than once (checkboxes), in order. */
    static List<String> formValues(String body, String name) {
        List<String> values = new ArrayList<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && name.equals(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8))) {
                values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** A form's fields (the last value of a field sent twice). */
    static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
