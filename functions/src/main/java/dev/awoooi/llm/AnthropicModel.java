package dev.awoooi.llm;

import dev.awoooi.analysis.LanguageModel;
import dev.awoooi.analysis.ModelAnswer;
import dev.awoooi.analysis.ModelFailure;
import dev.awoooi.analysis.ModelPrompt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, {@code anthropic-version: 2023-06-01}), the answer constrained
 * by {@code output_config.format} with the JSON schema.
 */
public final class AnthropicModel implements LanguageModel {
    static final String VERSION = "2023-06-01";

    private final ModelWire wire;
    private final URI endpoint;
    private final String model;
    private final Supplier<String> apiKey;
    private final ModelPricing pricing;

    public AnthropicModel(ModelWire wire, URI baseUrl, String model, Supplier<String> apiKey, ModelPricing pricing) {
        this.wire = wire;
        this.endpoint = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/v1/messages");
        this.model = model;
        this.apiKey = apiKey;
        this.pricing = pricing;
    }

    @Override
    public ModelAnswer ask(ModelPrompt prompt) {
        ObjectNode body = wire.json().createObjectNode().put("model", model).put("max_tokens", prompt.maxTokens())
                .put("temperature", 0).put("system", prompt.system());
        body.putArray("messages").addObject().put("role", "user").put("content", prompt.user());
        body.putObject("output_config").putObject("format").put("type", "json_schema")
                .set("schema", wire.json().readTree(ModelPrompt.ANSWER_SCHEMA));
        String key = apiKey.get();
        if (key == null || key.isBlank()) {
            throw ModelFailure.unavailable("no modelApiKey in the secrets this function holds");
        }
        JsonNode response = wire.post(endpoint, Map.of("x-api-key", key, "anthropic-version", VERSION), wire.json().writeValueAsBytes(body));
        String stop = response.path("stop_reason").asString("");
        if ("max_tokens".equals(stop)) {
            throw ModelFailure.invalid("the answer was cut off at " + prompt.maxTokens() + " tokens");
        }
        if ("refusal".equals(stop)) {
            throw ModelFailure.invalid("the model refused to answer");
        }
        String text = null;
        for (JsonNode block : response.path("content")) {
            if ("text".equals(block.path("type").asString(""))) {
                text = block.path("text").asString(null);
                break;
            }
        }
        JsonNode usage = response.path("usage");
        return ModelAnswers.read(wire.json(), text, new ModelAnswer.Usage(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0)));
    }

    @Override
    public String name() {
        return "anthropic " + model;
    }

    @Override
    public ModelPricing pricing() {
        return pricing;
    }
}
