package dev.awoooi.config.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped logback-spring.xml masks raw values in messages and in stack traces, and leaves the rest. */
class LogScrubberTest {

    @Test
    void theConsolePatternMasksWhatTheShieldDetects() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback-spring.xml"));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        var appender = (ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender("CONSOLE");
        var encoder = (LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent>) appender.getEncoder();

        var event = new LoggingEvent(getClass().getName(), context.getLogger("test"), Level.ERROR,
                "connect failed for {} from {} with token {}",
                new IllegalStateException("login jane.doe@example.com denied (password=Zq8vLm2kTr9w)"),
                new Object[] {"postgres://orders:S3cr3tP4ss@db.internal:5432/orders", "203.0.113.42",
                        "ghp_16C7e42F292c6912E7710c838347Ae178B4a"});
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).doesNotContain("S3cr3tP4ss", "203.0.113.42", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
                "jane.doe@example.com", "Zq8vLm2kTr9w");
        assertThat(line).contains("connect failed for postgres://[SECRET]@db.internal:5432/orders from [IP] with token [KEY]",
                "login [EMAIL] denied (password=[SECRET])", "IllegalStateException", "at dev.awoooi.config.logging.LogScrubberTest");
    }
}
