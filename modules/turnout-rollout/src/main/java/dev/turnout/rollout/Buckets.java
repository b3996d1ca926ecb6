package dev.turnout.rollout;

import java.nio.charset.StandardCharsets;

import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Where a key falls among the {@value BasisPoints#MAX} buckets of a rollout: MurmurHash3 (x86, 32-bit) of the key's
 * UTF-8 bytes, seeded with the same hash of the rollout's name, taken as unsigned and reduced modulo
 * {@value BasisPoints#MAX}. A key is routed to NEW when its bucket is below the rollout's basis points.
 *
 * <p>The function depends on nothing but its two arguments, so every instance of every service, in any process, after
 * any restart, puts a key in the same bucket; and a key's bucket never changes, so raising the percentage only ever moves
 * keys from OLD to NEW. Seeding with the rollout's name gives each rollout its own, independent order of keys: the first
 * 10 % of one rollout are not the first 10 % of every rollout. Changing this function re-routes users, so it must not
 * change. Thread-safe, allocation-light.
 */
public final class Buckets {

    private Buckets() {
    }

    /** The bucket of {@code key} in {@code rollout}, from 0 to {@value BasisPoints#MAX} - 1. */
    public static int bucket(String rollout, String key) {
        byte[] name = rollout.getBytes(StandardCharsets.UTF_8);
        int seed = MurmurHash3.hash32x86(name, 0, name.length, 0);
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        long hash = Integer.toUnsignedLong(MurmurHash3.hash32x86(bytes, 0, bytes.length, seed));
        return (int) (hash % BasisPoints.MAX);
    }
}
