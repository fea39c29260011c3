package dev.awoooi.approval;

import java.util.Locale;

/** Where a person can be reached and proven: each platform's own user id, an e-mail address, an OpenID Connect subject. */
public enum Channel {
    /** {@code <team id>/<user id>}, e.g. {@code T0001/U0001}: a Slack user id is unique only within its workspace. */
    SLACK("[A-Z0-9]{2,20}/[A-Z0-9]{2,20}"),
    /** The numeric Telegram user id (not the @username, which its owner can change). */
    TELEGRAM("[1-9][0-9]{0,19}"),
    /** The Discord user id (a snowflake). */
    DISCORD("[1-9][0-9]{5,19}"),
    /** An e-mail address the person's own links are sent to. */
    EMAIL("[^@\\s<>\"]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}"),
    /**
     * {@code <issuer>|<subject>}: an OpenID Connect subject is unique only within its issuer. The issuer is https, or
     * plain http on the loopback interface only (the local stack's provider).
     */
    OIDC("(?:https://|http://(?:127\\.0\\.0\\.1|localhost)[:/])[^|\\s]{1,200}\\|[^|\\s]{1,255}"),
    /** A personal approval link: who it was made for, not proof of who clicked it. */
    LINK("[a-z][a-z0-9._-]{0,63}");

    private final String pattern;

    Channel(String pattern) {
        this.pattern = pattern;
    }

    public boolean accepts(String subject) {
        return subject != null && subject.matches(pattern);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Channel parse(String label) {
        try {
            return valueOf(label.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown channel '" + label + "'; one of slack, telegram, discord, email, oidc");
        }
    }
}
