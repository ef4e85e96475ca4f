//! QEMU's `query-qmp-schema` introspection over the schema model.
//!
//! [`introspect`] turns a [`Schema`] into the list of `SchemaInfo`
//! entries that QEMU's generator (`scripts/qapi/introspect.py`) would
//! compile into the binary and `query-qmp-schema` would return:
//!
//! * commands and events first, in definition order (sorted by name for
//!   [`Era::V2_11`]);
//! * then every type in order of first use (a breadth-first work list;
//!   an array goes on the list before its element);
//! * type names masked as decimal numbers handed out in that same order,
//!   except built-ins and arrays (`[E]`); [`IntrospectOptions::unmask`]
//!   keeps the real names;
//! * every integer type collapsed to `int` (arrays of them to `[int]`);
//! * the implicit types derived here, not stored in the model: `q_empty`,
//!   `q_obj_<command-or-event>-arg`, simple-union kind enums
//!   `<Union>Kind` and wrappers `q_obj_<BranchType>-wrapper`, and the
//!   empty branches of union discriminator values not listed in `data`.
//!
//! Conditions never change the order or the numbers: discovery always
//! runs as if every `if` were true, then the pieces whose condition is
//! false under [`IntrospectOptions::conds`] are dropped, leaving gaps in
//! the numbering exactly as a QEMU build does.
//!
//! The result keeps each piece's condition, so one all-true run also
//! yields QEMU's per-`#if` view ([`Introspection::to_conditional_json`],
//! [`Introspection::conditions`]).
//!
//! ```
//! use qapi_core::schema::introspect::{IntrospectOptions, introspect};
//! use qapi_core::schema::{CommandDef, Definition, Schema};
//!
//! let mut schema = Schema::new();
//! let mut ping = CommandDef::new("ping");
//! ping.allow_oob = true;
//! schema.insert(Definition::Command(ping));
//!
//! let info = introspect(&schema, &IntrospectOptions::new()).unwrap();
//! assert_eq!(
//!     info.to_qemu_text(),
//!     r#"[{"name": "ping", "ret-type": "0", "allow-oob": true, "meta-type": "command", "arg-type": "0"}, "#
//!         .to_owned()
//!         + r#"{"name": "0", "members": [], "meta-type": "object"}]"#
//! );
//! ```
//!
//! The result is built afresh on every call (about a millisecond for
//! QEMU's full QMP schema in a release build); a server should compute
//! it once and keep the text.

mod graph;
mod output;

use std::collections::HashMap;
use std::fmt;

use self::graph::{Graph, Node, Shape, TypeId};
use super::cond::{Cond, CondSet};
use super::model::{BuiltinJson, Definition, Feature, Schema, builtin};

pub use self::output::{ConditionItem, ConditionReport, cond_to_c};

/// Which QEMU generator's output to reproduce.
///
/// The algorithm (work list, masking, integer collapsing, `q_empty`) is
/// the same in every era; these are the differences (REFERENCE §2.9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Era {
    /// QEMU 2.10 / 2.11: commands and events sorted by name (code-point
    /// order, so `ALL_CAPS` events before lower-case commands); no
    /// `allow-oob`, no `features`, enums with `values` only, no
    /// conditions (every piece is emitted whatever the [`CondSet`]).
    V2_11,
    /// QEMU 5.0 (through 6.1): definition order; `allow-oob`; features
    /// on entities and object members; enums with `values` only (no
    /// `members`, no enum-value features); conditions.
    V5_0,
    /// QEMU 6.2 and later (checked against 7.2, 10.0, 10.2): enums with
    /// `members` (carrying features) and `values`.
    #[default]
    Current,
}

impl Era {
    fn sorts_entry_points(self) -> bool {
        self == Era::V2_11
    }
    fn has_allow_oob(self) -> bool {
        self != Era::V2_11
    }
    fn has_features(self) -> bool {
        self != Era::V2_11
    }
    fn has_conditions(self) -> bool {
        self != Era::V2_11
    }
    fn has_enum_members(self) -> bool {
        self == Era::Current
    }
}

/// Options of [`introspect`].
#[derive(Clone, Debug, Default)]
pub struct IntrospectOptions<'a> {
    /// Keep real type names (QEMU's `--unmask-non-abi-names`, `qapi-gen
    /// -u`) instead of numbers.
    pub unmask: bool,
    /// Which condition names are set. Pieces whose condition does not
    /// hold are dropped; nothing is renumbered.
    pub conds: CondSet,
    /// Which generator to reproduce.
    pub era: Era,
    /// `-compat deprecated-output=hide`: remove entities and object
    /// members whose features include `deprecated`, and drop `values`
    /// from every enum (it is itself a deprecated member of
    /// `SchemaInfoEnum`). Deprecated enum values stay; nothing is
    /// renumbered.
    pub hide_deprecated: bool,
    /// An externally supplied type order: the unmasked names of *all*
    /// types (built-ins and arrays included) in the order a discovery
    /// over the **full** schema, every condition true, finds them, as
    /// computed by [`type_order`].
    ///
    /// When given, types are emitted in this order and masked numbers
    /// are positions among the list's non-builtin, non-array names,
    /// instead of what discovery over `schema` itself would give.
    ///
    /// Why: a schema built from Rust types whose compiled-out parts are
    /// removed by `#[cfg]` cannot see those parts, yet QEMU numbers
    /// types over the whole schema and leaves gaps where a build drops
    /// something. A port therefore records the full schema's order once
    /// (generated with [`type_order`]) and supplies it here, which
    /// reproduces QEMU's numbers and order for any configuration.
    ///
    /// Types reachable in `schema` but missing from the list are emitted
    /// after the listed ones, in discovery order, numbered after the
    /// list's highest number.
    ///
    /// Types the list names that `schema` defines but no registered
    /// command or event reaches are emitted too: with every condition
    /// true something reaches them (e.g. a struct used only by a
    /// compiled-out union branch), and QEMU lists them. A port therefore
    /// describes all its types, not only those its entry points reach.
    pub type_order: Option<&'a [&'a str]>,
}

impl<'a> IntrospectOptions<'a> {
    /// Defaults: masked, every condition true, [`Era::Current`].
    pub fn new() -> IntrospectOptions<'a> {
        IntrospectOptions::default()
    }

    pub fn unmask(mut self, yes: bool) -> Self {
        self.unmask = yes;
        self
    }

    pub fn conds(mut self, conds: CondSet) -> Self {
        self.conds = conds;
        self
    }

    pub fn era(mut self, era: Era) -> Self {
        self.era = era;
        self
    }

    pub fn hide_deprecated(mut self, yes: bool) -> Self {
        self.hide_deprecated = yes;
        self
    }

    pub fn type_order(mut self, order: &'a [&'a str]) -> Self {
        self.type_order = Some(order);
        self
    }
}

/// Why a schema could not be introspected (it is inconsistent; a schema
/// that passed QAPI's checks never fails).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntrospectError {
    /// A type reference names nothing.
    UnknownType { name: String, user: String },
    /// A type reference names a command or event.
    NotAType { name: String, user: String },
    /// A base is not a struct, or the base chain loops.
    BadBase { user: String, base: String },
    /// A union's discriminator is not an enum member of its base.
    BadDiscriminator { user: String, tag: String },
}

impl fmt::Display for IntrospectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntrospectError::UnknownType { name, user } => {
                write!(f, "'{user}' uses unknown type '{name}'")
            }
            IntrospectError::NotAType { name, user } => {
                write!(f, "'{user}' uses '{name}', which is not a type")
            }
            IntrospectError::BadBase { user, base } => {
                write!(
                    f,
                    "base '{base}' of '{user}' is not a struct (or the base chain loops)"
                )
            }
            IntrospectError::BadDiscriminator { user, tag } => {
                write!(
                    f,
                    "discriminator '{tag}' of union '{user}' is not an enum member of its base"
                )
            }
        }
    }
}

impl std::error::Error for IntrospectError {}

/// A feature name with its condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureInfo {
    pub name: String,
    pub cond: Option<Cond>,
}

/// One `SchemaInfo` entry of `query-qmp-schema`.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaInfo {
    /// The name as emitted (masked number unless unmasked).
    pub name: String,
    /// The real name (`q_obj_draw-arg`, `[Point]`), whatever the masking.
    pub real_name: String,
    /// The entity's own condition (implicit types inherit theirs, §2.7).
    pub cond: Option<Cond>,
    /// Emitted only when non-empty.
    pub features: Vec<FeatureInfo>,
    pub meta: SchemaInfoMeta,
}

/// The meta-type specific part of a [`SchemaInfo`].
#[derive(Clone, Debug, PartialEq)]
pub enum SchemaInfoMeta {
    Builtin {
        json_type: BuiltinJson,
    },
    Enum {
        /// `None` before 6.2 ([`Era::V2_11`], [`Era::V5_0`]).
        members: Option<Vec<EnumMemberInfo>>,
        /// `None` when deprecated output is hidden.
        values: Option<Vec<EnumValueInfo>>,
    },
    Array {
        element_type: String,
    },
    Object {
        members: Vec<ObjectMemberInfo>,
        /// Unions only: the tag member's name and the variants.
        union: Option<UnionInfo>,
    },
    Alternate {
        members: Vec<AlternateMemberInfo>,
    },
    Command {
        arg_type: String,
        ret_type: String,
        /// Emitted only when true.
        allow_oob: bool,
    },
    Event {
        arg_type: String,
    },
}

impl SchemaInfoMeta {
    /// The `meta-type` word.
    pub fn word(&self) -> &'static str {
        match self {
            SchemaInfoMeta::Builtin { .. } => "builtin",
            SchemaInfoMeta::Enum { .. } => "enum",
            SchemaInfoMeta::Array { .. } => "array",
            SchemaInfoMeta::Object { .. } => "object",
            SchemaInfoMeta::Alternate { .. } => "alternate",
            SchemaInfoMeta::Command { .. } => "command",
            SchemaInfoMeta::Event { .. } => "event",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumMemberInfo {
    pub name: String,
    pub features: Vec<FeatureInfo>,
    pub cond: Option<Cond>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumValueInfo {
    pub name: String,
    pub cond: Option<Cond>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectMemberInfo {
    pub name: String,
    pub ty: String,
    /// Optional members are emitted with `"default": null`.
    pub optional: bool,
    pub features: Vec<FeatureInfo>,
    pub cond: Option<Cond>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnionInfo {
    pub tag: String,
    pub variants: Vec<VariantInfo>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VariantInfo {
    pub case: String,
    pub ty: String,
    pub cond: Option<Cond>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AlternateMemberInfo {
    pub ty: String,
    pub cond: Option<Cond>,
}

/// The result of [`introspect`]: `query-qmp-schema`'s return value.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Introspection {
    pub entries: Vec<SchemaInfo>,
}

/// Computes the introspection of `schema` (see the module docs).
pub fn introspect(
    schema: &Schema,
    opts: &IntrospectOptions<'_>,
) -> Result<Introspection, IntrospectError> {
    let graph = Graph::build(
        schema,
        opts.era.sorts_entry_points(),
        opts.type_order.unwrap_or_default(),
    )?;
    let (order, numbers) = numbering(&graph, opts.type_order);
    let names = display_names(&graph, &numbers, opts.unmask);
    let em = Emitter {
        opts,
        names: &names,
    };
    let mut entries = Vec::with_capacity(graph.entries.len() + order.len());
    for ep in &graph.entries {
        let c = ep.def.common();
        if !em.holds(c.cond.as_ref()) {
            continue;
        }
        let features = em.entity_features(&c.features);
        if em.hidden(&features) {
            continue;
        }
        let meta = match ep.def {
            Definition::Command(cmd) => SchemaInfoMeta::Command {
                arg_type: names[ep.arg].clone(),
                ret_type: names[ep.ret.expect("commands have a return type")].clone(),
                allow_oob: cmd.allow_oob && opts.era.has_allow_oob(),
            },
            _ => SchemaInfoMeta::Event {
                arg_type: names[ep.arg].clone(),
            },
        };
        entries.push(SchemaInfo {
            name: c.name.clone(),
            real_name: c.name.clone(),
            cond: c.cond.clone(),
            features,
            meta,
        });
    }
    for id in order {
        if let Some(info) = em.type_entry(&graph.nodes[id], id) {
            entries.push(info);
        }
    }
    Ok(Introspection { entries })
}

/// The unmasked names of all types (built-ins and arrays included) in
/// discovery order over `schema` with every condition true: the list to
/// pass as [`IntrospectOptions::type_order`]. Compute it from the
/// *full* schema (as QEMU's `.json` files define it) and keep it with a
/// port.
pub fn type_order(schema: &Schema, era: Era) -> Result<Vec<String>, IntrospectError> {
    let graph = Graph::build(schema, era.sorts_entry_points(), &[])?;
    Ok(graph.nodes.into_iter().map(|n| n.name).collect())
}

/// Emission order of the type nodes and the masked number of each
/// numbered node.
fn numbering(graph: &Graph<'_>, given: Option<&[&str]>) -> (Vec<TypeId>, Vec<Option<usize>>) {
    let n = graph.nodes.len();
    let mut numbers = vec![None; n];
    let Some(list) = given else {
        let mut next = 0;
        for (id, node) in graph.nodes.iter().enumerate() {
            if node.is_numbered() {
                numbers[id] = Some(next);
                next += 1;
            }
        }
        return ((0..n).collect(), numbers);
    };
    // Position and number of every listed name.
    let mut listed: HashMap<&str, (usize, Option<usize>)> = HashMap::with_capacity(list.len());
    let mut next = 0;
    for (pos, name) in list.iter().enumerate() {
        let numbered = !name.starts_with('[') && builtin(name).is_none();
        let number = numbered.then(|| {
            next += 1;
            next - 1
        });
        listed.entry(name).or_insert((pos, number));
    }
    let mut keyed: Vec<(usize, usize, TypeId)> = Vec::with_capacity(n);
    for (id, node) in graph.nodes.iter().enumerate() {
        match listed.get(node.name.as_str()) {
            Some(&(pos, number)) => {
                if node.is_numbered() {
                    numbers[id] = number.or_else(|| {
                        next += 1;
                        Some(next - 1)
                    });
                }
                keyed.push((0, pos, id));
            }
            None => {
                if node.is_numbered() {
                    numbers[id] = Some(next);
                    next += 1;
                }
                keyed.push((1, id, id));
            }
        }
    }
    keyed.sort_unstable();
    (keyed.into_iter().map(|(_, _, id)| id).collect(), numbers)
}

fn display_names(graph: &Graph<'_>, numbers: &[Option<usize>], unmask: bool) -> Vec<String> {
    let mut names: Vec<String> = graph
        .nodes
        .iter()
        .zip(numbers)
        .map(|(node, num)| match num {
            Some(k) if !unmask => k.to_string(),
            _ => node.name.clone(),
        })
        .collect();
    if !unmask {
        // Arrays are named after their (possibly masked) element; the
        // element is never itself an array.
        for (id, node) in graph.nodes.iter().enumerate() {
            if let Shape::Array(e) = node.shape {
                names[id] = format!("[{}]", names[e]);
            }
        }
    }
    names
}

struct Emitter<'o, 'a> {
    opts: &'o IntrospectOptions<'a>,
    names: &'o [String],
}

impl Emitter<'_, '_> {
    fn holds(&self, c: Option<&Cond>) -> bool {
        !self.opts.era.has_conditions() || self.opts.conds.holds(c)
    }

    fn cond(&self, c: Option<&Cond>) -> Option<Cond> {
        if self.opts.era.has_conditions() {
            c.cloned()
        } else {
            None
        }
    }

    fn features(&self, fs: &[Feature]) -> Vec<FeatureInfo> {
        fs.iter()
            .filter(|f| self.holds(f.cond.as_ref()))
            .map(|f| FeatureInfo {
                name: f.name.clone(),
                cond: self.cond(f.cond.as_ref()),
            })
            .collect()
    }

    fn entity_features(&self, fs: &[Feature]) -> Vec<FeatureInfo> {
        if self.opts.era.has_features() {
            self.features(fs)
        } else {
            Vec::new()
        }
    }

    fn hidden(&self, features: &[FeatureInfo]) -> bool {
        self.opts.hide_deprecated && features.iter().any(|f| f.name == "deprecated")
    }

    fn type_entry(&self, node: &Node<'_>, id: TypeId) -> Option<SchemaInfo> {
        if !self.holds(node.cond) {
            return None;
        }
        let features = self.entity_features(node.features);
        if self.hidden(&features) {
            return None;
        }
        let era = self.opts.era;
        let meta = match &node.shape {
            Shape::Pending => unreachable!("every node is expanded"),
            Shape::Builtin(j) => SchemaInfoMeta::Builtin { json_type: *j },
            Shape::Array(e) => SchemaInfoMeta::Array {
                element_type: self.names[*e].clone(),
            },
            Shape::Enum(items) => {
                let kept: Vec<_> = items.iter().filter(|v| self.holds(v.cond)).collect();
                let members = era.has_enum_members().then(|| {
                    kept.iter()
                        .map(|v| EnumMemberInfo {
                            name: v.name.to_owned(),
                            features: self.features(v.features),
                            cond: self.cond(v.cond),
                        })
                        .collect()
                });
                let values = (!self.opts.hide_deprecated).then(|| {
                    kept.iter()
                        .map(|v| EnumValueInfo {
                            name: v.name.to_owned(),
                            cond: self.cond(v.cond),
                        })
                        .collect()
                });
                SchemaInfoMeta::Enum { members, values }
            }
            Shape::Object { members, union } => {
                let mut out = Vec::with_capacity(members.len());
                for m in members.iter().filter(|m| self.holds(m.cond)) {
                    let features = self.entity_features(m.features);
                    if self.hidden(&features) {
                        continue;
                    }
                    out.push(ObjectMemberInfo {
                        name: m.name.to_owned(),
                        ty: self.names[m.ty].clone(),
                        optional: m.optional,
                        features,
                        cond: self.cond(m.cond),
                    });
                }
                let union = union.as_ref().map(|(tag, variants)| UnionInfo {
                    tag: (*tag).to_owned(),
                    variants: variants
                        .iter()
                        .filter(|v| self.holds(v.cond))
                        .map(|v| VariantInfo {
                            case: v.case.to_owned(),
                            ty: self.names[v.ty].clone(),
                            cond: self.cond(v.cond),
                        })
                        .collect(),
                });
                SchemaInfoMeta::Object {
                    members: out,
                    union,
                }
            }
            Shape::Alternate(branches) => SchemaInfoMeta::Alternate {
                members: branches
                    .iter()
                    .filter(|b| self.holds(b.cond))
                    .map(|b| AlternateMemberInfo {
                        ty: self.names[b.ty].clone(),
                        cond: self.cond(b.cond),
                    })
                    .collect(),
            },
        };
        Some(SchemaInfo {
            name: self.names[id].clone(),
            real_name: node.name.clone(),
            cond: self.cond(node.cond),
            features,
            meta,
        })
    }
}
