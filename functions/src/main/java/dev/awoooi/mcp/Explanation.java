package dev.awoooi.mcp;

import dev.awoooi.analysis.Analysis;
import dev.awoooi.analysis.Impact;
import dev.awoooi.analysis.RootCause;
import dev.awoooi.incident.Incident;

import java.util.Locale;
import java.util.stream.Collectors;

/** An incident in plain words for an assistant (explain_incident), from its pseudonymized record alone. */
final class Explanation {
    private Explanation() {
    }

    static String of(Incident incident) {
        StringBuilder text = new StringBuilder();
        text.append("Incident ").append(incident.id()).append(" is ").append(incident.status().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .append(": alert ").append(incident.alertName()).append(incident.service() == null ? "" : " on " + incident.service())
                .append(", ").append(incident.alertCounts().firing()).append(" of ").append(incident.alertCounts().alerts())
                .append(" alerts firing.");
        if (incident.requestedBy() != null) {
            text.append(" It was asked for by ").append(incident.requestedBy()).append(" through MCP.");
        }
        Analysis analysis = incident.analysis();
        if (analysis == null) {
            return text.append(" It is not analyzed yet.").toString();
        }
        text.append("\nRoot cause: ").append(analysis.rootCauses().isEmpty() ? "none found"
                : analysis.rootCauses().stream().map(Explanation::cause).collect(Collectors.joining("; ")));
        text.append("\nBlast radius: ").append(analysis.blastRadius().isEmpty() ? "no other service suffers"
                : analysis.blastRadius().size() + " services (" + analysis.blastRadius().stream().map(Impact::service)
                .collect(Collectors.joining(", ")) + ")");
        text.append(String.format(Locale.ROOT, ", about $%.2f a minute.", analysis.costPerMinuteUsd()));
        text.append("\nAWOOOI proposes: ").append(analysis.action().describe()).append(" — ").append(analysis.proposal()).append('.');
        text.append("\nRisk ").append(analysis.risk().level()).append(": ").append(String.join("; ", analysis.risk().reasons()))
                .append(". The dry run ").append(analysis.dryRun().passed() ? "passed" : "failed").append('.');
        if (incident.approval() != null) {
            text.append("\nSignatures: ").append(incident.approval().requirement().describe()).append(" (").append(incident.approval().why())
                    .append("); ").append(incident.signatures().size()).append(" given so far.");
        }
        if (analysis.model() != null) {
            text.append("\nModel: ").append(analysis.model().summary()).append('.');
        }
        if (analysis.similar() != null) {
            text.append("\nHistory: ").append(analysis.similar().summary()).append('.');
        }
        if (incident.execution() != null) {
            var execution = incident.execution();
            text.append("\nExecution: ").append(execution.action()).append(execution.verified() ? ", verified" : ", not verified")
                    .append(": ").append(execution.detail()).append('.');
        }
        if (incident.reason() != null) {
            text.append("\nWhy it stands where it does: ").append(incident.reason());
        }
        return text.toString();
    }

    private static String cause(RootCause cause) {
        return cause.service() + " (" + cause.kind().name().toLowerCase(Locale.ROOT) + ", " + cause.health()
                + (cause.depth() == 0 ? ", the alerting service" : ", " + cause.depth() + " hops down") + ")";
    }
}
