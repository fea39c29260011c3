package dev.awoooi.llm;

import dev.awoooi.analysis.ModelAnswer;
import dev.awoooi.analysis.ModelFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelAnswersTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ModelAnswer.Usage USAGE = new ModelAnswer.Usage(10, 5);

    @Test
    void readsAnAnswerThatKeepsTheSchema() {
        ModelAnswer answer = ModelAnswers.read(JSON, """
                {"hypothesis":"the database ran out of connections","confidence":0.7,"evidence":["auth-service errors"],
                 "suggestion":"kubectl rollout restart statefulset postgres-db -n production"}""", USAGE);
        assertThat(answer.hypothesis()).isEqualTo("the database ran out of connections");
        assertThat(answer.confidence()).isEqualTo(0.7);
        assertThat(answer.evidence()).containsExactly("auth-service errors");
        assertThat(answer.suggestion()).startsWith("kubectl rollout restart");
        assertThat(answer.usage()).isEqualTo(USAGE);
    }

    @Test
    void aNullOrBlankSuggestionIsNoSuggestionAndOneCodeFenceIsTolerated() {
        assertThat(ModelAnswers.read(JSON, "```json\n{\"hypothesis\":\"h\",\"confidence\":0,\"evidence\":[],\"suggestion\":null}\n```", USAGE)
                .suggestion()).isNull();
        assertThat(ModelAnswers.read(JSON, "{\"hypothesis\":\"h\",\"confidence\":1,\"evidence\":[],\"suggestion\":\"  \"}", USAGE)
                .suggestion()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "I think the database is down.",
            "{\"hypothesis\":\"h\",\"confidence\":0.5,\"evidence\":[]",
            "[\"hypothesis\"]",
            "{\"hypothesis\":\"h\",\"confidence\":0.5,\"evidence\":[],\"suggestion\":null,\"command\":\"rm -rf /\"}",
            "{\"hypothesis\":\"h\",\"confidence\":\"high\",\"evidence\":[],\"suggestion\":null}",
            "{\"hypothesis\":\"h\",\"confidence\":1.5,\"evidence\":[],\"suggestion\":null}",
            "{\"hypothesis\":\"h\",\"confidence\":2e3960681,\"evidence\":[],\"suggestion\":null}",
            "{\"hypothesis\":\"h\",\"confidence\":-0.1,\"evidence\":[],\"suggestion\":null}",
            "{\"hypothesis\":\"\",\"confidence\":0.5,\"evidence\":[],\"suggestion\":null}",
            "{\"confidence\":0.5,\"evidence\":[],\"suggestion\":null}",
            "{\"hypothesis\":\"h\",\"confidence\":0.5,\"evidence\":[1,2],\"suggestion\":null}",
            "{\"hypothesis\":\"h\",\"confidence\":0.5,\"evidence\":\"all of it\",\"suggestion\":null}",
            "{\"hypothesis\":\"h\",\"confidence\":0.5,\"evidence\":[],\"suggestion\":[\"kubectl\",\"delete\"]}",
            "{\"hypothesis\":\"h\",\"confidence\":0.5,\"evidence\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"],\"suggestion\":null}",
    })
    void anAnswerThatBreaksTheSchemaIsInvalidNeverHalfRead(String text) {
        assertThatThrownBy(() -> ModelAnswers.read(JSON, text, USAGE)).isInstanceOfSatisfying(ModelFailure.class,
                f -> assertThat(f.kind()).isEqualTo(ModelFailure.Kind.INVALID_ANSWER));
    }

    @Test
    void anOverLongAnswerIsInvalid() {
        String longText = "x".repeat(ModelAnswer.MAX_HYPOTHESIS + 1);
        assertThatThrownBy(() -> ModelAnswers.read(JSON, "{\"hypothesis\":\"" + longText + "\",\"confidence\":0.5,\"evidence\":[],\"suggestion\":null}", USAGE))
                .isInstanceOf(ModelFailure.class).hasMessageContaining("longer than");
        String longCommand = "kubectl " + "a".repeat(600);
        assertThatThrownBy(() -> ModelAnswers.read(JSON, "{\"hypothesis\":\"h\",\"confidence\":0.5,\"evidence\":[],\"suggestion\":\"" + longCommand + "\"}", USAGE))
                .isInstanceOf(ModelFailure.class);
    }
}
