package io.arbiter.replication;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test state machine: named counters. Command {@code "add <key> <id>"} increments counter {@code key}, records
 * {@code id} (to detect a command applied twice) and returns the new value as decimal text. The state is confined
 * to the apply thread; the observation fields are safe to read from the test thread.
 */
public final class CounterStateMachine implements ReplicatedStateMachine {

    public record RoleChange(boolean leader, long term, String thread) {}

    private Map<String, Long> counters = new HashMap<>();
    private Set<String> ids = new HashSet<>();
    private long lastIndex = -1;

    private final Set<String> appliedIds = ConcurrentHashMap.newKeySet();
    public final Set<String> applyThreads = ConcurrentHashMap.newKeySet();
    /** Calls into this state machine that found another call still running (must stay 0: one at a time). */
    public final AtomicInteger overlappingCalls = new AtomicInteger();

    private final AtomicInteger inside = new AtomicInteger();
    public final AtomicLong appliedCommands = new AtomicLong();
    public final AtomicLong distinctIndices = new AtomicLong();
    public final AtomicInteger duplicates = new AtomicInteger();
    public final AtomicInteger snapshotsWritten = new AtomicInteger();
    public final AtomicInteger restores = new AtomicInteger();
    public final AtomicLong restoredIndex = new AtomicLong(-1);
    /** Entries applied after a restore whose index the restored snapshot already held (must stay 0). */
    public final AtomicInteger appliedAtOrBelowRestore = new AtomicInteger();

    public final List<RoleChange> roleChanges = new CopyOnWriteArrayList<>();
    private volatile Map<String, Long> published = Map.of();
    private volatile int publishedIds;
    /** When set, snapshot writers wait for it: proves applying goes on while a snapshot is written. */
    public volatile CountDownLatch writerGate;

    public static byte[] add(String key, String id) {
        return ("add " + key + " " + id).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        enter();
        try {
            return applyAlone(index, command);
        } finally {
            inside.decrementAndGet();
        }
    }

    private void enter() {
        if (inside.incrementAndGet() != 1) {
            overlappingCalls.incrementAndGet();
        }
    }

    private byte[] applyAlone(long index, byte[] command) {
        applyThreads.add(Thread.currentThread().getName());
        if (index <= restoredIndex.get()) {
            appliedAtOrBelowRestore.incrementAndGet();
        }
        if (index != lastIndex) {
            if (index < lastIndex) {
                throw new AssertionError("index went back from " + lastIndex + " to " + index);
            }
            distinctIndices.incrementAndGet();
            lastIndex = index;
        }
        String[] parts = new String(command, StandardCharsets.UTF_8).split(" ");
        if (!parts[0].equals("add")) {
            throw new IllegalArgumentException("unknown command " + parts[0]);
        }
        if (!ids.add(parts[2])) {
            duplicates.incrementAndGet();
        }
        appliedIds.add(parts[2]);
        long value = counters.merge(parts[1], 1L, Long::sum);
        appliedCommands.incrementAndGet();
        publish();
        return Long.toString(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Read {@code "get <key>"}: the counter's value as decimal text (0 if never added to). */
    public static byte[] get(String key) {
        return ("get " + key).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads counted here (on the apply thread). */
    public final AtomicLong queries = new AtomicLong();

    @Override
    public byte[] query(byte[] request) {
        enter();
        try {
            String[] parts = new String(request, StandardCharsets.UTF_8).split(" ");
            if (!parts[0].equals("get")) {
                throw new IllegalArgumentException("unknown read " + parts[0]);
            }
            queries.incrementAndGet();
            return Long.toString(counters.getOrDefault(parts[1], 0L)).getBytes(StandardCharsets.UTF_8);
        } finally {
            inside.decrementAndGet();
        }
    }

    private void publish() {
        published = Map.copyOf(counters);
        publishedIds = ids.size();
    }

    /** When set, {@link #snapshot()} throws (a state machine bug). */
    public volatile boolean failCapture;

    public final AtomicInteger captures = new AtomicInteger();

    @Override
    public SnapshotWriter snapshot() {
        captures.incrementAndGet();
        if (failCapture) {
            throw new IllegalStateException("snapshot capture failed on purpose");
        }
        Map<String, Long> countersView = Map.copyOf(counters);
        List<String> idsView = List.copyOf(ids);
        long index = lastIndex;
        return out -> {
            CountDownLatch gate = writerGate;
            if (gate != null) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            DataOutputStream data = new DataOutputStream(out);
            data.writeLong(index);
            data.writeInt(countersView.size());
            for (Map.Entry<String, Long> e : countersView.entrySet()) {
                data.writeUTF(e.getKey());
                data.writeLong(e.getValue());
            }
            data.writeInt(idsView.size());
            for (String id : idsView) {
                data.writeUTF(id);
            }
            data.flush();
            snapshotsWritten.incrementAndGet();
        };
    }

    @Override
    public void restore(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        long index = data.readLong();
        Map<String, Long> c = new HashMap<>();
        for (int n = data.readInt(); n > 0; n--) {
            c.put(data.readUTF(), data.readLong());
        }
        Set<String> s = new HashSet<>();
        for (int n = data.readInt(); n > 0; n--) {
            s.add(data.readUTF());
        }
        counters = c;
        ids = s;
        appliedIds.clear();
        appliedIds.addAll(s);
        lastIndex = index;
        restoredIndex.set(index);
        restores.incrementAndGet();
        publish();
    }

    @Override
    public void onRoleChange(boolean leader, long term) {
        enter();
        roleChanges.add(new RoleChange(leader, term, Thread.currentThread().getName()));
        inside.decrementAndGet();
    }

    /** The counters as of the last applied command (or restore). */
    public Map<String, Long> counters() {
        return published;
    }

    public long counter(String key) {
        return published.getOrDefault(key, 0L);
    }

    /** Whether the command with this id is in the state. */
    public boolean hasId(String id) {
        return appliedIds.contains(id);
    }

    /** How many distinct command ids the state holds. */
    public int idCount() {
        return publishedIds;
    }
}
