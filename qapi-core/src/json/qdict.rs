//! The member order of QEMU's `QDict`.
//!
//! A QDict is a 512-bucket hash table; walking it visits buckets in
//! ascending order and, within a bucket, the most recently inserted key
//! first. Every JSON object QEMU sends is written in this order, and QEMU
//! checks request members in this order too.

/// Number of buckets of a QDict.
pub const QDICT_BUCKETS: u32 = 512;

/// Calls `f` with the bytes QEMU stores for `key`: its UTF-8, except
/// that U+0000 is the two bytes `C0 80` (modified UTF-8).
#[inline]
pub(crate) fn for_each_mod_utf8_byte(key: &str, mut f: impl FnMut(u8)) {
    for &b in key.as_bytes() {
        if b == 0 {
            f(0xC0);
            f(0x80);
        } else {
            f(b);
        }
    }
}

/// QEMU's `tdb_hash` of a key (the hash QDict buckets are chosen by).
pub fn tdb_hash(key: &str) -> u32 {
    let mut len: u32 = 0;
    for_each_mod_utf8_byte(key, |_| len = len.wrapping_add(1));
    let mut value = 0x238F_13AFu32.wrapping_mul(len);
    let mut i: u32 = 0;
    for_each_mod_utf8_byte(key, |b| {
        value = value.wrapping_add(u32::from(b) << (i.wrapping_mul(5) % 24));
        i = i.wrapping_add(1);
    });
    1_103_515_243u32.wrapping_mul(value).wrapping_add(12345)
}

/// The QDict bucket of a key: `tdb_hash(key) % 512`.
pub fn bucket(key: &str) -> u32 {
    tdb_hash(key) % QDICT_BUCKETS
}

/// Sorts `(bucket, insertion index)` pairs into QDict iteration order.
pub(crate) fn sort_qdict(entries: &mut [(u32, usize)]) {
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
}

/// The indices of `keys` (given in insertion order) in QDict iteration
/// order. A key given more than once keeps the place of its first
/// insertion (QEMU replaces the value in place); only that index is
/// listed.
pub fn qdict_order_indices<S: AsRef<str>>(keys: &[S]) -> Vec<usize> {
    let mut v: Vec<(u32, usize)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (bucket(k.as_ref()), i))
        .collect();
    sort_qdict(&mut v);
    let mut out = Vec::with_capacity(v.len());
    for (n, &(b, i)) in v.iter().enumerate() {
        // Duplicates share a bucket; entries inserted earlier follow.
        let dup = v[n + 1..]
            .iter()
            .take_while(|e| e.0 == b)
            .any(|e| keys[e.1].as_ref() == keys[i].as_ref());
        if !dup {
            out.push(i);
        }
    }
    out
}

/// The keys (given in insertion order) in QDict iteration order.
pub fn qdict_order<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    qdict_order_indices(keys)
        .into_iter()
        .map(|i| keys[i])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_triple() {
        assert_eq!(
            qdict_order(&["major", "minor", "micro"]),
            ["micro", "minor", "major"]
        );
        assert_eq!(qdict_order(&["id", "return"]), ["return", "id"]);
        assert_eq!(
            qdict_order(&["return", "error", "id"]),
            ["return", "id", "error"]
        );
        assert_eq!(qdict_order(&["a", "a"]), ["a"]);
    }
}
