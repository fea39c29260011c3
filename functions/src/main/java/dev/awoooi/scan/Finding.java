package dev.awoooi.scan;

/** One thing a scan found, with what it costs a month where that is known. */
public record Finding(String kind, String resource, String severity, String detail, double monthlyCostUsd) {
}
