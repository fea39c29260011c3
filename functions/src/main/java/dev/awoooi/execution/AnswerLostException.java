package dev.awoooi.execution;

/**
 * A mutation was sent, but its answer never came (a timeout, a dropped connection): it may or may not have happened,
 * and only re-reading the target tells which.
 */
public final class AnswerLostException extends RuntimeException {
    public AnswerLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
