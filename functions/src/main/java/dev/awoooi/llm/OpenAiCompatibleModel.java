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
 * Chat Completions as OpenAI defines it and Ollama ({@code /v1}), vLLM and LM Studio serve it: the answer constrained
 * by {@code response_format} with the strict JSON schema. {@code baseUrl} ends in {@code /v1}; the key (the secret's
 * modelApiKey, read on each call so a rotation takes effect) is optional: a local model needs none.
 */
public final class OpenAiCompatibleModel implements LanguageModel {
    private final ModelWire wire;
    private final URI endpoint;
    private final String model;
    private final Supplier<String> apiKey;
    private final ModelPricing pricing;

    public OpenAiCompatibleModel(ModelWire wire, URI baseUrl, String model, Supplier<String> apiKey, ModelPricing pricing) {
        this.wire = wire;
        this.endpoint = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.pricing = pricing;
    }

    @Override
    public ModelAnswer ask(ModelPrompt prompt) {
        ObjectNode body = wire.json().createObjectNode().put("model", model).put("max_tokens", prompt.maxTokens()).put("temperature", 0);
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", prompt.system());
        messages.addObject().put("role", "user").put("content", prompt.user());
        body.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                .put("name", "incident_opinion").put("strict", true).set("schema", wire.json().readTree(ModelPrompt.ANSWER_SCHEMA));
        String key = apiKey.get();
        JsonNode response = wire.post(endpoint, key == null || key.isBlank() ? Map.of() : Map.of("Authorization", "Bearer " + key),
                wire.json().writeValueAsBytes(body));
        JsonNode choice = response.path("choices").path(0);
        if ("length".equals(choice.path("finish_reason").asString(""))) {
            throw ModelFailure.invalid("the answer was cut off at " + prompt.maxTokens() + " tokens");
        }
        if (choice.path("message").hasNonNull("refusal")) {
            throw ModelFailure.invalid("the model refused to answer");
        }
        JsonNode usage = response.path("usage");
        return ModelAnswers.read(wire.json(), choice.path("message").path("content").asString(null),
                new ModelAnswer.Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0)));
    }

    @Override
    public String name() {
        return "openai-compatible " + model;
    }

    @Override
    public ModelPricing pricing() {
        return pricing;
    }
}
