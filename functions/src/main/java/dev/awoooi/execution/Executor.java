package dev.awoooi.execution;

import dev.awoooi.action.Action;
import dev.awoooi.action.ActionCatalog;
import dev.awoooi.action.ObjectRef;
import dev.awoooi.action.Scope;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.dryrun.ClusterProbe;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.privacy.Pseudonym;
import dev.awoooi.privacy.Vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Acts on an approved plan: claims it once, restores the real target from the vault, checks it against the scope
 * again and that the cluster is still as it was when people signed (otherwise VOIDED, never executed), acts, and
 * verifies as the catalog declares. What it reports is said with the pseudonyms the plan was signed with.
 */
public final class Executor {
    private final IncidentStore incidents;
    private final ExecutionClaims claims;
    private final Vault vault;
    private final Scope scope;
    private final ClusterProbe probe;
    private final ClusterActuator actuator;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration verifyTimeout;

    public Executor(IncidentStore incidents, ExecutionClaims claims, Vault vault, Scope scope, ClusterProbe probe, ClusterActuator actuator,
                    AuditLog audit, Clock clock, Duration verifyTimeout) {
        this.incidents = incidents;
        this.claims = claims;
        this.vault = vault;
        this.scope = scope;
        this.probe = probe;
        this.actuator = actuator;
        this.audit = audit;
        this.clock = clock;
        this.verifyTimeout = verifyTimeout;
    }

    public IncidentStatus execute(String incidentId, String planHash) {
        Incident incident = incidents.find(incidentId).orElseThrow(() -> new IllegalStateException("no incident " + incidentId));
        if (incident.status() != IncidentStatus.APPROVED || !incident.analysis().planHash().equals(planHash)) {
            return incident.status();
        }
        String claim = "execute#" + incidentId + "#" + planHash;
        if (!claims.claim(claim, verifyTimeout.multipliedBy(4))) {
            return incident.status();
        }
        Instant started = clock.instant();
        // Alerts of the group may land meanwhile: a lost race re-applies the move, it does not lose the execution.
        Incident executing = incidents.update(incident, current -> current.status() == IncidentStatus.APPROVED
                ? current.moveTo(IncidentStatus.EXECUTING, started) : current);
        if (executing.status() != IncidentStatus.EXECUTING) {
            claims.complete(claim);
            return executing.status();
        }
        Action action = executing.analysis().action();
        Outcome outcome = action.mutating() ? act(executing, action, executing.analysis().dryRun().stateFingerprint(), started)
                : notExecuted(action);
        return finish(incidentId, claim, action, started, outcome, null);
    }

    /**
     * Settles an execution that stopped answering (its function timed out or was killed): once its claim has lapsed,
     * the outcome is read from the target, never guessed and never sent again. An execution that died before its
     * apply record was written never sent anything: it failed, and nothing changed.
     */
    public IncidentStatus settle(String incidentId) {
        Incident incident = incidents.find(incidentId).orElseThrow(() -> new IllegalStateException("no incident " + incidentId));
        if (incident.status() != IncidentStatus.EXECUTING) {
            return incident.status();
        }
        String claim = "execute#" + incidentId + "#" + incident.analysis().planHash();
        if (!claims.claim(claim, verifyTimeout.multipliedBy(4))) {
            return incident.status(); // the execution may still be running: its claim has not lapsed
        }
        Action signed = incident.analysis().action();
        if (!signed.mutating()) {
            return finish(incidentId, claim, signed, incident.updatedAt(), notExecuted(signed), "settled");
        }
        ExecutionReport sent = incident.execution();
        if (sent == null) {
            return finish(incidentId, claim, signed, incident.updatedAt(), new Outcome(IncidentStatus.FAILED, signed.target().toString(),
                    false, "the execution stopped before it sent anything to the cluster; nothing was changed"), "settled");
        }
        Outcome outcome;
        try {
            Action action = signed.retarget(value -> reveal(incidentId, value));
            var seen = actuator.verify(action, sent.before(), sent.startedAt(), verifyTimeout);
            outcome = (seen.complete()
                    ? new Outcome(IncidentStatus.SUCCEEDED, sent.target(), true, "the execution stopped answering, and the target shows it done: " + seen.detail())
                    : new Outcome(IncidentStatus.FAILED, sent.target(), false, "the execution stopped answering, and the target does not show it done: " + seen.detail()))
                    .concealing(signed, action);
        } catch (RuntimeException e) {
            outcome = new Outcome(IncidentStatus.FAILED, sent.target(), false, "the execution stopped answering, and the target could not be read ("
                    + e.getClass().getSimpleName() + "): check it by hand");
        }
        return finish(incidentId, claim, signed, sent.startedAt(), outcome, "settled");
    }

    private IncidentStatus finish(String incidentId, String claim, Action action, Instant started, Outcome outcome, String how) {
        Incident finished = incidents.update(incidents.find(incidentId).orElseThrow(), current -> current.status() != IncidentStatus.EXECUTING ? current
                : (outcome.status() == IncidentStatus.SUCCEEDED ? current : current.withReason(outcome.reason()))
                .moveTo(outcome.status(), clock.instant())
                .withExecution(new ExecutionReport(action.type(), outcome.target(), started, clock.instant(), outcome.verified(), outcome.detail(),
                        current.execution() == null ? null : current.execution().before())));
        claims.complete(claim);
        audit.record(incidentId, how == null ? "execution" : "execution-" + how, Map.of("status", finished.status().name(), "action", action.type(),
                "verified", String.valueOf(outcome.verified()), "detail", String.valueOf(outcome.status() == IncidentStatus.SUCCEEDED
                        ? outcome.detail() : outcome.reason())));
        return finished.status();
    }

    /** An investigation is never approved for execution; one that arrives here anyway is refused, not "succeeded". */
    private static Outcome notExecuted(Action investigation) {
        return new Outcome(IncidentStatus.FAILED, String.valueOf(((Action.Investigate) investigation).service()), false,
                "an investigation is never executed; nothing was changed");
    }

    private record Outcome(IncidentStatus status, String target, boolean verified, String detail) {
        String reason() {
            return switch (status) {
                case VOIDED -> "VOIDED: " + detail;
                case FAILED -> detail;
                default -> null;
            };
        }

        /**
         * The same outcome with every restored value put back behind its pseudonym: texts built from the real target
         * (the cluster's answers, a verification's observations) never leave the execution boundary.
         */
        Outcome concealing(Action signed, Action restored) {
            String text = detail;
            ObjectRef before = signed.target();
            ObjectRef real = restored.target();
            text = conceal(text, real.name(), before.name());
            if (real.namespace() != null) {
                text = conceal(text, real.namespace(), before.namespace());
            }
            return new Outcome(status, target, verified, text);
        }

        private static String conceal(String text, String value, String label) {
            return text == null || value.equals(label) ? text : text.replace(value, label);
        }
    }

    private Outcome act(Incident executing, Action signed, String signedFingerprint, Instant started) {
        String incidentId = executing.id();
        Action action;
        try {
            action = signed.retarget(value -> reveal(incidentId, value));
        } catch (IllegalStateException e) {
            return new Outcome(IncidentStatus.FAILED, signed.target().toString(), false, "cannot restore the target: " + e.getMessage());
        }
        String target = signed.target().toString();
        List<String> invalid = ActionCatalog.validate(action);
        if (!invalid.isEmpty()) {
            return new Outcome(IncidentStatus.FAILED, target, false, "the restored target is not valid: " + String.join("; ", invalid))
                    .concealing(signed, action);
        }
        // The scope again, on the real names: a pseudonym that hid an unmanaged namespace is caught here.
        if (scope.refusal(action).isPresent()) {
            audit.record(incidentId, "scope-refused", Map.of("action", action.type(), "target", target));
            return new Outcome(IncidentStatus.FAILED, target, false, "the restored target of " + target
                    + " is outside AWOOOI's scope: nothing was changed");
        }
        return acting(executing, signed, action, signedFingerprint, started).concealing(signed, action);
    }

    private Outcome acting(Incident executing, Action signed, Action action, String signedFingerprint, Instant started) {
        String incidentId = executing.id();
        String target = signed.target().toString();
        // One mutation in flight per object: a plan signed against a state another execution is changing is void.
        String held = TargetState.sha256(action.target().toString());
        Optional<String> busy = claims.holdTarget(held, incidentId, verifyTimeout.multipliedBy(4));
        if (busy.isPresent()) {
            return new Outcome(IncidentStatus.VOIDED, target, false, target + " is being changed by the execution of " + busy.get()
                    + ": this plan was signed against a state that is about to change");
        }
        try {
            Optional<TargetState> now = probe.state(action.target());
            if (now.isEmpty() || !now.get().fingerprint(action).equals(signedFingerprint)) {
                String why = now.isEmpty() ? target + " no longer exists"
                        : target + " changed since the plan was signed (its identity, owner, or the spec the action changes differ)";
                return new Outcome(IncidentStatus.VOIDED, target, false, why);
            }
            // The record of what is about to change, written before it is sent: a kill from here on is settled by it.
            ExecutionReport applying = ExecutionReport.applying(action.type(), target, started, now.get());
            incidents.update(executing, current -> current.status() == IncidentStatus.EXECUTING ? current.recording(applying, started) : current);
            try {
                actuator.apply(action, started);
            } catch (AnswerLostException lost) {
                // Settled by what the target shows now, never by a guess and never by sending it again.
                var seen = actuator.verify(action, now.get(), started, verifyTimeout);
                return seen.complete()
                        ? new Outcome(IncidentStatus.SUCCEEDED, target, true, "the apply got no answer, and the target shows it done: " + seen.detail())
                        : new Outcome(IncidentStatus.FAILED, target, false, "the apply got no answer, and the target does not show it done: " + seen.detail());
            }
            var verification = actuator.verify(action, now.get(), started, verifyTimeout);
            return verification.complete()
                    ? new Outcome(IncidentStatus.SUCCEEDED, target, true, verification.detail())
                    : new Outcome(IncidentStatus.FAILED, target, false, "post-verify failed: " + verification.detail());
        } catch (RuntimeException e) {
            return new Outcome(IncidentStatus.FAILED, target, false, action.type() + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            claims.releaseTarget(held, incidentId);
        }
    }

    /** Only exact labels of this incident are restored; anything else is used as written. */
    private String reveal(String incidentId, String value) {
        return Pseudonym.isLabel(value)
                ? vault.reveal(incidentId, value).orElseThrow(() -> new IllegalStateException("unknown pseudonym in target"))
                : value;
    }
}
