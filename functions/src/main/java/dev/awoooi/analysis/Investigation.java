package dev.awoooi.analysis;

import dev.awoooi.topology.WorkloadRef;

/**
 * Port: the read-only look a person would take first when AWOOOI will not act. Only ever reads; every text it returns
 * is masked by the privacy shield (pod logs and event messages carry addresses, tokens, names).
 */
public interface Investigation {
    /** The workload's events, restarts, rollouts and failing pods' log tails. */
    Findings look(WorkloadRef workload);

    /** The namespace's recent warnings, when the alert names no workload AWOOOI knows. */
    Findings warnings(String namespace);
}
