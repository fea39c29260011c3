package dev.awoooi.analysis;

import java.util.List;

/**
 * What AWOOOI looked at for an investigation, as a person would look first: the subject's recent events, its
 * containers' restarts, its rollout history and the tail of its failing pods' logs. Every text is masked by the
 * privacy shield before it is kept; {@code gaps} says what could not be looked at, and why.
 *
 * @param subject what was looked at: a workload, or a namespace when the alert names no workload
 */
public record Findings(String subject, List<String> events, List<String> restarts, List<String> rollouts, List<LogTail> logs,
                       List<String> gaps) {

    public Findings {
        events = List.copyOf(events);
        restarts = List.copyOf(restarts);
        rollouts = List.copyOf(rollouts);
        logs = List.copyOf(logs);
        gaps = List.copyOf(gaps);
    }

    /** Nothing was looked at, and why. */
    public static Findings notLooked(String subject, String why) {
        return new Findings(subject, List.of(), List.of(), List.of(), List.of(), List.of(why));
    }

    /** The last lines of one container's log; {@code previous}: the run before the current one (a crash loop's). */
    public record LogTail(String pod, String container, boolean previous, List<String> lines) {
        public LogTail {
            lines = List.copyOf(lines);
        }
    }
}
