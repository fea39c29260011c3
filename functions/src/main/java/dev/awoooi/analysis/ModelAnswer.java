package dev.awoooi.analysis;

import java.util.List;

/**
 * What a model answered, within {@link ModelPrompt#ANSWER_SCHEMA}'s bounds: a root-cause hypothesis in plain words, a
 * confidence between 0 and 1, the evidence it rests on, and at most one remediation in kubectl syntax (untrusted: the
 * command guard reads it like a runbook's). A value out of bounds is an {@link IllegalArgumentException}, which the
 * adapters report as an invalid answer.
 */
public record ModelAnswer(String hypothesis, double confidence, List<String> evidence, String suggestion, Usage usage) {
    public static final int MAX_HYPOTHESIS = 1_000;
    public static final int MAX_EVIDENCE = 8;
    public static final int MAX_EVIDENCE_ITEM = 300;

    public ModelAnswer {
        if (hypothesis == null || hypothesis.isBlank() || hypothesis.length() > MAX_HYPOTHESIS) {
            throw new IllegalArgumentException("the hypothesis is empty or longer than " + MAX_HYPOTHESIS + " characters");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("the confidence is not a number between 0 and 1");
        }
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        if (evidence.size() > MAX_EVIDENCE || evidence.stream().anyMatch(e -> e == null || e.length() > MAX_EVIDENCE_ITEM)) {
            throw new IllegalArgumentException("more than " + MAX_EVIDENCE + " pieces of evidence, or one longer than "
                    + MAX_EVIDENCE_ITEM + " characters");
        }
        if (suggestion != null && suggestion.isBlank()) {
            suggestion = null;
        }
        if (suggestion != null && suggestion.length() > dev.awoooi.action.CommandGuard.MAX_LENGTH) {
            throw new IllegalArgumentException("the suggestion is longer than " + dev.awoooi.action.CommandGuard.MAX_LENGTH + " characters");
        }
        usage = usage == null ? Usage.UNKNOWN : usage;
    }

    /** Tokens the provider counted for this answer. */
    public record Usage(long inputTokens, long outputTokens) {
        public static final Usage UNKNOWN = new Usage(0, 0);

        public Usage {
            if (inputTokens < 0 || outputTokens < 0) {
                throw new IllegalArgumentException("a token count is never negative");
            }
        }
    }
}
