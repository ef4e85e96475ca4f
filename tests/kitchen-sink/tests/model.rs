//! The whole schema model (unused types included, which introspection
//! never shows) against QEMU 10.0.2's own dump of qapi-schema-test.json:
//! `tests/qapi-schema/qapi-schema-test.out`, the output of QEMU's
//! `tests/qapi-schema/test-qapi.py`, copied to `tests/data/`.
//!
//! Our model is rendered in that format, definition by definition, with
//! the implicit types QEMU's generator makes (`q_obj_<command>-arg`,
//! `q_obj_<union>-base`, the `q_empty` branches of unions). Array types
//! (`array FooList Foo`), modules and includes are not compared: the
//! model has no separate array definitions, and the definitions of the
//! port are ordered by first description, not by file.

use std::collections::BTreeMap;

use qapi::schema::{
    ArgsDef, Cond, Definition, EnumDef, Feature, Member, Schema, TypeRef, UnionBase,
};

/// QEMU's blocks: (meta, name) → the block's lines.
fn qemu_blocks() -> BTreeMap<(String, String), String> {
    let path = format!(
        "{}/tests/data/qemu-v10.0.2-qapi-schema-test.out",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut blocks = BTreeMap::new();
    let mut module = String::new();
    let mut cur: Option<((String, String), String)> = None;
    for line in text.lines() {
        if line.starts_with(' ') {
            if let Some((_, body)) = &mut cur {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        }
        if let Some((k, b)) = cur.take() {
            blocks.insert(k, b);
        }
        let mut words = line.split(' ');
        let (meta, name) = (words.next().unwrap(), words.next().unwrap_or(""));
        match meta {
            "module" => module = name.to_owned(),
            "include" | "array" => {}
            _ if module == "./builtin" => {}
            _ => cur = Some(((meta.to_owned(), name.to_owned()), format!("{line}\n"))),
        }
    }
    if let Some((k, b)) = cur {
        blocks.insert(k, b);
    }
    blocks
}

/// A condition as test-qapi.py prints it: a bare name at top level,
/// Python `repr` of the `.json` form otherwise.
fn cond(c: &Cond) -> String {
    fn repr(c: &Cond) -> String {
        let list = |cs: &[Cond]| cs.iter().map(repr).collect::<Vec<_>>().join(", ");
        match c {
            Cond::Name(n) => format!("'{n}'"),
            Cond::All(cs) => format!("{{'all': [{}]}}", list(cs)),
            Cond::Any(cs) => format!("{{'any': [{}]}}", list(cs)),
            Cond::Not(c) => format!("{{'not': {}}}", repr(c)),
        }
    }
    match c {
        Cond::Name(n) => n.clone(),
        other => repr(other),
    }
}

fn ty(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(n) => n.clone(),
        TypeRef::Array(e) => format!("{}List", ty(e)),
    }
}

fn py(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn put_if(out: &mut String, c: &Option<Cond>, indent: usize) {
    if let Some(c) = c {
        out.push_str(&format!("{:indent$}if {}\n", "", cond(c)));
    }
}

fn put_features(out: &mut String, fs: &[Feature], indent: usize) {
    for f in fs {
        out.push_str(&format!("{:indent$}feature {}\n", "", f.name));
        put_if(out, &f.cond, indent + 4);
    }
}

fn put_members(out: &mut String, ms: &[Member]) {
    for m in ms {
        out.push_str(&format!(
            "    member {}: {} optional={}\n",
            m.name,
            ty(&m.ty),
            py(m.optional)
        ));
        put_if(out, &m.cond, 8);
        put_features(out, &m.features, 8);
    }
}

fn implicit_object(name: &str, members: &[Member], c: &Option<Cond>) -> (String, String) {
    let mut out = format!("object {name}\n");
    put_members(&mut out, members);
    put_if(&mut out, c, 4);
    (name.to_owned(), out)
}

/// Our model in test-qapi.py's format, implicit objects included.
fn our_blocks(schema: &Schema) -> BTreeMap<(String, String), String> {
    let mut blocks = BTreeMap::new();
    let mut add = |meta: &str, (name, text): (String, String)| {
        assert!(
            blocks
                .insert((meta.to_owned(), name.clone()), text)
                .is_none(),
            "{meta} {name} twice"
        );
    };
    let enum_def = |name: &str| -> &EnumDef {
        match schema.get(name) {
            Some(Definition::Enum(e)) => e,
            other => panic!("{name} is not an enum: {other:?}"),
        }
    };
    let args = |args: &ArgsDef, implicit: String| match args {
        ArgsDef::None => "None".to_owned(),
        ArgsDef::Inline(_) => implicit,
        ArgsDef::Named(n) => n.clone(),
    };
    for def in schema.definitions() {
        let c = def.common();
        let mut out = String::new();
        match def {
            Definition::Enum(e) => {
                out.push_str(&format!("enum {}\n", c.name));
                if let Some(p) = &e.prefix {
                    out.push_str(&format!("    prefix {p}\n"));
                }
                for v in &e.values {
                    out.push_str(&format!("    member {}\n", v.name));
                    put_if(&mut out, &v.cond, 8);
                    put_features(&mut out, &v.features, 8);
                }
            }
            Definition::Struct(s) => {
                out.push_str(&format!("object {}\n", c.name));
                if let Some(b) = &s.base {
                    out.push_str(&format!("    base {b}\n"));
                }
                put_members(&mut out, &s.members);
            }
            Definition::Union(u) => {
                out.push_str(&format!("object {}\n", c.name));
                let base_members = match &u.base {
                    UnionBase::Named(b) => {
                        out.push_str(&format!("    base {b}\n"));
                        None
                    }
                    UnionBase::Inline(ms) => {
                        let b = format!("q_obj_{}-base", c.name);
                        out.push_str(&format!("    base {b}\n"));
                        add("object", implicit_object(&b, ms, &c.cond));
                        Some(ms)
                    }
                };
                out.push_str(&format!("    tag {}\n", u.discriminator));
                for b in &u.branches {
                    out.push_str(&format!("    case {}: {}\n", b.name, ty(&b.ty)));
                    put_if(&mut out, &b.cond, 8);
                }
                // Values without a listed branch: q_empty, in enum order.
                let tag = base_members
                    .and_then(|ms| ms.iter().find(|m| m.name == u.discriminator))
                    .map(|m| ty(&m.ty))
                    .expect("inline base with the discriminator");
                for v in &enum_def(&tag).values {
                    if !u.branches.iter().any(|b| b.name == v.name) {
                        out.push_str(&format!("    case {}: q_empty\n", v.name));
                        put_if(&mut out, &v.cond, 8);
                    }
                }
            }
            Definition::Alternate(a) => {
                out.push_str(&format!("alternate {}\n    tag type\n", c.name));
                for b in &a.branches {
                    out.push_str(&format!("    case {}: {}\n", b.name, ty(&b.ty)));
                    put_if(&mut out, &b.cond, 8);
                }
            }
            Definition::Command(cmd) => {
                let arg = format!("q_obj_{}-arg", c.name);
                if let ArgsDef::Inline(ms) = &cmd.args {
                    add("object", implicit_object(&arg, ms, &c.cond));
                }
                let ret = cmd.returns.as_ref().map_or("None".to_owned(), ty);
                out.push_str(&format!(
                    "command {} {} -> {ret}\n",
                    c.name,
                    args(&cmd.args, arg)
                ));
                out.push_str(&format!(
                    "    gen={} success_response={} boxed={} oob={} preconfig={}{}\n",
                    py(cmd.generate),
                    py(cmd.success_response),
                    py(cmd.boxed),
                    py(cmd.allow_oob),
                    py(cmd.allow_preconfig),
                    if cmd.coroutine { " coroutine=True" } else { "" },
                ));
            }
            Definition::Event(ev) => {
                let arg = format!("q_obj_{}-arg", c.name);
                if let ArgsDef::Inline(ms) = &ev.args {
                    add("object", implicit_object(&arg, ms, &c.cond));
                }
                out.push_str(&format!(
                    "event {} {}\n    boxed={}\n",
                    c.name,
                    args(&ev.args, arg),
                    py(ev.boxed)
                ));
            }
            Definition::SimpleUnion(_) => panic!("no simple unions in 10.0"),
        }
        put_if(&mut out, &c.cond, 4);
        put_features(&mut out, &c.features, 4);
        add(
            out.split(' ').next().unwrap(),
            (c.name.clone(), out.clone()),
        );
    }
    blocks
}

#[test]
fn every_definition_matches_qemus_dump() {
    let qemu = qemu_blocks();
    let mut ours = our_blocks(&qapi_kitchen_sink::full_schema());

    // The deviations the derive forces (see the port notes in src/lib.rs):
    // a union's named base becomes an inline one, with the same members;
    // `int64` is written `i64`, which is `int`.
    let deviations = [
        (
            ("object", "UserDefFlatUnion"),
            "    base UserDefUnionBase\n",
            "    base q_obj_UserDefFlatUnion-base\n",
        ),
        (
            ("object", "__org.qemu_x-Union"),
            "    base __org.qemu_x-Base\n",
            "    base q_obj___org.qemu_x-Union-base\n",
        ),
        (
            ("object", "ArrayStruct"),
            "    member s64: int64List ",
            "    member s64: intList ",
        ),
    ];
    for ((meta, name), theirs, mine) in deviations {
        let key = (meta.to_owned(), name.to_owned());
        let block = ours.get_mut(&key).unwrap();
        assert!(block.contains(mine), "{block}");
        *block = block.replace(mine, theirs);
    }
    // The inline bases' members are exactly those of QEMU's base chains.
    let base = ours
        .remove(&("object".into(), "q_obj_UserDefFlatUnion-base".into()))
        .unwrap();
    assert_eq!(
        base,
        "object q_obj_UserDefFlatUnion-base\n    member integer: int optional=False\n    \
         member string: str optional=False\n    member enum1: EnumOne optional=False\n"
    );
    let base = ours
        .remove(&("object".into(), "q_obj___org.qemu_x-Union-base".into()))
        .unwrap();
    assert_eq!(
        base,
        "object q_obj___org.qemu_x-Union-base\n    member __org.qemu_x-member1: __org.qemu_x-Enum optional=False\n"
    );

    for (key, want) in &qemu {
        let got = ours
            .get(key)
            .unwrap_or_else(|| panic!("{} {} is missing from the port", key.0, key.1));
        assert_eq!(got, want, "{} {}", key.0, key.1);
    }
    let extra: Vec<_> = ours.keys().filter(|k| !qemu.contains_key(*k)).collect();
    assert!(extra.is_empty(), "not in QEMU's schema: {extra:?}");
    assert_eq!(ours.len(), qemu.len());
    assert_eq!(
        qemu.len(),
        116,
        "definitions in QEMU's dump (named and implicit)"
    );
}
