//! Semantic checks (QEMU 10.0.2 `schema.py`): definitions are entered
//! into one name space together with the built-in and implicit types
//! QEMU creates, then checked in definition order — types resolve,
//! bases are structs, members do not clash, unions and alternates are
//! well-formed, commands and events take object arguments — and doc
//! comments are matched against what they document.

use std::collections::{HashMap, HashSet};

use qapi_core::schema::{BUILTINS, BuiltinJson, Cond, QTYPE_VALUES};

use crate::diag::{QResult, Raw, sem};
use crate::doc::Doc;
use crate::expr::{Body, BranchSpec, DataSpec, Def, FeatureSpec, Item, MemberSpec, TypeSpec};
use crate::names::c_name;
use crate::parser::Pragmas;
use crate::source::{InfoId, Infos};

pub(crate) type EntId = usize;

/// Deepest recursion of object checks (base chains, branch types).
const MAX_CHECK_DEPTH: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Member,
    Branch,
    Value,
    Feature,
}

impl Role {
    fn word(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Branch => "branch",
            Role::Value => "value",
            Role::Feature => "feature",
        }
    }
}

#[derive(Clone, Debug)]
struct Feat {
    name: String,
    info: Option<InfoId>,
    defined_in: String,
}

/// An object member, a branch, or an enum value.
#[derive(Clone, Debug)]
struct Mem {
    name: String,
    info: Option<InfoId>,
    role: Role,
    defined_in: String,
    ty_name: String,
    ty: Option<EntId>,
    optional: bool,
    cond: Option<Cond>,
    features: Vec<Feat>,
}

#[derive(Clone, Debug)]
struct Branches {
    info: Option<InfoId>,
    tag_name: String,
    variants: Vec<Mem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ObjState {
    Unchecked,
    InProgress,
    Complete,
}

#[derive(Clone, Debug)]
enum Kind {
    Include,
    Builtin(BuiltinJson),
    Enum {
        members: Vec<Mem>,
    },
    Array {
        elem_name: String,
        elem: Option<EntId>,
    },
    Object {
        base_name: Option<String>,
        local: Vec<Mem>,
        branches: Option<Branches>,
        members: Vec<Mem>,
        state: ObjState,
    },
    /// A legacy simple union.
    SimpleUnion {
        variants: Vec<Mem>,
    },
    Alternate {
        variants: Vec<Mem>,
    },
    Command {
        arg_name: Option<String>,
        ret_name: Option<String>,
        boxed: bool,
    },
    Event {
        arg_name: Option<String>,
        boxed: bool,
    },
}

#[derive(Clone, Debug)]
struct Entity {
    name: String,
    info: Option<InfoId>,
    doc: Option<usize>,
    features: Vec<Feat>,
    kind: Kind,
}

impl Entity {
    fn is_type(&self) -> bool {
        !matches!(
            self.kind,
            Kind::Include | Kind::Command { .. } | Kind::Event { .. }
        )
    }

    fn is_object(&self) -> bool {
        matches!(self.kind, Kind::Object { .. } | Kind::SimpleUnion { .. })
    }

    fn has_branches(&self) -> bool {
        match &self.kind {
            Kind::Object { branches, .. } => branches.is_some(),
            Kind::SimpleUnion { .. } => true,
            _ => false,
        }
    }

    /// QEMU's `describe()`.
    fn describe(&self) -> String {
        match &self.kind {
            Kind::Builtin(_) => format!("built-in type '{}'", self.name),
            Kind::Enum { .. } => format!("enum type '{}'", self.name),
            Kind::Array { elem_name, .. } => format!("array type ['{elem_name}']"),
            Kind::Object {
                branches: Some(_), ..
            }
            | Kind::SimpleUnion { .. } => {
                format!("union type '{}'", self.name)
            }
            Kind::Object { .. } => format!("struct type '{}'", self.name),
            Kind::Alternate { .. } => format!("alternate type '{}'", self.name),
            Kind::Command { .. } => format!("command '{}'", self.name),
            Kind::Event { .. } => format!("event '{}'", self.name),
            Kind::Include => "include".to_owned(),
        }
    }

    /// QEMU's `alternate_qtype()`: the JSON kind a branch of this type
    /// occupies.
    fn qtype(&self) -> Option<&'static str> {
        match &self.kind {
            Kind::Builtin(j) => match j {
                BuiltinJson::String => Some("QTYPE_QSTRING"),
                BuiltinJson::Number | BuiltinJson::Int => Some("QTYPE_QNUM"),
                BuiltinJson::Boolean => Some("QTYPE_QBOOL"),
                BuiltinJson::Null => Some("QTYPE_QNULL"),
                BuiltinJson::Value => None,
            },
            Kind::Enum { .. } => Some("QTYPE_QSTRING"),
            Kind::Array { .. } => Some("QTYPE_QLIST"),
            Kind::Object { .. } | Kind::SimpleUnion { .. } => Some("QTYPE_QDICT"),
            _ => None,
        }
    }
}

/// Members seen so far, keyed by C name (QEMU's `seen` dict).
#[derive(Clone, Debug, Default)]
struct Seen {
    order: Vec<Mem>,
    index: HashMap<String, usize>,
}

/// The checked schema: every entity QEMU would create.
pub(crate) struct Checked {
    ents: Vec<Entity>,
    dict: HashMap<String, EntId>,
}

impl Checked {
    /// If `name` is an array type (e.g. `intList` used by name), its
    /// element type's name.
    pub(crate) fn array_elem(&self, name: &str) -> Option<&str> {
        match &self.ents[*self.dict.get(name)?].kind {
            Kind::Array { elem_name, .. } => Some(elem_name),
            _ => None,
        }
    }
}

struct Checker<'a> {
    infos: &'a Infos,
    docs: &'a mut [Doc],
    pragmas: &'a Pragmas,
    legacy: bool,
    check_returns: bool,
    ents: Vec<Entity>,
    dict: HashMap<String, EntId>,
    features: Vec<(String, Option<InfoId>)>,
    feature_names: HashSet<String>,
    depth: usize,
}

fn err(info: Option<InfoId>, msg: impl Into<String>) -> Raw {
    match info {
        Some(i) => sem(i, msg),
        None => crate::diag::plain(msg),
    }
}

impl Checker<'_> {
    fn def_entity(&mut self, ent: Entity) -> QResult<EntId> {
        let id = self.ents.len();
        if let Some(&other) = self.dict.get(&ent.name) {
            let o = &self.ents[other];
            let msg = match o.info {
                Some(oi) => format!(
                    "'{}' is already defined\n{}: previous definition",
                    ent.name,
                    self.infos.render(oi)
                ),
                None => format!("{} is already defined", o.describe()),
            };
            return Err(err(ent.info, msg));
        }
        self.dict.insert(ent.name.clone(), id);
        self.ents.push(ent);
        Ok(id)
    }

    fn lookup_type(&self, name: &str) -> Option<EntId> {
        self.dict
            .get(name)
            .copied()
            .filter(|&i| self.ents[i].is_type())
    }

    fn make_features(&mut self, specs: &[FeatureSpec], info: InfoId, owner: &str) -> Vec<Feat> {
        let mut out = Vec::new();
        for f in specs {
            if self.feature_names.insert(f.name.clone()) {
                self.features.push((f.name.clone(), Some(info)));
            }
            out.push(Feat {
                name: f.name.clone(),
                info: Some(info),
                defined_in: owner.to_owned(),
            });
        }
        out
    }

    fn make_array_type(&mut self, elem: &str, info: Option<InfoId>) -> QResult<String> {
        let name = format!("{elem}List");
        if self.lookup_type(&name).is_none() {
            self.def_entity(Entity {
                name: name.clone(),
                info,
                doc: None,
                features: Vec::new(),
                kind: Kind::Array {
                    elem_name: elem.to_owned(),
                    elem: None,
                },
            })?;
        }
        Ok(name)
    }

    fn make_type_name(
        &mut self,
        ty: &TypeSpec,
        info: InfoId,
        nested_name: &str,
    ) -> QResult<String> {
        Ok(match ty {
            TypeSpec::Name(n) => n.clone(),
            TypeSpec::Array(e) => self.make_array_type(e, Some(info))?,
            TypeSpec::Inline(members) => {
                // Legacy anonymous nested struct: an implicit struct named
                // `<Parent>.<member>`.
                let local = self.make_members(members, info, nested_name, nested_name)?;
                if self.dict.contains_key(nested_name) {
                    return Err(sem(info, format!("'{nested_name}' is already defined")));
                }
                self.def_entity(Entity {
                    name: nested_name.to_owned(),
                    info: Some(info),
                    doc: None,
                    features: Vec::new(),
                    kind: Kind::Object {
                        base_name: None,
                        local,
                        branches: None,
                        members: Vec::new(),
                        state: ObjState::Unchecked,
                    },
                })?;
                nested_name.to_owned()
            }
        })
    }

    /// `owner` names nested structs; `defined_in` is the (possibly
    /// implicit) type holding the members.
    fn make_members(
        &mut self,
        specs: &[MemberSpec],
        info: InfoId,
        owner: &str,
        defined_in: &str,
    ) -> QResult<Vec<Mem>> {
        let mut out = Vec::new();
        for m in specs {
            let ty_name = self.make_type_name(&m.ty, info, &format!("{owner}.{}", m.name))?;
            let features = self.make_features(&m.features, info, &m.name);
            out.push(Mem {
                name: m.name.clone(),
                info: Some(info),
                role: Role::Member,
                defined_in: defined_in.to_owned(),
                ty_name,
                ty: None,
                optional: m.optional,
                cond: m.cond.clone(),
                features,
            });
        }
        Ok(out)
    }

    fn make_variants(
        &mut self,
        specs: &[BranchSpec],
        info: InfoId,
        owner: &str,
    ) -> QResult<Vec<Mem>> {
        let mut out = Vec::new();
        for b in specs {
            let ty_name = self.make_type_name(&b.ty, info, &format!("{owner}.{}", b.name))?;
            out.push(Mem {
                name: b.name.clone(),
                info: Some(info),
                role: Role::Branch,
                defined_in: owner.to_owned(),
                ty_name,
                ty: None,
                optional: false,
                cond: b.cond.clone(),
                features: Vec::new(),
            });
        }
        Ok(out)
    }

    fn make_implicit_object(
        &mut self,
        name: &str,
        info: InfoId,
        role: &str,
        members: &[MemberSpec],
    ) -> QResult<Option<String>> {
        let implicit = format!("q_obj_{name}-{role}");
        let local = self.make_members(members, info, name, &implicit)?;
        if local.is_empty() {
            return Ok(None);
        }
        if !self.dict.contains_key(&implicit) {
            self.def_entity(Entity {
                name: implicit.clone(),
                info: Some(info),
                doc: None,
                features: Vec::new(),
                kind: Kind::Object {
                    base_name: None,
                    local,
                    branches: None,
                    members: Vec::new(),
                    state: ObjState::Unchecked,
                },
            })?;
        }
        Ok(Some(implicit))
    }

    fn def_predefineds(&mut self) -> QResult<()> {
        for (name, json) in BUILTINS {
            self.def_entity(Entity {
                name: (*name).to_owned(),
                info: None,
                doc: None,
                features: Vec::new(),
                kind: Kind::Builtin(*json),
            })?;
            self.make_array_type(name, None)?;
        }
        self.def_entity(Entity {
            name: "q_empty".to_owned(),
            info: None,
            doc: None,
            features: Vec::new(),
            kind: Kind::Object {
                base_name: None,
                local: Vec::new(),
                branches: None,
                members: Vec::new(),
                state: ObjState::Unchecked,
            },
        })?;
        let members = QTYPE_VALUES
            .iter()
            .map(|v| Mem {
                name: (*v).to_owned(),
                info: None,
                role: Role::Value,
                defined_in: "QType".to_owned(),
                ty_name: String::new(),
                ty: None,
                optional: false,
                cond: None,
                features: Vec::new(),
            })
            .collect();
        self.def_entity(Entity {
            name: "QType".to_owned(),
            info: None,
            doc: None,
            features: Vec::new(),
            kind: Kind::Enum { members },
        })?;
        Ok(())
    }

    fn def_expr(&mut self, def: &Def) -> QResult<()> {
        let info = def.info;
        let name = def.name.as_str();
        let features = self.make_features(&def.features, info, name);
        let kind = match &def.body {
            Body::Enum { values, .. } => {
                let mut members = Vec::new();
                for v in values {
                    let vf = self.make_features(&v.features, info, &v.name);
                    members.push(Mem {
                        name: v.name.clone(),
                        info: Some(info),
                        role: Role::Value,
                        defined_in: name.to_owned(),
                        ty_name: String::new(),
                        ty: None,
                        optional: false,
                        cond: v.cond.clone(),
                        features: vf,
                    });
                }
                Kind::Enum { members }
            }
            Body::Struct { base, members } => {
                let local = self.make_members(members, info, name, name)?;
                Kind::Object {
                    base_name: base.clone(),
                    local,
                    branches: None,
                    members: Vec::new(),
                    state: ObjState::Unchecked,
                }
            }
            Body::Union {
                base,
                discriminator,
                branches,
            } => {
                let base_name = match base {
                    DataSpec::None => None,
                    DataSpec::Named(n) => Some(n.clone()),
                    DataSpec::Inline(m) => self.make_implicit_object(name, info, "base", m)?,
                };
                let variants = self.make_variants(branches, info, name)?;
                Kind::Object {
                    base_name,
                    local: Vec::new(),
                    branches: Some(Branches {
                        info: Some(info),
                        tag_name: discriminator.clone(),
                        variants,
                    }),
                    members: Vec::new(),
                    state: ObjState::Unchecked,
                }
            }
            Body::SimpleUnion { branches } => Kind::SimpleUnion {
                variants: self.make_variants(branches, info, name)?,
            },
            Body::Alternate { branches } => Kind::Alternate {
                variants: self.make_variants(branches, info, name)?,
            },
            Body::Command {
                data,
                returns,
                boxed,
                ..
            } => {
                let arg_name = match data {
                    DataSpec::None => None,
                    DataSpec::Named(n) => Some(n.clone()),
                    DataSpec::Inline(m) => self.make_implicit_object(name, info, "arg", m)?,
                };
                let ret_name = match returns {
                    None => None,
                    Some(t) => Some(self.make_type_name(t, info, &format!("{name}.returns"))?),
                };
                Kind::Command {
                    arg_name,
                    ret_name,
                    boxed: *boxed,
                }
            }
            Body::Event { data, boxed } => {
                let arg_name = match data {
                    DataSpec::None => None,
                    DataSpec::Named(n) => Some(n.clone()),
                    DataSpec::Inline(m) => self.make_implicit_object(name, info, "arg", m)?,
                };
                Kind::Event {
                    arg_name,
                    boxed: *boxed,
                }
            }
        };
        self.def_entity(Entity {
            name: name.to_owned(),
            info: Some(info),
            doc: def.doc,
            features,
            kind,
        })?;
        Ok(())
    }

    // ----- checking -----

    /// QEMU's `QAPISchemaMember.describe(info)`.
    fn describe_mem(
        &self,
        role: Role,
        name: &str,
        defined_in: &str,
        info: Option<InfoId>,
    ) -> String {
        let mut role = role.word().to_owned();
        let mut meta = "type";
        let mut defined_in = defined_in;
        if let Some(rest) = defined_in.strip_prefix("q_obj_") {
            if let Some(cmd) = rest.strip_suffix("-arg") {
                role = "parameter".to_owned();
                meta = "command";
                defined_in = cmd;
            } else if let Some(u) = rest.strip_suffix("-base") {
                role = format!("base {role}");
                defined_in = u;
            } else {
                defined_in = rest;
            }
        }
        let defn = info.and_then(|i| self.infos.defn_name(i));
        if Some(defined_in) != defn {
            format!("{role} '{name}' of {meta} '{defined_in}'")
        } else {
            format!("{role} '{name}'")
        }
    }

    fn describe_m(&self, m: &Mem, info: Option<InfoId>) -> String {
        self.describe_mem(m.role, &m.name, &m.defined_in, info)
    }

    fn clash(&self, m: &Mem, info: Option<InfoId>, seen: &mut Seen) -> QResult<()> {
        let cname = c_name(&m.name);
        if let Some(&i) = seen.index.get(&cname) {
            return Err(err(
                info,
                format!(
                    "{} collides with {}",
                    self.describe_m(m, info),
                    self.describe_m(&seen.order[i], info)
                ),
            ));
        }
        seen.index.insert(cname, seen.order.len());
        seen.order.push(m.clone());
        Ok(())
    }

    fn feature_clash(&self, feats: &[Feat], info: Option<InfoId>) -> QResult<()> {
        let mut seen: HashMap<String, &Feat> = HashMap::new();
        for f in feats {
            let cname = c_name(&f.name);
            if let Some(o) = seen.get(&cname) {
                return Err(err(
                    info,
                    format!(
                        "{} collides with {}",
                        self.describe_mem(Role::Feature, &f.name, &f.defined_in, info),
                        self.describe_mem(Role::Feature, &o.name, &o.defined_in, info)
                    ),
                ));
            }
            seen.insert(cname, f);
        }
        Ok(())
    }

    fn resolve_type(&self, name: &str, info: Option<InfoId>, what: &str) -> QResult<EntId> {
        self.lookup_type(name)
            .ok_or_else(|| err(info, format!("{what} uses unknown type '{name}'")))
    }

    /// `QAPISchemaObjectTypeMember.check`: resolves the member's type.
    fn check_mem(&self, m: &mut Mem) -> QResult<()> {
        let what = self.describe_m(m, m.info);
        m.ty = Some(self.resolve_type(&m.ty_name, m.info, &what)?);
        self.feature_clash(&m.features, m.info)
    }

    /// Checks shared by every definition: feature clashes, and no
    /// special features on types.
    fn def_check(&self, id: EntId) -> QResult<()> {
        let e = &self.ents[id];
        self.feature_clash(&e.features, e.info)?;
        if e.is_type() {
            for f in &e.features {
                if f.name == "deprecated" || f.name == "unstable" {
                    return Err(err(
                        e.info,
                        format!("feature '{}' is not supported for types", f.name),
                    ));
                }
            }
        }
        Ok(())
    }

    fn obj_members(&self, id: EntId) -> Vec<Mem> {
        match &self.ents[id].kind {
            Kind::Object { members, .. } => members.clone(),
            _ => Vec::new(),
        }
    }

    /// `QAPISchemaObjectType.check_clash`: adds the type's members (and
    /// recursively its branches') to `seen`, reporting on behalf of
    /// `info`.
    fn type_clash(&self, id: EntId, info: Option<InfoId>, seen: &mut Seen) -> QResult<()> {
        if let Kind::Object {
            members, branches, ..
        } = &self.ents[id].kind
        {
            for m in members {
                self.clash(m, info, seen)?;
            }
            if let Some(b) = branches {
                self.branches_clash(b, info, seen)?;
            }
        }
        Ok(())
    }

    fn branches_clash(&self, b: &Branches, info: Option<InfoId>, seen: &Seen) -> QResult<()> {
        for v in &b.variants {
            if let Some(t) = v.ty {
                let mut s = seen.clone();
                self.type_clash(t, info, &mut s)?;
            }
        }
        Ok(())
    }

    fn check_object(&mut self, id: EntId) -> QResult<()> {
        let info = self.ents[id].info;
        let (base_name, mut local, branches) = match &self.ents[id].kind {
            Kind::Object {
                state: ObjState::Complete,
                ..
            } => return Ok(()),
            Kind::Object {
                state: ObjState::InProgress,
                ..
            } => {
                return Err(err(
                    info,
                    format!("object {} contains itself", self.ents[id].name),
                ));
            }
            Kind::Object {
                base_name,
                local,
                branches,
                ..
            } => (base_name.clone(), local.clone(), branches.clone()),
            Kind::SimpleUnion { .. } => return self.check_simple_union(id),
            _ => return Ok(()),
        };
        if self.depth >= MAX_CHECK_DEPTH {
            return Err(err(info, "types nested too deeply"));
        }
        self.depth += 1;
        if let Kind::Object { state, .. } = &mut self.ents[id].kind {
            *state = ObjState::InProgress;
        }
        let result = self.check_object_inner(id, info, base_name, &mut local, branches);
        self.depth -= 1;
        result
    }

    fn check_object_inner(
        &mut self,
        id: EntId,
        info: Option<InfoId>,
        base_name: Option<String>,
        local: &mut [Mem],
        branches: Option<Branches>,
    ) -> QResult<()> {
        self.def_check(id)?;
        let mut seen = Seen::default();
        if let Some(bn) = &base_name {
            let base = self.resolve_type(bn, info, "'base'")?;
            let be = &self.ents[base];
            if !matches!(be.kind, Kind::Object { .. }) || be.has_branches() {
                return Err(err(
                    info,
                    format!("'base' requires a struct type, {} isn't", be.describe()),
                ));
            }
            self.check_object(base)?;
            self.type_clash(base, info, &mut seen)?;
        }
        for m in local.iter_mut() {
            self.check_mem(m)?;
            self.clash(m, info, &mut seen)?;
        }
        let members = seen.order.clone();
        let branches = match branches {
            Some(mut b) => {
                self.check_branches(&mut b, &seen)?;
                self.branches_clash(&b, info, &seen)?;
                Some(b)
            }
            None => None,
        };
        if let Kind::Object {
            local: l,
            members: m,
            branches: br,
            state,
            ..
        } = &mut self.ents[id].kind
        {
            l.clone_from_slice(local);
            *m = members;
            *br = branches;
            *state = ObjState::Complete;
        }
        Ok(())
    }

    fn check_branches(&mut self, b: &mut Branches, seen: &Seen) -> QResult<()> {
        let tag = seen
            .index
            .get(&c_name(&b.tag_name))
            .map(|&i| seen.order[i].clone());
        let tag = match tag {
            Some(t) if t.name == b.tag_name => t,
            _ => {
                return Err(err(
                    b.info,
                    format!("discriminator '{}' is not a member of 'base'", b.tag_name),
                ));
            }
        };
        let base_implicit = tag.defined_in.starts_with("q_");
        let base = if base_implicit {
            "'base'".to_owned()
        } else {
            format!("base type '{}'", tag.defined_in)
        };
        let enum_id = tag
            .ty
            .filter(|&t| matches!(self.ents[t].kind, Kind::Enum { .. }));
        let Some(enum_id) = enum_id else {
            return Err(err(
                b.info,
                format!(
                    "discriminator member '{}' of {base} must be of enum type",
                    b.tag_name
                ),
            ));
        };
        if tag.optional {
            return Err(err(
                b.info,
                format!(
                    "discriminator member '{}' of {base} must not be optional",
                    b.tag_name
                ),
            ));
        }
        if tag.cond.is_some() {
            return Err(err(
                b.info,
                format!(
                    "discriminator member '{}' of {base} must not be conditional",
                    b.tag_name
                ),
            ));
        }
        let values: Vec<Mem> = match &self.ents[enum_id].kind {
            Kind::Enum { members } => members.clone(),
            _ => Vec::new(),
        };
        let cases: HashSet<String> = b.variants.iter().map(|v| v.name.clone()).collect();
        for m in &values {
            if !cases.contains(&m.name) {
                b.variants.push(Mem {
                    name: m.name.clone(),
                    info: b.info,
                    role: Role::Branch,
                    defined_in: tag.defined_in.clone(),
                    ty_name: "q_empty".to_owned(),
                    ty: None,
                    optional: false,
                    cond: m.cond.clone(),
                    features: Vec::new(),
                });
            }
        }
        if b.variants.is_empty() {
            return Err(err(b.info, "union has no branches"));
        }
        let enum_desc = self.ents[enum_id].describe();
        for v in b.variants.iter_mut() {
            self.check_mem(v)?;
            if !values.iter().any(|m| m.name == v.name) {
                return Err(err(
                    b.info,
                    format!("branch '{}' is not a value of {enum_desc}", v.name),
                ));
            }
            let t = v.ty.unwrap_or(0);
            if !self.ents[t].is_object() {
                return Err(err(
                    b.info,
                    format!(
                        "{} cannot use {}",
                        self.describe_m(v, b.info),
                        self.ents[t].describe()
                    ),
                ));
            }
            self.check_object(t)?;
        }
        Ok(())
    }

    fn check_simple_union(&mut self, id: EntId) -> QResult<()> {
        let Kind::SimpleUnion { variants } = &self.ents[id].kind else {
            return Ok(());
        };
        if variants.first().is_some_and(|v| v.ty.is_some()) {
            return Ok(());
        }
        let mut variants = variants.clone();
        self.def_check(id)?;
        for v in variants.iter_mut() {
            self.check_mem(v)?;
        }
        if let Kind::SimpleUnion { variants: vs } = &mut self.ents[id].kind {
            *vs = variants;
        }
        Ok(())
    }

    fn check_alternate(&mut self, id: EntId) -> QResult<()> {
        self.def_check(id)?;
        let info = self.ents[id].info;
        let Kind::Alternate { variants } = &self.ents[id].kind else {
            return Ok(());
        };
        let mut variants = variants.clone();
        for v in variants.iter_mut() {
            self.check_mem(v)?;
        }
        let mut seen = Seen::default();
        let mut types_seen: HashMap<&'static str, String> = HashMap::new();
        for v in &variants {
            self.clash(v, info, &mut seen)?;
            let t = &self.ents[v.ty.unwrap_or(0)];
            let Some(qtype) = t.qtype() else {
                return Err(err(
                    info,
                    format!("{} cannot use {}", self.describe_m(v, info), t.describe()),
                ));
            };
            let mut conflicting = vec![qtype];
            if qtype == "QTYPE_QSTRING" {
                if let Kind::Enum { members } = &t.kind {
                    for m in members {
                        if m.name == "on" || m.name == "off" {
                            conflicting.push("QTYPE_QBOOL");
                        }
                        if m.name.starts_with([
                            '-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
                        ]) {
                            conflicting.push("QTYPE_QNUM");
                        }
                    }
                } else {
                    conflicting.push("QTYPE_QNUM");
                    conflicting.push("QTYPE_QBOOL");
                }
            }
            conflicting.dedup();
            conflicting.sort_unstable_by_key(|q| match *q {
                q if q == qtype => 0,
                "QTYPE_QNUM" => 1,
                _ => 2,
            });
            conflicting.dedup();
            for qt in conflicting {
                if let Some(other) = types_seen.get(qt) {
                    return Err(err(
                        info,
                        format!(
                            "{} can't be distinguished from '{other}'",
                            self.describe_m(v, info)
                        ),
                    ));
                }
                types_seen.insert(qt, v.name.clone());
            }
        }
        if let Kind::Alternate { variants: vs } = &mut self.ents[id].kind {
            *vs = variants;
        }
        Ok(())
    }

    fn has_conditional_members(&self, id: EntId) -> bool {
        self.obj_members(id).iter().any(|m| m.cond.is_some())
    }

    /// Argument type of a command or event.
    fn check_args(&mut self, id: EntId, arg_name: &str, boxed: bool, who: &str) -> QResult<()> {
        let info = self.ents[id].info;
        let arg = self.resolve_type(arg_name, info, &format!("{who}'s 'data'"))?;
        if !self.ents[arg].is_object() {
            return Err(err(
                info,
                format!("{who}'s 'data' cannot take {}", self.ents[arg].describe()),
            ));
        }
        if self.ents[arg].has_branches() && !boxed {
            return Err(err(
                info,
                format!(
                    "{who}'s 'data' can take {} only with 'boxed': true",
                    self.ents[arg].describe()
                ),
            ));
        }
        self.check_object(arg)?;
        if self.has_conditional_members(arg) && !boxed {
            return Err(err(
                info,
                format!("conditional {who} arguments require 'boxed': true"),
            ));
        }
        Ok(())
    }

    fn check_entity(&mut self, id: EntId) -> QResult<()> {
        let info = self.ents[id].info;
        match self.ents[id].kind.clone() {
            Kind::Include => Ok(()),
            Kind::Builtin(_) => self.def_check(id),
            Kind::Enum { members } => {
                self.def_check(id)?;
                let mut seen = Seen::default();
                for m in &members {
                    self.clash(m, info, &mut seen)?;
                }
                Ok(())
            }
            Kind::Array { elem_name, .. } => {
                self.def_check(id)?;
                let what = info.and_then(|i| self.infos.defn_meta(i)).unwrap_or("");
                let elem = self.resolve_type(&elem_name, info, what)?;
                if matches!(self.ents[elem].kind, Kind::Array { .. }) {
                    return Err(err(
                        info,
                        format!("{what} uses array type ['{elem_name}'] as element type"),
                    ));
                }
                if let Kind::Array { elem: e, .. } = &mut self.ents[id].kind {
                    *e = Some(elem);
                }
                Ok(())
            }
            Kind::Object { .. } | Kind::SimpleUnion { .. } => self.check_object(id),
            Kind::Alternate { .. } => self.check_alternate(id),
            Kind::Command {
                arg_name,
                ret_name,
                boxed,
            } => {
                self.def_check(id)?;
                if let Some(a) = arg_name {
                    self.check_args(id, &a, boxed, "command")?;
                }
                if let Some(r) = ret_name {
                    let ret = self.resolve_type(&r, info, "command's 'returns'")?;
                    let name = &self.ents[id].name;
                    if self.check_returns
                        && !self
                            .pragmas
                            .command_returns_exceptions
                            .iter()
                            .any(|e| e == name)
                    {
                        let mut t = ret;
                        if let Kind::Array { elem_name, .. } = &self.ents[ret].kind {
                            t = self.lookup_type(elem_name).unwrap_or(ret);
                        }
                        if !self.ents[t].is_object() {
                            return Err(err(
                                info,
                                format!(
                                    "command's 'returns' cannot take {}",
                                    self.ents[ret].describe()
                                ),
                            ));
                        }
                    }
                }
                Ok(())
            }
            Kind::Event { arg_name, boxed } => {
                self.def_check(id)?;
                if let Some(a) = arg_name {
                    self.check_args(id, &a, boxed, "event")?;
                }
                Ok(())
            }
        }
    }

    fn connect_mem(&mut self, doc: usize, m: &Mem) -> QResult<()> {
        let info = m.info.unwrap_or(InfoId(0));
        self.docs[doc].connect_member(
            m.role.word(),
            &m.name,
            info,
            &self.pragmas.documentation_exceptions,
        )?;
        self.connect_features(doc, &m.features)
    }

    fn connect_features(&mut self, doc: usize, feats: &[Feat]) -> QResult<()> {
        for f in feats {
            self.docs[doc].connect_feature(&f.name, f.info.unwrap_or(InfoId(0)))?;
        }
        Ok(())
    }

    fn implicit_locals(&self, name: Option<&String>) -> Vec<Mem> {
        let Some(id) = name.and_then(|n| self.dict.get(n)) else {
            return Vec::new();
        };
        if !self.ents[*id].name.starts_with("q_") {
            return Vec::new();
        }
        match &self.ents[*id].kind {
            Kind::Object { local, .. } => local.clone(),
            _ => Vec::new(),
        }
    }

    /// QEMU's `connect_doc`: members and features claim their
    /// descriptions in the definition's doc comment.
    fn connect_doc(&mut self, id: EntId) -> QResult<()> {
        let Some(doc) = self.ents[id].doc else {
            return Ok(());
        };
        let feats = self.ents[id].features.clone();
        self.connect_features(doc, &feats)?;
        let mems: Vec<Mem> = match &self.ents[id].kind {
            Kind::Enum { members } => members.clone(),
            Kind::Object {
                base_name, local, ..
            } => {
                let mut v = self.implicit_locals(base_name.as_ref());
                v.extend(local.iter().cloned());
                v
            }
            Kind::Alternate { variants } => variants.clone(),
            Kind::Command { arg_name, .. } | Kind::Event { arg_name, .. } => {
                self.implicit_locals(arg_name.as_ref())
            }
            _ => Vec::new(),
        };
        for m in &mems {
            self.connect_mem(doc, m)?;
        }
        Ok(())
    }
}

/// Enters and checks the definitions. `docs` are all doc blocks of the
/// schema, in source order.
pub(crate) fn check(
    items: &[Item],
    infos: &Infos,
    docs: &mut [Doc],
    pragmas: &Pragmas,
    legacy: bool,
    returns_pragma_seen: bool,
) -> QResult<Checked> {
    let mut c = Checker {
        infos,
        docs,
        pragmas,
        legacy,
        check_returns: !legacy || returns_pragma_seen,
        ents: Vec::new(),
        dict: HashMap::new(),
        features: vec![
            ("deprecated".to_owned(), None),
            ("unstable".to_owned(), None),
        ],
        feature_names: ["deprecated".to_owned(), "unstable".to_owned()]
            .into_iter()
            .collect(),
        depth: 0,
    };
    c.def_predefineds()?;
    for item in items {
        match item {
            Item::Include => c.ents.push(Entity {
                name: String::new(),
                info: None,
                doc: None,
                features: Vec::new(),
                kind: Kind::Include,
            }),
            Item::Def(d) => c.def_expr(d)?,
        }
    }
    for id in 0..c.ents.len() {
        c.check_entity(id)?;
        if !c.legacy {
            c.connect_doc(id)?;
        }
    }
    if !c.legacy {
        for d in c.docs.iter() {
            d.check()?;
        }
    }
    if c.features.len() > 64 {
        return Err(err(
            c.features[64].1,
            "Maximum of 64 schema features is permitted",
        ));
    }
    Ok(Checked {
        ents: c.ents,
        dict: c.dict,
    })
}
