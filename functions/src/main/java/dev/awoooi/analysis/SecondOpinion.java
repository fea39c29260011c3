package dev.awoooi.analysis;

import dev.awoooi.privacy.PrivacyShield;

import java.util.List;

/**
 * Asks the configured model about an incident and keeps what it answered, masked: the model only ever saw
 * pseudonyms, but a hallucinated address or key in its answer is masked before anyone stores or shows it.
 */
public final class SecondOpinion {
    private final LanguageModel model;
    private final int maxTokens;
    private final PrivacyShield shield;

    public SecondOpinion(LanguageModel model, int maxTokens, PrivacyShield shield) {
        this.model = model;
        this.maxTokens = maxTokens;
        this.shield = shield;
    }

    /** The model's answer, or why there is none; never throws for what a model or a provider can do. */
    sealed interface Asked permits Answered, Failed {
    }

    record Answered(ModelAnswer answer, long latencyMs) implements Asked {
    }

    record Failed(ModelOpinion opinion) implements Asked {
    }

    Asked ask(ModelPrompt.Brief brief) {
        long started = System.nanoTime();
        try {
            ModelAnswer answer = model.ask(ModelPrompt.of(brief, maxTokens));
            ModelAnswer masked = new ModelAnswer(shield.mask(answer.hypothesis()), answer.confidence(),
                    answer.evidence().stream().map(shield::mask).toList(), answer.suggestion(), answer.usage());
            return new Answered(masked, elapsed(started));
        } catch (ModelFailure failure) {
            return new Failed(ModelOpinion.failed(model.name(), failure, elapsed(started)));
        } catch (RuntimeException unexpected) {
            // an adapter's own defect must not cost the incident its analysis; the type names it, the text may not be safe
            return new Failed(ModelOpinion.failed(model.name(), ModelFailure.unavailable("the adapter failed: "
                    + unexpected.getClass().getSimpleName()), elapsed(started)));
        }
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    ModelOpinion opinion(ModelAnswer answer, long latencyMs, Suggestion verdict, boolean adopted, String insteadOf, String note) {
        // the guard quotes a little of what it refused, and the note carries that reason: both are the model's words
        Suggestion masked = verdict == null ? null : new Suggestion(verdict.outcome(), shield.mask(verdict.reason()));
        return new ModelOpinion(ModelOpinion.Status.ANSWERED, model.name(), answer.hypothesis(), answer.confidence(),
                List.copyOf(answer.evidence()), answer.suggestion() == null ? null : shield.mask(answer.suggestion()), masked, adopted,
                insteadOf, shield.mask(note), answer.usage().inputTokens(), answer.usage().outputTokens(), model.pricing().costUsd(answer.usage()), latencyMs);
    }
}
