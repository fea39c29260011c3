package dev.awoooi.approval;

public enum Role {
    ADMIN, DEVOPS, SRE, CTO, CISO
}
