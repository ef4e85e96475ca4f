//! A model of GLib 2.74's `GHashTable`, to predict its iteration order.
//!
//! QEMU's input visitor records the members of each input object in a
//! `GHashTable` (inserted in QDict order), removes each member as it is
//! visited, and reports the first remaining one, in hash-table iteration
//! order, as unexpected. Reproducing which member is named needs the
//! table's exact layout: `g_str_hash`, the prime-modulo initial index,
//! quadratic probing, tombstones, and the in-place resize algorithm.

use super::qdict::for_each_mod_utf8_byte;
pub use super::qdict::qdict_order;

/// GLib's `g_str_hash`: djb2 over the key's bytes read as *signed* chars.
pub fn g_str_hash(key: &str) -> u32 {
    let mut h: u32 = 5381;
    for_each_mod_utf8_byte(key, |b| {
        h = h
            .wrapping_shl(5)
            .wrapping_add(h)
            .wrapping_add(b as i8 as i32 as u32);
    });
    h
}

const MIN_SHIFT: u32 = 3;
const UNUSED: u32 = 0;
const TOMBSTONE: u32 = 1;

#[inline]
fn is_real(h: u32) -> bool {
    h >= 2
}

/// Largest prime below `1 << shift`, for each shift.
const PRIME_MOD: [u32; 32] = [
    1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071,
    262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213, 33554393, 67108859, 134217689,
    268435399, 536870909, 1073741789, 2147483647,
];

/// A string-keyed `GHashTable` (as created by
/// `g_hash_table_new(g_str_hash, g_str_equal)`), reduced to what decides
/// its layout. Values are not modelled.
#[derive(Clone, Debug)]
pub struct GHashTableModel<'a> {
    size: usize,
    modulo: u32,
    mask: u32,
    nnodes: usize,
    noccupied: usize,
    hashes: Vec<u32>,
    keys: Vec<Option<&'a str>>,
}

impl Default for GHashTableModel<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> GHashTableModel<'a> {
    /// An empty table (8 slots, as `g_hash_table_new` makes).
    pub fn new() -> Self {
        let mut t = GHashTableModel {
            size: 0,
            modulo: 0,
            mask: 0,
            nnodes: 0,
            noccupied: 0,
            hashes: Vec::new(),
            keys: Vec::new(),
        };
        t.set_shift(MIN_SHIFT);
        t.hashes = vec![UNUSED; t.size];
        t.keys = vec![None; t.size];
        t
    }

    fn set_shift(&mut self, shift: u32) {
        self.size = 1usize << shift;
        self.modulo = PRIME_MOD[shift as usize];
        self.mask = (self.size - 1) as u32;
    }

    fn set_shift_from_size(&mut self, n: i32) {
        let mut n = n;
        let mut shift = 0;
        while n != 0 {
            n >>= 1;
            shift += 1;
        }
        self.set_shift(shift.max(MIN_SHIFT));
    }

    #[inline]
    fn hash_to_index(&self, hash: u32) -> u32 {
        hash.wrapping_mul(11) % self.modulo
    }

    /// Index of `key`'s node if present, else of the slot an insertion
    /// would use (first tombstone met, else the empty slot); and the hash.
    fn lookup_node(&self, key: &str) -> (usize, u32) {
        let mut hash = g_str_hash(key);
        if !is_real(hash) {
            hash = 2;
        }
        let mut idx = self.hash_to_index(hash);
        let mut step = 0u32;
        let mut first_tombstone = None;
        loop {
            let h = self.hashes[idx as usize];
            if h == UNUSED {
                break;
            }
            if h == hash {
                if self.keys[idx as usize] == Some(key) {
                    return (idx as usize, hash);
                }
            } else if h == TOMBSTONE && first_tombstone.is_none() {
                first_tombstone = Some(idx);
            }
            step += 1;
            idx = idx.wrapping_add(step) & self.mask;
        }
        (first_tombstone.unwrap_or(idx) as usize, hash)
    }

    /// `g_hash_table_insert`; returns whether the key was new.
    pub fn insert(&mut self, key: &'a str) -> bool {
        let (idx, hash) = self.lookup_node(key);
        let old = self.hashes[idx];
        if is_real(old) {
            return false;
        }
        self.hashes[idx] = hash;
        self.keys[idx] = Some(key);
        self.nnodes += 1;
        if old == UNUSED {
            self.noccupied += 1;
            self.maybe_resize();
        }
        true
    }

    /// `g_hash_table_remove`; returns whether the key was present.
    pub fn remove(&mut self, key: &str) -> bool {
        let (idx, _) = self.lookup_node(key);
        if !is_real(self.hashes[idx]) {
            return false;
        }
        self.hashes[idx] = TOMBSTONE;
        self.keys[idx] = None;
        self.nnodes -= 1;
        self.maybe_resize();
        true
    }

    /// Whether `key` is in the table.
    pub fn contains(&self, key: &str) -> bool {
        let (idx, _) = self.lookup_node(key);
        is_real(self.hashes[idx])
    }

    /// Number of keys held.
    pub fn len(&self) -> usize {
        self.nnodes
    }

    /// Whether the table holds no key.
    pub fn is_empty(&self) -> bool {
        self.nnodes == 0
    }

    /// Current number of slots.
    pub fn capacity(&self) -> usize {
        self.size
    }

    /// The keys in `GHashTableIter` order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.hashes
            .iter()
            .zip(&self.keys)
            .filter(|(h, _)| is_real(**h))
            .filter_map(|(_, k)| *k)
    }

    fn maybe_resize(&mut self) {
        let noccupied = self.noccupied;
        let size = self.size;
        if (size > self.nnodes * 4 && size > 1 << MIN_SHIFT) || size <= noccupied + noccupied / 16 {
            self.resize();
        }
    }

    fn resize(&mut self) {
        let old_size = self.size;
        // GLib computes `nnodes * 1.333` in double and passes it as gint.
        self.set_shift_from_size((self.nnodes as f64 * 1.333) as i32);
        let mut placed = if self.size > old_size {
            self.hashes.resize(self.size, UNUSED);
            self.keys.resize(self.size, None);
            vec![false; self.size]
        } else {
            vec![false; old_size]
        };

        for i in 0..old_size {
            let mut node_hash = self.hashes[i];
            if !is_real(node_hash) {
                self.hashes[i] = UNUSED;
                continue;
            }
            if placed[i] {
                continue;
            }
            self.hashes[i] = UNUSED;
            let mut key = self.keys[i].take();
            loop {
                let mut idx = self.hash_to_index(node_hash);
                let mut step = 0u32;
                while placed[idx as usize] {
                    step += 1;
                    idx = idx.wrapping_add(step) & self.mask;
                }
                let idx = idx as usize;
                placed[idx] = true;
                let replaced = self.hashes[idx];
                self.hashes[idx] = node_hash;
                if !is_real(replaced) {
                    self.keys[idx] = key;
                    break;
                }
                node_hash = replaced;
                key = std::mem::replace(&mut self.keys[idx], key);
            }
        }

        if self.size < old_size {
            self.hashes.truncate(self.size);
            self.keys.truncate(self.size);
        }
        self.noccupied = self.nnodes;
    }
}

/// Which leftover member QEMU reports as unexpected.
///
/// `keys_in_qdict_order` are the input object's keys as QEMU iterates its
/// QDict (see [`qdict_order`]);
/// `consumed_in_order` are the members the visitor looked up and found,
/// in visiting order (names not in the object are ignored). Returns the
/// first key left, in GLib hash-table order, or `None` if none is left.
pub fn first_leftover<'a>(
    keys_in_qdict_order: &[&'a str],
    consumed_in_order: &[&str],
) -> Option<&'a str> {
    let mut t = GHashTableModel::new();
    for k in keys_in_qdict_order {
        t.insert(k);
    }
    for c in consumed_in_order {
        t.remove(c);
    }
    t.iter().next()
}

/// Like [`first_leftover`], taking the keys in the order they were read
/// (insertion order) and applying the QDict order first.
pub fn first_leftover_from_input<'a>(
    keys_in_input_order: &[&'a str],
    consumed_in_order: &[&str],
) -> Option<&'a str> {
    let ordered = super::qdict::qdict_order(keys_in_input_order);
    first_leftover(&ordered, consumed_in_order)
}
