package dev.awoooi.config;

import dev.awoooi.analysis.LanguageModel;
import dev.awoooi.llm.AnthropicModel;
import dev.awoooi.llm.BedrockConverseModel;
import dev.awoooi.llm.ModelWire;
import dev.awoooi.llm.OpenAiCompatibleModel;
import dev.awoooi.privacy.PrivacyShield;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Locale;

/** The configured provider's adapter (AwoooiProperties.Model), each behind the one shielded wire. */
final class ModelAdapters {
    private ModelAdapters() {
    }

    static LanguageModel of(AwoooiProperties.Model m, SecretStore secrets, ObjectMapper json) {
        if (m.name().isBlank()) {
            throw new IllegalStateException("awoooi.model.provider is " + m.provider() + " but awoooi.model.name names no model");
        }
        ModelWire wire = new ModelWire(HttpClient.newBuilder().connectTimeout(m.timeout()).build(), m.timeout(), new PrivacyShield(), json);
        var pricing = new LanguageModel.ModelPricing(m.inputusdpermillion(), m.outputusdpermillion());
        return switch (m.provider().toLowerCase(Locale.ROOT)) {
            case "openai" -> new OpenAiCompatibleModel(wire, endpoint(m, "https://api.openai.com/v1"), m.name(),
                    () -> secrets.current().modelApiKey(), pricing);
            case "anthropic" -> new AnthropicModel(wire, endpoint(m, "https://api.anthropic.com"), m.name(),
                    () -> secrets.current().modelApiKey(), pricing);
            case "bedrock" -> {
                String region = m.region().isBlank() ? new DefaultAwsRegionProviderChain().getRegion().id() : m.region();
                yield new BedrockConverseModel(wire, endpoint(m, "https://bedrock-runtime." + region + ".amazonaws.com"), m.name(),
                        region, DefaultCredentialsProvider.builder().build(), pricing);
            }
            default -> throw new IllegalStateException("awoooi.model.provider '" + m.provider()
                    + "' is none of: none, openai, anthropic, bedrock");
        };
    }

    private static URI endpoint(AwoooiProperties.Model m, String providers) {
        return URI.create(m.endpoint().isBlank() ? providers : m.endpoint());
    }
}
