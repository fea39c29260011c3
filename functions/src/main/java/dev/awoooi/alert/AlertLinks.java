package dev.awoooi.alert;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The links a person wants on a card at 3 AM, from the alert itself: its runbook, where it came from (the rule's
 * graph, the dashboard panel) and how to silence it (Grafana's silence link, or Alertmanager's new-silence page for
 * this alert's name, service and namespace). A link is kept only if it is an http(s) URL of sane length in which the
 * Privacy Shield finds nothing: a URL cannot be pseudonymized and still work, so one that carries personal data or a
 * secret is left out, never shown.
 */
public final class AlertLinks {
    static final int MAX_URL = 2048;

    private AlertLinks() {
    }

    /** Label to URL, in the order a card shows them: Runbook, Source, Silence. */
    public static Map<String, String> of(Alert alert, Predicate<String> holdsPersonalData) {
        Map<String, String> links = new LinkedHashMap<>();
        put(links, "Runbook", first(alert.annotations().get("runbook_url"), alert.annotations().get("runbook")), holdsPersonalData);
        put(links, "Source", first(alert.context().get("panelURL"), alert.context().get("dashboardURL"), alert.generatorUrl()), holdsPersonalData);
        put(links, "Silence", first(alert.context().get("silenceURL"), alertmanagerSilence(alert)), holdsPersonalData);
        return links;
    }

    /** Alertmanager's new-silence page, prefilled with matchers for this alert's name, service and namespace. */
    static String alertmanagerSilence(Alert alert) {
        String external = alert.context().get("externalURL");
        if (external == null || external.isBlank()) {
            return null;
        }
        StringBuilder filter = new StringBuilder("{alertname=\"").append(matcher(alert.name())).append('"');
        for (String label : new String[] {"service", "namespace"}) {
            String value = alert.labels().get(label);
            if (value != null && !value.isBlank()) {
                filter.append(',').append(label).append("=\"").append(matcher(value)).append('"');
            }
        }
        filter.append('}');
        return (external.endsWith("/") ? external.substring(0, external.length() - 1) : external)
                + "/#/silences/new?filter=" + URLEncoder.encode(filter.toString(), StandardCharsets.UTF_8);
    }

    private static String matcher(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The URL as its query means it (percent-escapes undone, twice over), so an encoded address is found too. */
    private static String decoded(String url) {
        try {
            return java.net.URLDecoder.decode(java.net.URLDecoder.decode(url, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static String first(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        return null;
    }

    private static void put(Map<String, String> links, String label, String url, Predicate<String> holdsPersonalData) {
        if (url == null || url.length() > MAX_URL || holdsPersonalData.test(url) || holdsPersonalData.test(decoded(url))) {
            return;
        }
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getUserInfo() == null) {
                links.put(label, url);
            }
        } catch (IllegalArgumentException e) {
            // not a URL: no link
        }
    }
}
