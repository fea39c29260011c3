package dev.awoooi.analysis;

import java.util.List;

/**
 * What the model made of the incident and what AWOOOI made of the model: its hypothesis, confidence, evidence and
 * suggestion (masked by the Privacy Shield before they are kept), the command guard's verdict on the suggestion,
 * whether it replaced AWOOOI's plan and why (or why not), and what the answer cost. When the model gave no usable
 * answer, {@code status} says which failure and {@code note} why; the analysis is complete without it.
 *
 * @param verdict what the command guard made of the suggestion; null when the model suggested nothing or did not answer
 * @param adopted whether the suggestion replaced AWOOOI's own plan
 * @param insteadOf AWOOOI's own plan, when the model's replaced it: signers see both
 */
public record ModelOpinion(Status status, String model, String hypothesis, Double confidence, List<String> evidence,
                           String suggestion, Suggestion verdict, boolean adopted, String insteadOf, String note,
                           long inputTokens, long outputTokens, double costUsd, long latencyMs) {

    public enum Status {
        ANSWERED, UNAVAILABLE, INVALID_ANSWER, LEAK_REFUSED;

        static Status of(ModelFailure.Kind kind) {
            return switch (kind) {
                case UNAVAILABLE -> UNAVAILABLE;
                case INVALID_ANSWER -> INVALID_ANSWER;
                case LEAK_REFUSED -> LEAK_REFUSED;
            };
        }
    }

    public ModelOpinion {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    static ModelOpinion failed(String model, ModelFailure failure, long latencyMs) {
        String note = switch (failure.kind()) {
            case UNAVAILABLE -> "the model was unavailable (" + failure.getMessage() + "): the analysis stands without it";
            case INVALID_ANSWER -> "the model's answer was unusable (" + failure.getMessage() + "): the analysis stands without it";
            case LEAK_REFUSED -> failure.getMessage() + "; the analysis stands without the model";
        };
        return new ModelOpinion(Status.of(failure.kind()), model, null, null, List.of(), null, null, false, null, note, 0, 0, 0, latencyMs);
    }

    /** One line for a card or the audit trail. */
    public String summary() {
        if (status != Status.ANSWERED) {
            return note;
        }
        return "the model (" + model + ") thinks: " + hypothesis + " (confidence " + Math.round(confidence * 100) + "%); " + note;
    }
}
