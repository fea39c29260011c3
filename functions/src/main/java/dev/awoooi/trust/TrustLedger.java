package dev.awoooi.trust;

import dev.awoooi.action.Action;
import dev.awoooi.action.Scope;
import dev.awoooi.approval.Decision;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.dryrun.Check;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.DomainEvents;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Progressive autonomy, with brakes. Each pattern earns one point per approved execution verified effective, and
 * loses everything on a rejection, a failed execution, or a fix whose alert fires again within the refire window;
 * voids and expiries teach nothing. Unsigned runs are counted per pattern and per cluster, and too many in an hour
 * trip a brake that a person must clear. Every change is audited on the pattern's trail and the incident's.
 */
public final class TrustLedger {
    private static final int RACES = 10;

    private final TrustStore store;
    private final AuditLog audit;
    private final DomainEvents events;
    private final TrustPolicy policy;
    private final Scope scope;
    private final String cluster;
    private final Clock clock;

    public TrustLedger(TrustStore store, AuditLog audit, DomainEvents events, TrustPolicy policy, Scope scope, String cluster, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.events = events;
        this.policy = policy;
        this.scope = scope;
        this.cluster = cluster;
        this.clock = clock;
    }

    public TrustPolicy.Thresholds thresholds() {
        return policy.thresholds();
    }

    /** The subject of a pattern's (or a brake's) own audit trail. */
    public static String subject(String key) {
        return "trust:" + key;
    }

    public Optional<ActionPattern> pattern(Action action) {
        return ActionPattern.of(action, cluster);
    }

    /**
     * The signatures an analyzed plan needs. A plan that would run unsigned is counted against its brakes first;
     * the run that finds a brake's hour full trips it, and the plan then needs signatures like any held by it.
     * A redelivered request is counted once.
     */
    public TrustPolicy.Verdict weigh(Incident incident) {
        var analysis = incident.analysis();
        Optional<ActionPattern> pattern = pattern(analysis.action());
        String clusterKey = TrustRecord.clusterKey(cluster);
        for (int race = 0; race < RACES; race++) {
            Instant now = clock.instant();
            TrustRecord own = pattern.map(p -> read(p.key())).orElse(null);
            TrustRecord shared = read(clusterKey);
            announce(own, shared);
            String brake = own != null && own.tripped() != null ? own.tripped().reason()
                    : shared.tripped() != null ? shared.tripped().reason() : null;
            boolean clean = analysis.dryRun().checks().stream().allMatch(c -> c.outcome() == Check.Outcome.PASS);
            TrustPolicy.Verdict verdict = policy.decide(new TrustPolicy.Plan(analysis.risk().level(), pattern.map(ActionPattern::key).orElse(null),
                    own == null ? 0 : own.score(now, thresholds().halfLife()), clean, scope.refusal(analysis.action()).isEmpty(), brake,
                    author(incident)));
            if (!verdict.unsigned() || shared.counted(incident.id())) {
                return verdict;
            }
            var limits = thresholds();
            List<TrustRecord> changed = new ArrayList<>();
            String tripped = null;
            if (own != null && own.lastHour(now).size() >= limits.perPatternHour()) {
                tripped = own.key();
                changed.add(own.trip("circuit breaker for " + own.key() + ": " + limits.perPatternHour() + " unsigned runs within the hour", now));
            } else if (shared.lastHour(now).size() >= limits.perClusterHour()) {
                tripped = clusterKey;
                changed.add(shared.trip("circuit breaker for cluster " + cluster + ": " + limits.perClusterHour() + " unsigned runs within the hour", now));
            } else {
                if (own != null) {
                    changed.add(own.ranUnsigned(incident.id(), now));
                }
                changed.add(shared.ranUnsigned(incident.id(), now));
            }
            if (!store.save(changed)) {
                continue;
            }
            if (tripped == null) {
                return verdict;
            }
            TrustRecord trip = changed.getFirst();
            record(tripped, incident.id(), "breaker-tripped", Map.of("reason", trip.tripped().reason()));
            announce(trip, null);
            // weighed again, now under the brake
        }
        throw new IllegalStateException("the trust ledger kept losing races for " + incident.id());
    }

    /**
     * Who other than AWOOOI and the operators' runbooks wrote the plan, in words, or null: an assistant that asked
     * through MCP, or the language model whose suggestion replaced AWOOOI's own. Trust never lowers such a plan.
     */
    static String author(Incident incident) {
        if (incident.requestedBy() != null) {
            return incident.requestedBy() + " asked for it through MCP";
        }
        var model = incident.analysis() == null ? null : incident.analysis().model();
        return model != null && model.adopted() ? "the model (" + model.model() + ") wrote it" : null;
    }

    /** Tells people of a brake that tripped and was not yet announced (once per trip: the event id is the trip's). */
    private void announce(TrustRecord own, TrustRecord shared) {
        for (TrustRecord record : new TrustRecord[]{own, shared}) {
            if (record != null && record.tripped() != null && !record.tripped().announced()) {
                events.publish(new DomainEvent.CircuitBreakerTripped(record.key(), record.tripped().reason(), record.tripped().at().toString()));
                change(record.key(), TrustRecord::announced);
            }
        }
    }

    /**
     * What a finished incident teaches its pattern: a verified execution that people approved earns a point (one
     * that ran unsigned only counts as use); a failed execution that reached the cluster, and a rejection, reset it.
     */
    public void learn(Incident incident) {
        if (incident.analysis() == null) {
            return;
        }
        Optional<ActionPattern> pattern = pattern(incident.analysis().action());
        if (pattern.isEmpty()) {
            return;
        }
        String key = pattern.get().key();
        Instant now = clock.instant();
        var execution = incident.execution();
        switch (incident.status()) {
            case SUCCEEDED -> {
                if (execution == null || !execution.verified()) {
                    return;
                }
                boolean approved = incident.signatures().stream().anyMatch(s -> s.decision() == Decision.APPROVE
                        && s.planHash().equals(incident.analysis().planHash()));
                if (!approved) {
                    change(key, r -> r.used(now, thresholds().halfLife()));
                    return;
                }
                TrustRecord before = read(key);
                TrustRecord after = change(key, r -> r.credited(incident.id(), now, thresholds().halfLife()));
                if (after.version() != before.version()) {
                    record(key, incident.id(), "trust-credited", Map.of("score", String.valueOf(after.score()),
                            "was", String.valueOf(before.score(now, thresholds().halfLife()))));
                }
            }
            case FAILED -> {
                if (execution != null && execution.before() != null) {
                    reset(key, incident.id(), "the execution of " + incident.id() + " failed: " + clip(incident.reason()), "awoooi");
                }
            }
            case REJECTED -> reset(key, incident.id(), "rejected by " + incident.signatures().stream()
                    .filter(s -> s.decision() == Decision.REJECT).map(s -> s.approver()).findFirst().orElse("a signer")
                    + " on " + incident.id(), "awoooi");
            default -> {
            }
        }
    }

    /**
     * An alert an earlier fix cleared fired again: if within the refire window after that fix succeeded, the fix
     * did not hold, and its pattern starts over.
     *
     * @param cleared the fingerprints of the alerts the earlier incident held besides its opening one (those that
     *                joined it); asked only for a fix that succeeded within the window, and whose opening alert is not this one
     */
    public boolean refired(Incident fresh, Incident earlier, Supplier<Set<String>> cleared) {
        if (earlier.status() != IncidentStatus.SUCCEEDED || earlier.execution() == null || earlier.execution().finishedAt() == null
                || earlier.analysis() == null || fresh.fingerprint() == null) {
            return false;
        }
        Instant fixed = earlier.execution().finishedAt();
        Instant again = fresh.startsAt() != null && fresh.startsAt().isAfter(fixed) ? fresh.startsAt() : fresh.receivedAt();
        if (again.isBefore(fixed) || Duration.between(fixed, again).compareTo(thresholds().refireWindow()) > 0
                || !(fresh.fingerprint().equals(earlier.fingerprint()) || cleared.get().contains(fresh.fingerprint()))) {
            return false;
        }
        Optional<ActionPattern> pattern = pattern(earlier.analysis().action());
        if (pattern.isEmpty()) {
            return false;
        }
        long minutes = Duration.between(fixed, again).toMinutes();
        reset(pattern.get().key(), fresh.id(), "ineffective: " + fresh.alertName() + " fired again " + minutes + " min after "
                + earlier.id() + " succeeded", "awoooi");
        return true;
    }

    /** A person (an admin, checked by the caller) starts a pattern over. */
    public void reset(String key, String by) {
        reset(key, null, "reset by " + by, by);
    }

    /** A person (an admin, checked by the caller) clears a brake; false if it did not hold. */
    public boolean clear(String key, String by) {
        TrustRecord before = read(key);
        if (before.tripped() == null) {
            return false;
        }
        change(key, r -> r.tripped() == null ? r : r.cleared());
        record(key, null, "breaker-cleared", Map.of("by", by, "was", before.tripped().reason()));
        return true;
    }

    public List<TrustRecord> all() {
        return store.all();
    }

    private void reset(String key, String incidentId, String reason, String by) {
        TrustRecord before = read(key);
        change(key, r -> r.reset(reason, by, clock.instant()));
        record(key, incidentId, "trust-reset", Map.of("reason", reason, "by", by,
                "was", String.valueOf(before.score(clock.instant(), thresholds().halfLife()))));
    }

    private TrustRecord read(String key) {
        return store.find(key).orElseGet(() -> TrustRecord.empty(key));
    }

    private TrustRecord change(String key, UnaryOperator<TrustRecord> how) {
        for (int race = 0; race < RACES; race++) {
            TrustRecord before = read(key);
            TrustRecord after = how.apply(before);
            if (after == before || store.save(List.of(after))) {
                return after;
            }
        }
        throw new IllegalStateException("the trust ledger kept losing races for " + key);
    }

    private void record(String key, String incidentId, String what, Map<String, String> detail) {
        Map<String, String> withPattern = new LinkedHashMap<>(detail);
        withPattern.put("pattern", key);
        if (incidentId != null) {
            withPattern.put("incident", incidentId);
            audit.record(incidentId, what, withPattern);
        }
        audit.record(subject(key), what, withPattern);
    }

    private static String clip(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
