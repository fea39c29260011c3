package dev.awoooi.privacy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aho–Corasick over ASCII, case-folded: finds every occurrence of every keyword in one pass over the text, so
 * that adding a detector adds states, not another pass. Built once; immutable and thread-safe after that.
 */
final class KeywordAutomaton {
    /** Receives each occurrence: which keyword, and where in the text it starts. */
    interface Hit {
        void at(int keyword, int start);
    }

    private static final int ALPHABET = 128;
    private static final int EMITS = 0x4000_0000;
    private final int[] next;      // state * ALPHABET + char -> state (a complete DFA), | EMITS if it ends a keyword
    private final int[][] emits;   // state -> keywords ending here, failure chain included
    private final int[] lengths;

    KeywordAutomaton(List<String> keywords) {
        List<int[]> gotos = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        gotos.add(newRow());
        out.add(new ArrayList<>());
        lengths = new int[keywords.size()];
        for (int k = 0; k < keywords.size(); k++) {
            String word = keywords.get(k);
            lengths[k] = word.length();
            int state = 0;
            for (int i = 0; i < word.length(); i++) {
                int c = fold(word.charAt(i));
                if (c < 0) {
                    throw new IllegalArgumentException("keywords must be ASCII: " + word);
                }
                if (gotos.get(state)[c] < 0) {
                    gotos.get(state)[c] = gotos.size();
                    gotos.add(newRow());
                    out.add(new ArrayList<>());
                }
                state = gotos.get(state)[c];
            }
            out.get(state).add(k);
        }
        int states = gotos.size();
        next = new int[states * ALPHABET];
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < ALPHABET; c++) {
            int s = gotos.get(0)[c];
            next[c] = s < 0 ? 0 : s;
            if (s > 0) {
                queue.add(s);
            }
        }
        while (!queue.isEmpty()) {
            int state = queue.poll();
            out.get(state).addAll(out.get(fail[state]));
            for (int c = 0; c < ALPHABET; c++) {
                int s = gotos.get(state)[c];
                if (s < 0) {
                    next[state * ALPHABET + c] = next[fail[state] * ALPHABET + c];
                } else {
                    fail[s] = next[fail[state] * ALPHABET + c];
                    next[state * ALPHABET + c] = s;
                    queue.add(s);
                }
            }
        }
        emits = new int[states][];
        for (int s = 0; s < states; s++) {
            emits[s] = out.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        for (int i = 0; i < next.length; i++) {
            if (emits[next[i]].length > 0) {
                next[i] |= EMITS;
            }
        }
    }

    private static int[] newRow() {
        int[] row = new int[ALPHABET];
        Arrays.fill(row, -1);
        return row;
    }

    /** ASCII folded to lowercase; -1 for anything else, which no keyword contains. */
    private static int fold(char c) {
        if (c >= ALPHABET || c == 0) {
            return -1;
        }
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    void scan(String text, Hit hit) {
        // Latin-1 bytes: a plain array loop, several times faster than charAt; other characters become '?', which
        // no keyword contains in a way that could start a false match (keywords are checked again by the caller).
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int state = 0;
        for (int i = 0; i < bytes.length; i++) {
            int to = next[(state << 7) | FOLD[bytes[i] & 0xFF]];
            state = to & ~EMITS;
            if (to != state) {
                for (int k : emits[state]) {
                    hit.at(k, i + 1 - lengths[k]);
                }
            }
        }
    }

    /** Byte to folded ASCII; every non-ASCII byte to NUL, on which no keyword goes on. */
    private static final byte[] FOLD = new byte[256];

    static {
        for (int b = 0; b < 128; b++) {
            FOLD[b] = (byte) (b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
    }
}
