//! The introspection of the hand-ported qapi-schema-test.json against
//! QEMU 10.0.2's generator output for the real file (`tests/data/`,
//! copied from `shared/qemu/vectors/`): masked, unmasked, and the
//! conditions of the generated `qapi-introspect.c`.

use qapi::schema::introspect::{IntrospectOptions, cond_to_c, introspect};
use serde_json::Value;

fn data(file: &str) -> Value {
    let path = format!(
        "{}/tests/data/qemu-v10.0.2-qapi-schema-test.{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Compares entity for entity; on failure names the first differing
/// entity and its index.
fn assert_same_entities(what: &str, got: &Value, want: &Value) {
    let (got, want) = (got.as_array().unwrap(), want.as_array().unwrap());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            g == w,
            "{what}: entity {i} differs\n  got:  {g}\n  want: {w}",
        );
    }
    assert!(
        got.len() == want.len(),
        "{what}: {} entities, QEMU has {}; first extra/missing: {}",
        got.len(),
        want.len(),
        if got.len() > want.len() {
            &got[want.len()]
        } else {
            &want[got.len()]
        },
    );
}

fn run(unmask: bool) -> qapi::schema::Introspection {
    introspect(
        &qapi_kitchen_sink::schema(),
        &IntrospectOptions::new().unmask(unmask),
    )
    .unwrap()
}

#[test]
fn masked_matches_qemu() {
    assert_same_entities("masked", &run(false).to_json(), &data("introspect.json"));
}

#[test]
fn unmasked_matches_qemu() {
    assert_same_entities(
        "unmasked",
        &run(true).to_json(),
        &data("introspect.unmasked.json"),
    );
}

/// The `{"if": ..., "then": ...}` form: every `#if` of QEMU's generated
/// `qapi-introspect.c` around its piece.
#[test]
fn conditional_form_matches_qemu() {
    assert_same_entities(
        "conditional",
        &run(false).to_conditional_json(),
        &data("introspect.conditional.json"),
    );
}

/// Only the entity-level conditions are missing from what the derives
/// describe (the reason for `with_item_conditions`): the rest is equal.
/// When this fails because the derive records item `#[cfg]`s, the port
/// can drop `with_item_conditions`.
#[test]
fn derive_alone_lacks_only_entity_conditions() {
    let derived = introspect(
        &qapi_kitchen_sink::derived_schema(),
        &IntrospectOptions::new().unmask(true),
    )
    .unwrap();
    assert!(derived.conditions().entities.is_empty());
    let own = |r: qapi::schema::introspect::ConditionReport| {
        r.items
            .into_iter()
            .map(|i| (i.entity, i.path, i.cond))
            .collect::<Vec<_>>()
    };
    assert_eq!(own(derived.conditions()), own(run(true).conditions()));
    assert_eq!(derived.to_json(), run(true).to_json());
}

/// The unused types change nothing: QEMU's introspection starts from the
/// commands and events.
#[test]
fn full_schema_introspects_the_same() {
    let full = qapi_kitchen_sink::full_schema();
    for unmask in [false, true] {
        let got = introspect(&full, &IntrospectOptions::new().unmask(unmask)).unwrap();
        assert_eq!(got, run(unmask), "unmask={unmask}");
    }
}

/// The `entities` object of the conditions file, in file order
/// (`serde_json::Map` would sort the keys).
fn ordered_entities(text: &str) -> Vec<(String, String)> {
    use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of strings")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(e) = m.next_entry()? {
                out.push(e);
            }
            Ok(out)
        }
    }
    struct Top;
    impl<'de> Visitor<'de> for Top {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the conditions file")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(k) = m.next_key::<String>()? {
                if k == "entities" {
                    found = Some(m.next_value_seed(EntriesSeed)?);
                } else {
                    m.next_value::<IgnoredAny>()?;
                }
            }
            found.ok_or_else(|| serde::de::Error::missing_field("entities"))
        }
    }
    struct EntriesSeed;
    impl<'de> serde::de::DeserializeSeed<'de> for EntriesSeed {
        type Value = Vec<(String, String)>;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(Entries)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    (&mut de).deserialize_map(Top).unwrap()
}

#[test]
fn conditions_match_qemu() {
    let path = format!(
        "{}/tests/data/qemu-v10.0.2-qapi-schema-test.conditions.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let want: Value = serde_json::from_str(&text).unwrap();
    let report = run(true).conditions();

    // Entity conditions, in emission order.
    let entities: Vec<(String, String)> = report
        .entities
        .iter()
        .map(|(name, cond)| (name.clone(), cond_to_c(cond)))
        .collect();
    let want_entities = ordered_entities(&text);
    for (i, (g, w)) in entities.iter().zip(&want_entities).enumerate() {
        assert_eq!(g, w, "entity condition {i} differs");
    }
    assert_eq!(
        entities.len(),
        want_entities.len(),
        "number of conditional entities"
    );

    // Conditional pieces inside entities.
    let items: Vec<Value> = report
        .items
        .iter()
        .map(|i| {
            serde_json::json!({
                "entity": i.entity,
                "path": i.path,
                "if": i.if_c(),
                "effective-if": i.effective_if_c(),
            })
        })
        .collect();
    assert_same_entities("condition items", &Value::Array(items), &want["items"]);
}
