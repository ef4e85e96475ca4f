//! Type discovery: the work list of QEMU's introspection generator.
//!
//! Every type is interned the first time something refers to it, which
//! is exactly when QEMU's generator puts it on its work list and (for
//! non-builtin, non-array types) hands out its masked number. Nodes are
//! therefore stored in discovery order; expanding node `i` (computing
//! its members, variants, branches) may append more nodes, and the
//! breadth-first walk over the node vector reproduces QEMU's order.
//!
//! Discovery always runs with every condition taken as true: conditions
//! never affect reachability or numbering.

use std::collections::HashMap;

use super::IntrospectError;
use crate::schema::cond::Cond;
use crate::schema::model::{
    ArgsDef, BuiltinJson, CommandDef, Definition, EnumValue, EventDef, Feature, Member,
    QTYPE_VALUES, Schema, SimpleUnionDef, StructDef, TypeRef, UnionBase, builtin,
};

pub(crate) type TypeId = usize;

/// An enum value as introspection sees it (explicit or implicit).
#[derive(Clone, Copy)]
pub(crate) struct EnumItem<'s> {
    pub name: &'s str,
    pub features: &'s [Feature],
    pub cond: Option<&'s Cond>,
}

impl<'s> From<&'s EnumValue> for EnumItem<'s> {
    fn from(v: &'s EnumValue) -> Self {
        EnumItem {
            name: &v.name,
            features: &v.features,
            cond: v.cond.as_ref(),
        }
    }
}

/// An object member with its type resolved.
#[derive(Clone, Copy)]
pub(crate) struct MemberItem<'s> {
    pub name: &'s str,
    pub ty: TypeId,
    pub optional: bool,
    pub features: &'s [Feature],
    pub cond: Option<&'s Cond>,
}

/// A union variant (listed, implicit empty, or simple-union wrapper).
#[derive(Clone, Copy)]
pub(crate) struct VariantItem<'s> {
    pub case: &'s str,
    pub ty: TypeId,
    pub cond: Option<&'s Cond>,
}

/// An alternate branch.
#[derive(Clone, Copy)]
pub(crate) struct BranchItem<'s> {
    pub ty: TypeId,
    pub cond: Option<&'s Cond>,
}

/// What a node looks like once expanded.
pub(crate) enum Shape<'s> {
    /// Not expanded yet (only while the walk is running).
    Pending,
    Builtin(BuiltinJson),
    Enum(Vec<EnumItem<'s>>),
    Array(TypeId),
    Object {
        members: Vec<MemberItem<'s>>,
        /// Tag member name and variants, for unions.
        union: Option<(&'s str, Vec<VariantItem<'s>>)>,
    },
    Alternate(Vec<BranchItem<'s>>),
}

/// Where a node comes from (what to expand it from).
#[derive(Clone, Copy)]
enum Source<'s> {
    Builtin(BuiltinJson),
    QType,
    Def(&'s Definition),
    /// The element of an array node is interned right after the array.
    Array,
    Empty,
    /// `q_obj_<command-or-event>-arg`.
    Arg(&'s [Member]),
    /// `<Union>Kind` of a simple union.
    Kind(&'s SimpleUnionDef),
    /// `q_obj_<T>-wrapper` of a simple-union branch type.
    Wrapper(&'s TypeRef),
}

pub(crate) struct Node<'s> {
    /// The unmasked introspection name (`Point`, `[int]`, `q_empty`).
    pub name: String,
    pub cond: Option<&'s Cond>,
    pub features: &'s [Feature],
    pub shape: Shape<'s>,
    source: Source<'s>,
}

impl Node<'_> {
    /// Builtins and arrays keep their names; everything else is masked
    /// by a number.
    pub fn is_numbered(&self) -> bool {
        !matches!(self.source, Source::Builtin(_) | Source::Array)
    }
}

/// A command or event with its resolved argument and return types.
pub(crate) struct EntryPoint<'s> {
    pub def: &'s Definition,
    pub arg: TypeId,
    /// `Some` for commands.
    pub ret: Option<TypeId>,
}

pub(crate) struct Graph<'s> {
    schema: &'s Schema,
    pub entries: Vec<EntryPoint<'s>>,
    pub nodes: Vec<Node<'s>>,
    by_name: HashMap<String, TypeId, FnvBuild>,
}

/// Integer types all introspect as `int`.
fn collapse(name: &str) -> &str {
    match name {
        "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64"
        | "size" => "int",
        _ => name,
    }
}

/// FNV-1a: type names are short and trusted (they come from the
/// schema), so a simple fast hash beats SipHash here.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

impl<'s> Graph<'s> {
    /// Runs both passes: commands and events in `sorted_by_name` or
    /// definition order, then the breadth-first walk over types.
    ///
    /// `extra_roots` are type names walked after every entry point's
    /// types: definitions of the schema that nothing registered reaches
    /// in this build, but that QEMU lists because something compiled out
    /// reaches them (see [`super::IntrospectOptions::type_order`]). Names
    /// the schema does not define are skipped.
    pub fn build(
        schema: &'s Schema,
        sorted_by_name: bool,
        extra_roots: &[&str],
    ) -> Result<Graph<'s>, IntrospectError> {
        let mut g = Graph {
            schema,
            entries: Vec::new(),
            nodes: Vec::new(),
            by_name: HashMap::with_capacity_and_hasher(schema.len() + 64, FnvBuild::default()),
        };
        let mut points: Vec<&'s Definition> = schema
            .definitions()
            .iter()
            .filter(|d| d.is_entry_point())
            .collect();
        if sorted_by_name {
            // Python's string order is code-point order, which is byte
            // order for UTF-8.
            points.sort_by(|a, b| a.name().cmp(b.name()));
        }
        for def in points {
            let entry = match def {
                Definition::Command(c) => g.command(def, c)?,
                Definition::Event(e) => g.event(def, e)?,
                _ => unreachable!("filtered to entry points"),
            };
            g.entries.push(entry);
        }
        let mut i = 0;
        while i < g.nodes.len() {
            let shape = g.expand(i)?;
            g.nodes[i].shape = shape;
            i += 1;
        }
        for name in extra_roots {
            let Some(def) = schema.get(name) else {
                continue;
            };
            if def.is_entry_point() || g.by_name.contains_key(def.name()) {
                continue;
            }
            g.use_named(def.name(), def.name())?;
            while i < g.nodes.len() {
                let shape = g.expand(i)?;
                g.nodes[i].shape = shape;
                i += 1;
            }
        }
        Ok(g)
    }

    fn command(
        &mut self,
        def: &'s Definition,
        c: &'s CommandDef,
    ) -> Result<EntryPoint<'s>, IntrospectError> {
        let arg = self.use_args(&c.common.name, c.common.cond.as_ref(), &c.args)?;
        let ret = match &c.returns {
            Some(r) => self.use_ref_from(r, &c.common.name)?,
            None => self.use_empty(),
        };
        Ok(EntryPoint {
            def,
            arg,
            ret: Some(ret),
        })
    }

    fn event(
        &mut self,
        def: &'s Definition,
        e: &'s EventDef,
    ) -> Result<EntryPoint<'s>, IntrospectError> {
        let arg = self.use_args(&e.common.name, e.common.cond.as_ref(), &e.args)?;
        Ok(EntryPoint {
            def,
            arg,
            ret: None,
        })
    }

    fn use_args(
        &mut self,
        owner: &str,
        cond: Option<&'s Cond>,
        args: &'s ArgsDef,
    ) -> Result<TypeId, IntrospectError> {
        match args {
            ArgsDef::None => Ok(self.use_empty()),
            ArgsDef::Inline(ms) if ms.is_empty() => Ok(self.use_empty()),
            ArgsDef::Inline(ms) => {
                let name = format!("q_obj_{owner}-arg");
                Ok(self.intern(name, cond, &[], Source::Arg(ms)))
            }
            ArgsDef::Named(t) => self.use_named(t, owner),
        }
    }

    fn use_empty(&mut self) -> TypeId {
        self.intern("q_empty".to_owned(), None, &[], Source::Empty)
    }

    /// Looks a node up by name, or appends it to the work list.
    fn intern(
        &mut self,
        name: String,
        cond: Option<&'s Cond>,
        features: &'s [Feature],
        source: Source<'s>,
    ) -> TypeId {
        if let Some(&id) = self.by_name.get(&name) {
            return id;
        }
        let id = self.nodes.len();
        self.by_name.insert(name.clone(), id);
        self.nodes.push(Node {
            name,
            cond,
            features,
            shape: Shape::Pending,
            source,
        });
        id
    }

    /// Uses a type reference, as QEMU's generator does each time an
    /// entity mentions a type. `user` names the referring entity for
    /// error messages.
    fn use_ref_from(&mut self, r: &'s TypeRef, user: &str) -> Result<TypeId, IntrospectError> {
        match r {
            TypeRef::Named(n) => self.use_named(n, user),
            TypeRef::Array(elem) => {
                let name = format!("[{}]", self.output_name(elem, user)?);
                if let Some(&id) = self.by_name.get(&name) {
                    return Ok(id);
                }
                let cond = self.cond_of(elem);
                // The array goes on the work list before its element.
                let id = self.intern(name, cond, &[], Source::Array);
                let eid = self.use_ref_from(elem, user)?;
                self.nodes[id].shape = Shape::Array(eid);
                Ok(id)
            }
        }
    }

    fn use_named(&mut self, name: &'s str, user: &str) -> Result<TypeId, IntrospectError> {
        let name = collapse(name);
        if let Some(&id) = self.by_name.get(name) {
            return Ok(id);
        }
        if let Some(def) = self.schema.get(name) {
            if def.is_entry_point() {
                return Err(IntrospectError::NotAType {
                    name: name.to_owned(),
                    user: user.to_owned(),
                });
            }
            let c = def.common();
            return Ok(self.intern(
                name.to_owned(),
                c.cond.as_ref(),
                &c.features,
                Source::Def(def),
            ));
        }
        if let Some(json) = builtin(name) {
            return Ok(self.intern(name.to_owned(), None, &[], Source::Builtin(json)));
        }
        if name == "QType" {
            return Ok(self.intern(name.to_owned(), None, &[], Source::QType));
        }
        Err(IntrospectError::UnknownType {
            name: name.to_owned(),
            user: user.to_owned(),
        })
    }

    /// The unmasked output name of a type reference, without using it.
    fn output_name(&self, r: &TypeRef, user: &str) -> Result<String, IntrospectError> {
        match r {
            TypeRef::Named(n) => {
                let n = collapse(n);
                if self.schema.contains(n) || builtin(n).is_some() || n == "QType" {
                    Ok(n.to_owned())
                } else {
                    Err(IntrospectError::UnknownType {
                        name: n.to_owned(),
                        user: user.to_owned(),
                    })
                }
            }
            TypeRef::Array(e) => Ok(format!("[{}]", self.output_name(e, user)?)),
        }
    }

    /// QEMU's internal name of a type (`int8List` for `['int8']`); the
    /// simple-union wrapper types are named after it.
    fn internal_name(r: &TypeRef) -> String {
        match r {
            TypeRef::Named(n) => n.clone(),
            TypeRef::Array(e) => format!("{}List", Self::internal_name(e)),
        }
    }

    /// The condition of a referenced type: its definition's, or for an
    /// array its element's.
    fn cond_of(&self, r: &TypeRef) -> Option<&'s Cond> {
        match r {
            TypeRef::Named(n) => self.schema.get(n).and_then(|d| d.common().cond.as_ref()),
            TypeRef::Array(e) => self.cond_of(e),
        }
    }

    fn use_members(
        &mut self,
        ms: &[&'s Member],
        owner: &str,
    ) -> Result<Vec<MemberItem<'s>>, IntrospectError> {
        let mut out = Vec::with_capacity(ms.len());
        for m in ms {
            let ty = self.use_ref_from(&m.ty, owner)?;
            out.push(MemberItem {
                name: &m.name,
                ty,
                optional: m.optional,
                features: &m.features,
                cond: m.cond.as_ref(),
            });
        }
        Ok(out)
    }

    /// All members of a struct: base chain first, then its own.
    fn flatten_struct(
        &self,
        s: &'s StructDef,
        out: &mut Vec<&'s Member>,
        depth: usize,
    ) -> Result<(), IntrospectError> {
        if let Some(base) = &s.base {
            if depth > self.schema.len() {
                return Err(IntrospectError::BadBase {
                    user: s.common.name.clone(),
                    base: base.clone(),
                });
            }
            match self.schema.get(base) {
                Some(Definition::Struct(b)) => self.flatten_struct(b, out, depth + 1)?,
                _ => {
                    return Err(IntrospectError::BadBase {
                        user: s.common.name.clone(),
                        base: base.clone(),
                    });
                }
            }
        }
        out.extend(s.members.iter());
        Ok(())
    }

    fn expand(&mut self, id: TypeId) -> Result<Shape<'s>, IntrospectError> {
        let source = self.nodes[id].source;
        let owner = self.nodes[id].name.clone();
        Ok(match source {
            Source::Builtin(j) => Shape::Builtin(j),
            Source::QType => Shape::Enum(
                QTYPE_VALUES
                    .iter()
                    .map(|n| EnumItem {
                        name: n,
                        features: &[],
                        cond: None,
                    })
                    .collect(),
            ),
            Source::Array => match self.nodes[id].shape {
                Shape::Array(e) => Shape::Array(e),
                _ => unreachable!("array shape is set when interned"),
            },
            Source::Empty => Shape::Object {
                members: Vec::new(),
                union: None,
            },
            Source::Arg(ms) => {
                let ms: Vec<&'s Member> = ms.iter().collect();
                Shape::Object {
                    members: self.use_members(&ms, &owner)?,
                    union: None,
                }
            }
            Source::Kind(su) => Shape::Enum(
                su.branches
                    .iter()
                    .map(|b| EnumItem {
                        name: &b.name,
                        features: &[],
                        cond: b.cond.as_ref(),
                    })
                    .collect(),
            ),
            Source::Wrapper(ty) => {
                let t = self.use_ref_from(ty, &owner)?;
                let data = MemberItem {
                    name: "data",
                    ty: t,
                    optional: false,
                    features: &[],
                    cond: None,
                };
                Shape::Object {
                    members: vec![data],
                    union: None,
                }
            }
            Source::Def(def) => self.expand_def(def, &owner)?,
        })
    }

    fn expand_def(
        &mut self,
        def: &'s Definition,
        owner: &str,
    ) -> Result<Shape<'s>, IntrospectError> {
        Ok(match def {
            Definition::Enum(e) => Shape::Enum(e.values.iter().map(EnumItem::from).collect()),
            Definition::Struct(s) => {
                let mut ms = Vec::new();
                self.flatten_struct(s, &mut ms, 0)?;
                Shape::Object {
                    members: self.use_members(&ms, owner)?,
                    union: None,
                }
            }
            Definition::Union(u) => {
                let mut ms: Vec<&'s Member> = Vec::new();
                match &u.base {
                    UnionBase::Inline(own) => ms.extend(own.iter()),
                    UnionBase::Named(b) => match self.schema.get(b) {
                        Some(Definition::Struct(s)) => self.flatten_struct(s, &mut ms, 0)?,
                        _ => {
                            return Err(IntrospectError::BadBase {
                                user: owner.to_owned(),
                                base: b.clone(),
                            });
                        }
                    },
                }
                let tag = ms
                    .iter()
                    .find(|m| m.name == u.discriminator)
                    .copied()
                    .ok_or_else(|| IntrospectError::BadDiscriminator {
                        user: owner.to_owned(),
                        tag: u.discriminator.clone(),
                    })?;
                let members = self.use_members(&ms, owner)?;
                let mut variants = Vec::with_capacity(u.branches.len());
                for b in &u.branches {
                    let ty = self.use_ref_from(&b.ty, owner)?;
                    variants.push(VariantItem {
                        case: &b.name,
                        ty,
                        cond: b.cond.as_ref(),
                    });
                }
                // Enum values without a listed branch get an empty one,
                // in enum order, with the value's condition.
                let values: Vec<EnumItem<'s>> = match &tag.ty {
                    TypeRef::Named(n) => match self.schema.get(n) {
                        Some(Definition::Enum(e)) => e.values.iter().map(EnumItem::from).collect(),
                        None if n == "QType" => QTYPE_VALUES
                            .iter()
                            .map(|n| EnumItem {
                                name: n,
                                features: &[],
                                cond: None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    },
                    TypeRef::Array(_) => Vec::new(),
                };
                if values.is_empty() {
                    return Err(IntrospectError::BadDiscriminator {
                        user: owner.to_owned(),
                        tag: u.discriminator.clone(),
                    });
                }
                let listed: std::collections::HashSet<&str> =
                    u.branches.iter().map(|b| b.name.as_str()).collect();
                for v in values {
                    if !listed.contains(v.name) {
                        let ty = self.use_empty();
                        variants.push(VariantItem {
                            case: v.name,
                            ty,
                            cond: v.cond,
                        });
                    }
                }
                Shape::Object {
                    members,
                    union: Some((&u.discriminator, variants)),
                }
            }
            Definition::SimpleUnion(su) => {
                let kind = self.intern(
                    format!("{}Kind", su.common.name),
                    su.common.cond.as_ref(),
                    &[],
                    Source::Kind(su),
                );
                let tag = MemberItem {
                    name: "type",
                    ty: kind,
                    optional: false,
                    features: &[],
                    cond: None,
                };
                let mut variants = Vec::with_capacity(su.branches.len());
                for b in &su.branches {
                    // Validate the branch type before naming a wrapper after it.
                    self.output_name(&b.ty, owner)?;
                    let name = format!("q_obj_{}-wrapper", Self::internal_name(&b.ty));
                    let cond = self.cond_of(&b.ty);
                    let ty = self.intern(name, cond, &[], Source::Wrapper(&b.ty));
                    variants.push(VariantItem {
                        case: &b.name,
                        ty,
                        cond: b.cond.as_ref(),
                    });
                }
                Shape::Object {
                    members: vec![tag],
                    union: Some(("type", variants)),
                }
            }
            Definition::Alternate(a) => {
                let mut out = Vec::with_capacity(a.branches.len());
                for b in &a.branches {
                    let ty = self.use_ref_from(&b.ty, owner)?;
                    out.push(BranchItem {
                        ty,
                        cond: b.cond.as_ref(),
                    });
                }
                Shape::Alternate(out)
            }
            Definition::Command(_) | Definition::Event(_) => {
                unreachable!("commands and events are never interned as types")
            }
        })
    }
}
