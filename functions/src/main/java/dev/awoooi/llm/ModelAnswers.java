package dev.awoooi.llm;

import dev.awoooi.analysis.ModelAnswer;
import dev.awoooi.analysis.ModelFailure;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a model's answer text as {@link dev.awoooi.analysis.ModelPrompt#ANSWER_SCHEMA} says, strictly: one JSON object
 * (inside one Markdown code fence at most), exactly the schema's fields and types, nothing else. Whatever breaks it is
 * an invalid answer, never half-read.
 */
final class ModelAnswers {
    private static final Set<String> FIELDS = Set.of("hypothesis", "confidence", "evidence", "suggestion");

    private ModelAnswers() {
    }

    static ModelAnswer read(ObjectMapper json, String text, ModelAnswer.Usage usage) {
        if (text == null || text.isBlank()) {
            throw ModelFailure.invalid("the answer is empty");
        }
        JsonNode answer;
        try {
            answer = json.readTree(unfenced(text.strip()));
        } catch (JacksonException e) {
            throw ModelFailure.invalid("the answer is not JSON");
        }
        if (answer == null || !answer.isObject()) {
            throw ModelFailure.invalid("the answer is not a JSON object");
        }
        for (String field : answer.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw ModelFailure.invalid("the answer has a field the schema does not allow");
            }
        }
        JsonNode hypothesis = answer.get("hypothesis");
        JsonNode confidence = answer.get("confidence");
        JsonNode evidence = answer.get("evidence");
        JsonNode suggestion = answer.get("suggestion");
        if (hypothesis == null || !hypothesis.isString() || confidence == null || !confidence.isNumber()
                || evidence == null || !evidence.isArray() || (suggestion != null && !suggestion.isNull() && !suggestion.isString())) {
            throw ModelFailure.invalid("the answer breaks the schema (a field is missing or of the wrong type)");
        }
        List<String> facts = new ArrayList<>();
        for (JsonNode fact : evidence) {
            if (!fact.isString()) {
                throw ModelFailure.invalid("the answer breaks the schema (evidence that is not text)");
            }
            facts.add(fact.asString());
        }
        try {
            return new ModelAnswer(hypothesis.asString(), confidence.asDouble(), facts,
                    suggestion == null || suggestion.isNull() ? null : suggestion.asString(), usage);
        } catch (IllegalArgumentException e) {
            throw ModelFailure.invalid("the answer breaks the schema (" + e.getMessage() + ")");
        }
    }

    /** The text inside a single ```json … ``` fence, which models add even when asked not to. */
    private static String unfenced(String text) {
        if (!text.startsWith("```") || !text.endsWith("```") || text.length() < 6) {
            return text;
        }
        int firstLine = text.indexOf('\n');
        return firstLine < 0 ? text : text.substring(firstLine + 1, text.length() - 3);
    }
}
