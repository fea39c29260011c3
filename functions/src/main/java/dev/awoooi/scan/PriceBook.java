package dev.awoooi.scan;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the fleet's resources cost: block storage per GiB-month by volume type, instances per hour. An instance's
 * hourly price is split between its vCPUs and its memory in the ratio of Kubecost's on-demand defaults
 * ($0.031611 per vCPU-hour to $0.004237 per GiB-hour), so a pod's share of a node is priced by what it requests of
 * each. Defaults are AWS us-east-1 on-demand Linux list prices; every one can be replaced by configuration.
 */
public final class PriceBook {
    public static final double HOURS_PER_MONTH = 730;
    static final double CPU_WEIGHT = 0.031611;
    static final double GIB_WEIGHT = 0.004237;

    /** An instance type: its hourly price and what it offers. */
    public record InstanceType(double hourlyUsd, double vcpu, double memoryGiB) {
        public InstanceType {
            if (!(hourlyUsd >= 0) || !(vcpu > 0) || !(memoryGiB > 0)) {
                throw new IllegalArgumentException("an instance type needs a price ≥ 0, vCPUs > 0 and memory > 0");
            }
        }
    }

    static final Map<String, Double> STORAGE = Map.of("gp3", 0.08, "gp2", 0.10, "io1", 0.125, "io2", 0.125,
            "st1", 0.045, "sc1", 0.015, "standard", 0.05);
    static final Map<String, InstanceType> INSTANCES = Map.ofEntries(
            Map.entry("m5.large", new InstanceType(0.096, 2, 8)), Map.entry("m5.xlarge", new InstanceType(0.192, 4, 16)),
            Map.entry("m5.2xlarge", new InstanceType(0.384, 8, 32)), Map.entry("m5.4xlarge", new InstanceType(0.768, 16, 64)),
            Map.entry("m6i.large", new InstanceType(0.096, 2, 8)), Map.entry("m6i.xlarge", new InstanceType(0.192, 4, 16)),
            Map.entry("m6i.2xlarge", new InstanceType(0.384, 8, 32)), Map.entry("m6i.4xlarge", new InstanceType(0.768, 16, 64)),
            Map.entry("c6i.large", new InstanceType(0.085, 2, 4)), Map.entry("c6i.xlarge", new InstanceType(0.17, 4, 8)),
            Map.entry("c6i.2xlarge", new InstanceType(0.34, 8, 16)), Map.entry("c6i.4xlarge", new InstanceType(0.68, 16, 32)),
            Map.entry("r6i.large", new InstanceType(0.126, 2, 16)), Map.entry("r6i.xlarge", new InstanceType(0.252, 4, 32)),
            Map.entry("r6i.2xlarge", new InstanceType(0.504, 8, 64)), Map.entry("r6i.4xlarge", new InstanceType(1.008, 16, 128)),
            Map.entry("t3.medium", new InstanceType(0.0416, 2, 4)), Map.entry("t3.large", new InstanceType(0.0832, 2, 8)),
            Map.entry("t3.xlarge", new InstanceType(0.1664, 4, 16)), Map.entry("t3.2xlarge", new InstanceType(0.3328, 8, 32)),
            Map.entry("m7g.large", new InstanceType(0.0816, 2, 8)), Map.entry("m7g.xlarge", new InstanceType(0.1632, 4, 16)),
            Map.entry("m7g.2xlarge", new InstanceType(0.3264, 8, 32)), Map.entry("m7g.4xlarge", new InstanceType(0.6528, 16, 64)));

    private final Map<String, Double> storage;
    private final double storageFallback;
    private final Map<String, InstanceType> instances;

    private PriceBook(Map<String, Double> storage, double storageFallback, Map<String, InstanceType> instances) {
        this.storage = Map.copyOf(storage);
        this.storageFallback = storageFallback;
        this.instances = Map.copyOf(instances);
    }

    public static PriceBook defaults() {
        return new PriceBook(STORAGE, STORAGE.get("gp2"), INSTANCES);
    }

    /** These prices over the defaults (keys lower-cased); an unknown volume type costs what gp2 does unless given. */
    public PriceBook with(Map<String, Double> storagePrices, Map<String, InstanceType> instanceTypes) {
        Map<String, Double> s = new HashMap<>(storage);
        storagePrices.forEach((type, usd) -> {
            if (!(usd >= 0)) {
                throw new IllegalArgumentException("the storage price of " + type + " must be ≥ 0");
            }
            s.put(type.toLowerCase(Locale.ROOT), usd);
        });
        Map<String, InstanceType> i = new HashMap<>(instances);
        instanceTypes.forEach((type, it) -> i.put(type.toLowerCase(Locale.ROOT), it));
        return new PriceBook(s, s.getOrDefault("default", storageFallback), i);
    }

    /** $/GiB-month of a volume: by the type its class provisions, else by the class's name, else the fallback. */
    public double storageGiBMonth(String volumeType, String storageClass) {
        for (String key : new String[] {volumeType, storageClass}) {
            if (key != null && storage.containsKey(key.toLowerCase(Locale.ROOT))) {
                return storage.get(key.toLowerCase(Locale.ROOT));
            }
        }
        return storageFallback;
    }

    public Optional<InstanceType> instance(String type) {
        return type == null ? Optional.empty() : Optional.ofNullable(instances.get(type.toLowerCase(Locale.ROOT)));
    }

    /** The price of one vCPU for an hour on this instance type (the Kubecost default when the type is unknown). */
    public double vcpuHour(String instanceType) {
        return CPU_WEIGHT * scale(instanceType);
    }

    /** The price of one GiB of memory for an hour on this instance type. */
    public double gibHour(String instanceType) {
        return GIB_WEIGHT * scale(instanceType);
    }

    private double scale(String instanceType) {
        return instance(instanceType).map(it -> it.hourlyUsd() / (it.vcpu() * CPU_WEIGHT + it.memoryGiB() * GIB_WEIGHT)).orElse(1.0);
    }

    /**
     * The cheapest type of the same family (the part before the dot: same architecture, same generation) that holds
     * the given vCPUs and memory and costs less than the current type; empty when there is none.
     */
    public Optional<Map.Entry<String, InstanceType>> smallerFitting(String currentType, double vcpu, double memoryGiB) {
        var current = instance(currentType);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        String family = currentType.toLowerCase(Locale.ROOT).split("\\.")[0];
        return instances.entrySet().stream()
                .filter(e -> e.getKey().split("\\.")[0].equals(family))
                .filter(e -> e.getValue().vcpu() >= vcpu && e.getValue().memoryGiB() >= memoryGiB)
                .filter(e -> e.getValue().hourlyUsd() < current.get().hourlyUsd())
                .min(Comparator.comparingDouble((Map.Entry<String, InstanceType> e) -> e.getValue().hourlyUsd()).thenComparing(Map.Entry::getKey));
    }
}
