package dev.awoooi.config;

import dev.awoooi.scan.Capacity;
import dev.awoooi.scan.FinOps;
import dev.awoooi.scan.PriceBook;

import java.util.LinkedHashMap;
import java.util.Map;

/** The scans' settings read from their compact text forms; a malformed one fails the start with what is wrong. */
final class ScanSettings {
    private ScanSettings() {
    }

    static FinOps.Policy policy(AwoooiProperties.Scans s) {
        if (!(s.zombiecpu() > 0 && s.zombiecpu() < 1) || !(s.safety() >= 1)) {
            throw new IllegalArgumentException("awoooi.scans: zombiecpu must be in (0, 1) and safety at least 1");
        }
        return new FinOps.Policy(s.window(), s.orphanedfor(), s.zombiecpu(), s.zombiefor(), s.safety(),
                FinOps.Policy.DEFAULTS.minWasteShare(), FinOps.Policy.DEFAULTS.minMonthlyUsd());
    }

    static PriceBook prices(AwoooiProperties.Scans s) {
        Map<String, Double> storage = new LinkedHashMap<>();
        pairs("storageprices", s.storageprices()).forEach((type, price) -> storage.put(type, number("storageprices", type, price)));
        Map<String, PriceBook.InstanceType> instances = new LinkedHashMap<>();
        pairs("instanceprices", s.instanceprices()).forEach((type, value) -> {
            String[] parts = value.split("/");
            if (parts.length != 3) {
                throw new IllegalArgumentException("awoooi.scans.instanceprices: " + type + " must be $/hour/vCPU/GiB, as m6i.xlarge=0.192/4/16");
            }
            instances.put(type, new PriceBook.InstanceType(number("instanceprices", type, parts[0]),
                    number("instanceprices", type, parts[1]), number("instanceprices", type, parts[2])));
        });
        return PriceBook.defaults().with(storage, instances);
    }

    static Capacity.Thresholds thresholds(AwoooiProperties.Scans s) {
        double[] cpu = two("cpu", s.cpu());
        double[] memory = two("memory", s.memory());
        double[] disk = two("disk", s.disk());
        double[] days = two("fulldays", s.fulldays());
        return new Capacity.Thresholds(cpu[0], cpu[1], memory[0], memory[1], disk[0], disk[1], days[0], days[1]);
    }

    /** The EKS API: configured, else the SDK's standard endpoint variables, else the region's own. */
    static java.net.URI eksEndpoint(AwoooiProperties.Scans s) {
        for (String candidate : new String[] {s.eksendpoint(), System.getenv("AWS_ENDPOINT_URL_EKS"), System.getenv("AWS_ENDPOINT_URL")}) {
            if (candidate != null && !candidate.isBlank()) {
                return java.net.URI.create(candidate.trim());
            }
        }
        return java.net.URI.create("https://eks." + region() + ".amazonaws.com");
    }

    /** The function's region, as the SDK reads it. */
    static String region() {
        return new software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain().getRegion().id();
    }

    private static Map<String, String> pairs(String name, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("awoooi.scans." + name + ": '" + pair.trim() + "' is not type=value");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    private static double[] two(String name, String text) {
        String[] parts = text.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("awoooi.scans." + name + " must be warning/critical, as 0.6/0.8");
        }
        return new double[] {number(name, "warning", parts[0]), number(name, "critical", parts[1])};
    }

    private static double number(String name, String what, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("awoooi.scans." + name + ": " + what + " is not a number");
        }
    }
}
