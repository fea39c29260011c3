package dev.awoooi.config.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/** {@code %wEx}, Boot's stack trace layout, with exception messages scrubbed like log messages. */
public final class ScrubbedThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return ScrubbedMessageConverter.SHIELD.mask(super.throwableProxyToString(proxy));
    }
}
