package dev.awoooi.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on one local port: each HttpApi event of the template is a route whose request reaches its
 * function as an API Gateway v2 (payload 2.0) event, plus the runner's own {@code /local/...} routes.
 */
public final class HttpApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);
    /** API Gateway's own limit on a request payload. */
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final Pattern SCHEDULE_RUN = Pattern.compile("/local/schedules/([^/]+)/run");

    /** A template route: method and path as declared, and the function behind it. */
    public record Route(String functionLogicalId, String method, String path) {

        public String routeKey() {
            return method + " " + path;
        }

        /** The path parameters when {@code requestPath} matches this route's path. */
        Optional<Map<String, String>> match(String requestPath) {
            String[] template = segments(path);
            String[] actual = segments(requestPath);
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < template.length; i++) {
                String segment = template[i];
                boolean parameter = segment.startsWith("{") && segment.endsWith("}");
                if (parameter && segment.endsWith("+}")) {
                    if (i >= actual.length) {
                        return Optional.empty();
                    }
                    List<String> rest = new ArrayList<>();
                    for (int j = i; j < actual.length; j++) {
                        rest.add(decode(actual[j]));
                    }
                    parameters.put(segment.substring(1, segment.length() - 2), String.join("/", rest));
                    return Optional.of(parameters);
                }
                if (i >= actual.length) {
                    return Optional.empty();
                }
                if (parameter) {
                    if (actual[i].isEmpty()) {
                        return Optional.empty();
                    }
                    parameters.put(segment.substring(1, segment.length() - 1), decode(actual[i]));
                } else if (!segment.equals(actual[i])) {
                    return Optional.empty();
                }
            }
            return template.length == actual.length ? Optional.of(parameters) : Optional.empty();
        }

        /** Literal routes win over parameters, and parameters over greedy paths, as in API Gateway. */
        int specificity() {
            int score = 0;
            for (String segment : segments(path)) {
                score += segment.endsWith("+}") ? 100 : segment.startsWith("{") ? 1 : 0;
            }
            return score;
        }

        private static String[] segments(String path) {
            String trimmed = path.startsWith("/") ? path.substring(1) : path;
            return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
        }

        private static String decode(String segment) {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private List<Route> routes = List.of();
    private Functions functions;
    private Outbox outbox;
    private MailCatcher mail;
    private Schedules schedules;
    private byte[] localToken;
    private Runnable demoReset;
    private ChatPresses presses;

    private HttpApiServer(HttpServer server) {
        this.server = server;
        this.executor = Executors.newFixedThreadPool(8, Thread.ofPlatform().name("http-", 0).daemon().factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Takes the port now (the functions need the public URL in their configuration) and serves later. */
    static HttpApiServer bind(String host, int port) {
        try {
            return new HttpApiServer(HttpServer.create(new InetSocketAddress(host, port), 64));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " (set AWOOOI_PORT to use another port)", e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /**
     * @param localToken the bearer token the /local routes demand (the webhook token): they expose approval links
     * @param demoReset  breaks the demo database again, or null when no demo cluster runs
     */
    /** Lets {@code POST /local/chat/press} press buttons on the local chat platforms' cards. */
    void pressesWith(ChatPresses presses) {
        this.presses = presses;
    }

    void serve(List<Route> routes, Functions functions, Outbox outbox, MailCatcher mail, Schedules schedules, String localToken, Runnable demoReset) {
        this.mail = mail;
        this.localToken = localToken.getBytes(StandardCharsets.UTF_8);
        this.demoReset = demoReset;
        this.routes = routes.stream().sorted(Comparator.comparingInt(Route::specificity)).toList();
        this.functions = functions;
        this.outbox = outbox;
        this.schedules = schedules;
        server.start();
        routes.forEach(r -> log.info("route {} -> {}", r.routeKey(), r.functionLogicalId()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                json(exchange, 413, Map.of("message", "Request Entity Too Large"));
                return;
            }
            if (path.equals("/local") || path.startsWith("/local/")) {
                local(exchange, method, path, body);
                return;
            }
            Route allowedPath = null;
            for (Route route : routes) {
                Optional<Map<String, String>> parameters = route.match(path);
                if (parameters.isEmpty()) {
                    continue;
                }
                if (route.method().equals(method) || route.method().equals("ANY")) {
                    invoke(exchange, route, parameters.get(), body);
                    return;
                }
                allowedPath = route;
            }
            if (allowedPath != null) {
                List<String> allowed = routes.stream().filter(r -> r.match(path).isPresent()).map(Route::method).distinct().toList();
                exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
                json(exchange, 405, Map.of("message", "Method Not Allowed"));
            } else {
                json(exchange, 404, Map.of("message", "Not Found"));
            }
        } catch (RuntimeException e) {
            log.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            json(exchange, 500, Map.of("message", "Internal Server Error"));
        }
    }

    private void invoke(HttpExchange exchange, Route route, Map<String, String> pathParameters, byte[] body) throws IOException {
        Object output;
        try {
            output = functions.invoke(route.functionLogicalId(), event(exchange, route, pathParameters, body));
        } catch (RuntimeException e) {
            log.error("{} failed on {}", route.functionLogicalId(), route.routeKey(), e);
            json(exchange, 500, Map.of("message", "Internal Server Error"));
            return;
        }
        APIGatewayV2HTTPResponse response = switch (output) {
            case APIGatewayV2HTTPResponse r -> r;
            case null -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).build();
            // payload 2.0: an output that is not a response is the JSON body of a 200
            default -> APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/json")).withBody(Json.write(output)).build();
        };
        if (response.getStatusCode() < 100 || response.getStatusCode() > 599) {
            log.error("{} returned status {}, which API Gateway rejects", route.functionLogicalId(), response.getStatusCode());
            json(exchange, 502, Map.of("message", "Internal Server Error"));
            return;
        }
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> exchange.getResponseHeaders().put(name, new ArrayList<>(values)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie));
        }
        String text = response.getBody();
        byte[] bytes = text == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
        send(exchange, response.getStatusCode(), bytes);
    }

    private static APIGatewayV2HTTPEvent event(HttpExchange exchange, Route route, Map<String, String> pathParameters, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        // API Gateway moves cookies out of the headers into their own list
        String cookieHeader = headers.remove("cookie");
        List<String> cookies = cookieHeader == null ? null
                : List.of(cookieHeader.split(";")).stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.merge(name, value, (a, b) -> a + "," + b);
            }
        }
        boolean text = isText(headers.get("content-type"));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        String rawPath = exchange.getRequestURI().getRawPath();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId(Intrinsics.ACCOUNT_ID)
                        .withApiId("local")
                        .withDomainName(Optional.ofNullable(headers.get("host")).orElse("127.0.0.1"))
                        .withDomainPrefix("local")
                        .withStage("$default")
                        .withRouteKey(route.routeKey())
                        .withRequestId(UUID.randomUUID().toString())
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toInstant().toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(exchange.getRequestMethod().toUpperCase(Locale.ROOT))
                                .withPath(rawPath)
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(sourceIp)
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
    }

    /** Content types API Gateway passes as text; anything else arrives base64-encoded. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded") || type.equals("application/yaml");
    }

    private void local(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        Matcher run = SCHEDULE_RUN.matcher(path);
        boolean signedDelivery = path.equals("/local/outbox") && method.equals("POST");
        if (path.equals("/local/health") && method.equals("GET")) {
            json(exchange, 200, Map.of("status", "UP"));
            return;
        }
        if (!signedDelivery && !authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"awoooi-local\"");
            json(exchange, 401, Map.of("message", "missing or invalid bearer token (the webhook token; ?token= works for pages)"));
            return;
        }
        if (path.equals("/local/demo/reset") && method.equals("POST")) {
            if (demoReset == null) {
                json(exchange, 404, Map.of("message", "no demo cluster runs (KUBECONFIG is set)"));
                return;
            }
            demoReset.run();
            json(exchange, 200, Map.of("reset", true));
        } else if (path.equals("/local/outbox") && method.equals("GET")) {
            json(exchange, 200, outbox.notifications());
        } else if (path.equals("/local/outbox") && method.equals("POST")) {
            switch (outbox.receive(body, exchange.getRequestHeaders().getFirst(Outbox.SIGNATURE_HEADER))) {
                case Outbox.Receipt.Accepted accepted -> json(exchange, 200, Map.of("received", true));
                case Outbox.Receipt.Unsigned unsigned -> json(exchange, 401, Map.of("message", "missing or wrong " + Outbox.SIGNATURE_HEADER));
                case Outbox.Receipt.Malformed malformed -> json(exchange, 400, Map.of("message", malformed.reason()));
            }
        } else if (path.equals("/local/mail") && method.equals("GET")) {
            // what each approver found in their own mailbox: ?to=alice@example.com for one of them
            String query = exchange.getRequestURI().getRawQuery();
            String to = query == null ? null : java.util.Arrays.stream(query.split("&")).filter(p -> p.startsWith("to="))
                    .map(p -> java.net.URLDecoder.decode(p.substring(3), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT)).findFirst().orElse(null);
            json(exchange, 200, mail.messages().stream().filter(m -> to == null || to.equals(m.get("to"))).toList());
        } else if (path.equals("/local/chat/press") && method.equals("POST") && presses != null) {
            // {"platform":"slack","incident":"inc-…","user":"T0AWOOOI/U0ALICE","action":"approve"}
            try {
                Map<?, ?> press = Json.MAPPER.readValue(body, Map.class);
                json(exchange, 200, presses.press(String.valueOf(press.get("platform")), String.valueOf(press.get("incident")),
                        String.valueOf(press.get("user")), String.valueOf(press.get("action"))));
            } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
                json(exchange, 400, Map.of("message", e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                json(exchange, 503, Map.of("message", "interrupted"));
            }
        } else if (path.equals("/local/outbox/page") && method.equals("GET")) {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            send(exchange, 200, outbox.page().getBytes(StandardCharsets.UTF_8));
        } else if (run.matches() && method.equals("POST")) {
            String function = run.group(1);
            if (!schedules.has(function)) {
                json(exchange, 404, Map.of("message", "no function " + function + " with a ScheduleV2 event"));
                return;
            }
            Object output;
            try {
                output = schedules.runNow(function);
            } catch (RuntimeException e) {
                log.error("{} failed when run on demand", function, e);
                json(exchange, 500, Map.of("message", function + " failed: " + e.getClass().getSimpleName()));
                return;
            }
            json(exchange, 200, output);
        } else {
            json(exchange, 404, Map.of("message", "Not Found"));
        }
    }

    /** Bearer header, or a token query parameter so that the outbox page opens in a browser; constant time. */
    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        String query = exchange.getRequestURI().getRawQuery();
        if (given == null && query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("token=")) {
                    given = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
        }
        return given != null && MessageDigest.isEqual(localToken, given.getBytes(StandardCharsets.UTF_8));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a status and a body (none when empty): the one way the local servers answer. */
    public static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
