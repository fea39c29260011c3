package dev.awoooi.store;

import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.Transition;
import tools.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.Optional;

/**
 * The incidents table's change stream (NEW_AND_OLD_IMAGES) read as transitions. Only the string attributes of the
 * images are needed: the status before and after, and the incident's document as written.
 */
public final class IncidentStream {
    private final ObjectMapper json;

    public IncidentStream(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The transition a stream record shows, if its write changed the status or recorded a reminder (a count moving,
     * say, is none).
     */
    public Optional<Transition> transition(Map<String, String> oldImage, Map<String, String> newImage) {
        if (newImage == null || newImage.get("doc") == null || newImage.get("status") == null) {
            return Optional.empty(); // a removal, or an item that is not an incident's
        }
        IncidentStatus from = oldImage == null || oldImage.get("status") == null ? null : IncidentStatus.valueOf(oldImage.get("status"));
        IncidentStatus to = IncidentStatus.valueOf(newImage.get("status"));
        int reminder = reminders(newImage);
        if (from == to && (reminder == reminders(oldImage) || reminder == 0)) {
            return Optional.empty();
        }
        return Optional.of(new Transition(from, json.readValue(newImage.get("doc"), Incident.class), from == to ? reminder : 0));
    }

    private static int reminders(Map<String, String> image) {
        return image == null || image.get(DynamoIncidentStore.REMINDERS) == null ? 0 : Integer.parseInt(image.get(DynamoIncidentStore.REMINDERS));
    }
}
