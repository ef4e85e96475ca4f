//! Sets every condition name of qapi-schema-test.json as a rustc cfg, so
//! that every `if` of the schema holds (QEMU's generator output that the
//! oracles in `tests/data/` record is the one with every `#if` true).
//! The one negation in the schema (`TEST_IF_EVENT2`'s
//! `not(any(not(TEST_IF_EVT), not(TEST_IF_STRUCT)))`) is then true too.

const CONDITIONS: &[&str] = &[
    "TEST_IF_STRUCT",
    "TEST_IF_STRUCT_MEMBER",
    "TEST_IF_ENUM_MEMBER",
    "TEST_IF_UNION",
    "TEST_IF_ALT",
    "TEST_IF_ALT_MEMBER",
    "TEST_IF_CMD",
    "TEST_IF_EVT",
    "TEST_IF_FEATURE_1",
    "TEST_IF_FEATURE_2",
    "TEST_IF_COND_1",
    "TEST_IF_COND_2",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for c in CONDITIONS {
        println!("cargo:rustc-check-cfg=cfg({c})");
        println!("cargo:rustc-cfg={c}");
    }
}
