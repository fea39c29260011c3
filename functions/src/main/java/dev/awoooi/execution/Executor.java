package dev.awoooi.execution;

import dev.awoooi.action.Action;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.dryrun.ClusterProbe;
import dev.awoooi.dryrun.WorkloadState;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.DomainEvents;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.privacy.Pseudonym;
import dev.awoooi.privacy.Vault;
import dev.awoooi.topology.WorkloadRef;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Acts on an approved plan: claims it once, restores the real target from the vault, checks that the cluster is
 * still as it was when people signed (otherwise VOIDED, never executed), acts, and verifies.
 */
public final class Executor {
    private final IncidentStore incidents;
    private final ExecutionClaims claims;
    private final Vault vault;
    private final ClusterProbe probe;
    private final ClusterActuator actuator;
    private final DomainEvents events;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration rolloutTimeout;

    public Executor(IncidentStore incidents, ExecutionClaims claims, Vault vault, ClusterProbe probe, ClusterActuator actuator,
                    DomainEvents events, AuditLog audit, Clock clock, Duration rolloutTimeout) {
        this.incidents = incidents;
        this.claims = claims;
        this.vault = vault;
        this.probe = probe;
        this.actuator = actuator;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
        this.rolloutTimeout = rolloutTimeout;
    }

    public IncidentStatus execute(String incidentId, String planHash) {
        Incident incident = incidents.find(incidentId).orElseThrow(() -> new IllegalStateException("no incident " + incidentId));
        if (incident.status() != IncidentStatus.APPROVED || !incident.analysis().planHash().equals(planHash)) {
            return incident.status();
        }
        String claim = "execute#" + incidentId + "#" + planHash;
        if (!claims.claim(claim, rolloutTimeout.multipliedBy(4))) {
            return incident.status();
        }
        Instant started = clock.instant();
        Incident executing = incident.moveTo(IncidentStatus.EXECUTING, started);
        incidents.save(executing, incident.version());
        Action action = incident.analysis().action();
        Incident finished = switch (action) {
            case Action.Investigate i -> finish(executing, IncidentStatus.SUCCEEDED,
                    new ExecutionReport(action.type(), String.valueOf(i.service()), started, clock.instant(), true,
                            "read-only: nothing changed; see the analysis"));
            case Action.RestartWorkload r -> restart(executing, rehydrate(incidentId, r.target()), started);
        };
        claims.complete(claim);
        audit.record(incidentId, "execution", Map.of("status", finished.status().name(), "action", action.type()));
        DomainEvent event = switch (finished.status()) {
            case SUCCEEDED -> new DomainEvent.ExecutionSucceeded(incidentId, finished.execution().detail());
            case VOIDED -> new DomainEvent.ExecutionVoided(incidentId, finished.reason());
            default -> new DomainEvent.ExecutionFailed(incidentId, finished.reason());
        };
        events.publish(event);
        return finished.status();
    }

    private Incident restart(Incident executing, WorkloadRef target, Instant started) {
        var now = probe.state(target);
        String signedFor = executing.analysis().dryRun().stateFingerprint();
        if (now.isEmpty() || !now.get().fingerprint().equals(signedFor)) {
            String why = now.isEmpty() ? target + " no longer exists"
                    : target + " changed since the plan was signed (generation, template or readiness differ)";
            return finish(executing.withReason("VOIDED: " + why), IncidentStatus.VOIDED,
                    new ExecutionReport(executing.analysis().action().type(), target.toString(), started, clock.instant(), false, why));
        }
        try {
            actuator.restart(target, started);
            var verification = actuator.awaitRollout(target, started, rolloutTimeout);
            var report = new ExecutionReport(executing.analysis().action().type(), target.toString(), started, clock.instant(),
                    verification.complete(), verification.detail());
            return verification.complete()
                    ? finish(executing, IncidentStatus.SUCCEEDED, report)
                    : finish(executing.withReason("post-verify failed: " + verification.detail()), IncidentStatus.FAILED, report);
        } catch (RuntimeException e) {
            String why = "restart failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            return finish(executing.withReason(why), IncidentStatus.FAILED,
                    new ExecutionReport(executing.analysis().action().type(), target.toString(), started, clock.instant(), false, why));
        }
    }

    private Incident finish(Incident executing, IncidentStatus status, ExecutionReport report) {
        Incident done = executing.moveTo(status, clock.instant()).withExecution(report);
        incidents.save(done, executing.version());
        return done;
    }

    /** Only exact labels of this incident are restored; anything else is used as written. */
    private WorkloadRef rehydrate(String incidentId, WorkloadRef target) {
        String namespace = reveal(incidentId, target.namespace());
        String name = reveal(incidentId, target.name());
        return new WorkloadRef(target.kind(), namespace, name);
    }

    private String reveal(String incidentId, String value) {
        return Pseudonym.isLabel(value)
                ? vault.reveal(incidentId, value).orElseThrow(() -> new IllegalStateException("unknown pseudonym in target"))
                : value;
    }
}
