package dev.awoooi.notify;

import dev.awoooi.action.RiskLevel;
import dev.awoooi.incident.Incident;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One chat channel and which incidents' cards it takes: those at or above {@code minRisk} (the request's risk, else the
 * analysis's; LOW before any) and, if {@code namespaces} names any, only those about one of them (the namespace of what
 * AWOOOI would touch, else the alert's). Cards about no incident (scans, dead letters) go to every channel.
 */
public record ChatRoute(String name, ChatChannel channel, RiskLevel minRisk, Set<String> namespaces) {
    public ChatRoute {
        namespaces = Set.copyOf(namespaces);
    }

    /** A channel that takes every card. */
    public static ChatRoute all(String name, ChatChannel channel) {
        return new ChatRoute(name, channel, RiskLevel.LOW, Set.of());
    }

    public boolean takes(Incident incident) {
        if (incident == null) {
            return true;
        }
        RiskLevel risk = incident.approval() != null ? incident.approval().risk()
                : incident.analysis() != null ? incident.analysis().risk().level() : RiskLevel.LOW;
        if (risk.ordinal() < minRisk.ordinal()) {
            return false;
        }
        if (namespaces.isEmpty()) {
            return true;
        }
        String namespace = Cards.namespace(incident);
        return namespace != null && namespaces.contains(namespace);
    }

    /** One channel's rule as configured: its least risk, and the namespaces it is for (none: all). */
    public record Rule(RiskLevel minRisk, Set<String> namespaces) {
        public static final Rule ALL = new Rule(RiskLevel.LOW, Set.of());
    }

    /**
     * Reads {@code slack=HIGH; telegram=LOW:production,payments; discord=CRITICAL}: per channel (webhook, slack,
     * telegram, discord) the least risk it is sent, and optionally after a colon the namespaces it is for. A channel
     * not named takes every card. Anything else is refused with the reason, so a typo never silences a channel.
     */
    public static Map<String, Rule> parse(String spec) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return rules;
        }
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("chat routing entry '" + entry.trim() + "' is not channel=RISK[:namespace,…]");
            }
            String channel = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!List.of("webhook", "slack", "telegram", "discord").contains(channel)) {
                throw new IllegalArgumentException("chat routing names an unknown channel '" + channel + "' (webhook, slack, telegram, discord)");
            }
            String[] parts = entry.substring(eq + 1).split(":", 2);
            RiskLevel risk;
            try {
                risk = RiskLevel.valueOf(parts[0].trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("chat routing for " + channel + ": '" + parts[0].trim() + "' is not LOW, MEDIUM, HIGH or CRITICAL");
            }
            List<String> namespaces = new ArrayList<>();
            if (parts.length == 2) {
                for (String namespace : parts[1].split(",")) {
                    if (!namespace.isBlank()) {
                        namespaces.add(namespace.trim());
                    }
                }
            }
            if (rules.put(channel, new Rule(risk, Set.copyOf(namespaces))) != null) {
                throw new IllegalArgumentException("chat routing names " + channel + " twice");
            }
        }
        return rules;
    }
}
