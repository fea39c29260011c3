package dev.awoooi.llm;

import dev.awoooi.analysis.LanguageModel;
import dev.awoooi.analysis.ModelAnswer;
import dev.awoooi.analysis.ModelFailure;
import dev.awoooi.analysis.ModelPrompt;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Amazon Bedrock's Converse API ({@code POST /model/{modelId}/converse}), signed with Signature Version 4 by the AWS
 * SDK's own signer and the function's IAM role (the SDK's credential chain). Converse takes no output schema: the
 * system text carries it and the answer is validated like every other. The SDK's {@code bedrockruntime} client is not
 * used: it would marshal the body after the Privacy Shield's scan, and its 1.7 MB do not fit the cluster package.
 */
public final class BedrockConverseModel implements LanguageModel {
    /** What java.net.http sets itself and refuses to be given. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final ModelWire wire;
    private final URI endpoint;
    private final String model;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final ModelPricing pricing;

    /** @param baseUrl {@code https://bedrock-runtime.REGION.amazonaws.com}, or a VPC endpoint */
    public BedrockConverseModel(ModelWire wire, URI baseUrl, String model, String region, AwsCredentialsProvider credentials,
                                ModelPricing pricing) {
        this.wire = wire;
        this.endpoint = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/model/"
                + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20") + "/converse");
        this.model = model;
        this.region = region;
        this.credentials = credentials;
        this.pricing = pricing;
    }

    @Override
    public ModelAnswer ask(ModelPrompt prompt) {
        ObjectNode body = wire.json().createObjectNode();
        body.putArray("system").addObject().put("text", prompt.system());
        body.putArray("messages").addObject().put("role", "user").putArray("content").addObject().put("text", prompt.user());
        body.putObject("inferenceConfig").put("maxTokens", prompt.maxTokens()).put("temperature", 0);
        byte[] bytes = wire.json().writeValueAsBytes(body);
        JsonNode response = wire.post(endpoint, signedHeaders(bytes), bytes);
        String stop = response.path("stopReason").asString("");
        if ("max_tokens".equals(stop)) {
            throw ModelFailure.invalid("the answer was cut off at " + prompt.maxTokens() + " tokens");
        }
        if ("guardrail_intervened".equals(stop) || "content_filtered".equals(stop)) {
            throw ModelFailure.invalid("the provider filtered the answer");
        }
        String text = null;
        for (JsonNode block : response.path("output").path("message").path("content")) {
            if (block.hasNonNull("text")) {
                text = block.get("text").asString();
                break;
            }
        }
        JsonNode usage = response.path("usage");
        return ModelAnswers.read(wire.json(), text, new ModelAnswer.Usage(usage.path("inputTokens").asLong(0), usage.path("outputTokens").asLong(0)));
    }

    /** SigV4 over exactly these bytes: Authorization, X-Amz-Date and, with a role's session, X-Amz-Security-Token. */
    private Map<String, String> signedHeaders(byte[] body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/json").build();
        SignedRequest signed;
        try {
            signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials()).request(request)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        } catch (RuntimeException e) {
            throw ModelFailure.unavailable("no AWS credentials to sign with (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) && !values.isEmpty()) {
                headers.put(name, String.join(",", values));
            }
        });
        return headers;
    }

    @Override
    public String name() {
        return "bedrock " + model;
    }

    @Override
    public ModelPricing pricing() {
        return pricing;
    }
}
