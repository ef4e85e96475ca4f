//! Loading: read, check, and convert a schema into the shared model
//! ([`qapi_core::schema::Schema`]).

use std::path::{Path, PathBuf};

use qapi_core::schema::{
    AlternateDef, ArgsDef, Branch, CommandDef, Common, Definition, EnumDef, EnumValue, EventDef,
    Feature, Member, Schema, SimpleUnionDef, SourceInfo, StructDef, TypeRef, UnionBase, UnionDef,
};

use crate::check::{self, Checked};
use crate::diag::{Error, QResult};
use crate::doc::Doc;
use crate::expr::{self, Body, BranchSpec, DataSpec, Def, FeatureSpec, Item, MemberSpec, TypeSpec};
use crate::parser::{Pragmas, Reader, ReaderOpts};
use crate::source::Infos;

/// Which generation of QAPI rules to apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    /// QEMU 10.0.2's rules and messages, exactly.
    #[default]
    Qemu10,
    /// Lenient reading of schemas from QEMU 1.1 to 6.1: accepts
    /// `'type'` for `'struct'`, simple unions, anonymous nested structs,
    /// trailing commas and missing commas (QEMU 1.x), old pragma names
    /// (`returns-whitelist`, `name-case-whitelist`), C-preprocessor `if`
    /// strings and lists of them, `'gen': 'no'`, type `visitor` (read as
    /// `any`), names breaking today's case rules; doc comments are read
    /// but never rejected, and the returns rule applies only when the
    /// schema has a returns pragma.
    ///
    /// An anonymous nested struct (`'data': {'qemu': {'major': 'int'}}`)
    /// becomes a struct named `<Parent>.<member>` (`VersionInfo.qemu`),
    /// defined just before its parent. QEMU 1.1 emitted such members as
    /// anonymous C structs, so there is no QEMU name; the dotted form is
    /// QEMU 1.1's own doc notation (`@qemu.major`) and cannot clash with
    /// a QAPI name.
    Legacy,
}

/// How to load a schema.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub dialect: Dialect,
    /// Directory relative file names are resolved against (default: the
    /// process's working directory). File names in messages stay as
    /// given, as QEMU prints them.
    pub base_dir: Option<PathBuf>,
}

impl LoadOptions {
    /// Options for the given dialect.
    pub fn new(dialect: Dialect) -> LoadOptions {
        LoadOptions {
            dialect,
            base_dir: None,
        }
    }

    /// Sets the directory relative file names are resolved against.
    pub fn base_dir(mut self, dir: impl Into<PathBuf>) -> LoadOptions {
        self.base_dir = Some(dir.into());
        self
    }
}

/// A loaded schema.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// User-level definitions in QEMU's definition order (modules in
    /// order of first `include`, depth first, main file first; textual
    /// order within a module).
    pub schema: Schema,
    /// The pragmas in force (old names mapped to current ones).
    pub pragmas: Pragmas,
    /// The schema's files (QEMU's module names: paths relative to the
    /// main file's directory), main file first, then in order of first
    /// `include`.
    pub modules: Vec<String>,
    /// Free-form documentation blocks (`##` blocks that document no
    /// definition), in reading order.
    pub free_docs: Vec<String>,
}

/// Reads, checks and converts the schema in file `path`.
///
/// On error, the [`Error`] carries QEMU's exact message text.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Loaded, Error> {
    run(opts, |r| r.read_root(&path.to_string_lossy()))
}

/// As [`load`], for schema text held in memory; `name` is the file name
/// used in messages (and for resolving `include`s).
pub fn load_str(name: &str, text: &str, opts: &LoadOptions) -> Result<Loaded, Error> {
    run(opts, |r| r.read_text(name, text))
}

/// Reads schema text and checks the shape of its expressions (QEMU's
/// syntax and `expr.py` rules) without following `include`s and without
/// resolving types. Returns the names of the definitions, in order.
pub fn check_syntax_str(name: &str, text: &str, opts: &LoadOptions) -> Result<Vec<String>, Error> {
    let mut reader = new_reader(opts, false);
    let legacy = opts.dialect == Dialect::Legacy;
    match reader
        .read_text(name, text)
        .and_then(|()| expr::check_exprs(&mut reader, legacy))
    {
        Err(raw) => Err(Error::render(&raw, &reader.infos)),
        Ok(items) => Ok(items
            .iter()
            .filter_map(|i| match i {
                Item::Def(d) => Some(d.name.clone()),
                Item::Include => None,
            })
            .collect()),
    }
}

fn new_reader(opts: &LoadOptions, follow_includes: bool) -> Reader {
    let legacy = opts.dialect == Dialect::Legacy;
    let base_dir = match &opts.base_dir {
        Some(d) => d.clone(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
    };
    Reader::new(ReaderOpts {
        legacy,
        base_dir,
        follow_includes,
    })
}

fn run(opts: &LoadOptions, read: impl FnOnce(&mut Reader) -> QResult<()>) -> Result<Loaded, Error> {
    let legacy = opts.dialect == Dialect::Legacy;
    let mut reader = new_reader(opts, true);
    let result = read(&mut reader).and_then(|()| {
        let items = expr::check_exprs(&mut reader, legacy)?;
        let checked = check::check(
            &items,
            &reader.infos,
            &mut reader.docs,
            &reader.pragmas,
            legacy,
            reader.returns_pragma_seen,
        )?;
        Ok((items, checked))
    });
    match result {
        Err(raw) => Err(Error::render(&raw, &reader.infos)),
        Ok((items, checked)) => Ok(convert(&reader, &items, &checked)),
    }
}

struct Conv<'a> {
    infos: &'a Infos,
    docs: &'a [Doc],
    checked: &'a Checked,
}

impl Conv<'_> {
    fn ty(&self, spec: &TypeSpec, nested_name: &str) -> TypeRef {
        match spec {
            TypeSpec::Name(n) => match self.checked.array_elem(n) {
                Some(e) => TypeRef::array(TypeRef::named(e)),
                None => TypeRef::named(n.clone()),
            },
            TypeSpec::Array(e) => TypeRef::array(TypeRef::named(e.clone())),
            TypeSpec::Inline(_) => TypeRef::named(nested_name),
        }
    }

    fn features(&self, specs: &[FeatureSpec]) -> Vec<Feature> {
        specs
            .iter()
            .map(|f| Feature {
                name: f.name.clone(),
                cond: f.cond.clone(),
            })
            .collect()
    }

    fn members(&self, specs: &[MemberSpec], owner: &str, doc: Option<&Doc>) -> Vec<Member> {
        specs
            .iter()
            .map(|m| Member {
                name: m.name.clone(),
                ty: self.ty(&m.ty, &format!("{owner}.{}", m.name)),
                optional: m.optional,
                features: self.features(&m.features),
                cond: m.cond.clone(),
                doc: doc.and_then(|d| d.arg_text(&m.name)),
            })
            .collect()
    }

    fn branches(&self, specs: &[BranchSpec], owner: &str, doc: Option<&Doc>) -> Vec<Branch> {
        specs
            .iter()
            .map(|b| Branch {
                name: b.name.clone(),
                ty: self.ty(&b.ty, &format!("{owner}.{}", b.name)),
                cond: b.cond.clone(),
                doc: doc.and_then(|d| d.arg_text(&b.name)),
            })
            .collect()
    }

    /// Anonymous nested structs (legacy), innermost first.
    fn nested(
        &self,
        specs: &[MemberSpec],
        owner: &str,
        common: &Common,
        out: &mut Vec<Definition>,
    ) {
        for m in specs {
            if let TypeSpec::Inline(inner) = &m.ty {
                let name = format!("{owner}.{}", m.name);
                self.nested(inner, &name, common, out);
                out.push(Definition::Struct(StructDef {
                    common: Common {
                        name: name.clone(),
                        features: Vec::new(),
                        cond: None,
                        doc: None,
                        source: common.source.clone(),
                    },
                    base: None,
                    members: self.members(inner, &name, None),
                }));
            }
        }
    }

    fn args(&self, data: &DataSpec, owner: &str, doc: Option<&Doc>) -> ArgsDef {
        match data {
            DataSpec::None => ArgsDef::None,
            DataSpec::Named(n) => ArgsDef::Named(n.clone()),
            DataSpec::Inline(m) if m.is_empty() => ArgsDef::None,
            DataSpec::Inline(m) => ArgsDef::Inline(self.members(m, owner, doc)),
        }
    }

    fn def(&self, d: &Def, out: &mut Vec<Definition>) {
        let doc = d.doc.and_then(|i| self.docs.get(i));
        let common = Common {
            name: d.name.clone(),
            features: self.features(&d.features),
            cond: d.cond.clone(),
            doc: doc.and_then(Doc::text),
            source: Some(SourceInfo {
                file: self.infos.fname(d.info).to_owned(),
                line: self.infos.line(d.info),
            }),
        };
        let name = d.name.as_str();
        let def = match &d.body {
            Body::Enum { values, prefix } => Definition::Enum(EnumDef {
                common,
                values: values
                    .iter()
                    .map(|v| EnumValue {
                        name: v.name.clone(),
                        features: self.features(&v.features),
                        cond: v.cond.clone(),
                        doc: doc.and_then(|dd| dd.arg_text(&v.name)),
                    })
                    .collect(),
                prefix: prefix.clone(),
            }),
            Body::Struct { base, members } => {
                self.nested(members, name, &common, out);
                Definition::Struct(StructDef {
                    base: base.clone(),
                    members: self.members(members, name, doc),
                    common,
                })
            }
            Body::Union {
                base,
                discriminator,
                branches,
            } => {
                let base = match base {
                    DataSpec::Named(n) => UnionBase::Named(n.clone()),
                    DataSpec::Inline(m) => {
                        self.nested(m, name, &common, out);
                        UnionBase::Inline(self.members(m, name, doc))
                    }
                    DataSpec::None => UnionBase::Inline(Vec::new()),
                };
                Definition::Union(UnionDef {
                    base,
                    discriminator: discriminator.clone(),
                    branches: self.branches(branches, name, doc),
                    common,
                })
            }
            Body::SimpleUnion { branches } => Definition::SimpleUnion(SimpleUnionDef {
                branches: self.branches(branches, name, doc),
                common,
            }),
            Body::Alternate { branches } => Definition::Alternate(AlternateDef {
                branches: self.branches(branches, name, doc),
                common,
            }),
            Body::Command {
                data,
                returns,
                boxed,
                gen_,
                success_response,
                allow_oob,
                allow_preconfig,
                coroutine,
            } => {
                if let DataSpec::Inline(m) = data {
                    self.nested(m, name, &common, out);
                }
                Definition::Command(CommandDef {
                    args: self.args(data, name, doc),
                    returns: returns
                        .as_ref()
                        .map(|t| self.ty(t, &format!("{name}.returns"))),
                    boxed: *boxed,
                    success_response: *success_response,
                    allow_oob: *allow_oob,
                    allow_preconfig: *allow_preconfig,
                    coroutine: *coroutine,
                    generate: *gen_,
                    common,
                })
            }
            Body::Event { data, boxed } => {
                if let DataSpec::Inline(m) = data {
                    self.nested(m, name, &common, out);
                }
                Definition::Event(EventDef {
                    args: self.args(data, name, doc),
                    boxed: *boxed,
                    common,
                })
            }
        };
        out.push(def);
    }
}

fn convert(reader: &Reader, items: &[Item], checked: &Checked) -> Loaded {
    let conv = Conv {
        infos: &reader.infos,
        docs: &reader.docs,
        checked,
    };
    let mut defs: Vec<&Def> = items
        .iter()
        .filter_map(|i| match i {
            Item::Def(d) => Some(d),
            Item::Include => None,
        })
        .collect();
    // Definition order: grouped by module, modules in order of first
    // mention (a stable sort keeps textual order within a module).
    defs.sort_by_key(|d| d.module);
    let mut out = Vec::new();
    for d in defs {
        conv.def(d, &mut out);
    }
    let mut schema = Schema::new();
    for d in out {
        schema.insert(d);
    }
    let free_docs = reader
        .docs
        .iter()
        .filter(|d| d.symbol.is_none())
        .filter_map(|d| {
            let t = d
                .sections
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let t = t.trim_matches('\n');
            (!t.is_empty()).then(|| t.to_owned())
        })
        .collect();
    Loaded {
        schema,
        pragmas: reader.pragmas.clone(),
        modules: reader.module_names(),
        free_docs,
    }
}
