package dev.awoooi.analysis;

import java.util.List;

/** What happened the last times this service raised this alert, summed up in one sentence for the card. */
public record SimilarIncidents(List<PastIncident> incidents, String summary) {
    public SimilarIncidents {
        incidents = List.copyOf(incidents);
    }

    public static SimilarIncidents none() {
        return new SimilarIncidents(List.of(), "no similar past incident");
    }

    /** "restart_statefulset fixed this 3 of the last 3 times it ran", for the action proposed now. */
    public static SimilarIncidents of(List<PastIncident> past, String proposedType) {
        if (past.isEmpty()) {
            return none();
        }
        List<PastIncident> same = past.stream().filter(p -> proposedType.equals(p.actionType()) && p.ran()).toList();
        long fixed = same.stream().filter(PastIncident::fixed).count();
        String summary = same.isEmpty()
                ? past.size() + " similar past incident" + (past.size() == 1 ? "" : "s") + "; " + proposedType + " never ran on them"
                : proposedType + " fixed this " + fixed + " of the last " + same.size() + " time" + (same.size() == 1 ? "" : "s") + " it ran";
        return new SimilarIncidents(past, summary);
    }
}
