//! QDict bucket order and the GLib GHashTable model.

use qapi_core::json::glib_order::{
    GHashTableModel, first_leftover, first_leftover_from_input, g_str_hash,
};
use qapi_core::json::qdict::{bucket, qdict_order, qdict_order_indices, tdb_hash};

/// The bucket table of REFERENCE.md §1.2.
#[test]
fn qdict_buckets_match_reference_table() {
    let table: &[(&str, u32)] = &[
        ("seconds", 5),
        ("timestamp", 26),
        ("name", 39),
        ("element-type", 96),
        ("QMP", 99),
        ("tag", 132),
        ("exec-oob", 162),
        ("version", 184),
        ("class", 211),
        ("capabilities", 216),
        ("minor", 225),
        ("micro", 225),
        ("qemu", 232),
        ("variants", 263),
        ("ret-type", 269),
        ("execute", 299),
        ("default", 304),
        ("members", 311),
        ("package", 326),
        ("event", 361),
        ("allow-oob", 367),
        ("microseconds", 374),
        ("desc", 377),
        ("case", 398),
        ("return", 401),
        ("type", 425),
        ("json-type", 428),
        ("meta-type", 429),
        ("arguments", 447),
        ("arg-type", 466),
        ("major", 481),
        ("id", 486),
        ("error", 489),
        ("values", 491),
        ("features", 495),
        ("data", 505),
    ];
    for &(key, b) in table {
        assert_eq!(bucket(key), b, "bucket of {key:?}");
        assert_eq!(tdb_hash(key) % 512, b);
    }
}

#[test]
fn qdict_order_examples() {
    // Success and error replies, events, the version triple.
    assert_eq!(qdict_order(&["return", "id"]), ["return", "id"]);
    assert_eq!(qdict_order(&["error", "id"]), ["id", "error"]);
    assert_eq!(qdict_order(&["class", "desc"]), ["class", "desc"]);
    assert_eq!(
        qdict_order(&["event", "data", "timestamp"]),
        ["timestamp", "event", "data"]
    );
    assert_eq!(
        qdict_order(&["seconds", "microseconds"]),
        ["seconds", "microseconds"]
    );
    assert_eq!(
        qdict_order(&["major", "minor", "micro"]),
        ["micro", "minor", "major"]
    );
    assert_eq!(
        qdict_order(&["micro", "minor", "major"]),
        ["minor", "micro", "major"]
    );
    // The envelope check order quoted in REFERENCE §4.2 / session E.
    assert_eq!(
        qdict_order(&["arguments", "execute", "id"]),
        ["execute", "arguments", "id"]
    );
    assert_eq!(
        qdict_order(&["zzz", "execute", "id"]),
        ["execute", "zzz", "id"]
    );
    assert_eq!(
        qdict_order(&["aaa", "arguments", "id"]),
        ["aaa", "arguments", "id"]
    );
    assert_eq!(
        qdict_order(&["execute", "exec-oob"]),
        ["exec-oob", "execute"]
    );
    // A re-inserted key keeps its first place.
    assert_eq!(qdict_order_indices(&["minor", "micro", "minor"]), [1, 0]);
}

#[test]
fn g_str_hash_is_signed_djb2() {
    assert_eq!(g_str_hash(""), 5381);
    assert_eq!(g_str_hash("a"), 5381 * 33 + 97);
    // Bytes >= 0x80 count as negative (signed char).
    assert_eq!(
        g_str_hash("\u{e9}"),
        (5381u32 * 33)
            .wrapping_add(0xC3u8 as i8 as u32)
            .wrapping_mul(33)
            .wrapping_add(0xA9u8 as i8 as u32)
    );
}

/// Observed on qemu-storage-daemon 10.0.2 (GLib 2.74): which leftover
/// member is named `Parameter '…' is unexpected`.
#[test]
fn first_leftover_matches_live_qemu() {
    // blockdev-add null-co: driver, node-name, size visited.
    let keys = ["driver", "node-name", "size", "bogus", "bogus2"];
    let consumed = ["driver", "node-name", "size"];
    assert_eq!(first_leftover_from_input(&keys, &consumed), Some("bogus2"));
    // query-version (no arguments): nothing is consumed.
    let cases: &[(&[&str], &str)] = &[
        (&["a", "b"], "b"),
        (&["x", "y", "z"], "z"),
        (&["foo", "bar", "baz", "qux"], "baz"),
        (
            &["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"],
            "k6",
        ),
        (
            &["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"],
            "delta",
        ),
        (&["x"], "x"),
    ];
    for &(keys, want) in cases {
        assert_eq!(
            first_leftover_from_input(keys, &[]),
            Some(want),
            "keys {keys:?}"
        );
        let ordered = qdict_order(keys);
        assert_eq!(first_leftover(&ordered, &[]), Some(want));
    }
    assert_eq!(
        first_leftover_from_input(&["device", "force"], &["device", "force"]),
        None
    );
    // Names looked up but absent are ignored.
    assert_eq!(
        first_leftover_from_input(&["device", "x"], &["device", "speed"]),
        Some("x")
    );
}

#[test]
fn ghashtable_model_grows_and_shrinks() {
    let names: Vec<String> = (0..200).map(|i| format!("key-{i}")).collect();
    let mut t = GHashTableModel::new();
    assert_eq!(t.capacity(), 8);
    for (n, k) in names.iter().enumerate() {
        assert!(t.insert(k));
        assert!(!t.insert(k));
        assert_eq!(t.len(), n + 1);
        // GLib keeps the table below 15/16 full.
        assert!(t.capacity() > t.len());
    }
    assert_eq!(t.iter().count(), 200);
    for k in &names {
        assert!(t.contains(k));
    }
    for (n, k) in names.iter().enumerate() {
        assert!(t.remove(k));
        assert!(!t.remove(k));
        assert_eq!(t.len(), 199 - n);
        if let Some(next) = names.get(n + 1) {
            assert!(t.contains(next));
        }
    }
    assert!(t.is_empty());
    assert_eq!(t.capacity(), 8);
}

/// Iteration orders printed by a C program using the system's GLib
/// 2.74.6 (`g_hash_table_new(g_str_hash, g_str_equal)`, insert all,
/// remove some, iterate). The model also matched it on 8000 random cases
/// (1 to 2000 keys, ASCII and non-ASCII, 0-100 % removed).
#[test]
fn ghashtable_model_matches_glib_2_74() {
    let k20: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
    let letters: Vec<String> = (b'a'..=b'z').map(|c| char::from(c).to_string()).collect();
    let members: Vec<String> = (0..40).map(|i| format!("member-{i}")).collect();
    let cases: Vec<(Vec<&str>, Vec<&str>, &str)> = vec![
        (
            k20.iter().map(String::as_str).collect(),
            k20[..15].iter().map(String::as_str).collect(),
            "k16 k15 k19 k18 k17",
        ),
        (
            letters.iter().map(String::as_str).collect(),
            letters.iter().step_by(2).map(String::as_str).collect(),
            "z l r d x j p b v h n t f",
        ),
        (
            vec![
                "driver",
                "node-name",
                "size",
                "bogus",
                "bogus2",
                "cache",
                "discard",
                "read-only",
                "force-share",
            ],
            vec!["driver", "node-name", "size"],
            "cache force-share discard read-only bogus bogus2",
        ),
        (
            members.iter().map(String::as_str).collect(),
            members[3..].iter().rev().map(String::as_str).collect(),
            "member-2 member-1 member-0",
        ),
        (
            vec!["\u{e9}t\u{e9}", "hiver", "printemps", "automne", "\u{4e2d}"],
            vec![],
            "\u{4e2d} automne \u{e9}t\u{e9} hiver printemps",
        ),
    ];
    for (keys, removed, want) in cases {
        let mut t = GHashTableModel::new();
        for k in &keys {
            t.insert(k);
        }
        for k in &removed {
            t.remove(k);
        }
        let got: Vec<&str> = t.iter().collect();
        assert_eq!(got.join(" "), want);
    }
}
