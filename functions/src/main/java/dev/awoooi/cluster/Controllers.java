package dev.awoooi.cluster;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;

/** The owner that manages an object: the reference marked controller, else the first one (older objects omit the mark). */
final class Controllers {
    private Controllers() {
    }

    /** Null when the object has no owner. */
    static V1OwnerReference of(V1ObjectMeta meta) {
        if (meta == null || meta.getOwnerReferences() == null || meta.getOwnerReferences().isEmpty()) {
            return null;
        }
        return meta.getOwnerReferences().stream().filter(owner -> Boolean.TRUE.equals(owner.getController())).findFirst()
                .orElse(meta.getOwnerReferences().getFirst());
    }
}
