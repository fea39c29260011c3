package dev.awoooi.analysis;

import java.util.Collection;
import java.util.Map;

/**
 * What an hour of each service being down costs (lost revenue or SLA penalty), configured per service with a
 * default for the rest. The outage is priced over every service that is down or suffers.
 */
public final class CostModel {
    private final double defaultPerHourUsd;
    private final Map<String, Double> perHourUsd;

    public CostModel(double defaultPerHourUsd, Map<String, Double> perHourUsd) {
        if (defaultPerHourUsd < 0 || perHourUsd.values().stream().anyMatch(v -> v == null || v < 0)) {
            throw new IllegalArgumentException("costs per hour must be zero or more");
        }
        this.defaultPerHourUsd = defaultPerHourUsd;
        this.perHourUsd = Map.copyOf(perHourUsd);
    }

    public double perHourUsd(String service) {
        return perHourUsd.getOrDefault(service, defaultPerHourUsd);
    }

    /** Dollars per minute for these services being down, rounded to cents. */
    public double perMinuteUsd(Collection<String> services) {
        double perHour = services.stream().distinct().mapToDouble(this::perHourUsd).sum();
        return Math.round(perHour / 60.0 * 100) / 100.0;
    }

    /** A copy with per-service costs from another source (the topology file) under the configured ones. */
    public CostModel withDefaults(Map<String, Double> declared) {
        var merged = new java.util.HashMap<>(declared);
        merged.putAll(perHourUsd);
        return new CostModel(defaultPerHourUsd, merged);
    }
}
