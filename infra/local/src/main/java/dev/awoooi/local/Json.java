package dev.awoooi.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The runner's JSON codec. Jackson 2 because event-ruler speaks it; the functions' own mapper (Jackson 3)
 * stays inside the Spring context.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON: " + value.getClass().getName(), e);
        }
    }
}
