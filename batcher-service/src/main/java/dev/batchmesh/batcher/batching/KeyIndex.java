package dev.batchmesh.batcher.batching;

import java.util.Arrays;

/**
 * Numbers distinct record keys 0, 1, 2, ... in the order they first appear. Open addressing over
 * the keys' hashes: a lookup probes an int array and compares Strings directly. A HashMap's lookup
 * on this path (once per record when a request is grouped, once per series when it is buffered)
 * spent its time chasing nodes and in the megamorphic {@code equals} call every HashMap shares.
 */
final class KeyIndex {

    private String[] keys;
    /** Per slot: the key's id plus one, 0 for an empty slot. */
    private int[] slots;
    private int[] slotHashes;
    private int size;

    KeyIndex(int expectedKeys) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedKeys) * 2 - 1) << 1;
        keys = new String[Math.max(4, expectedKeys)];
        slots = new int[capacity];
        slotHashes = new int[capacity];
    }

    /** The key's id, numbering it next when it is new. */
    int idOf(String key) {
        int hash = spread(key.hashCode());
        int slot = slotOf(key, hash);
        return slots[slot] == 0 ? add(key, hash, slot) : slots[slot] - 1;
    }

    /** The key's id, or -1 when it has none. */
    int find(String key) {
        return slots[slotOf(key, spread(key.hashCode()))] - 1;
    }

    /** The slot holding the key, or the empty slot where it would go. */
    private int slotOf(String key, int hash) {
        int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0 || (slotHashes[slot] == hash && keys[entry - 1].equals(key))) {
                return slot;
            }
        }
    }

    int size() {
        return size;
    }

    String key(int id) {
        return keys[id];
    }

    private int add(String key, int hash, int slot) {
        int id = size++;
        if (id == keys.length) {
            keys = Arrays.copyOf(keys, keys.length * 2);
        }
        keys[id] = key;
        slots[slot] = id + 1;
        slotHashes[slot] = hash;
        // at most half full, so probe runs stay short
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return id;
    }

    private void rehash(int capacity) {
        int[] oldSlots = slots;
        int[] oldHashes = slotHashes;
        slots = new int[capacity];
        slotHashes = new int[capacity];
        int mask = capacity - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != 0) {
                int slot = oldHashes[i] & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = oldSlots[i];
                slotHashes[slot] = oldHashes[i];
            }
        }
    }

    /** String hashes of similar keys differ in their low bits little; multiply them apart. */
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
