package dev.awoooi.local;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The local peers' processes (Prometheus, the MCP server, the identity provider …) and how they are stopped. */
public final class Processes {
    private Processes() {
    }

    /** Asks the process to end (SIGTERM), and kills it when it has not within {@code grace}. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
