package dev.turnout.cutover.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal on disk: append-only segment files of length-prefixed, CRC-checked entries, and a watermark file holding
 * the sequence number below which every entry reached the secondary. Appends are forced to disk before they return.
 *
 * <p>On open, entries at or above the watermark are read back; a torn or corrupt tail (a crash mid-write, never
 * acknowledged to anyone) ends the read, and appends continue in a new segment. Segments wholly below the watermark are
 * deleted. Not thread-safe: the {@link Journal} serialises access.
 */
final class JournalFile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JournalFile.class);
    private static final long SEGMENT_BYTES = 16L * 1024 * 1024;
    private static final String SUFFIX = ".seg";

    private final Path dir;
    private final Path watermarkFile;
    /** First sequence number of each segment, to its file. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private FileChannel current;
    private long currentSize;

    JournalFile(Path dir) {
        this.dir = dir;
        this.watermarkFile = dir.resolve("watermark");
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).forEach(f -> {
                    String name = f.getFileName().toString();
                    segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), f);
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the dual-publisher journal in " + dir, e);
        }
    }

    long readWatermark() {
        try {
            return Files.exists(watermarkFile) ? Long.parseLong(Files.readString(watermarkFile).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Unreadable journal watermark " + watermarkFile + ": " + e.getMessage(), e);
        }
    }

    /** Entries with a sequence number at or above the watermark, in order. */
    List<JournalEntry> recover(long watermark) {
        List<JournalEntry> entries = new ArrayList<>();
        for (Path segment : segments.values()) {
            try (InputStream raw = Files.newInputStream(segment);
                 DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
                while (true) {
                    JournalEntry e = readEntry(in, segment);
                    if (e == null) {
                        break;
                    }
                    if (e.seq >= watermark) {
                        entries.add(e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read journal segment " + segment, e);
            }
        }
        return entries;
    }

    private static JournalEntry readEntry(DataInputStream in, Path segment) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length <= 0 || length > 64 * 1024 * 1024) {
            log.warn("Journal segment {} ends in a corrupt entry (length {}); ignoring the rest", segment, length);
            return null;
        }
        byte[] body = new byte[length];
        long crc;
        try {
            in.readFully(body);
            crc = in.readLong();
        } catch (EOFException e) {
            log.warn("Journal segment {} ends in a torn entry (crash while writing); ignoring it", segment);
            return null;
        }
        CRC32 check = new CRC32();
        check.update(body);
        if (check.getValue() != crc) {
            log.warn("Journal segment {} has an entry with a bad checksum; ignoring the rest", segment);
            return null;
        }
        return decode(body);
    }

    /** Appends entries (sequence numbers already assigned) and forces them to disk. */
    void append(List<JournalEntry> batch) {
        try {
            if (current == null || currentSize > SEGMENT_BYTES) {
                roll(batch.get(0).seq);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(out);
            for (JournalEntry e : batch) {
                byte[] body = encode(e);
                CRC32 crc = new CRC32();
                crc.update(body);
                data.writeInt(body.length);
                data.write(body);
                data.writeLong(crc.getValue());
            }
            ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
            while (buffer.hasRemaining()) {
                current.write(buffer);
            }
            current.force(false);
            currentSize += out.size();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the dual-publisher journal in " + dir, e);
        }
    }

    private void roll(long firstSeq) throws IOException {
        if (current != null) {
            current.close();
        }
        Path file = dir.resolve(String.format("%020d%s", firstSeq, SUFFIX));
        current = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        currentSize = current.size();
        segments.put(firstSeq, file);
    }

    /** Records that every entry below {@code watermark} reached the secondary, and drops segments no longer needed. */
    void writeWatermark(long watermark) {
        try {
            Path tmp = dir.resolve("watermark.tmp");
            Files.writeString(tmp, Long.toString(watermark));
            Files.move(tmp, watermarkFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // A segment can go once the next one starts at or below the watermark; the newest always stays.
            while (segments.size() > 1) {
                Long first = segments.firstKey();
                Long next = segments.higherKey(first);
                if (next == null || next > watermark) {
                    break;
                }
                Files.deleteIfExists(segments.remove(first));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the journal watermark in " + dir, e);
        }
    }

    private static byte[] encode(JournalEntry e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.writeLong(e.seq);
        bytes(data, e.topic.getBytes(StandardCharsets.UTF_8));
        data.writeInt(e.partition);
        data.writeLong(e.timestamp);
        bytes(data, e.key);
        bytes(data, e.value);
        bytes(data, e.id == null ? null : e.id.getBytes(StandardCharsets.UTF_8));
        data.writeInt(e.headers.size());
        for (Header h : e.headers) {
            bytes(data, h.key().getBytes(StandardCharsets.UTF_8));
            bytes(data, h.value());
        }
        return out.toByteArray();
    }

    private static JournalEntry decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
        long seq = in.readLong();
        String topic = new String(bytes(in), StandardCharsets.UTF_8);
        int partition = in.readInt();
        long timestamp = in.readLong();
        byte[] key = bytes(in);
        byte[] value = bytes(in);
        byte[] id = bytes(in);
        int count = in.readInt();
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            headers.add(new RecordHeader(new String(bytes(in), StandardCharsets.UTF_8), bytes(in)));
        }
        JournalEntry e = new JournalEntry(topic, partition, timestamp, key, value, headers,
            id == null ? null : new String(id, StandardCharsets.UTF_8), null);
        e.seq = seq;
        return e;
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    @Override
    public void close() {
        try {
            if (current != null) {
                current.close();
            }
        } catch (IOException e) {
            log.warn("Closing journal segment in {} failed: {}", dir, e.getMessage());
        }
    }
}
