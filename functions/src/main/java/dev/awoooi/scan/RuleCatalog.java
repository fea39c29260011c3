package dev.awoooi.scan;

import java.util.List;

/** Port: the alerting rules the metrics store evaluates (Prometheus's {@code /api/v1/rules}). */
public interface RuleCatalog {
    /** One alerting rule: its group, name, PromQL, severity label, state (inactive, pending, firing) and health. */
    record AlertRule(String group, String name, String expr, String severity, String state, String health) {
    }

    List<AlertRule> alertRules();
}
