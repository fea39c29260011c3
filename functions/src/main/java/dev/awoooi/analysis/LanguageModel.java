package dev.awoooi.analysis;

/**
 * Port: a language model asked for a second opinion on an incident. It only ever receives a {@link ModelPrompt} built
 * from what the incident stores (pseudonyms, masked log lines), and every adapter scans the exact request body it is
 * about to send with the Privacy Shield, refusing to send on any detection ({@link ModelFailure.Kind#LEAK_REFUSED}).
 */
public interface LanguageModel {
    /** The model's answer, validated against {@link ModelPrompt#ANSWER_SCHEMA}; a {@link ModelFailure} otherwise. */
    ModelAnswer ask(ModelPrompt prompt);

    /** Which provider and model, for the card and the audit trail (no key, no credentials). */
    String name();

    /** What one answer costs, from the provider's price per million tokens. */
    ModelPricing pricing();

    /** Dollars per million input and output tokens (configuration; zero for a local model). */
    record ModelPricing(double inputUsdPerMillion, double outputUsdPerMillion) {
        public static final ModelPricing FREE = new ModelPricing(0, 0);

        public ModelPricing {
            if (!(inputUsdPerMillion >= 0) || !(outputUsdPerMillion >= 0)) {
                throw new IllegalArgumentException("a price per million tokens is a non-negative number");
            }
        }

        public double costUsd(ModelAnswer.Usage usage) {
            return (usage.inputTokens() * inputUsdPerMillion + usage.outputTokens() * outputUsdPerMillion) / 1_000_000d;
        }
    }
}
