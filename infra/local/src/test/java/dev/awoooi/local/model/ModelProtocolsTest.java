package dev.awoooi.local.model;

import dev.awoooi.analysis.LanguageModel;
import dev.awoooi.analysis.ModelAnswer;
import dev.awoooi.analysis.ModelFailure;
import dev.awoooi.analysis.ModelPrompt;
import dev.awoooi.llm.AnthropicModel;
import dev.awoooi.llm.BedrockConverseModel;
import dev.awoooi.llm.ModelWire;
import dev.awoooi.llm.OpenAiCompatibleModel;
import dev.awoooi.privacy.PrivacyShield;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each adapter against its API's stub: the wire format, the credentials, the failures, and a fuzzing model. */
class ModelProtocolsTest {
    private static final ModelPrompt PROMPT = new ModelPrompt("system", "Alert HighErrorRate on service frontend in namespace production.\n"
            + "Root causes (unhealthy dependencies, most suspicious first): postgres-db (database, CrashLoopBackOff, 2 hops down)\n", 256);
    private ModelStub stub;

    @BeforeEach
    void start() {
        stub = ModelStub.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private LanguageModel model(String protocol, String key, String awsSecret, Duration timeout) {
        ModelWire wire = new ModelWire(HttpClient.newHttpClient(), timeout, new PrivacyShield(), JsonMapper.builder().build());
        var pricing = new LanguageModel.ModelPricing(1, 2);
        return switch (protocol) {
            case "openai" -> new OpenAiCompatibleModel(wire, java.net.URI.create(stub.baseUrl() + "/v1"), "local", () -> key, pricing);
            case "anthropic" -> new AnthropicModel(wire, stub.baseUrl(), "local", () -> key, pricing);
            default -> new BedrockConverseModel(wire, stub.baseUrl(), "anthropic.claude-3-5-haiku-20241022-v1:0", "eu-central-1",
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(ModelStub.AWS_ACCESS_KEY, awsSecret)), pricing);
        };
    }

    private LanguageModel model(String protocol) {
        return model(protocol, ModelStub.API_KEY, ModelStub.AWS_SECRET_KEY, Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "bedrock"})
    void speaksTheApiAndReadsTheAnswerAndItsUsage(String protocol) {
        stub.suggesting("kubectl rollout restart statefulset postgres-db -n production");
        ModelAnswer answer = model(protocol).ask(PROMPT);
        assertThat(answer.hypothesis()).startsWith("postgres-db is failing");
        assertThat(answer.confidence()).isEqualTo(0.8);
        assertThat(answer.suggestion()).isEqualTo("kubectl rollout restart statefulset postgres-db -n production");
        assertThat(answer.usage().inputTokens()).isPositive();
        assertThat(answer.usage().outputTokens()).isPositive();
        assertThat(stub.received()).singleElement().satisfies(r -> {
            assertThat(r.api()).isEqualTo(protocol);
            assertThat(r.body()).contains("postgres-db");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "bedrock"})
    void aWrongCredentialIsRefusedByTheProvider(String protocol) {
        LanguageModel wrong = model(protocol, "sk-wrong", "not-the-secret", Duration.ofSeconds(5));
        assertThatThrownBy(() -> wrong.ask(PROMPT)).isInstanceOfSatisfying(ModelFailure.class, f -> {
            assertThat(f.kind()).isEqualTo(ModelFailure.Kind.UNAVAILABLE);
            assertThat(f.getMessage()).matches("HTTP 40[13]: the provider refused the request");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "bedrock"})
    void anOutageAndASlowProviderAreUnavailable(String protocol) {
        stub.mode(ModelStub.Mode.DOWN);
        assertThatThrownBy(() -> model(protocol).ask(PROMPT)).hasMessage("HTTP 503");
        stub.mode(ModelStub.Mode.SLOW).delay(3_000);
        LanguageModel impatient = model(protocol, ModelStub.API_KEY, ModelStub.AWS_SECRET_KEY, Duration.ofMillis(500));
        assertThatThrownBy(() -> impatient.ask(PROMPT)).isInstanceOfSatisfying(ModelFailure.class,
                f -> assertThat(f.getMessage()).startsWith("no answer within"));
    }

    /** Whatever a fuzzing model sends back is either a valid answer or a ModelFailure: nothing else escapes. */
    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "bedrock"})
    void aFuzzingModelYieldsOnlyValidAnswersOrModelFailures(String protocol) {
        stub.mode(ModelStub.Mode.FUZZ);
        LanguageModel model = model(protocol);
        Map<ModelFailure.Kind, Integer> failures = new EnumMap<>(ModelFailure.Kind.class);
        int answers = 0;
        for (int i = 0; i < 120; i++) {
            try {
                ModelAnswer answer = model.ask(PROMPT);
                assertThat(answer.hypothesis().length()).isLessThanOrEqualTo(ModelAnswer.MAX_HYPOTHESIS);
                assertThat(answer.confidence()).isBetween(0.0, 1.0);
                answers++;
            } catch (ModelFailure f) {
                failures.merge(f.kind(), 1, Integer::sum);
            }
        }
        assertThat(answers).isPositive();
        assertThat(failures.get(ModelFailure.Kind.INVALID_ANSWER)).isPositive();
        assertThat(failures).doesNotContainKey(ModelFailure.Kind.LEAK_REFUSED);
    }
}
