package dev.turnout.cutover;

import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What {@link DualPublisher#send} did with one record.
 *
 * @param id        the {@code turnout.id} both copies carry (a UUIDv7), or null in {@link PublishMode#PRIMARY_ONLY}
 * @param partition the partition number used on both clusters
 * @param timestamp the record timestamp used on both clusters
 * @param primary   the primary's acknowledgement; null in {@link PublishMode#SECONDARY_ONLY}
 * @param secondary the secondary's acknowledgement in {@link PublishMode#SECONDARY_ONLY}; null otherwise (in DUAL the
 *                  secondary copy is journaled and shipped later)
 */
public record PublishResult(PublishMode mode, String id, int partition, long timestamp, RecordMetadata primary,
                            RecordMetadata secondary) {
}
