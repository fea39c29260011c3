package dev.awoooi.approval;

public enum Decision {
    APPROVE, REJECT
}
