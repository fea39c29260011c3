package dev.awoooi.privacy;

/**
 * What a detector finds. {@code label} is the pseudonym family a person sees ({@code [KEY_1]}); {@code rank}
 * settles overlaps: the more specific shape wins (a GitHub token after {@code password=} is a GitHub token).
 */
public enum SecretType {
    PRIVATE_KEY("KEY", 100),
    JWT("JWT", 90),
    AWS_ACCESS_KEY_ID("KEY", 80),
    AWS_SECRET_ACCESS_KEY("KEY", 80),
    GITHUB_TOKEN("KEY", 80),
    GITLAB_TOKEN("KEY", 80),
    SLACK_TOKEN("KEY", 80),
    STRIPE_KEY("KEY", 80),
    GOOGLE_API_KEY("KEY", 80),
    OPENAI_KEY("KEY", 80),
    ANTHROPIC_KEY("KEY", 85),
    URL_CREDENTIALS("SECRET", 70),
    BEARER_TOKEN("SECRET", 60),
    EMAIL("EMAIL", 50),
    UUID("UUID", 45),
    IPV6("IP", 40),
    IPV4("IP", 40),
    CREDIT_CARD("CARD", 30),
    GENERIC_SECRET("SECRET", 10);

    private final String label;
    private final int rank;

    SecretType(String label, int rank) {
        this.label = label;
        this.rank = rank;
    }

    public String label() {
        return label;
    }

    int rank() {
        return rank;
    }
}
