package dev.awoooi.store;

import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a list of incidents goes on: for each status not read to its end, the status index key it stopped after (or
 * none: from the top). Written as base64url text; read back only if every part is one this store could have written
 * for the statuses asked, so a cursor edited by hand is refused rather than followed.
 */
final class ListCursor {
    private static final int MAX_CHARS = 4096;

    private ListCursor() {
    }

    static String write(Map<IncidentStatus, Optional<Map<String, AttributeValue>>> next) {
        StringBuilder text = new StringBuilder();
        next.forEach((status, key) -> {
            text.append(text.isEmpty() ? "" : "\n").append(status.name());
            key.ifPresent(k -> text.append('\t').append(k.get("updatedAt").s()).append('\t').append(k.get("id").s()));
        });
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Each status's start: all of {@code statuses} from the top for no cursor; the cursor's statuses otherwise. */
    static Map<IncidentStatus, Optional<Map<String, AttributeValue>>> read(String cursor, Set<IncidentStatus> statuses) {
        Map<IncidentStatus, Optional<Map<String, AttributeValue>>> from = new LinkedHashMap<>();
        if (cursor == null || cursor.isEmpty()) {
            statuses.stream().sorted().forEach(s -> from.put(s, Optional.empty()));
            return from;
        }
        String text;
        try {
            if (cursor.length() > MAX_CHARS) {
                throw new IllegalArgumentException("too long");
            }
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a cursor this list gave out");
        }
        for (String line : text.split("\n")) {
            String[] parts = line.split("\t");
            IncidentStatus status;
            try {
                status = IncidentStatus.valueOf(parts[0]);
                if (parts.length == 3) {
                    Instant.parse(parts[1]);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a cursor this list gave out");
            }
            if (!statuses.contains(status) || from.containsKey(status) || (parts.length != 1 && parts.length != 3)
                    || (parts.length == 3 && !IncidentIds.valid(parts[2]))) {
                throw new IllegalArgumentException("not a cursor for this list");
            }
            from.put(status, parts.length == 1 ? Optional.empty() : Optional.of(Map.of("status", AttributeValue.fromS(status.name()),
                    "updatedAt", AttributeValue.fromS(parts[1]), "id", AttributeValue.fromS(parts[2]))));
        }
        return from;
    }
}
