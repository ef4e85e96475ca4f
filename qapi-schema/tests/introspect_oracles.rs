//! Introspection of QEMU's real schemas (loaded with `qapi_schema::load`)
//! against the output of QEMU's own generator and against live
//! `query-qmp-schema` dumps.
//!
//! The oracles live in the shared reference material (`../shared` next
//! to the workspace, or `$QAPI_SHARED_DIR`); without it every test here
//! prints a skip line and passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use qapi_core::schema::CondSet;
use qapi_core::schema::introspect::{
    Era, IntrospectOptions, Introspection, cond_to_c, introspect, type_order,
};
use qapi_core::schema::profiles::{DEBIAN_10_0_2_HOST, DEBIAN_10_0_2_X86_64};
use qapi_core::schema::{Schema, SpecialFeature};
use qapi_schema::{Dialect, LoadOptions, load};
use serde_json::Value as J;

fn shared(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("QAPI_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    match dir.canonicalize() {
        Ok(d) if d.join("qemu").is_dir() => Some(d),
        _ => {
            println!(
                "{test}: skipped: shared material not found at {}",
                dir.display()
            );
            None
        }
    }
}

fn schema(shared: &Path, rel: &str, dialect: Dialect) -> Schema {
    let path = shared.join("qemu").join(rel);
    match load(&path, &LoadOptions::new(dialect)) {
        Ok(l) => l.schema,
        Err(e) => panic!("{rel} does not load:\n{}", e.report()),
    }
}

fn oracle(shared: &Path, rel: &str) -> J {
    let path = shared.join("qemu").join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Entity-by-entity comparison; on failure names the first differing
/// entity and shows both forms.
fn assert_same(what: &str, got: &J, want: &J) {
    let (g, w) = (got.as_array().unwrap(), want.as_array().unwrap());
    for (i, (a, b)) in g.iter().zip(w).enumerate() {
        if a != b {
            panic!(
                "{what}: entity #{i} differs\n  got:  {}\n  want: {}",
                serde_json::to_string(a).unwrap(),
                serde_json::to_string(b).unwrap()
            );
        }
    }
    assert_eq!(
        g.len(),
        w.len(),
        "{what}: entity counts differ (first {} equal)",
        g.len().min(w.len())
    );
}

fn run(s: &Schema, opts: &IntrospectOptions<'_>) -> Introspection {
    introspect(s, opts).unwrap()
}

/// `{"entities": {name: cond}, "items": [{entity, path, if, effective-if}]}`
/// of the conditions oracles, from an unmasked all-true run.
fn conditions_json(i: &Introspection) -> (BTreeMap<String, String>, Vec<J>) {
    let r = i.conditions();
    let ents = r
        .entities
        .iter()
        .map(|(n, c)| (n.clone(), cond_to_c(c)))
        .collect();
    let items = r
        .items
        .iter()
        .map(|x| {
            serde_json::json!({"entity": x.entity, "path": x.path, "if": x.if_c(), "effective-if": x.effective_if_c()})
        })
        .collect();
    (ents, items)
}

fn sorted(mut v: Vec<J>) -> Vec<J> {
    v.sort_by_key(|x| x.to_string());
    v
}

/// Compares a schema with the generator oracle set `<stem>.*`.
fn check_generator(shared: &Path, what: &str, s: &Schema, era: Era, stem: &str, check_conds: bool) {
    let masked = run(s, &IntrospectOptions::new().era(era));
    let unmasked = run(s, &IntrospectOptions::new().era(era).unmask(true));
    assert_same(
        &format!("{what} masked"),
        &masked.to_json(),
        &oracle(shared, &format!("{stem}.introspect.json")),
    );
    assert_same(
        &format!("{what} unmasked"),
        &unmasked.to_json(),
        &oracle(shared, &format!("{stem}.introspect.unmasked.json")),
    );
    // The name map: masked number -> real name, for every numbered type.
    let map = oracle(shared, &format!("{stem}.name-map.json"));
    for (m, u) in masked.entries.iter().zip(&unmasked.entries) {
        assert_eq!(m.real_name, u.name);
        if m.name != u.name {
            assert_eq!(
                map[&m.name],
                J::String(u.name.clone()),
                "{what}: name map of {}",
                m.name
            );
        }
    }
    if check_conds {
        assert_same(
            &format!("{what} conditional"),
            &masked.to_conditional_json(),
            &oracle(shared, &format!("{stem}.introspect.conditional.json")),
        );
        let want = oracle(shared, &format!("{stem}.conditions.json"));
        let (ents, items) = conditions_json(&unmasked);
        let want_ents: BTreeMap<String, String> =
            serde_json::from_value(want["entities"].clone()).unwrap();
        assert_eq!(ents, want_ents, "{what}: entity conditions");
        let want_items = want["items"].as_array().unwrap().clone();
        assert_eq!(sorted(items), sorted(want_items), "{what}: item conditions");
    }
    println!(
        "{what}: {} entities equal (masked and unmasked)",
        masked.entries.len()
    );
}

#[test]
fn qmp_10_0_2_equals_generator() {
    let Some(sh) = shared("qmp_10_0_2_equals_generator") else {
        return;
    };
    let s = schema(
        &sh,
        "schemas/v10.0.2/qapi/qapi-schema.json",
        Dialect::Qemu10,
    );
    check_generator(
        &sh,
        "QMP 10.0.2",
        &s,
        Era::Current,
        "introspect/qemu-v10.0.0-qmp",
        true,
    );
}

#[test]
fn qsd_10_0_2_equals_generator() {
    let Some(sh) = shared("qsd_10_0_2_equals_generator") else {
        return;
    };
    let s = schema(
        &sh,
        "schemas/v10.0.2/storage-daemon/qapi/qapi-schema.json",
        Dialect::Qemu10,
    );
    check_generator(
        &sh,
        "QSD 10.0.2",
        &s,
        Era::Current,
        "introspect/qemu-v10.0.0-qsd",
        true,
    );
}

#[test]
fn qga_10_0_2_equals_generator() {
    let Some(sh) = shared("qga_10_0_2_equals_generator") else {
        return;
    };
    let s = schema(&sh, "schemas/v10.0.2/qga/qapi-schema.json", Dialect::Qemu10);
    check_generator(
        &sh,
        "QGA 10.0.2",
        &s,
        Era::Current,
        "introspect/qemu-v10.0.2-qga",
        true,
    );
}

#[test]
fn qmp_5_0_0_equals_generator() {
    let Some(sh) = shared("qmp_5_0_0_equals_generator") else {
        return;
    };
    let s = schema(&sh, "schemas/v5.0.0/qapi/qapi-schema.json", Dialect::Legacy);
    check_generator(
        &sh,
        "QMP 5.0.0",
        &s,
        Era::V5_0,
        "introspect/qemu-v5.0.0-qmp",
        true,
    );
}

#[test]
fn qsd_5_0_0_equals_generator() {
    let Some(sh) = shared("qsd_5_0_0_equals_generator") else {
        return;
    };
    let s = schema(
        &sh,
        "schemas/v5.0.0/storage-daemon/qapi/qapi-schema.json",
        Dialect::Legacy,
    );
    check_generator(
        &sh,
        "QSD 5.0.0",
        &s,
        Era::V5_0,
        "introspect/qemu-v5.0.0-qsd",
        true,
    );
}

#[test]
fn kitchen_sink_equals_generator() {
    let Some(sh) = shared("kitchen_sink_equals_generator") else {
        return;
    };
    let s = schema(
        &sh,
        "qapi-schema-tests/qapi-schema-test.json",
        Dialect::Qemu10,
    );
    check_generator(
        &sh,
        "qapi-schema-test",
        &s,
        Era::Current,
        "vectors/qemu-v10.0.2-qapi-schema-test",
        true,
    );
}

fn live(sh: &Path, file: &str) -> J {
    oracle(sh, &format!("live/{file}"))
}

#[test]
fn qsd_debian_profile_equals_live() {
    let Some(sh) = shared("qsd_debian_profile_equals_live") else {
        return;
    };
    let s = schema(
        &sh,
        "schemas/v10.0.2/storage-daemon/qapi/qapi-schema.json",
        Dialect::Qemu10,
    );
    let want = live(&sh, "qsd-10.0.2.schema.json");
    for profile in [DEBIAN_10_0_2_HOST, DEBIAN_10_0_2_X86_64] {
        let got = run(
            &s,
            &IntrospectOptions::new().conds(CondSet::only(profile.iter().copied())),
        );
        assert_same("QSD live", &got.to_json(), &want);
    }
    assert_eq!(want.as_array().unwrap().len(), 513);
}

#[test]
fn qemu_system_debian_profile_equals_live() {
    let Some(sh) = shared("qemu_system_debian_profile_equals_live") else {
        return;
    };
    let s = schema(
        &sh,
        "schemas/v10.0.2/qapi/qapi-schema.json",
        Dialect::Qemu10,
    );
    let conds = CondSet::only(DEBIAN_10_0_2_X86_64.iter().copied());
    let want = live(&sh, "qemu-system-x86_64-10.0.2.schema.json");
    let got = run(&s, &IntrospectOptions::new().conds(conds.clone()));
    assert_same("qemu-system live", &got.to_json(), &want);
    assert_eq!(want.as_array().unwrap().len(), 1172);

    // -compat deprecated-output=hide (REFERENCE 2.8): 1172 -> 1168,
    // no enum keeps `values`, nothing renumbered.
    let hidden = run(
        &s,
        &IntrospectOptions::new().conds(conds).hide_deprecated(true),
    );
    assert_eq!(hidden.entries.len(), 1168);
    let gone: Vec<&str> = got
        .entries
        .iter()
        .filter(|e| !hidden.entries.iter().any(|h| h.name == e.name))
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(
        gone,
        [
            "drive-backup",
            "nbd-server-add",
            "nbd-server-remove",
            "query-migrationthreads"
        ]
    );
    let json = hidden.to_json();
    let enums: Vec<&J> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["meta-type"] == "enum")
        .collect();
    assert_eq!(enums.len(), 152);
    assert!(enums.iter().all(|e| e.get("values").is_none()));
    assert!(json.as_array().unwrap().iter().all(|e| {
        e["members"].as_array().is_none_or(|ms| {
            ms.iter().all(|m| {
                m["features"]
                    .as_array()
                    .is_none_or(|f| !f.contains(&J::from("deprecated")))
            })
        }) || e["meta-type"] == "enum"
    }));
    let _ = SpecialFeature::Deprecated;
}

#[test]
fn qemu_system_wire_text_is_byte_exact() {
    // The live dump's pretty form is not the wire; but every entry's key
    // order is, and the compact text re-parses to the same value.
    let Some(sh) = shared("qemu_system_wire_text_is_byte_exact") else {
        return;
    };
    let s = schema(
        &sh,
        "schemas/v10.0.2/qapi/qapi-schema.json",
        Dialect::Qemu10,
    );
    let conds = CondSet::only(DEBIAN_10_0_2_X86_64.iter().copied());
    let got = run(&s, &IntrospectOptions::new().conds(conds));
    let text = got.to_qemu_text();
    let reparsed: J = serde_json::from_str(&text).unwrap();
    assert_eq!(reparsed, live(&sh, "qemu-system-x86_64-10.0.2.schema.json"));
    // Key order of every entry equals the live dump's (read in order).
    let raw = std::fs::read_to_string(sh.join("qemu/live/qemu-system-x86_64-10.0.2.schema.json"))
        .unwrap();
    let live_keys = key_orders(&raw);
    let got_keys = key_orders(&text);
    assert_eq!(got_keys, live_keys);
}

/// The sequence of object keys in document order (a tiny scanner: the
/// introspection JSON has no escapes in keys).
fn key_orders(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while b[j] != b'"' {
                if b[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            let mut k = j + 1;
            while k < b.len() && (b[k] == b' ' || b[k] == b'\n') {
                k += 1;
            }
            if k < b.len() && b[k] == b':' {
                keys.push(text[start..j].to_owned());
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    keys
}

#[test]
fn external_type_order_reproduces_gaps() {
    // The derive path's situation: a schema without the compiled-out
    // parts, plus the full schema's type order, gives the live dump.
    let Some(sh) = shared("external_type_order_reproduces_gaps") else {
        return;
    };
    let full = schema(
        &sh,
        "schemas/v10.0.2/storage-daemon/qapi/qapi-schema.json",
        Dialect::Qemu10,
    );
    let order = type_order(&full, Era::Current).unwrap();
    let names: Vec<&str> = order.iter().map(String::as_str).collect();
    let conds = CondSet::only(DEBIAN_10_0_2_X86_64.iter().copied());
    let reduced = strip(&full, &conds);
    let got = run(&reduced, &IntrospectOptions::new().type_order(&names));
    assert_same(
        "QSD reduced + type order",
        &got.to_json(),
        &live(&sh, "qsd-10.0.2.schema.json"),
    );
}

/// Removes every piece whose condition is false (what `#[cfg]` does to
/// a port) and clears the remaining conditions.
fn strip(s: &Schema, conds: &CondSet) -> Schema {
    use qapi_core::schema::{ArgsDef, Definition, Feature, Member, UnionBase};
    let keep = |c: &Option<qapi_core::schema::Cond>| conds.holds(c.as_ref());
    let feats = |fs: &[Feature]| -> Vec<Feature> {
        fs.iter()
            .filter(|f| keep(&f.cond))
            .map(|f| Feature::new(f.name.clone()))
            .collect()
    };
    let members = |ms: &[Member]| -> Vec<Member> {
        ms.iter()
            .filter(|m| keep(&m.cond))
            .map(|m| Member {
                cond: None,
                features: feats(&m.features),
                ..m.clone()
            })
            .collect()
    };
    let mut out = Schema::new();
    for d in s.definitions() {
        if !keep(&d.common().cond) {
            continue;
        }
        let mut d = d.clone();
        let c = d.common_mut();
        c.cond = None;
        c.features = feats(&c.features);
        match &mut d {
            Definition::Enum(e) => {
                e.values.retain(|v| keep(&v.cond));
                for v in &mut e.values {
                    v.cond = None;
                    v.features = feats(&v.features);
                }
            }
            Definition::Struct(x) => x.members = members(&x.members),
            Definition::Union(u) => {
                if let UnionBase::Inline(ms) = &mut u.base {
                    *ms = members(ms);
                }
                u.branches.retain(|b| keep(&b.cond));
                u.branches.iter_mut().for_each(|b| b.cond = None);
            }
            Definition::SimpleUnion(u) => {
                u.branches.retain(|b| keep(&b.cond));
                u.branches.iter_mut().for_each(|b| b.cond = None);
            }
            Definition::Alternate(a) => {
                a.branches.retain(|b| keep(&b.cond));
                a.branches.iter_mut().for_each(|b| b.cond = None);
            }
            Definition::Command(x) => {
                if let ArgsDef::Inline(ms) = &mut x.args {
                    *ms = members(ms);
                }
            }
            Definition::Event(x) => {
                if let ArgsDef::Inline(ms) = &mut x.args {
                    *ms = members(ms);
                }
            }
        }
        out.insert(d);
    }
    out
}

#[test]
fn full_qmp_introspection_is_fast() {
    let Some(sh) = shared("full_qmp_introspection_is_fast") else {
        return;
    };
    let s = schema(
        &sh,
        "schemas/v10.0.2/qapi/qapi-schema.json",
        Dialect::Qemu10,
    );
    let opts = IntrospectOptions::new();
    let _ = run(&s, &opts);
    let t = Instant::now();
    let n = 20;
    for _ in 0..n {
        std::hint::black_box(run(&s, &opts));
    }
    let per = t.elapsed() / n;
    println!("full QMP schema (1202 entities): {per:?} per introspection");
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(type_order(&s, Era::Current).unwrap());
    }
    println!("  of which discovery: {:?}", t.elapsed() / n);
    let got = run(&s, &opts);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(got.to_value());
    }
    println!("  to_value: {:?}", t.elapsed() / n);
    // Generous: debug builds are ~10x slower than release.
    assert!(per.as_millis() < 200, "introspection took {per:?}");
}

#[test]
fn qsd_wire_line_is_byte_exact() {
    // The raw `query-qmp-schema` response line of the live QSD session.
    let Some(sh) = shared("qsd_wire_line_is_byte_exact") else {
        return;
    };
    let s = schema(
        &sh,
        "schemas/v10.0.2/storage-daemon/qapi/qapi-schema.json",
        Dialect::Qemu10,
    );
    let transcript =
        std::fs::read_to_string(sh.join("qemu/live/qsd-10.0.2.transcript.jsonl")).unwrap();
    let line = transcript
        .lines()
        .filter_map(|l| l.strip_prefix("<- "))
        .find(|l| l.starts_with("{\"return\": [{\"name\": \"JOB_STATUS_CHANGE\""))
        .expect("schema response in transcript")
        .trim_end_matches('\r');
    let got = run(
        &s,
        &IntrospectOptions::new().conds(CondSet::only(DEBIAN_10_0_2_HOST.iter().copied())),
    );
    let wire = format!("{{\"return\": {}}}", got.to_qemu_text());
    assert_eq!(wire.len(), line.len());
    assert!(wire == line, "wire text differs");
}
