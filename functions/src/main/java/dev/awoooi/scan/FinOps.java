package dev.awoooi.scan;

import dev.awoooi.action.Action;
import dev.awoooi.action.ActionCatalog;
import dev.awoooi.scan.Finding.Recommendation;
import dev.awoooi.scan.Finding.Saving;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The nightly FinOps scan: money the fleet spends on nothing. Orphaned volumes (mounted by no pod for days), zombie
 * pods (CPU below 1% of their request for a week), over-provisioned workloads and nodes, all from what is
 * <em>used</em> (the 95th percentile over the window), never from what is requested. The safety buffer keeps
 * recommendations from starving anyone: wasted = requested − actual × 1.2. Every dollar is a realizable saving (the
 * bill drops) or freed capacity (it drops only when the nodes shrink too); annual is realizable × 12. The monthly
 * waste is both, less the freed dollars on nodes that are to be replaced anyway (the overlap: counted once). The scan
 * proposes typed actions and changes nothing.
 */
public final class FinOps {

    /** The scan's judgement calls, all configurable. */
    public record Policy(Duration window, Duration orphanedFor, double zombieCpuShare, Duration zombieFor, double safety,
                         double minWasteShare, double minMonthlyUsd) {
        public static final Policy DEFAULTS = new Policy(Duration.ofDays(7), Duration.ofDays(7), 0.01, Duration.ofDays(7), 1.2, 0.2, 1.0);

        public Policy {
            if (zombieFor.compareTo(window) > 0) {
                throw new IllegalArgumentException("a zombie is judged within the usage window: zombiefor (" + zombieFor
                        + ") must not exceed the window (" + window + ")");
            }
        }
    }

    static final String ORPHANED = "orphaned-volume";
    static final String ORPHANED_SINCE = "orphanedSinceEpochSecond";

    private final Policy policy;
    private final PriceBook prices;

    public FinOps(Policy policy, PriceBook prices) {
        this.policy = policy;
        this.prices = prices;
    }

    /**
     * @param usage    null when no metrics store is configured: only volumes are judged then
     * @param previous the last FinOps report, which remembers since when each volume has been orphaned
     */
    public ScanReport scan(FleetInventory fleet, UsageMetrics usage, Optional<ScanReport> previous, Instant now) {
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        double overlap = 0;
        volumes(fleet.volumes(), previous, now, findings);
        if (usage == null) {
            notes.add("usage unknown: no Prometheus is configured for the scans, so zombie pods and over-provisioned "
                    + "workloads and nodes were not judged");
        } else {
            Map<String, UsageMetrics.PodUsage> used = usage.podUsage(policy.window());
            List<FleetInventory.Pod> pods = fleet.pods();
            Map<String, FleetInventory.Node> nodes = new LinkedHashMap<>();
            fleet.nodes().forEach(n -> nodes.put(n.name(), n));
            long unseen = pods.stream().filter(p -> !used.containsKey(key(p))).count();
            if (unseen > 0) {
                notes.add(unseen + " of " + pods.size() + " pods have no usage series in Prometheus: node sizing counts them at their "
                        + "requests, and their workloads are not judged");
            }
            Map<String, Double> freedOnNode = new HashMap<>();
            var zombies = zombies(pods, used, fleet.workloads(), nodes, now, findings, freedOnNode);
            workloads(pods, used, fleet.workloads(), nodes, zombies, findings, freedOnNode);
            nodes(pods, used, nodes, findings);
            // a node replaced by a smaller one already saves what its pods would free: those dollars count once
            // (at most what the resize itself saves)
            overlap = Finding.cents(findings.stream().filter(f -> f.kind().equals("oversized-node"))
                    .mapToDouble(f -> Math.min(f.monthlyCostUsd(), freedOnNode.getOrDefault(f.resource().substring("node/".length()), 0.0))).sum());
        }
        findings.sort(Comparator.comparingDouble(Finding::monthlyCostUsd).reversed().thenComparing(Finding::resource));
        double realizable = sum(findings, Saving.REALIZABLE);
        double freed = sum(findings, Saving.FREED);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("realizableUsdPerMonth", realizable);
        figures.put("freedUsdPerMonth", freed);
        figures.put("overlapUsdPerMonth", overlap);
        figures.put("monthlyWasteUsd", Finding.cents(realizable + freed - overlap));
        figures.put("annualUsd", Finding.cents(realizable * 12));
        return new ScanReport("finops", now, findings, figures, notes);
    }

    // ------------------------------------------------------------------ volumes

    private void volumes(List<FleetInventory.Volume> volumes, Optional<ScanReport> previous, Instant now, List<Finding> out) {
        Map<String, Double> knownSince = new HashMap<>();
        previous.ifPresent(p -> p.findings().stream().filter(f -> f.kind().equals(ORPHANED) && f.measures().containsKey(ORPHANED_SINCE))
                .forEach(f -> knownSince.put(f.resource(), f.measures().get(ORPHANED_SINCE))));
        for (var volume : volumes) {
            if (volume.mounted()) {
                continue;
            }
            String resource = "pvc/" + volume.namespace() + "/" + volume.name();
            // Since when: as the last report saw it; on the very first run, since the claim was made (nothing better
            // is known); otherwise it was mounted at the last run, so since now.
            Instant since = knownSince.containsKey(resource) ? Instant.ofEpochSecond(knownSince.get(resource).longValue())
                    : previous.isEmpty() && volume.createdAt() != null ? volume.createdAt() : now;
            long days = Duration.between(since, now).toDays();
            double perGiB = prices.storageGiBMonth(volume.volumeType(), volume.storageClass());
            double monthly = volume.sizeGiB() * perGiB;
            String type = volume.volumeType() != null ? volume.volumeType() : volume.storageClass() != null ? volume.storageClass() : "unknown class";
            String detail = String.format(Locale.ROOT, "%s GiB of %s ($%.3f/GiB-month), mounted by no pod for %d days",
                    number(volume.sizeGiB()), type, perGiB, days);
            Map<String, Double> measures = Map.of(ORPHANED_SINCE, (double) since.getEpochSecond(), "sizeGiB", volume.sizeGiB(),
                    "usdPerGiBMonth", perGiB);
            if (Duration.between(since, now).compareTo(policy.orphanedFor()) < 0) {
                out.add(new Finding(ORPHANED, resource, "INFO", detail + "; a deletion is proposed after "
                        + policy.orphanedFor().toDays() + " days", 0, null, null, measures));
                continue;
            }
            Action delete = new Action.DeletePvc(volume.namespace(), volume.name());
            out.add(new Finding(ORPHANED, resource, "WARNING", detail, monthly, Saving.REALIZABLE,
                    recommend("Delete orphaned PVC '" + volume.name() + "' (take a snapshot first if its data matters)", delete), measures));
        }
    }

    // ------------------------------------------------------------------ pods and workloads

    /** Zombie pods, and per owning workload how many of its pods are zombies (they are not also over-provisioned). */
    private Map<String, Integer> zombies(List<FleetInventory.Pod> pods, Map<String, UsageMetrics.PodUsage> used,
            List<FleetInventory.Workload> workloads, Map<String, FleetInventory.Node> nodes, Instant now, List<Finding> out,
            Map<String, Double> freedOnNode) {
        Map<String, Integer> perOwner = new LinkedHashMap<>();
        Map<String, List<FleetInventory.Pod>> zombiesOf = new LinkedHashMap<>();
        for (var pod : pods) {
            var use = used.get(key(pod));
            if (use == null || pod.cpuRequested() <= 0 || use.firstSeen() == null
                    || use.firstSeen().isAfter(now.minus(policy.zombieFor()))
                    || !(use.cpuMax() < policy.zombieCpuShare() * pod.cpuRequested())) {
                continue;
            }
            perOwner.merge(owner(pod), 1, Integer::sum);
            zombiesOf.computeIfAbsent(owner(pod), k -> new ArrayList<>()).add(pod);
        }
        zombiesOf.forEach((owner, zombies) -> {
            for (var pod : zombies) {
                var use = used.get(key(pod));
                String type = instanceType(nodes, pod.node());
                double monthly = (pod.cpuRequested() * prices.vcpuHour(type) + pod.memoryRequestedGiB() * prices.gibHour(type)) * PriceBook.HOURS_PER_MONTH;
                if (pod.node() != null) {
                    freedOnNode.merge(pod.node(), monthly, Double::sum);
                }
                String detail = String.format(Locale.ROOT, "at most %s of its %s CPU requested (%.2f%%) for %d days; requests %s GiB",
                        millicores(use.cpuMax()), millicores(pod.cpuRequested()), use.cpuMax() / pod.cpuRequested() * 100,
                        policy.zombieFor().toDays(), number(pod.memoryRequestedGiB()));
                out.add(new Finding("zombie-pod", "pod/" + pod.namespace() + "/" + pod.name(), "WARNING", detail, monthly, Saving.FREED,
                        zombieFix(pod, zombies.size(), workloads), Map.of("cpuMax", use.cpuMax(), "cpuRequested", pod.cpuRequested(),
                        "memoryRequestedGiB", pod.memoryRequestedGiB())));
            }
        });
        return perOwner;
    }

    private Recommendation zombieFix(FleetInventory.Pod pod, int zombies, List<FleetInventory.Workload> workloads) {
        if (pod.ownerKind() == null) {
            return recommend("Delete zombie pod '" + pod.name() + "' (no controller recreates it)", new Action.DeletePod(pod.namespace(), pod.name()));
        }
        var workload = workload(workloads, pod.namespace(), pod.ownerKind(), pod.ownerName());
        if ("Deployment".equals(pod.ownerKind()) && workload.isPresent()) {
            int replicas = Math.max(0, workload.get().replicas() - zombies);
            return recommend("Scale deployment/" + pod.ownerName() + " from " + workload.get().replicas() + " to " + replicas
                    + " (its idle pods)", new Action.ScaleDeployment(pod.namespace(), pod.ownerName(), replicas));
        }
        return new Recommendation("Remove the idle " + pod.ownerKind() + " '" + pod.ownerName()
                + "' or lower its replicas in its manifest (no catalog action does this safely)", null, null);
    }

    private void workloads(List<FleetInventory.Pod> pods, Map<String, UsageMetrics.PodUsage> used, List<FleetInventory.Workload> workloads,
            Map<String, FleetInventory.Node> nodes, Map<String, Integer> zombies, List<Finding> out, Map<String, Double> freedOnNode) {
        for (var workload : workloads) {
            String owner = workload.kind() + "/" + workload.namespace() + "/" + workload.name();
            if (zombies.containsKey(owner)) {
                continue;
            }
            List<FleetInventory.Pod> mine = pods.stream().filter(p -> owner.equals(owner(p))).toList();
            if (mine.isEmpty() || mine.stream().anyMatch(p -> !used.containsKey(key(p)))) {
                continue; // replicas are counted from every pod's use, never from some of them
            }
            Map<String, Double> byNode = new HashMap<>();
            double cpuRequested = 0, memRequested = 0, cpuNeeded = 0, memNeeded = 0, cpuWasted = 0, memWasted = 0, monthly = 0;
            for (var pod : mine) {
                var use = used.get(key(pod));
                double cpuNeed = use.cpuP95() * policy.safety();
                double memNeed = use.memoryP95GiB() * policy.safety();
                double cpuWaste = Math.max(0, pod.cpuRequested() - cpuNeed);
                double memWaste = Math.max(0, pod.memoryRequestedGiB() - memNeed);
                String type = instanceType(nodes, pod.node());
                double podMonthly = (cpuWaste * prices.vcpuHour(type) + memWaste * prices.gibHour(type)) * PriceBook.HOURS_PER_MONTH;
                monthly += podMonthly;
                if (pod.node() != null) {
                    byNode.merge(pod.node(), podMonthly, Double::sum);
                }
                cpuRequested += pod.cpuRequested();
                memRequested += pod.memoryRequestedGiB();
                cpuNeeded += cpuNeed;
                memNeeded += memNeed;
                cpuWasted += cpuWaste;
                memWasted += memWaste;
            }
            // a resource nobody requests wastes nothing
            boolean wasteful = cpuRequested > 0 && cpuWasted >= policy.minWasteShare() * cpuRequested
                    || memRequested > 0 && memWasted >= policy.minWasteShare() * memRequested;
            if (!wasteful || Finding.cents(monthly) < policy.minMonthlyUsd()) {
                continue;
            }
            byNode.forEach((node, usd) -> freedOnNode.merge(node, usd, Double::sum));
                        String detail = String.format(Locale.ROOT, "%d pods request %s CPU and %s GiB; p95 use × %s needs %s CPU and %s GiB",
                    mine.size(), millicores(cpuRequested), number(memRequested), number(policy.safety()), millicores(cpuNeeded), number(memNeeded));
            out.add(new Finding("over-provisioned-workload", workload.kind().toLowerCase(Locale.ROOT) + "/" + workload.namespace() + "/" + workload.name(), "WARNING", detail, monthly,
                    Saving.FREED, rightsize(workload, cpuNeeded, memNeeded),
                    Map.of("cpuRequested", cpuRequested, "cpuNeeded", cpuNeeded, "memoryRequestedGiB", memRequested, "memoryNeededGiB", memNeeded)));
        }
    }

    private Recommendation rightsize(FleetInventory.Workload workload, double cpuNeeded, double memNeeded) {
        int replicas = (int) Math.max(1, Math.max(
                workload.cpuPerReplica() > 0 ? Math.ceil(cpuNeeded / workload.cpuPerReplica() - 1e-9) : 1,
                workload.memoryGiBPerReplica() > 0 ? Math.ceil(memNeeded / workload.memoryGiBPerReplica() - 1e-9) : 1));
        if ("DEPLOYMENT".equalsIgnoreCase(workload.kind()) && replicas < workload.replicas()) {
            return recommend("Scale deployment/" + workload.name() + " from " + workload.replicas() + " to " + replicas,
                    new Action.ScaleDeployment(workload.namespace(), workload.name(), replicas));
        }
        int n = Math.max(1, workload.replicas());
        return new Recommendation(String.format(Locale.ROOT, "Lower the requests of %s/%s to %s CPU and %s GiB per replica in its manifest "
                        + "(no catalog action changes requests)", workload.kind().toLowerCase(Locale.ROOT), workload.name(),
                millicores(cpuNeeded / n), number(memNeeded / n)), null, null);
    }

    // ------------------------------------------------------------------ nodes

    private void nodes(List<FleetInventory.Pod> pods, Map<String, UsageMetrics.PodUsage> used, Map<String, FleetInventory.Node> nodes,
            List<Finding> out) {
        for (var node : nodes.values()) {
            var current = prices.instance(node.instanceType());
            if (current.isEmpty()) {
                continue;
            }
            double cpu = 0, mem = 0, cpuRequested = 0, memRequested = 0;
            for (var pod : pods) {
                if (node.name().equals(pod.node())) {
                    var use = used.get(key(pod));
                    cpu += use == null ? pod.cpuRequested() : use.cpuP95();
                    mem += use == null ? pod.memoryRequestedGiB() : use.memoryP95GiB();
                    cpuRequested += pod.cpuRequested();
                    memRequested += pod.memoryRequestedGiB();
                }
            }
            double cpuNeed = cpu * policy.safety();
            double memNeed = mem * policy.safety();
            var smaller = prices.smallerFitting(node.instanceType(), cpuNeed, memNeed);
            if (smaller.isEmpty()) {
                continue;
            }
            double monthly = (current.get().hourlyUsd() - smaller.get().getValue().hourlyUsd()) * PriceBook.HOURS_PER_MONTH;
            String detail = String.format(Locale.ROOT, "%s (%s vCPU, %s GiB) whose pods use %s CPU and %s GiB at p95; × %s fits a %s (%s vCPU, %s GiB)",
                    node.instanceType(), number(current.get().vcpu()), number(current.get().memoryGiB()), millicores(cpu), number(mem),
                    number(policy.safety()), smaller.get().getKey(), number(smaller.get().getValue().vcpu()), number(smaller.get().getValue().memoryGiB()));
            if (cpuRequested > smaller.get().getValue().vcpu() || memRequested > smaller.get().getValue().memoryGiB()) {
                detail += String.format(Locale.ROOT, "; its pods request %s CPU and %s GiB: lower those requests first",
                        millicores(cpuRequested), number(memRequested));
            }
            out.add(new Finding("oversized-node", "node/" + node.name(), "WARNING", detail, monthly, Saving.REALIZABLE,
                    recommend("Resize node '" + node.name() + "' to " + smaller.get().getKey() + ": drain it, then replace it in its node group",
                            new Action.DrainNode(node.name())),
                    Map.of("cpuUsedP95", cpu, "memoryUsedP95GiB", mem, "hourlyUsd", current.get().hourlyUsd(),
                            "targetHourlyUsd", smaller.get().getValue().hourlyUsd())));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Recommendation recommend(String title, Action action) {
        return new Recommendation(title, action, ActionCatalog.spec(action).baseline());
    }

    private static Optional<FleetInventory.Workload> workload(List<FleetInventory.Workload> workloads, String namespace, String kind, String name) {
        return workloads.stream().filter(w -> w.namespace().equals(namespace) && w.name().equals(name) && w.kind().equalsIgnoreCase(kind)).findFirst();
    }

    private static String owner(FleetInventory.Pod pod) {
        return pod.ownerKind() == null ? "Pod/" + pod.namespace() + "/" + pod.name()
                : pod.ownerKind().toUpperCase(Locale.ROOT) + "/" + pod.namespace() + "/" + pod.ownerName();
    }

    static String key(FleetInventory.Pod pod) {
        return pod.namespace() + "/" + pod.name();
    }

    private static String instanceType(Map<String, FleetInventory.Node> nodes, String node) {
        var n = node == null ? null : nodes.get(node);
        return n == null ? null : n.instanceType();
    }

    private static double sum(List<Finding> findings, Saving saving) {
        return Finding.cents(findings.stream().filter(f -> f.saving() == saving).mapToDouble(Finding::monthlyCostUsd).sum());
    }

    static String millicores(double cores) {
        return Math.round(cores * 1000) + "m";
    }

    static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
