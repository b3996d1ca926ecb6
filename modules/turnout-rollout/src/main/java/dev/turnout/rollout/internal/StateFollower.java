package dev.turnout.rollout.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.turnout.rollout.RolloutException;
import dev.turnout.rollout.RolloutState;

/**
 * Follows {@code turnout.rollout.state} live on one background thread and keeps the latest state of every rollout.
 *
 * <p>On start (and after any failure) it reads the topic from the beginning up to the end offsets of that moment and only
 * then publishes what it read, so readers never see a half-read topic; from then on each change is published as soon as
 * it is polled (within one poll of its write, well under a second). Until the first complete read, {@link #isReady()} is
 * false. Kafka or registry failures are logged and retried every {@value #RETRY_MILLIS} ms; the last published states
 * stay in force meanwhile. Readers are lock-free: {@link #all()} returns an immutable snapshot.
 */
public final class StateFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateFollower.class);
    private static final long RETRY_MILLIS = 1_000;
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaSession session;
    private final Consumer<RolloutState> onChange;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private volatile Map<String, RolloutState> states = Map.of();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private String lastProblem;

    /**
     * A follower, not yet started. {@code onChange} is called on the follower's thread for every rollout whose state was
     * published (all of them after each complete read); it must be quick.
     */
    public StateFollower(KafkaSession session, String owner, Consumer<RolloutState> onChange) {
        this.session = session;
        this.onChange = Objects.requireNonNull(onChange);
        this.thread = new Thread(this::run, "turnout-rollout-state-" + owner);
        thread.setDaemon(true);
    }

    /** Starts following on the background thread; returns at once. */
    public StateFollower start() {
        thread.start();
        return this;
    }

    /** Whether the whole topic has been read once. */
    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** Waits until {@link #isReady()}; false when {@code timeout} passed first. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Optional<RolloutState> get(String name) {
        return Optional.ofNullable(states.get(name));
    }

    /** Every rollout known, as an immutable snapshot. */
    public Map<String, RolloutState> all() {
        return states;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = session.consumer("state-follower")) {
                consumer = c;
                if (!running) {
                    break;
                }
                follow(c);
            } catch (WakeupException e) {
                if (running) {
                    problem("woken up unexpectedly");
                }
            } catch (RolloutException | KafkaException e) {
                problem(e.getMessage());
            } catch (RuntimeException e) {
                problem(e.toString());
            }
            if (running) {
                try {
                    stopping.await(RETRY_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        session.ensureTopic(StateTopic.topic(), StateTopic.CONFIGS);
        List<TopicPartition> partitions = c.partitionsFor(StateTopic.topic(), session.settings().requestTimeout()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> catchUp = c.endOffsets(partitions, session.settings().requestTimeout());
        Map<String, RolloutState> reading = new HashMap<>();
        boolean caughtUp = false;
        while (running) {
            ConsumerRecords<String, byte[]> records = c.poll(POLL);
            Map<String, RolloutState> next = caughtUp ? new HashMap<>(states) : reading;
            for (ConsumerRecord<String, byte[]> r : records) {
                if (r.key() == null) {
                    continue;
                }
                if (r.value() == null) {
                    next.remove(r.key());
                } else {
                    StateTopic.decode(session, r.key(), r.value()).ifPresent(s -> next.put(s.name(), s));
                }
            }
            if (!caughtUp && positionsReach(c, catchUp)) {
                caughtUp = true;
                publish(next, next.values());
                if (lastProblem != null) {
                    log.info("Following {} again on {}", StateTopic.topic(), session.settings().bootstrap());
                    lastProblem = null;
                }
                if (!isReady()) {
                    log.info("Read {} rollout(s) from {} on {}", next.size(), StateTopic.topic(),
                        session.settings().bootstrap());
                    ready.countDown();
                }
            } else if (caughtUp && !records.isEmpty()) {
                publish(next, changed(records, next));
            }
        }
    }

    private static List<RolloutState> changed(ConsumerRecords<String, byte[]> records, Map<String, RolloutState> next) {
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        records.forEach(r -> keys.add(r.key()));
        return keys.stream().map(next::get).filter(Objects::nonNull).toList();
    }

    private void publish(Map<String, RolloutState> next, java.util.Collection<RolloutState> changed) {
        states = Map.copyOf(next);
        for (RolloutState s : changed) {
            try {
                onChange.accept(s);
            } catch (RuntimeException e) {
                log.warn("A rollout-state listener failed on rollout {}: {}", s.name(), e.toString());
            }
        }
    }

    private boolean positionsReach(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey(), session.settings().requestTimeout()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void problem(String message) {
        if (!Objects.equals(message, lastProblem)) {
            log.warn("Cannot follow {} on {} (retrying every {} ms{}): {}", StateTopic.topic(),
                session.settings().bootstrap(), RETRY_MILLIS, isReady() ? ", last read states stay in force"
                    : ", routers answer their safe default meanwhile", message);
            lastProblem = message;
        }
    }

    @Override
    public void close() {
        running = false;
        stopping.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
