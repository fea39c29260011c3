package dev.awoooi.privacy;

/** One sensitive value found in a text: its type and where it is ({@code end} exclusive). */
public record Detection(SecretType type, int start, int end) {
    public Detection {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("empty or negative span " + start + ".." + end);
        }
    }

    public String valueIn(CharSequence text) {
        return text.subSequence(start, end).toString();
    }

    boolean overlaps(Detection other) {
        return start < other.end && other.start < end;
    }
}
