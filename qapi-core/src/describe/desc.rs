//! Constant descriptions of definitions, as `#[derive(Qapi)]` emits them.
//!
//! A derived type describes itself with one constant (promoted to a
//! `'static`): names, flags, conditions and docs are data, and each
//! member's type is a function pointer to that type's `describe`. The
//! functions here turn such a description into the schema model
//! ([`Definition`]) when a schema is built. Data costs the compiler far
//! less than code: a port of QEMU's schema (a thousand definitions) would
//! otherwise compile a function body per definition that pushes each
//! member, feature and condition one by one.

use super::SchemaBuilder;
use crate::schema::{
    AlternateDef, ArgsDef, Branch, CommandDef, Common, Cond, Definition, EnumDef, EnumValue,
    EventDef, Feature, Member, SimpleUnionDef, StructDef, TypeRef, UnionBase, UnionDef,
};
use crate::traits::QapiEnum;

/// A type's `describe`: defines the type (once) and returns a reference
/// to it.
pub type DescribeFn = fn(&mut SchemaBuilder) -> TypeRef;

/// A condition ([`Cond`]) as constant data.
#[derive(Clone, Copy, Debug)]
pub enum CondDesc {
    Name(&'static str),
    All(&'static [CondDesc]),
    Any(&'static [CondDesc]),
    Not(&'static CondDesc),
}

impl CondDesc {
    pub fn to_cond(&self) -> Cond {
        match *self {
            CondDesc::Name(n) => Cond::Name(n.to_owned()),
            CondDesc::All(cs) => Cond::All(cs.iter().map(CondDesc::to_cond).collect()),
            CondDesc::Any(cs) => Cond::Any(cs.iter().map(CondDesc::to_cond).collect()),
            CondDesc::Not(c) => Cond::Not(Box::new(c.to_cond())),
        }
    }
}

fn cond(c: &Option<CondDesc>) -> Option<Cond> {
    c.as_ref().map(CondDesc::to_cond)
}

fn doc(d: Option<&'static str>) -> Option<String> {
    d.map(str::to_owned)
}

/// A feature.
#[derive(Clone, Copy, Debug)]
pub struct FeatureDesc {
    pub name: &'static str,
    pub cond: Option<CondDesc>,
}

fn features(fs: &[FeatureDesc]) -> Vec<Feature> {
    fs.iter()
        .map(|f| Feature {
            name: f.name.to_owned(),
            cond: cond(&f.cond),
        })
        .collect()
}

/// What every definition has.
#[derive(Clone, Copy, Debug)]
pub struct CommonDesc {
    pub name: &'static str,
    pub features: &'static [FeatureDesc],
    pub cond: Option<CondDesc>,
    pub doc: Option<&'static str>,
}

impl CommonDesc {
    fn to_common(self) -> Common {
        Common {
            name: self.name.to_owned(),
            features: features(self.features),
            cond: cond(&self.cond),
            doc: doc(self.doc),
            source: None,
        }
    }
}

/// A member of a struct, union base or argument list.
#[derive(Clone, Copy, Debug)]
pub struct MemberDesc {
    pub name: &'static str,
    pub ty: DescribeFn,
    pub optional: bool,
    pub features: &'static [FeatureDesc],
    pub cond: Option<CondDesc>,
    pub doc: Option<&'static str>,
}

fn members(s: &mut SchemaBuilder, ms: &[MemberDesc]) -> Vec<Member> {
    ms.iter()
        .map(|m| Member {
            name: m.name.to_owned(),
            ty: (m.ty)(s),
            optional: m.optional,
            features: features(m.features),
            cond: cond(&m.cond),
            doc: doc(m.doc),
        })
        .collect()
}

/// A value of an enum.
#[derive(Clone, Copy, Debug)]
pub struct ValueDesc {
    pub name: &'static str,
    pub features: &'static [FeatureDesc],
    pub cond: Option<CondDesc>,
    pub doc: Option<&'static str>,
}

/// A branch of an alternate or simple union (named by a string).
#[derive(Clone, Copy, Debug)]
pub struct BranchDesc {
    pub name: &'static str,
    pub ty: DescribeFn,
    pub cond: Option<CondDesc>,
    pub doc: Option<&'static str>,
}

impl BranchDesc {
    fn to_branch(self, s: &mut SchemaBuilder) -> Branch {
        Branch {
            name: self.name.to_owned(),
            ty: (self.ty)(s),
            cond: cond(&self.cond),
            doc: doc(self.doc),
        }
    }
}

fn branches(s: &mut SchemaBuilder, bs: &[BranchDesc]) -> Vec<Branch> {
    bs.iter().map(|b| b.to_branch(s)).collect()
}

/// A branch of a flat union, named by a value of its tag enum.
#[derive(Clone, Copy, Debug)]
pub struct TagBranchDesc<T: 'static> {
    pub tag: T,
    pub ty: DescribeFn,
    pub cond: Option<CondDesc>,
    pub doc: Option<&'static str>,
}

/// The branches of a flat union.
pub fn tag_branches<T: QapiEnum>(s: &mut SchemaBuilder, bs: &[TagBranchDesc<T>]) -> Vec<Branch> {
    bs.iter()
        .map(|b| {
            let named = BranchDesc {
                name: b.tag.as_str(),
                ty: b.ty,
                cond: b.cond,
                doc: b.doc,
            };
            named.to_branch(s)
        })
        .collect()
}

/// A type definition.
#[derive(Clone, Copy, Debug)]
pub enum TypeDesc {
    Struct {
        common: CommonDesc,
        /// The base's `describe`.
        base: Option<DescribeFn>,
        members: &'static [MemberDesc],
    },
    /// A flat union with an inline base (`members`, the discriminator
    /// among them).
    Union {
        common: CommonDesc,
        members: &'static [MemberDesc],
        discriminator: &'static str,
        /// The `QapiBranches::describe_branches` of the branches type.
        branches: fn(&mut SchemaBuilder) -> Vec<Branch>,
    },
    Enum {
        common: CommonDesc,
        values: &'static [ValueDesc],
        prefix: Option<&'static str>,
    },
    Alternate {
        common: CommonDesc,
        branches: &'static [BranchDesc],
    },
    SimpleUnion {
        common: CommonDesc,
        branches: &'static [BranchDesc],
    },
}

impl TypeDesc {
    pub fn name(&self) -> &'static str {
        match self {
            TypeDesc::Struct { common, .. }
            | TypeDesc::Union { common, .. }
            | TypeDesc::Enum { common, .. }
            | TypeDesc::Alternate { common, .. }
            | TypeDesc::SimpleUnion { common, .. } => common.name,
        }
    }

    /// The definition, describing the types it refers to in `s`.
    pub fn to_definition(&self, s: &mut SchemaBuilder) -> Definition {
        match *self {
            TypeDesc::Struct {
                common,
                base,
                members: ms,
            } => {
                let base = base.and_then(|b| match b(s) {
                    TypeRef::Named(n) => Some(n),
                    TypeRef::Array(_) => None,
                });
                Definition::Struct(StructDef {
                    common: common.to_common(),
                    base,
                    members: members(s, ms),
                })
            }
            TypeDesc::Union {
                common,
                members: ms,
                discriminator,
                branches,
            } => {
                let base = UnionBase::Inline(members(s, ms));
                Definition::Union(UnionDef {
                    common: common.to_common(),
                    base,
                    discriminator: discriminator.to_owned(),
                    branches: branches(s),
                })
            }
            TypeDesc::Enum {
                common,
                values,
                prefix,
            } => Definition::Enum(EnumDef {
                common: common.to_common(),
                values: values
                    .iter()
                    .map(|v| EnumValue {
                        name: v.name.to_owned(),
                        features: features(v.features),
                        cond: cond(&v.cond),
                        doc: doc(v.doc),
                    })
                    .collect(),
                prefix: prefix.map(str::to_owned),
            }),
            TypeDesc::Alternate {
                common,
                branches: bs,
            } => Definition::Alternate(AlternateDef {
                common: common.to_common(),
                branches: branches(s, bs),
            }),
            TypeDesc::SimpleUnion {
                common,
                branches: bs,
            } => Definition::SimpleUnion(SimpleUnionDef {
                common: common.to_common(),
                branches: branches(s, bs),
            }),
        }
    }
}

/// The arguments of a command or the data of an event.
#[derive(Clone, Copy, Debug)]
pub enum ArgsDesc {
    /// Members listed inline (none: no arguments).
    Inline(&'static [MemberDesc]),
    /// A named object type.
    Named(DescribeFn),
}

impl ArgsDesc {
    fn to_args(self, s: &mut SchemaBuilder) -> ArgsDef {
        match self {
            ArgsDesc::Inline([]) => ArgsDef::None,
            ArgsDesc::Inline(ms) => ArgsDef::Inline(members(s, ms)),
            ArgsDesc::Named(ty) => match ty(s) {
                TypeRef::Named(n) => ArgsDef::Named(n),
                TypeRef::Array(_) => ArgsDef::None,
            },
        }
    }
}

/// A command.
#[derive(Clone, Copy, Debug)]
pub struct CommandDesc {
    pub common: CommonDesc,
    pub args: ArgsDesc,
    pub returns: Option<DescribeFn>,
    pub boxed: bool,
    pub success_response: bool,
    pub allow_oob: bool,
    pub allow_preconfig: bool,
    pub coroutine: bool,
    pub generate: bool,
}

impl CommandDesc {
    pub fn to_definition(&self, s: &mut SchemaBuilder) -> Definition {
        let args = self.args.to_args(s);
        let returns = self.returns.map(|r| r(s));
        Definition::Command(CommandDef {
            common: self.common.to_common(),
            args,
            returns,
            boxed: self.boxed,
            success_response: self.success_response,
            allow_oob: self.allow_oob,
            allow_preconfig: self.allow_preconfig,
            coroutine: self.coroutine,
            generate: self.generate,
        })
    }
}

/// An event.
#[derive(Clone, Copy, Debug)]
pub struct EventDesc {
    pub common: CommonDesc,
    pub args: ArgsDesc,
    pub boxed: bool,
}

impl EventDesc {
    pub fn to_definition(&self, s: &mut SchemaBuilder) -> Definition {
        let args = self.args.to_args(s);
        Definition::Event(EventDef {
            common: self.common.to_common(),
            args,
            boxed: self.boxed,
        })
    }
}

impl SchemaBuilder {
    /// [`SchemaBuilder::define`] from a constant description.
    pub fn define_desc(&mut self, id: core::any::TypeId, desc: &'static TypeDesc) -> TypeRef {
        self.define_with(desc.name(), id, &|s| desc.to_definition(s))
    }

    /// Adds a command from a constant description.
    pub fn add_command(&mut self, desc: &'static CommandDesc) {
        let def = desc.to_definition(self);
        self.add(def);
    }

    /// Adds an event from a constant description.
    pub fn add_event(&mut self, desc: &'static EventDesc) {
        let def = desc.to_definition(self);
        self.add(def);
    }
}
