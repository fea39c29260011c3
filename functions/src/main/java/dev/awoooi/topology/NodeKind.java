package dev.awoooi.topology;

/** What a node in the service graph is; the order of root-cause suspicion is DATABASE > CACHE > QUEUE > the rest. */
public enum NodeKind {
    INGRESS, SERVICE, DATABASE, CACHE, QUEUE, EXTERNAL;

    public int suspicion() {
        return switch (this) {
            case DATABASE -> 0;
            case CACHE -> 1;
            case QUEUE -> 2;
            case EXTERNAL -> 3;
            case SERVICE -> 4;
            case INGRESS -> 5;
        };
    }
}
