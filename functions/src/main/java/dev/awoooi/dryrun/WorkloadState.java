package dev.awoooi.dryrun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a workload looks like for the purpose of acting on it. Not the resourceVersion: status updates change
 * that constantly; identity, generation, the pod template and readiness are what make a plan stale.
 */
public record WorkloadState(String uid, long generation, String templateHash, int desired, int ready) {

    public String fingerprint() {
        return sha256(uid + "|" + generation + "|" + templateHash + "|" + ready + "/" + desired);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
