package dev.awoooi.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ledger holds for one key: a pattern's earned trust and brake, or a cluster's brake ({@link #clusterKey}).
 * Immutable; every change is a new record with the next version, saved only over the version it was made from.
 *
 * @param score     verified approvals as of {@code usedAt}; it halves for each half-life unused since
 * @param usedAt    when the pattern last ran or was credited; null if never
 * @param credits   every credit ever, for the history
 * @param resets    every reset ever
 * @param lastCredit the incident last credited, so a redelivered outcome is credited once
 * @param lastReset the most recent reset, with its reason; null if never
 * @param unsigned  the runs made without a signature within the last hour, by incident
 * @param tripped   the brake, when it holds: signatures are required until a person clears it
 */
public record TrustRecord(String key, long version, int score, Instant usedAt, int credits, int resets, String lastCredit,
                          Reset lastReset, List<Run> unsigned, Trip tripped) {

    public record Reset(Instant at, String reason, String by) {
    }

    public record Run(String incidentId, Instant at) {
    }

    public record Trip(Instant at, String reason, boolean announced) {
    }

    public TrustRecord {
        unsigned = unsigned == null ? List.of() : List.copyOf(unsigned);
    }

    public static TrustRecord empty(String key) {
        return new TrustRecord(key, 0, 0, null, 0, 0, null, null, List.of(), null);
    }

    /** The key of a cluster's own brake (its unsigned runs across patterns). */
    public static String clusterKey(String cluster) {
        return "cluster@" + cluster;
    }

    /** The score now: halved once for every whole half-life since the pattern was last used. */
    public int score(Instant now, Duration halfLife) {
        if (usedAt == null || score == 0) {
            return score;
        }
        long halvings = Duration.between(usedAt, now).toMillis() / Math.max(1, halfLife.toMillis());
        return halvings >= 31 ? 0 : score >> halvings;
    }

    /** One more approved execution verified effective; the same incident again changes nothing. */
    public TrustRecord credited(String incidentId, Instant now, Duration halfLife) {
        if (incidentId.equals(lastCredit)) {
            return this;
        }
        return new TrustRecord(key, version + 1, score(now, halfLife) + 1, now, credits + 1, resets, incidentId, lastReset, unsigned, tripped);
    }

    /** Ran again (without earning: nobody signed): the decay clock starts over at the decayed score. */
    public TrustRecord used(Instant now, Duration halfLife) {
        return new TrustRecord(key, version + 1, score(now, halfLife), now, credits, resets, lastCredit, lastReset, unsigned, tripped);
    }

    public TrustRecord reset(String reason, String by, Instant now) {
        return new TrustRecord(key, version + 1, 0, now, credits, resets + 1, lastCredit, new Reset(now, reason, by), unsigned, tripped);
    }

    /** The unsigned runs of the hour before {@code now}. */
    public List<Run> lastHour(Instant now) {
        Instant since = now.minus(Duration.ofHours(1));
        return unsigned.stream().filter(run -> run.at().isAfter(since)).toList();
    }

    /** Whether this incident's unsigned run is already counted (a redelivered request). */
    public boolean counted(String incidentId) {
        return unsigned.stream().anyMatch(run -> run.incidentId().equals(incidentId));
    }

    /** One more unsigned run (older ones than an hour are forgotten). */
    public TrustRecord ranUnsigned(String incidentId, Instant now) {
        List<Run> runs = new ArrayList<>(lastHour(now));
        runs.add(new Run(incidentId, now));
        return new TrustRecord(key, version + 1, score, usedAt, credits, resets, lastCredit, lastReset, runs, tripped);
    }

    public TrustRecord trip(String reason, Instant now) {
        return new TrustRecord(key, version + 1, score, usedAt, credits, resets, lastCredit, lastReset, unsigned, new Trip(now, reason, false));
    }

    public TrustRecord announced() {
        return tripped == null || tripped.announced() ? this : new TrustRecord(key, version + 1, score, usedAt, credits, resets, lastCredit,
                lastReset, unsigned, new Trip(tripped.at(), tripped.reason(), true));
    }

    /** A person cleared the brake: unsigned runs are counted afresh. */
    public TrustRecord cleared() {
        return new TrustRecord(key, version + 1, score, usedAt, credits, resets, lastCredit, lastReset, List.of(), null);
    }
}
