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
     * The transition a stream record shows, if its write changed the status, recorded a reminder or added a signature
     * to a request still awaiting more (a count moving, say, is none).
     */
    public Optional<Transition> transition(Map<String, String> oldImage, Map<String, String> newImage) {
        if (newImage == null || newImage.get("doc") == null || newImage.get("status") == null) {
            return Optional.empty(); // a removal, or an item that is not an incident's
        }
        IncidentStatus from = oldImage == null || oldImage.get("status") == null ? null : IncidentStatus.valueOf(oldImage.get("status"));
        IncidentStatus to = IncidentStatus.valueOf(newImage.get("status"));
        int reminder = count(newImage, DynamoIncidentStore.REMINDERS);
        int signed = count(newImage, DynamoIncidentStore.SIGNED);
        boolean reminded = reminder > 0 && reminder != count(oldImage, DynamoIncidentStore.REMINDERS);
        boolean newSignature = signed > count(oldImage, DynamoIncidentStore.SIGNED);
        if (from == to && !reminded && !newSignature) {
            return Optional.empty();
        }
        return Optional.of(new Transition(from, json.readValue(newImage.get("doc"), Incident.class), from == to && reminded ? reminder : 0,
                from == to && newSignature ? signed : 0));
    }

    private static int count(Map<String, String> image, String attribute) {
        return image == null || image.get(attribute) == null ? 0 : Integer.parseInt(image.get(attribute));
    }
}
