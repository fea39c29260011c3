package dev.awoooi.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.type.TypeReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where notify delivers when no real chat is configured: a webhook that checks the same HMAC signature a chat
 * bridge would, and keeps what it received for the local page and for tests.
 */
public final class Outbox {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    public static final String SIGNATURE_HEADER = "X-Awoooi-Signature";

    private final byte[] secret;
    private final List<Map<String, Object>> notifications = new CopyOnWriteArrayList<>();

    /** @param secret the notify secret; the HMAC key is its UTF-8 bytes */
    public Outbox(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** What became of a delivery. */
    public sealed interface Receipt {
        record Accepted(Map<String, Object> notification) implements Receipt {
        }

        record Unsigned() implements Receipt {
        }

        record Malformed(String reason) implements Receipt {
        }
    }

    /** {@code sha256=<hex HMAC-SHA256 of body>}, the value of {@value #SIGNATURE_HEADER}. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    Receipt receive(byte[] body, String signatureHeader) {
        String expected = signature(new String(secret, StandardCharsets.UTF_8), body);
        // constant time, so the comparison does not tell a caller how much of a forged signature was right
        if (signatureHeader == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signatureHeader.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            log.warn("outbox refused a delivery with a missing or wrong {}", SIGNATURE_HEADER);
            return new Receipt.Unsigned();
        }
        Map<String, Object> notification;
        try {
            notification = new LinkedHashMap<>(Json.MAPPER.readValue(body, new TypeReference<Map<String, Object>>() {
            }));
        } catch (IOException e) {
            return new Receipt.Malformed("the body is not a JSON object");
        }
        notification.put("receivedAt", Instant.now().toString());
        notifications.add(notification);
        log.info("outbox received notification #{}", notifications.size());
        return new Receipt.Accepted(notification);
    }

    /** Every notification received, oldest first. */
    public List<Map<String, Object>> notifications() {
        return List.copyOf(notifications);
    }

    /** A small page listing the notifications, newest first, with the links they carry. */
    String page() {
        StringBuilder html = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8">
                <meta http-equiv="refresh" content="5"><title>AWOOOI local outbox</title>
                <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}
                article{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
                pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}</style></head><body>
                <h1>Local outbox</h1>
                """);
        List<Map<String, Object>> newestFirst = new ArrayList<>(notifications);
        Collections.reverse(newestFirst);
        html.append("<p>").append(newestFirst.size()).append(" notification(s). The page refreshes every 5 seconds.</p>");
        for (Map<String, Object> notification : newestFirst) {
            html.append("<article><h2>").append(escape(headline(notification))).append("</h2><p><small>")
                    .append(escape(String.valueOf(notification.get("receivedAt")))).append("</small></p>");
            Set<String> links = new LinkedHashSet<>();
            collectLinks(notification, links);
            if (!links.isEmpty()) {
                html.append("<ul>");
                links.forEach(link -> html.append("<li><a href=\"").append(escape(link)).append("\">")
                        .append(escape(link)).append("</a></li>"));
                html.append("</ul>");
            }
            html.append("<details><summary>JSON</summary><pre>").append(escape(prettyJson(notification)))
                    .append("</pre></details></article>");
        }
        return html.append("</body></html>").toString();
    }

    private static String headline(Map<String, Object> notification) {
        for (String field : List.of("title", "summary", "text", "type", "kind")) {
            if (notification.get(field) instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return "Notification";
    }

    /** Only http(s) links become anchors, so a notification cannot plant a javascript: URL on the page. */
    private static void collectLinks(Object node, Set<String> links) {
        switch (node) {
            case String s when s.startsWith("http://") || s.startsWith("https://") -> links.add(s);
            case Map<?, ?> map -> map.values().forEach(v -> collectLinks(v, links));
            case List<?> list -> list.forEach(v -> collectLinks(v, links));
            case null, default -> {
            }
        }
    }

    private static String prettyJson(Object value) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (IOException e) {
            return String.valueOf(value);
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
