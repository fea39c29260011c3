package dev.awoooi.local.e2e;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person's browser without the rendering: its own cookie jar, redirects followed one by one (so a test sees each
 * hop), forms read from the pages and posted back as a browser would. Enough for the approval page and the identity
 * provider's login; the visual checks are {@code ApprovalPageBrowserIT}'s, in Chromium.
 */
final class Browser {
    private static final Pattern HIDDEN = Pattern.compile("<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"");
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private URI last;

    HttpResponse<String> get(String url) throws Exception {
        last = URI.create(url);
        return http.send(HttpRequest.newBuilder(last).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GETs the URL and every redirect after it; the last answer. */
    HttpResponse<String> open(String url) throws Exception {
        return follow(get(url));
    }

    HttpResponse<String> follow(HttpResponse<String> response) throws Exception {
        while (response.statusCode() / 100 == 3) {
            String location = response.headers().firstValue("Location").orElseThrow();
            response = get(response.uri().resolve(location).toString());
        }
        return response;
    }

    HttpResponse<String> post(String url, Map<String, String> form, String... headers) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        last = URI.create(url);
        var request = HttpRequest.newBuilder(last).header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The hidden inputs of the page's (first) form. */
    static Map<String, String> hidden(String page) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(page);
        while (m.find()) {
            fields.put(m.group(1), unescape(m.group(2)));
        }
        return fields;
    }

    /** The href of the element with this id, unescaped. */
    static String href(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\" href=\"([^\"]+)\"|href=\"([^\"]+)\"[^>]*id=\"" + id + "\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no element #" + id + " with an href");
        }
        return unescape(m.group(1) != null ? m.group(1) : m.group(2));
    }

    static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** Opens a personal link and decides on its page, with the form's own hidden fields (the CSRF token among them). */
    HttpResponse<String> decide(String link, String decision) throws Exception {
        var page = get(link);
        if (page.statusCode() != 200 || !page.body().contains("<form method=\"post\"")) {
            return page;
        }
        Map<String, String> form = new LinkedHashMap<>(hidden(page.body()));
        form.put("decision", decision);
        String action = page.body().replaceAll("(?s).*<form method=\"post\" action=\"([^\"]+)\".*", "$1");
        return post(URI.create(link).resolve(action).toString(), form);
    }
}
