//! JSON forms of an [`Introspection`] and its conditions.

use std::fmt::Write as _;

use super::{FeatureInfo, Introspection, SchemaInfo, SchemaInfoMeta};
use crate::schema::cond::Cond;
use crate::value::{Map, Value};

/// Renders a condition the way QEMU's generator writes it after `#if`:
/// `defined(A)`, `defined(A) && defined(B)`, `!(defined(A) ||
/// defined(B))`; nested combinations are parenthesised.
///
/// A name that is not a C identifier (QEMU 5.0 schemas wrote raw
/// preprocessor expressions such as `'defined(CONFIG_SPICE)'`) is
/// written as it is.
pub fn cond_to_c(c: &Cond) -> String {
    c_expr(c, false)
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn c_expr(c: &Cond, parens: bool) -> String {
    match c {
        Cond::Name(n) if is_ident(n) => format!("defined({n})"),
        Cond::Name(n) => n.clone(),
        Cond::Not(inner) => format!("!{}", c_expr(inner, true)),
        Cond::All(cs) | Cond::Any(cs) => {
            let op = if matches!(c, Cond::All(_)) {
                " && "
            } else {
                " || "
            };
            let body = cs
                .iter()
                .map(|x| c_expr(x, true))
                .collect::<Vec<_>>()
                .join(op);
            if parens { format!("({body})") } else { body }
        }
    }
}

/// One conditional piece inside an entity (a `#if` within an entry).
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionItem {
    /// The entity's real name.
    pub entity: String,
    /// Where in the entry: `/members[name=x]`, `/values["x"]`,
    /// `/variants[case=x]`, `/members[{"type": "T"}]` (alternate
    /// branch), `/features["f"]`, `/members[name=x]/features["f"]`.
    pub path: String,
    pub cond: Cond,
    /// The entity's own condition, if any.
    pub entity_cond: Option<Cond>,
}

impl ConditionItem {
    /// The item's own condition as C.
    pub fn if_c(&self) -> String {
        cond_to_c(&self.cond)
    }

    /// The condition under which the piece is compiled: the entity's
    /// and the item's, as `(E) && (I)`.
    pub fn effective_if_c(&self) -> String {
        match &self.entity_cond {
            Some(e) => format!("({}) && ({})", cond_to_c(e), cond_to_c(&self.cond)),
            None => cond_to_c(&self.cond),
        }
    }
}

/// Every condition of an introspection: per entity, and per piece.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ConditionReport {
    /// Real entity names with their conditions, in emission order.
    pub entities: Vec<(String, Cond)>,
    pub items: Vec<ConditionItem>,
}

fn features_value(fs: &[FeatureInfo]) -> Value {
    Value::Array(fs.iter().map(|f| Value::from(f.name.as_str())).collect())
}

fn cond_wrap(cond: &Option<Cond>, then: serde_json::Value) -> serde_json::Value {
    match cond {
        None => then,
        Some(c) => serde_json::json!({ "if": cond_to_c(c), "then": then }),
    }
}

fn features_conditional(fs: &[FeatureInfo]) -> serde_json::Value {
    serde_json::Value::Array(
        fs.iter()
            .map(|f| cond_wrap(&f.cond, serde_json::Value::String(f.name.clone())))
            .collect(),
    )
}

impl SchemaInfo {
    /// The entry as QEMU sends it, with keys inserted in QEMU's wire
    /// order (REFERENCE §1.2: hash-bucket order of QEMU's `QDict`).
    pub fn to_value(&self) -> Value {
        let mut m = Map::with_capacity(6);
        let s = |x: &str| Value::from(x);
        m.push_unchecked("name".into(), s(&self.name));
        match &self.meta {
            SchemaInfoMeta::Builtin { json_type } => {
                m.push_unchecked("json-type".into(), s(json_type.word()));
                m.push_unchecked("meta-type".into(), s("builtin"));
            }
            SchemaInfoMeta::Array { element_type } => {
                m.push_unchecked("element-type".into(), s(element_type));
                m.push_unchecked("meta-type".into(), s("array"));
            }
            SchemaInfoMeta::Command {
                arg_type,
                ret_type,
                allow_oob,
            } => {
                m.push_unchecked("ret-type".into(), s(ret_type));
                if *allow_oob {
                    m.push_unchecked("allow-oob".into(), Value::Bool(true));
                }
                m.push_unchecked("meta-type".into(), s("command"));
                m.push_unchecked("arg-type".into(), s(arg_type));
            }
            SchemaInfoMeta::Event { arg_type } => {
                m.push_unchecked("meta-type".into(), s("event"));
                m.push_unchecked("arg-type".into(), s(arg_type));
            }
            SchemaInfoMeta::Enum { members, values } => {
                if let Some(members) = members {
                    let list = members
                        .iter()
                        .map(|v| {
                            let mut e = Map::with_capacity(2);
                            e.push_unchecked("name".into(), s(&v.name));
                            if !v.features.is_empty() {
                                e.push_unchecked("features".into(), features_value(&v.features));
                            }
                            Value::Object(e)
                        })
                        .collect();
                    m.push_unchecked("members".into(), Value::Array(list));
                }
                m.push_unchecked("meta-type".into(), s("enum"));
                if let Some(values) = values {
                    let list = values.iter().map(|v| s(&v.name)).collect();
                    m.push_unchecked("values".into(), Value::Array(list));
                }
            }
            SchemaInfoMeta::Object { members, union } => {
                if let Some(u) = union {
                    m.push_unchecked("tag".into(), s(&u.tag));
                    let list = u
                        .variants
                        .iter()
                        .map(|v| {
                            let mut e = Map::with_capacity(2);
                            e.push_unchecked("case".into(), s(&v.case));
                            e.push_unchecked("type".into(), s(&v.ty));
                            Value::Object(e)
                        })
                        .collect();
                    m.push_unchecked("variants".into(), Value::Array(list));
                }
                let list = members
                    .iter()
                    .map(|x| {
                        let mut e = Map::with_capacity(4);
                        e.push_unchecked("name".into(), s(&x.name));
                        if x.optional {
                            e.push_unchecked("default".into(), Value::Null);
                        }
                        e.push_unchecked("type".into(), s(&x.ty));
                        if !x.features.is_empty() {
                            e.push_unchecked("features".into(), features_value(&x.features));
                        }
                        Value::Object(e)
                    })
                    .collect();
                m.push_unchecked("members".into(), Value::Array(list));
                m.push_unchecked("meta-type".into(), s("object"));
            }
            SchemaInfoMeta::Alternate { members } => {
                let list = members
                    .iter()
                    .map(|b| {
                        let mut e = Map::with_capacity(1);
                        e.push_unchecked("type".into(), s(&b.ty));
                        Value::Object(e)
                    })
                    .collect();
                m.push_unchecked("members".into(), Value::Array(list));
                m.push_unchecked("meta-type".into(), s("alternate"));
            }
        }
        if !self.features.is_empty() {
            m.push_unchecked("features".into(), features_value(&self.features));
        }
        Value::Object(m)
    }

    /// [`SchemaInfo::to_value`] as a `serde_json` value.
    pub fn to_json(&self) -> serde_json::Value {
        self.to_value().into()
    }

    /// The entry with every conditional piece (including the entry
    /// itself) written as `{"if": "<C condition>", "then": <piece>}`, the
    /// form of the `.introspect.conditional.json` oracles.
    pub fn to_conditional_json(&self) -> serde_json::Value {
        use serde_json::{Value as J, json};
        let mut m = serde_json::Map::new();
        m.insert("name".into(), J::String(self.name.clone()));
        m.insert("meta-type".into(), J::String(self.meta.word().into()));
        match &self.meta {
            SchemaInfoMeta::Builtin { json_type } => {
                m.insert("json-type".into(), json!(json_type.word()));
            }
            SchemaInfoMeta::Array { element_type } => {
                m.insert("element-type".into(), json!(element_type));
            }
            SchemaInfoMeta::Command {
                arg_type,
                ret_type,
                allow_oob,
            } => {
                m.insert("arg-type".into(), json!(arg_type));
                m.insert("ret-type".into(), json!(ret_type));
                if *allow_oob {
                    m.insert("allow-oob".into(), J::Bool(true));
                }
            }
            SchemaInfoMeta::Event { arg_type } => {
                m.insert("arg-type".into(), json!(arg_type));
            }
            SchemaInfoMeta::Enum { members, values } => {
                if let Some(members) = members {
                    let list = members
                        .iter()
                        .map(|v| {
                            let mut e = json!({ "name": v.name });
                            if !v.features.is_empty() {
                                e["features"] = features_conditional(&v.features);
                            }
                            cond_wrap(&v.cond, e)
                        })
                        .collect();
                    m.insert("members".into(), J::Array(list));
                }
                if let Some(values) = values {
                    let list = values
                        .iter()
                        .map(|v| cond_wrap(&v.cond, json!(v.name)))
                        .collect();
                    m.insert("values".into(), J::Array(list));
                }
            }
            SchemaInfoMeta::Object { members, union } => {
                let list = members
                    .iter()
                    .map(|x| {
                        let mut e = json!({ "name": x.name, "type": x.ty });
                        if x.optional {
                            e["default"] = J::Null;
                        }
                        if !x.features.is_empty() {
                            e["features"] = features_conditional(&x.features);
                        }
                        cond_wrap(&x.cond, e)
                    })
                    .collect();
                m.insert("members".into(), J::Array(list));
                if let Some(u) = union {
                    m.insert("tag".into(), json!(u.tag));
                    let list = u
                        .variants
                        .iter()
                        .map(|v| cond_wrap(&v.cond, json!({ "case": v.case, "type": v.ty })))
                        .collect();
                    m.insert("variants".into(), J::Array(list));
                }
            }
            SchemaInfoMeta::Alternate { members } => {
                let list = members
                    .iter()
                    .map(|b| cond_wrap(&b.cond, json!({ "type": b.ty })))
                    .collect();
                m.insert("members".into(), J::Array(list));
            }
        }
        if !self.features.is_empty() {
            m.insert("features".into(), features_conditional(&self.features));
        }
        cond_wrap(&self.cond, J::Object(m))
    }

    fn condition_items(&self, out: &mut Vec<ConditionItem>) {
        let mut push = |path: String, cond: &Option<Cond>| {
            if let Some(c) = cond {
                out.push(ConditionItem {
                    entity: self.real_name.clone(),
                    path,
                    cond: c.clone(),
                    entity_cond: self.cond.clone(),
                });
            }
        };
        match &self.meta {
            SchemaInfoMeta::Enum { members, values } => {
                for v in members.iter().flatten() {
                    push(format!("/members[name={}]", v.name), &v.cond);
                    for f in &v.features {
                        push(
                            format!("/members[name={}]/features[\"{}\"]", v.name, f.name),
                            &f.cond,
                        );
                    }
                }
                for v in values.iter().flatten() {
                    push(format!("/values[\"{}\"]", v.name), &v.cond);
                }
            }
            SchemaInfoMeta::Object { members, union } => {
                for x in members {
                    push(format!("/members[name={}]", x.name), &x.cond);
                    for f in &x.features {
                        push(
                            format!("/members[name={}]/features[\"{}\"]", x.name, f.name),
                            &f.cond,
                        );
                    }
                }
                for v in union.iter().flat_map(|u| &u.variants) {
                    push(format!("/variants[case={}]", v.case), &v.cond);
                }
            }
            SchemaInfoMeta::Alternate { members } => {
                for b in members {
                    push(format!("/members[{{\"type\": \"{}\"}}]", b.ty), &b.cond);
                }
            }
            _ => {}
        }
        for f in &self.features {
            push(format!("/features[\"{}\"]", f.name), &f.cond);
        }
    }
}

impl Introspection {
    /// The return value of `query-qmp-schema` as a [`Value`] array, keys
    /// in QEMU's wire order.
    pub fn to_value(&self) -> Value {
        Value::Array(self.entries.iter().map(SchemaInfo::to_value).collect())
    }

    /// The same as a `serde_json` value (key order depends on
    /// `serde_json`'s map; compare as values).
    pub fn to_json(&self) -> serde_json::Value {
        self.to_value().into()
    }

    /// QEMU's compact wire text of the return value (`{"name": "x",
    /// ...}` with one space after `:` and `,`, pure ASCII).
    pub fn to_qemu_text(&self) -> String {
        let mut out = String::with_capacity(self.entries.len() * 160);
        write_qemu(&self.to_value(), &mut out);
        out
    }

    /// All entries in the `{"if": ..., "then": ...}` form; meaningful
    /// for a run with every condition true.
    pub fn to_conditional_json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.entries
                .iter()
                .map(SchemaInfo::to_conditional_json)
                .collect(),
        )
    }

    /// Entity and piece conditions, as the generated C's `#if`s have
    /// them. Entity names are real names; type names inside paths are
    /// as emitted (run unmasked for real names).
    pub fn conditions(&self) -> ConditionReport {
        let mut report = ConditionReport::default();
        for e in &self.entries {
            if let Some(c) = &e.cond {
                report.entities.push((e.real_name.clone(), c.clone()));
            }
            e.condition_items(&mut report.items);
        }
        report
    }

    /// Looks an entry up by its emitted name.
    pub fn get(&self, name: &str) -> Option<&SchemaInfo> {
        self.entries.iter().find(|e| e.name == name)
    }
}

/// QEMU's compact JSON writer (`qobject/json-writer.c`) for the values
/// introspection produces.
fn write_qemu(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::UInt(u) => {
            let _ = write!(out, "{u}");
        }
        Value::Double(d) => {
            let _ = write!(out, "{d}");
        }
        Value::String(s) => write_qemu_str(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_qemu(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_qemu_str(k, out);
                out.push_str(": ");
                write_qemu(x, out);
            }
            out.push('}');
        }
    }
}

fn write_qemu_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04X}");
                }
            }
        }
    }
    out.push('"');
}
