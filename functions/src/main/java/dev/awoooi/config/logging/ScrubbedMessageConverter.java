package dev.awoooi.config.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.awoooi.privacy.PrivacyShield;

/**
 * {@code %m} with every value the Privacy Shield detects masked ({@code [EMAIL]}, {@code [KEY]}): the second line
 * of defence, for a code path that logs raw text by mistake. Registered in {@code logback-spring.xml}.
 */
public final class ScrubbedMessageConverter extends MessageConverter {
    static final PrivacyShield SHIELD = new PrivacyShield();

    @Override
    public String convert(ILoggingEvent event) {
        return SHIELD.mask(super.convert(event));
    }
}
