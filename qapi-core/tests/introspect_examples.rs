//! Introspection of small hand-built schemas against the output of
//! QEMU's own generators (10.0.2, 5.2.0, 2.11.0), copied into
//! `tests/data/introspect/`.

use qapi_core::schema::introspect::{
    Era, IntrospectError, IntrospectOptions, SchemaInfoMeta, cond_to_c, introspect, type_order,
};
use qapi_core::schema::*;
use serde_json::{Value as J, json};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/introspect/");

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}{name}")).unwrap()
}

/// The sections of a `.out` file: header line (after `--- `) and the
/// JSON text line that follows it.
fn sections(name: &str) -> Vec<(String, String)> {
    let text = data(name);
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if let Some(h) = l.strip_prefix("--- ") {
            out.push((h.to_owned(), lines.next().unwrap().to_owned()));
        }
    }
    out
}

fn section(name: &str, header: &str) -> String {
    sections(name)
        .into_iter()
        .find(|(h, _)| h == header)
        .unwrap_or_else(|| panic!("no section {header:?} in {name}"))
        .1
}

fn named(n: &str) -> TypeRef {
    TypeRef::named(n)
}

fn member(name: &str, ty: TypeRef) -> Member {
    match name.strip_prefix('*') {
        Some(n) => Member::new(n, ty, true),
        None => Member::new(name, ty, false),
    }
}

fn with_cond<T>(mut x: T, set: impl FnOnce(&mut T)) -> T {
    set(&mut x);
    x
}

fn enum_def(name: &str, values: Vec<EnumValue>) -> Definition {
    Definition::Enum(EnumDef {
        common: Common::new(name),
        values,
        prefix: None,
    })
}

fn struct_def(name: &str, base: Option<&str>, members: Vec<Member>) -> Definition {
    Definition::Struct(StructDef {
        common: Common::new(name),
        base: base.map(str::to_owned),
        members,
    })
}

fn schema(defs: Vec<Definition>) -> Schema {
    let mut s = Schema::new();
    for d in defs {
        assert!(s.insert(d));
    }
    s
}

/// `tests/data/introspect/example.json`, built by hand.
fn example() -> Schema {
    schema(vec![
        enum_def(
            "Color",
            vec![
                EnumValue::new("red"),
                with_cond(EnumValue::new("green"), |v| {
                    v.cond = Some(Cond::name("CONFIG_GREEN"))
                }),
                EnumValue::new("blue"),
            ],
        ),
        struct_def(
            "Point",
            None,
            vec![
                member("x", named("int8")),
                member("*y", named("uint64")),
                member("tags", TypeRef::array(named("uint16"))),
                member("*c", named("Color")),
            ],
        ),
        Definition::Union(UnionDef {
            common: Common::new("Shape"),
            base: UnionBase::Inline(vec![
                member("kind", named("Color")),
                member("id", named("str")),
            ]),
            discriminator: "kind".into(),
            branches: vec![Branch::new("blue", named("Point"))],
        }),
        Definition::Alternate(AlternateDef {
            common: Common::new("StrOrPoint"),
            branches: vec![
                Branch::new("s", named("str")),
                Branch::new("p", named("Point")),
            ],
        }),
        Definition::Command(with_cond(CommandDef::new("draw"), |c| {
            c.args = ArgsDef::Inline(vec![
                member("shape", named("Shape")),
                member("*alt", named("StrOrPoint")),
            ]);
            c.returns = Some(TypeRef::array(named("Point")));
            c.common.features = vec![Feature::new("unstable")];
        })),
        Definition::Event(with_cond(EventDef::new("DRAWN"), |e| {
            e.args = ArgsDef::Inline(vec![member("count", named("size"))]);
        })),
        Definition::Command(with_cond(CommandDef::new("ping"), |c| c.allow_oob = true)),
    ])
}

/// `tests/data/introspect/example-2.11.json`, built by hand.
fn example_211() -> Schema {
    schema(vec![
        enum_def("Color", vec![EnumValue::new("red"), EnumValue::new("blue")]),
        struct_def(
            "Point",
            None,
            vec![member("x", named("int8")), member("*y", named("uint64"))],
        ),
        Definition::SimpleUnion(SimpleUnionDef {
            common: Common::new("Simple"),
            branches: vec![
                Branch::new("p", named("Point")),
                Branch::new("n", TypeRef::array(named("int"))),
                Branch::new("s", named("str")),
            ],
        }),
        Definition::Union(UnionDef {
            common: Common::new("Flat"),
            base: UnionBase::Inline(vec![member("kind", named("Color"))]),
            discriminator: "kind".into(),
            branches: vec![
                Branch::new("red", named("Point")),
                Branch::new("blue", named("Point")),
            ],
        }),
        Definition::Command(with_cond(CommandDef::new("zeta"), |c| {
            c.args = ArgsDef::Inline(vec![
                member("su", named("Simple")),
                member("fu", named("Flat")),
            ]);
        })),
        Definition::Command(with_cond(CommandDef::new("alpha"), |c| {
            c.returns = Some(named("Point"))
        })),
        Definition::Event(EventDef::new("MIDDLE")),
    ])
}

fn run(s: &Schema, opts: &IntrospectOptions<'_>) -> J {
    introspect(s, opts).unwrap().to_json()
}

/// Compares entity by entity, printing the first difference.
fn assert_same(got: &J, want: &J) {
    let (g, w) = (got.as_array().unwrap(), want.as_array().unwrap());
    for (i, (a, b)) in g.iter().zip(w).enumerate() {
        assert_eq!(a, b, "entity #{i} differs");
    }
    assert_eq!(g.len(), w.len(), "entity counts differ");
}

fn parse(text: &str) -> J {
    serde_json::from_str(text).unwrap()
}

#[test]
fn example_10_0_2_all_four_variants() {
    let s = example();
    for (unmask, word) in [(false, "masked"), (true, "unmasked")] {
        let none = IntrospectOptions::new()
            .unmask(unmask)
            .conds(CondSet::only::<_, &str>([]));
        let green = IntrospectOptions::new()
            .unmask(unmask)
            .conds(CondSet::only(["CONFIG_GREEN"]));
        let all = IntrospectOptions::new().unmask(unmask);
        let want_none = parse(&section(
            "example-10.0.2.out",
            &format!("{word}, config=''"),
        ));
        let want_green = parse(&section(
            "example-10.0.2.out",
            &format!("{word}, config='CONFIG_GREEN'"),
        ));
        assert_same(&run(&s, &none), &want_none);
        assert_same(&run(&s, &green), &want_green);
        assert_same(&run(&s, &all), &want_green);
    }
}

#[test]
fn example_wire_text_is_byte_exact() {
    // The .out lines are the wire form, with QEMU's key order.
    let s = example();
    for (h, line) in sections("example-10.0.2.out") {
        let unmask = h.starts_with("unmasked");
        let conds = if h.ends_with("'CONFIG_GREEN'") {
            CondSet::only(["CONFIG_GREEN"])
        } else {
            CondSet::only::<_, &str>([])
        };
        let got = introspect(&s, &IntrospectOptions::new().unmask(unmask).conds(conds)).unwrap();
        assert_eq!(got.to_qemu_text(), line, "section {h}");
    }
}

#[test]
fn example_211_era_v2_11() {
    let s = example_211();
    let masked = run(&s, &IntrospectOptions::new().era(Era::V2_11));
    let unmasked = run(&s, &IntrospectOptions::new().era(Era::V2_11).unmask(true));
    assert_same(
        &masked,
        &parse(&section(
            "example-2.11-and-5.2.out",
            "QEMU 2.11.0 generator, masked",
        )),
    );
    assert_same(
        &unmasked,
        &parse(&section(
            "example-2.11-and-5.2.out",
            "QEMU 2.11.0 generator, unmasked",
        )),
    );
    assert_same(&masked, &parse(&data("ex211-masked.json")));
    assert_same(&unmasked, &parse(&data("ex211-unmasked.json")));
}

#[test]
fn example_211_era_v5_0() {
    let s = example_211();
    let masked = run(&s, &IntrospectOptions::new().era(Era::V5_0));
    assert_same(
        &masked,
        &parse(&section(
            "example-2.11-and-5.2.out",
            "QEMU 5.2.0 generator, masked",
        )),
    );
    assert_same(&masked, &parse(&data("ex52-masked.json")));
    // Unmasked names of the 5.2 run: same order, real names.
    let order = type_order(&s, Era::V5_0).unwrap();
    assert_eq!(
        order,
        [
            "q_obj_zeta-arg",
            "q_empty",
            "Point",
            "Simple",
            "Flat",
            "int",
            "SimpleKind",
            "q_obj_Point-wrapper",
            "q_obj_intList-wrapper",
            "q_obj_str-wrapper",
            "Color",
            "[int]",
            "str",
        ]
    );
}

#[test]
fn example_in_older_eras() {
    // The 10.0.2 example through the older generators' rules: no
    // `members` on enums; 2.11 also drops features and allow-oob and
    // sorts entry points (DRAWN < draw < ping).
    let s = example();
    let v5 = run(
        &s,
        &IntrospectOptions::new()
            .conds(CondSet::only::<_, &str>([]))
            .era(Era::V5_0),
    );
    let mut want = parse(&section("example-10.0.2.out", "masked, config=''"));
    for e in want.as_array_mut().unwrap() {
        if e["meta-type"] == "enum" {
            e.as_object_mut().unwrap().remove("members");
        }
    }
    assert_same(&v5, &want);

    let v2 = run(&s, &IntrospectOptions::new().era(Era::V2_11).unmask(true));
    let names: Vec<&str> = v2
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(&names[..3], ["DRAWN", "draw", "ping"]);
    assert_eq!(names[3], "q_obj_DRAWN-arg");
    assert_eq!(
        v2[1],
        json!({"name": "draw", "ret-type": "[Point]", "meta-type": "command", "arg-type": "q_obj_draw-arg"})
    );
    assert_eq!(
        v2[2],
        json!({"name": "ping", "ret-type": "q_empty", "meta-type": "command", "arg-type": "q_empty"})
    );
    // No conditions in 2.11: `green` is there whatever the CondSet.
    let color = v2
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Color")
        .unwrap();
    assert_eq!(
        color,
        &json!({"name": "Color", "meta-type": "enum", "values": ["red", "green", "blue"]})
    );
    let v2_none = run(
        &s,
        &IntrospectOptions::new()
            .era(Era::V2_11)
            .unmask(true)
            .conds(CondSet::only::<_, &str>([])),
    );
    assert_eq!(v2, v2_none);
}

#[test]
fn example_conditions() {
    let s = example();
    let got = introspect(&s, &IntrospectOptions::new().unmask(true)).unwrap();
    let report = got.conditions();
    assert!(report.entities.is_empty());
    let items: Vec<(String, String, String)> = report
        .items
        .iter()
        .map(|i| (i.entity.clone(), i.path.clone(), i.effective_if_c()))
        .collect();
    let item = |e: &str, p: &str| {
        (
            e.to_owned(),
            p.to_owned(),
            "defined(CONFIG_GREEN)".to_owned(),
        )
    };
    assert_eq!(
        items,
        [
            item("Shape", "/variants[case=green]"),
            item("Color", "/members[name=green]"),
            item("Color", "/values[\"green\"]")
        ]
    );
    let cj = got.to_conditional_json();
    let color = cj
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Color")
        .unwrap();
    assert_eq!(
        color,
        &json!({"name": "Color", "meta-type": "enum",
            "members": [{"name": "red"}, {"if": "defined(CONFIG_GREEN)", "then": {"name": "green"}}, {"name": "blue"}],
            "values": ["red", {"if": "defined(CONFIG_GREEN)", "then": "green"}, "blue"]})
    );
}

#[test]
fn cond_rendering_matches_qemu() {
    let a = || Cond::name("A");
    let b = || Cond::name("B");
    assert_eq!(cond_to_c(&a()), "defined(A)");
    assert_eq!(
        cond_to_c(&Cond::All(vec![a(), b()])),
        "defined(A) && defined(B)"
    );
    assert_eq!(
        cond_to_c(&Cond::Any(vec![a(), b()])),
        "defined(A) || defined(B)"
    );
    assert_eq!(cond_to_c(&Cond::Not(Box::new(a()))), "!defined(A)");
    // qapi-schema-test's TEST_IF_EVENT2
    let c = Cond::Not(Box::new(Cond::Any(vec![
        Cond::Not(Box::new(Cond::name("TEST_IF_EVT"))),
        Cond::Not(Box::new(Cond::name("TEST_IF_STRUCT"))),
    ])));
    assert_eq!(
        cond_to_c(&c),
        "!(!defined(TEST_IF_EVT) || !defined(TEST_IF_STRUCT))"
    );
    let nested = Cond::All(vec![Cond::Any(vec![a(), b()]), Cond::name("C")]);
    assert_eq!(
        cond_to_c(&nested),
        "(defined(A) || defined(B)) && defined(C)"
    );
    // 5.0-era raw C conditions are kept as written.
    assert_eq!(
        cond_to_c(&Cond::name("defined(CONFIG_SPICE)")),
        "defined(CONFIG_SPICE)"
    );
}

/// A schema where a conditional command is the first user of a type.
fn gapped(full: bool) -> Schema {
    let x = || Some(Cond::name("CONFIG_X"));
    let mut defs = Vec::new();
    if full {
        defs.push(Definition::Command(with_cond(
            CommandDef::new("first"),
            |c| {
                c.common.cond = x();
                c.args =
                    ArgsDef::Inline(vec![member("z", named("Zed")), member("o", named("OnlyX"))]);
                c.returns = Some(named("Zed"));
            },
        )));
    }
    defs.push(Definition::Command(with_cond(
        CommandDef::new("second"),
        |c| {
            c.args = ArgsDef::Inline(vec![member("y", named("Why")), member("z", named("Zed"))]);
            c.returns = Some(TypeRef::array(named("Zed")));
        },
    )));
    defs.push(struct_def("Zed", None, vec![member("n", named("int"))]));
    defs.push(struct_def("Why", None, vec![member("*m", named("uint8"))]));
    if full {
        defs.push(Definition::Struct(StructDef {
            common: Common {
                cond: x(),
                ..Common::new("OnlyX")
            },
            base: None,
            members: vec![member("v", named("int"))],
        }));
    }
    schema(defs)
}

#[test]
fn gaps_and_external_type_order() {
    let full = gapped(true);
    let order = type_order(&full, Era::Current).unwrap();
    assert_eq!(
        order,
        [
            "q_obj_first-arg",
            "Zed",
            "q_obj_second-arg",
            "[Zed]",
            "OnlyX",
            "int",
            "Why"
        ]
    );
    let off = IntrospectOptions::new().conds(CondSet::only::<_, &str>([]));
    let want = run(&full, &off);
    assert_eq!(
        want,
        json!([
            {"name": "second", "ret-type": "[1]", "meta-type": "command", "arg-type": "2"},
            {"name": "1", "members": [{"name": "n", "type": "int"}], "meta-type": "object"},
            {"name": "2", "members": [{"name": "y", "type": "4"}, {"name": "z", "type": "1"}], "meta-type": "object"},
            {"name": "[1]", "element-type": "1", "meta-type": "array"},
            {"name": "int", "json-type": "int", "meta-type": "builtin"},
            {"name": "4", "members": [{"name": "m", "default": null, "type": "int"}], "meta-type": "object"},
        ])
    );
    // The derive path sees only the compiled-in part; on its own it
    // numbers and orders differently ...
    let reduced = gapped(false);
    assert_ne!(run(&reduced, &IntrospectOptions::new()), want);
    // ... but with the full schema's order it reproduces QEMU exactly.
    let names: Vec<&str> = order.iter().map(String::as_str).collect();
    assert_eq!(
        run(&reduced, &IntrospectOptions::new().type_order(&names)),
        want
    );
    // Unmasked too.
    assert_eq!(
        run(
            &reduced,
            &IntrospectOptions::new().type_order(&names).unmask(true)
        ),
        run(
            &full,
            &IntrospectOptions::new()
                .conds(CondSet::only::<_, &str>([]))
                .unmask(true)
        )
    );
    // A list that misses types: those come last, numbered after it.
    let short = ["q_obj_second-arg", "Zed"];
    let got = introspect(&reduced, &IntrospectOptions::new().type_order(&short)).unwrap();
    let got: Vec<(&str, &str)> = got
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e.real_name.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("second", "second"),
            ("0", "q_obj_second-arg"),
            ("1", "Zed"),
            ("[1]", "[Zed]"),
            ("2", "Why"),
            ("int", "int")
        ]
    );
}

#[test]
fn hide_deprecated() {
    let dep = || vec![Feature::new("deprecated")];
    let s = schema(vec![
        Definition::Command(with_cond(CommandDef::new("old"), |c| {
            c.common.features = dep();
            c.args = ArgsDef::Inline(vec![member("a", named("E"))]);
        })),
        Definition::Command(with_cond(CommandDef::new("new"), |c| {
            c.args = ArgsDef::Inline(vec![
                member("keep", named("str")),
                with_cond(member("*drop", named("int")), |m| m.features = dep()),
                with_cond(member("odd", named("E")), |m| {
                    m.features = vec![Feature::new("unstable")]
                }),
            ]);
            c.returns = Some(named("Gone"));
        })),
        enum_def(
            "E",
            vec![
                EnumValue::new("x"),
                with_cond(EnumValue::new("y"), |v| v.features = dep()),
            ],
        ),
        Definition::Struct(StructDef {
            common: Common {
                features: dep(),
                ..Common::new("Gone")
            },
            base: None,
            members: vec![],
        }),
    ]);
    let shown = run(&s, &IntrospectOptions::new().unmask(true));
    assert_eq!(shown.as_array().unwrap().len(), 9);
    let hidden = run(&s, &IntrospectOptions::new().hide_deprecated(true));
    assert_eq!(
        hidden,
        json!([
            {"name": "new", "ret-type": "3", "meta-type": "command", "arg-type": "2"},
            {"name": "0", "members": [{"name": "a", "type": "4"}], "meta-type": "object"},
            {"name": "1", "members": [], "meta-type": "object"},
            {"name": "2", "members": [{"name": "keep", "type": "str"},
                {"name": "odd", "type": "4", "features": ["unstable"]}], "meta-type": "object"},
            {"name": "4", "members": [{"name": "x"}, {"name": "y", "features": ["deprecated"]}], "meta-type": "enum"},
            {"name": "str", "json-type": "string", "meta-type": "builtin"},
            {"name": "int", "json-type": "int", "meta-type": "builtin"},
        ])
    );
}

#[test]
fn simple_union_wrappers_are_shared_and_inherit_conditions() {
    let s = schema(vec![
        Definition::Struct(StructDef {
            common: Common {
                cond: Some(Cond::name("C_T")),
                ..Common::new("T")
            },
            base: None,
            members: vec![member("a", named("int"))],
        }),
        Definition::SimpleUnion(SimpleUnionDef {
            common: Common {
                cond: Some(Cond::name("C_U")),
                ..Common::new("U")
            },
            branches: vec![
                with_cond(Branch::new("t", named("T")), |b| {
                    b.cond = Some(Cond::name("C_T"))
                }),
                Branch::new("l", TypeRef::array(named("int8"))),
            ],
        }),
        Definition::SimpleUnion(SimpleUnionDef {
            common: Common::new("V"),
            branches: vec![
                Branch::new("ts", TypeRef::array(named("T"))),
                Branch::new("t", named("T")),
            ],
        }),
        Definition::Event(with_cond(EventDef::new("EV"), |e| {
            e.args = ArgsDef::Inline(vec![member("u", named("U")), member("v", named("V"))]);
        })),
    ]);
    let all = introspect(&s, &IntrospectOptions::new().unmask(true)).unwrap();
    let names: Vec<&str> = all.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "EV",
            "q_obj_EV-arg",
            "U",
            "V",
            "UKind",
            "q_obj_T-wrapper",
            "q_obj_int8List-wrapper",
            "VKind",
            "q_obj_TList-wrapper",
            "T",
            "[int]",
            "int",
            "[T]"
        ]
    );
    let conds: Vec<(String, String)> = all
        .conditions()
        .entities
        .iter()
        .map(|(n, c)| (n.clone(), cond_to_c(c)))
        .collect();
    let c = |n: &str, c: &str| (n.to_owned(), c.to_owned());
    assert_eq!(
        conds,
        [
            c("U", "defined(C_U)"),
            c("UKind", "defined(C_U)"),
            c("q_obj_T-wrapper", "defined(C_T)"),
            c("q_obj_TList-wrapper", "defined(C_T)"),
            c("T", "defined(C_T)"),
            c("[T]", "defined(C_T)"),
        ]
    );
    let wrapper = all.get("q_obj_int8List-wrapper").unwrap();
    assert_eq!(
        wrapper.to_json(),
        json!({"name": "q_obj_int8List-wrapper", "members": [{"name": "data", "type": "[int]"}], "meta-type": "object"})
    );
    // With nothing set: U, its kind enum and everything of T go; the
    // kind enum of U would also have lost `t`.
    let none = introspect(
        &s,
        &IntrospectOptions::new()
            .unmask(true)
            .conds(CondSet::only::<_, &str>([])),
    )
    .unwrap();
    let names: Vec<&str> = none.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "EV",
            "q_obj_EV-arg",
            "V",
            "q_obj_int8List-wrapper",
            "VKind",
            "[int]",
            "int"
        ]
    );
    let only_u = introspect(
        &s,
        &IntrospectOptions::new()
            .unmask(true)
            .conds(CondSet::only(["C_U"])),
    )
    .unwrap();
    let ukind = only_u.get("UKind").unwrap();
    assert!(
        matches!(&ukind.meta, SchemaInfoMeta::Enum { values: Some(v), .. } if v.len() == 1 && v[0].name == "l")
    );
}

#[test]
fn union_with_named_base_and_unlisted_branches() {
    // Base chain flattened (grandparent first), named base not emitted
    // unless used elsewhere, unlisted values as q_empty branches in enum
    // order after the listed ones, with the values' conditions.
    let s = schema(vec![
        enum_def(
            "K",
            vec![
                EnumValue::new("a"),
                with_cond(EnumValue::new("b"), |v| v.cond = Some(Cond::name("HAVE_B"))),
                EnumValue::new("c"),
                EnumValue::new("d"),
            ],
        ),
        struct_def("Root", None, vec![member("id", named("str"))]),
        struct_def(
            "Base",
            Some("Root"),
            vec![member("kind", named("K")), member("*n", named("int16"))],
        ),
        struct_def("Cx", None, vec![]),
        Definition::Union(UnionDef {
            common: Common::new("U"),
            base: UnionBase::Named("Base".into()),
            discriminator: "kind".into(),
            branches: vec![Branch::new("c", named("Cx"))],
        }),
        Definition::Command(with_cond(CommandDef::new("q"), |c| {
            c.args = ArgsDef::Named("U".into());
            c.returns = Some(TypeRef::array(named("Root")));
        })),
    ]);
    let got = run(
        &s,
        &IntrospectOptions::new()
            .unmask(true)
            .conds(CondSet::only::<_, &str>([])),
    );
    assert_eq!(
        got,
        json!([
            {"name": "q", "ret-type": "[Root]", "meta-type": "command", "arg-type": "U"},
            {"name": "U", "tag": "kind",
             "variants": [{"case": "c", "type": "Cx"}, {"case": "a", "type": "q_empty"}, {"case": "d", "type": "q_empty"}],
             "members": [{"name": "id", "type": "str"}, {"name": "kind", "type": "K"}, {"name": "n", "default": null, "type": "int"}],
             "meta-type": "object"},
            {"name": "[Root]", "element-type": "Root", "meta-type": "array"},
            {"name": "Root", "members": [{"name": "id", "type": "str"}], "meta-type": "object"},
            {"name": "str", "json-type": "string", "meta-type": "builtin"},
            {"name": "K", "members": [{"name": "a"}, {"name": "c"}, {"name": "d"}], "meta-type": "enum", "values": ["a", "c", "d"]},
            {"name": "int", "json-type": "int", "meta-type": "builtin"},
            {"name": "Cx", "members": [], "meta-type": "object"},
            {"name": "q_empty", "members": [], "meta-type": "object"},
        ])
    );
    let masked = run(&s, &IntrospectOptions::new());
    assert_eq!(
        masked[1]["variants"],
        json!([{"case": "c", "type": "3"}, {"case": "a", "type": "4"}, {"case": "b", "type": "4"}, {"case": "d", "type": "4"}])
    );
}

#[test]
fn errors() {
    let s = schema(vec![Definition::Command(with_cond(
        CommandDef::new("c"),
        |c| {
            c.returns = Some(named("Nope"));
        },
    ))]);
    assert_eq!(
        introspect(&s, &IntrospectOptions::new()).unwrap_err(),
        IntrospectError::UnknownType {
            name: "Nope".into(),
            user: "c".into()
        }
    );
    let s = schema(vec![
        Definition::Command(with_cond(CommandDef::new("c"), |c| {
            c.args = ArgsDef::Named("U".into())
        })),
        Definition::Union(UnionDef {
            common: Common::new("U"),
            base: UnionBase::Inline(vec![member("k", named("str"))]),
            discriminator: "k".into(),
            branches: vec![],
        }),
    ]);
    assert!(matches!(
        introspect(&s, &IntrospectOptions::new()),
        Err(IntrospectError::BadDiscriminator { .. })
    ));
}

#[test]
fn implicit_arg_conditions_features_and_eras() {
    let f = |n: &str, c: Option<&str>| Feature {
        name: n.into(),
        cond: c.map(Cond::name),
    };
    let s = schema(vec![
        Definition::Command(with_cond(CommandDef::new("cmd"), |c| {
            c.common.cond = Some(Cond::All(vec![Cond::name("A"), Cond::name("B")]));
            c.common.features = vec![f("deprecated", Some("OLD")), f("unstable", None)];
            c.args = ArgsDef::Inline(vec![with_cond(member("*m", named("E")), |m| {
                m.features = vec![f("x", None), f("y", Some("Y"))];
            })]);
        })),
        Definition::Event(with_cond(EventDef::new("EMPTY"), |e| {
            e.args = ArgsDef::Inline(vec![])
        })),
        enum_def(
            "E",
            vec![with_cond(EnumValue::new("v"), |v| {
                v.features = vec![f("unstable", None)]
            })],
        ),
    ]);
    let all = introspect(&s, &IntrospectOptions::new().unmask(true)).unwrap();
    let conds = all.conditions();
    let ents: Vec<(String, String)> = conds
        .entities
        .iter()
        .map(|(n, c)| (n.clone(), cond_to_c(c)))
        .collect();
    let both = "defined(A) && defined(B)".to_owned();
    assert_eq!(
        ents,
        [
            ("cmd".to_owned(), both.clone()),
            ("q_obj_cmd-arg".to_owned(), both)
        ]
    );
    let items: Vec<(String, String)> = conds
        .items
        .iter()
        .map(|i| (i.path.clone(), i.effective_if_c()))
        .collect();
    assert_eq!(
        items,
        [
            (
                "/features[\"deprecated\"]".to_owned(),
                "(defined(A) && defined(B)) && (defined(OLD))".to_owned()
            ),
            (
                "/members[name=m]/features[\"y\"]".to_owned(),
                "(defined(A) && defined(B)) && (defined(Y))".to_owned()
            ),
        ]
    );
    let json = all.to_json();
    assert_eq!(
        json[1],
        json!({"name": "EMPTY", "meta-type": "event", "arg-type": "q_empty"})
    );

    let some = CondSet::only(["A", "B", "Y"]);
    let got = run(&s, &IntrospectOptions::new().conds(some.clone()));
    assert_eq!(
        got,
        json!([
            {"name": "cmd", "ret-type": "1", "meta-type": "command", "arg-type": "0", "features": ["unstable"]},
            {"name": "EMPTY", "meta-type": "event", "arg-type": "1"},
            {"name": "0", "members": [{"name": "m", "default": null, "type": "2", "features": ["x", "y"]}], "meta-type": "object"},
            {"name": "1", "members": [], "meta-type": "object"},
            {"name": "2", "members": [{"name": "v", "features": ["unstable"]}], "meta-type": "enum", "values": ["v"]},
        ])
    );
    // 5.0: member features yes, enum members (and their features) no.
    let v5 = run(&s, &IntrospectOptions::new().conds(some).era(Era::V5_0));
    assert_eq!(v5[2], got[2]);
    assert_eq!(
        v5[4],
        json!({"name": "2", "meta-type": "enum", "values": ["v"]})
    );
    // A false command condition drops the command and its implicit type.
    let got = run(&s, &IntrospectOptions::new().conds(CondSet::only(["A"])));
    let names: Vec<&str> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["EMPTY", "1", "2"]);
}

#[test]
fn qemu_text_escapes_like_qemu() {
    let s = schema(vec![Definition::Event(EventDef::new("é\"\\\u{1}😀"))]);
    let got = introspect(&s, &IntrospectOptions::new()).unwrap();
    assert_eq!(
        got.to_qemu_text(),
        r#"[{"name": "\u00E9\"\\\u0001\uD83D\uDE00", "meta-type": "event", "arg-type": "0"}, {"name": "0", "members": [], "meta-type": "object"}]"#
    );
}

#[test]
fn large_schema_is_linear() {
    // 4000 structs in a chain of references plus 1000 commands; must
    // stay fast even in debug builds (no quadratic lookups).
    let mut defs = Vec::new();
    for i in 0..1000 {
        defs.push(Definition::Command(with_cond(
            CommandDef::new(format!("cmd-{i}")),
            |c| {
                c.args = ArgsDef::Inline(vec![member("s", named(&format!("S{}", i * 4)))]);
                c.returns = Some(TypeRef::array(named(&format!("S{}", i * 4 + 1))));
            },
        )));
    }
    for i in 0..4000 {
        let next = if i + 1 < 4000 {
            format!("S{}", i + 1)
        } else {
            "str".into()
        };
        defs.push(struct_def(
            &format!("S{i}"),
            None,
            vec![member("*n", named(&next)), member("k", named("int32"))],
        ));
    }
    let s = schema(defs);
    let t = std::time::Instant::now();
    let got = introspect(&s, &IntrospectOptions::new()).unwrap();
    let elapsed = t.elapsed();
    assert_eq!(got.entries.len(), 1000 + 1000 + 4000 + 1000 + 2);
    assert!(elapsed.as_secs_f64() < 2.0, "took {elapsed:?}");
}

/// A type reachable only through a compiled-out branch stays in the
/// output when the full schema's type order is supplied and the model
/// defines the type (QEMU lists it: reachability is computed with every
/// condition true).
#[test]
fn type_order_keeps_types_only_compiled_out_parts_reach() {
    // Full schema: cmd(arg: U), U is an alternate with branches A (always)
    // and B (compiled out in this build), B is a struct.
    let full_order: Vec<String> = {
        let mut s = Schema::new();
        let mut cmd = CommandDef::new("cmd");
        cmd.args = ArgsDef::Inline(vec![member("u", named("U"))]);
        s.insert(Definition::Command(cmd));
        s.insert(Definition::Alternate(AlternateDef {
            common: Common::new("U"),
            branches: vec![Branch::new("a", named("str")), Branch::new("b", named("B"))],
        }));
        s.insert(Definition::Struct(StructDef {
            common: Common::new("B"),
            base: None,
            members: vec![member("x", named("int"))],
        }));
        type_order(&s, Era::Current).unwrap()
    };
    let order: Vec<&str> = full_order.iter().map(String::as_str).collect();
    // The build: the branch is gone, but the port still describes B.
    let mut s = Schema::new();
    let mut cmd = CommandDef::new("cmd");
    cmd.args = ArgsDef::Inline(vec![member("u", named("U"))]);
    s.insert(Definition::Command(cmd));
    s.insert(Definition::Alternate(AlternateDef {
        common: Common::new("U"),
        branches: vec![Branch::new("a", named("str"))],
    }));
    s.insert(Definition::Struct(StructDef {
        common: Common::new("B"),
        base: None,
        members: vec![member("x", named("int"))],
    }));
    let got = introspect(
        &s,
        &IntrospectOptions::new().unmask(true).type_order(&order),
    )
    .unwrap();
    let names: Vec<&str> = got.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["cmd", "q_obj_cmd-arg", "q_empty", "U", "str", "B", "int"]
    );
    // Without the order, nothing reaches B.
    let got = introspect(&s, &IntrospectOptions::new().unmask(true)).unwrap();
    assert!(got.get("B").is_none());
}
