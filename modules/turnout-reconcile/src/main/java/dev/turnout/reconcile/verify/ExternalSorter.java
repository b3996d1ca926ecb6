package dev.turnout.reconcile.verify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Sorts (key, value) byte pairs by key (unsigned lexicographic) with bounded memory: entries are sorted in runs of at
 * most {@code runSize} in memory, full runs are written to temporary files, and {@link #sorted()} merges the runs.
 * For tables whose target key is computed, which neither database can order by. Not thread-safe; {@link #close()}
 * deletes the files.
 */
final class ExternalSorter implements AutoCloseable {

    /** One entry. */
    record Entry(byte[] key, byte[] value) {
    }

    private static final Comparator<Entry> ORDER = (a, b) -> KeyOrder.unsigned(ByteBuffer.wrap(a.key()),
        ByteBuffer.wrap(b.key()));

    private final int runSize;
    private final List<Entry> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private final List<DataInputStream> open = new ArrayList<>();

    ExternalSorter(int runSize) {
        this.runSize = runSize;
    }

    void add(byte[] key, byte[] value) {
        buffer.add(new Entry(key, value));
        if (buffer.size() >= runSize) {
            spill();
        }
    }

    private void spill() {
        buffer.sort(ORDER);
        try {
            Path file = Files.createTempFile("turnout-verify-", ".run");
            runs.add(file);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
                for (Entry e : buffer) {
                    out.writeInt(e.key().length);
                    out.write(e.key());
                    out.writeInt(e.value().length);
                    out.write(e.value());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write a sort run to the temporary directory", e);
        }
        buffer.clear();
    }

    /** Every entry added, in key order. Call once, after the last {@link #add}. */
    Iterator<Entry> sorted() {
        buffer.sort(ORDER);
        if (runs.isEmpty()) {
            return buffer.iterator();
        }
        List<Iterator<Entry>> sources = new ArrayList<>();
        sources.add(buffer.iterator());
        for (Path run : runs) {
            try {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run)));
                open.add(in);
                sources.add(new RunIterator(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read a sort run", e);
            }
        }
        return new MergeIterator(sources);
    }

    @Override
    public void close() {
        for (DataInputStream in : open) {
            try {
                in.close();
            } catch (IOException ignored) {
                // The file is deleted next.
            }
        }
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException ignored) {
                // A temporary file; the OS removes it eventually.
            }
        }
    }

    private static final class RunIterator implements Iterator<Entry> {
        private final DataInputStream in;
        private Entry next;

        RunIterator(DataInputStream in) {
            this.in = in;
            advance();
        }

        private void advance() {
            try {
                int k = in.readInt();
                byte[] key = in.readNBytes(k);
                int v = in.readInt();
                next = new Entry(key, in.readNBytes(v));
            } catch (EOFException end) {
                next = null;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read a sort run", e);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry e = next;
            advance();
            return e;
        }
    }

    private static final class MergeIterator implements Iterator<Entry> {
        private record Head(Entry entry, Iterator<Entry> source) {
        }

        private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> ORDER.compare(a.entry(), b.entry()));

        MergeIterator(List<Iterator<Entry>> sources) {
            for (Iterator<Entry> s : sources) {
                if (s.hasNext()) {
                    heads.add(new Head(s.next(), s));
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public Entry next() {
            Head head = heads.poll();
            if (head == null) {
                throw new NoSuchElementException();
            }
            if (head.source().hasNext()) {
                heads.add(new Head(head.source().next(), head.source()));
            }
            return head.entry();
        }
    }
}
