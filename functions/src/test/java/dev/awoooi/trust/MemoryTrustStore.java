package dev.awoooi.trust;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The trust table in memory, with its conditional, all-or-nothing saves. */
final class MemoryTrustStore implements TrustStore {
    final Map<String, TrustRecord> records = new HashMap<>();
    /** Runs once before the next save: what another writer saves meanwhile. */
    Runnable meanwhile = () -> { };

    @Override
    public synchronized Optional<TrustRecord> find(String key) {
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public synchronized boolean save(List<TrustRecord> changed) {
        Runnable other = meanwhile;
        meanwhile = () -> { };
        other.run();
        for (TrustRecord record : changed) {
            long stored = records.containsKey(record.key()) ? records.get(record.key()).version() : 0;
            if (stored != record.version() - 1) {
                return false;
            }
        }
        changed.forEach(record -> records.put(record.key(), record));
        return true;
    }

    @Override
    public synchronized List<TrustRecord> all() {
        return new ArrayList<>(records.values());
    }
}
