package dev.turnout.cutover.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.cutover.JournalFullException;

/**
 * The dual publisher's bounded, durable queue of records the secondary has not acknowledged yet, in the order they were
 * acknowledged by the primary (so per-partition order is the primary's).
 *
 * <p>Threads: any thread reserves and appends; one writer thread (owned here) batches appends, forces them to disk and
 * then completes their futures; one shipper thread takes entries in order and acknowledges them. A single lock guards
 * the in-memory state. On restart, entries not below the persisted watermark are recovered and shipped again; the
 * shipper first asks the secondary which of them it already has, so none is written twice.
 */
public final class Journal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    private final String name;
    private final Path dir;
    private final int capacity;
    private final JournalFile file;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Durable and not yet acknowledged by the secondary, in sequence order. */
    private final ArrayDeque<JournalEntry> unacked = new ArrayDeque<>();
    /** Durable and not yet handed to the shipper. */
    private final ArrayDeque<JournalEntry> toShip = new ArrayDeque<>();
    /** Appended, not yet on disk. */
    private final List<Appended> toWrite = new ArrayList<>();
    private int reserved;
    private int writing;
    private long nextSeq;
    /** One past the highest sequence number on disk. */
    private long durableEnd;
    private long watermark;
    private long persistedWatermark;
    private boolean closed;
    /** While set, {@link #next} hands out nothing: the secondary is held. */
    private boolean paused;
    private final Thread writer;

    private record Appended(JournalEntry entry, CompletableFuture<Void> durable) {
    }

    public Journal(String name, Path dir, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("journal capacity must be at least 1, got " + capacity);
        }
        this.name = name;
        this.dir = dir;
        this.capacity = capacity;
        this.file = new JournalFile(dir);
        this.watermark = file.readWatermark();
        this.persistedWatermark = watermark;
        List<JournalEntry> recovered = file.recover(watermark);
        unacked.addAll(recovered);
        toShip.addAll(recovered);
        nextSeq = recovered.isEmpty() ? watermark : recovered.get(recovered.size() - 1).seq + 1;
        durableEnd = nextSeq;
        if (!recovered.isEmpty()) {
            log.info("Publisher {}: recovered {} record(s) the secondary had not acknowledged from journal {}", name,
                recovered.size(), dir);
        }
        this.writer = new Thread(this::writeLoop, "turnout-publisher-" + name + "-journal");
        writer.setDaemon(true);
        writer.start();
    }

    public int capacity() {
        return capacity;
    }

    /** Records not yet acknowledged by the secondary (journaled or being journaled). */
    public int pending() {
        lock.lock();
        try {
            return unacked.size() + toWrite.size() + writing;
        } finally {
            lock.unlock();
        }
    }

    /** Reserves room for one record before it is sent to the primary; full means a clear error, never a silent drop. */
    public void reserve() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("Publisher " + name + " is closed");
            }
            if (unacked.size() + toWrite.size() + writing + reserved >= capacity) {
                throw new JournalFullException("Publisher " + name + ": the secondary journal in " + dir + " is full ("
                    + capacity + " records the secondary has not acknowledged); the record was not published. Restore "
                    + "the secondary cluster, raise the journal capacity, or switch to PRIMARY_ONLY");
            }
            reserved++;
        } finally {
            lock.unlock();
        }
    }

    public void release() {
        lock.lock();
        try {
            reserved--;
        } finally {
            lock.unlock();
        }
    }

    /** Appends an entry for which room was reserved; the future completes once it is on disk. */
    public CompletableFuture<Void> append(JournalEntry entry) {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        lock.lock();
        try {
            reserved--;
            entry.seq = nextSeq++;
            toWrite.add(new Appended(entry, durable));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return durable;
    }

    private void writeLoop() {
        while (true) {
            List<Appended> batch;
            lock.lock();
            try {
                while (toWrite.isEmpty() && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (toWrite.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(toWrite);
                toWrite.clear();
                writing = batch.size();
            } finally {
                lock.unlock();
            }
            RuntimeException failure = null;
            try {
                file.append(batch.stream().map(Appended::entry).toList());
            } catch (RuntimeException e) {
                failure = e;
                log.error("Publisher {}: could not journal {} record(s) for the secondary in {}: {}; they are on the "
                    + "primary only", name, batch.size(), dir, e.getMessage());
            }
            lock.lock();
            try {
                writing = 0;
                if (failure == null) {
                    batch.forEach(a -> {
                        unacked.add(a.entry());
                        toShip.add(a.entry());
                        durableEnd = Math.max(durableEnd, a.entry().seq + 1);
                    });
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            for (Appended a : batch) {
                if (failure == null) {
                    a.durable().complete(null);
                } else {
                    a.durable().completeExceptionally(failure);
                }
            }
        }
    }

    /** Holds (or releases) shipping; takes effect for the very next {@link #next} call. */
    public void pause(boolean pause) {
        lock.lock();
        try {
            paused = pause;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isPaused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** The next entry to ship, waiting up to {@code wait}; null when none is ready or shipping is held. */
    public JournalEntry next(Duration wait) {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while ((toShip.isEmpty() || paused) && nanos > 0 && !closed) {
                nanos = changed.awaitNanos(nanos);
            }
            return paused ? null : toShip.pollFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Puts an entry that could not be handed to the producer back at the front, keeping the order. */
    public void pushBack(JournalEntry entry) {
        lock.lock();
        try {
            toShip.addFirst(entry);
        } finally {
            lock.unlock();
        }
    }

    /** The secondary acknowledged the entry. */
    public void acked(JournalEntry entry) {
        lock.lock();
        try {
            entry.acked = true;
            while (!unacked.isEmpty() && unacked.peekFirst().acked) {
                unacked.pollFirst();
            }
            watermark = unacked.isEmpty() ? durableEnd : unacked.peekFirst().seq;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Every entry not acknowledged yet goes back to be shipped again, in order (after a producer reset). */
    public List<JournalEntry> rewind() {
        lock.lock();
        try {
            toShip.clear();
            List<JournalEntry> again = new ArrayList<>();
            for (JournalEntry e : unacked) {
                if (!e.acked) {
                    toShip.add(e);
                    again.add(e);
                }
            }
            return again;
        } finally {
            lock.unlock();
        }
    }

    /** Entries not acknowledged yet, in order. */
    public List<JournalEntry> unackedEntries() {
        lock.lock();
        try {
            return unacked.stream().filter(e -> !e.acked).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Writes the watermark if it moved; called by the shipper between batches. */
    public void persistWatermark() {
        long w;
        lock.lock();
        try {
            w = watermark;
            if (w == persistedWatermark) {
                return;
            }
        } finally {
            lock.unlock();
        }
        file.writeWatermark(w);
        persistedWatermark = w;
    }

    /** Waits until everything appended so far is on disk. */
    public void awaitDurable(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while ((!toWrite.isEmpty() || writing > 0) && System.nanoTime() < deadline) {
                changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the secondary acknowledged everything; false on timeout. */
    public boolean awaitEmpty(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (unacked.size() + toWrite.size() + writing > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the writer after it has written what was appended; unacknowledged entries stay on disk for next time. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        persistWatermark();
        file.close();
    }
}
