package dev.awoooi.analysis;

import java.util.List;

/**
 * Why a model gave no usable answer. The message is AWOOOI's own words (a status code, a rule), never the provider's
 * response text nor any part of the request, so it can go on a card and into the audit trail as it is.
 */
public final class ModelFailure extends RuntimeException {
    public enum Kind {
        /** Timed out, unreachable, throttled or an error status: the analysis stands without the model. */
        UNAVAILABLE,
        /** Answered, but not with JSON that keeps the schema. */
        INVALID_ANSWER,
        /** The request body held something the Privacy Shield detects: it was never sent. */
        LEAK_REFUSED
    }

    private final Kind kind;
    private final List<String> detected;

    private ModelFailure(Kind kind, String message, List<String> detected) {
        super(message);
        this.kind = kind;
        this.detected = List.copyOf(detected);
    }

    public static ModelFailure unavailable(String why) {
        return new ModelFailure(Kind.UNAVAILABLE, why, List.of());
    }

    public static ModelFailure invalid(String why) {
        return new ModelFailure(Kind.INVALID_ANSWER, why, List.of());
    }

    /** @param detected the detected types ({@code EMAIL}, {@code AWS_KEY}), never the values */
    public static ModelFailure leak(List<String> detected) {
        return new ModelFailure(Kind.LEAK_REFUSED, "the request to the model held " + String.join(", ", detected)
                + ": the Privacy Shield refused to send it", detected);
    }

    public Kind kind() {
        return kind;
    }

    public List<String> detected() {
        return detected;
    }
}
