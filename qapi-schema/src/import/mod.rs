//! `qapi import`: Rust source using the `#[derive(Qapi)]` attributes,
//! from a `.json` schema.
//!
//! # Layout
//!
//! One Rust module per schema file, in QEMU's module order (the main file
//! first, then in order of first `include`): `qapi/block-core.json` →
//! `block_core.rs`. Every module starts with `use super::*;`, and
//! `mod.rs` declares the modules in order, re-exports everything
//! (`pub use block_core::*;`), and holds:
//!
//! * `pub fn describe(b: &mut qapi::SchemaBuilder)`: registers every
//!   command and event in QEMU's definition order (each under its
//!   `#[cfg]`), which is what introspection lists first;
//! * `pub fn describe_types(b: &mut qapi::SchemaBuilder)`: describes
//!   every type (under its `#[cfg]`), also those no compiled-in command
//!   or event reaches: QEMU lists types whose only users are compiled
//!   out, and introspection with `TYPE_ORDER` does the same for the
//!   types described (`Registry::types(describe_types)` for a server);
//! * `pub fn schema() -> qapi::schema::Schema`: `describe` and
//!   `describe_types` into a new builder;
//! * `pub const TYPE_ORDER: &[&str]`: the type order of the **full**
//!   schema ([`qapi_core::schema::introspect::type_order`], every
//!   condition true), to pass as `IntrospectOptions::type_order` so that
//!   a build with some conditions false reproduces QEMU's masked numbers
//!   and their gaps.
//!
//! The output directory is meant to be a module of a crate
//! (`mod qsd;` with the files in `src/qsd/`).
//!
//! # Conditions
//!
//! A QAPI `if` becomes `#[cfg(...)]` over **bare cfg names**:
//! `'if': 'CONFIG_BLKIO'` → `#[cfg(CONFIG_BLKIO)]`, `{'all': [...]}` →
//! `all(...)`, `{'any': [...]}` → `any(...)`, `{'not': ...}` → `not(...)`.
//! A build sets them with `--cfg CONFIG_BLKIO` (`RUSTFLAGS` or a build
//! script's `cargo::rustc-cfg`); declare them for `unexpected_cfgs` with
//! the list in `mod.rs`'s header. Conditional features are written
//! `feature("name", cfg(PRED))`.
//!
//! # Names
//!
//! Rust identifiers follow [`names`]: types keep their QAPI name when it
//! is an identifier, members become snake_case and enum values and
//! branches CamelCase, with `#[qapi(name = "...")]` wherever the
//! derive's default mapping would not give the QAPI name back. Types the
//! schema does not name get these names:
//!
//! * a command's argument struct: CamelCase of the command name
//!   (`query-block` → `QueryBlock`), or with `Cmd` appended when a type
//!   already has that name (`block-dirty-bitmap-add` →
//!   `BlockDirtyBitmapAddCmd`, as `BlockDirtyBitmapAdd` is a type);
//! * an event's data struct: CamelCase of the event name
//!   (`BLOCK_JOB_COMPLETED` → `BlockJobCompleted`), `Event` appended on a
//!   clash;
//! * a flat union's branch enum: the union's name + `Branch`
//!   (`BlockdevOptions` → `BlockdevOptionsBranch`), with one variant per
//!   value of the discriminator enum (same identifiers as that enum's
//!   variants): newtype variants for the branches listed in the schema,
//!   unit variants for the values without one;
//! * legacy anonymous nested structs (`VersionInfo.qemu`) → CamelCase
//!   (`VersionInfoQemu`) with `name = "VersionInfo.qemu"`.
//!
//! Remaining clashes get a number appended, in definition order.
//!
//! # Mapping of constructs
//!
//! * a union's base (named or inline) is written as members of the union
//!   struct (a named base's own base chain first); the base's name is not
//!   recorded (introspection never shows it);
//! * simple unions (QEMU ≤ 6.1) → `#[qapi(simple_union)]` enums;
//! * recursive types: a member, alternate branch or union branch whose
//!   type is in the same cycle of by-value containment as its owner is
//!   boxed (`Box<T>`);
//! * names breaking today's case rules (member names with `_` or upper
//!   case, allowed by QEMU's pragmas or, before 6.0, in any struct and
//!   in command and event arguments) get `name_exception` on their
//!   struct, union, enum, command or event;
//! * commands with a non-object `returns` get `returns_exception`;
//!   `'data': 'Type'` (boxed or not) → tuple struct with one field.
//!
//! Documentation is emitted only when asked for (`--docs`), as doc
//! comments (QAPI's text is reStructuredText: a doc with indented or
//! fenced blocks is wrapped in a `text` code block, so that rustdoc does
//! not take QEMU's examples for Rust doctests).

pub(crate) mod names;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use qapi_core::schema::introspect::{IntrospectError, type_order};
use qapi_core::schema::{
    ArgsDef, Branch, Cond, Definition, Era, Feature, Member, Schema, TypeRef, UnionBase, UnionDef,
};

use self::names::{Scope, camel, field_base, field_token, type_ident};
use crate::Loaded;

/// Options of [`import`].
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Emit doc comments from the schema's documentation.
    pub docs: bool,
    /// Path of the `qapi` facade crate in generated code (default
    /// `::qapi`). Any other path is also written as `#[qapi(crate =
    /// "...")]` on every item.
    pub krate: String,
    /// The generator whose type order `TYPE_ORDER` records (only
    /// [`Era::V2_11`] differs: it sorts commands and events by name,
    /// which changes the order types are found in).
    pub era: Era,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            docs: false,
            krate: DEFAULT_CRATE.to_owned(),
            era: Era::Current,
        }
    }
}

const DEFAULT_CRATE: &str = "::qapi";

/// One generated file: its name inside the output directory and its
/// text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    pub name: String,
    pub text: String,
}

/// Why an import failed.
#[derive(Debug)]
pub enum ImportError {
    /// The schema is inconsistent (cannot happen for a schema that
    /// passed [`crate::load`]).
    Schema(IntrospectError),
    /// The generated text did not parse as Rust (a bug in the importer);
    /// `text` is the unformatted text.
    Generated {
        file: String,
        error: String,
        text: String,
    },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Schema(e) => write!(f, "{e}"),
            ImportError::Generated { file, error, .. } => {
                write!(f, "internal error: generated {file} is not Rust: {error}")
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// Generates the Rust modules of a loaded schema (see the module docs).
/// The first file is `mod.rs`.
pub fn import(loaded: &Loaded, opts: &ImportOptions) -> Result<Vec<GeneratedFile>, ImportError> {
    let order = type_order(&loaded.schema, opts.era).map_err(ImportError::Schema)?;
    let g = Gen::new(loaded, opts);
    let mut files = vec![GeneratedFile {
        name: "mod.rs".to_owned(),
        text: g.mod_rs(&order),
    }];
    for (i, ident) in g.module_idents.iter().enumerate() {
        files.push(GeneratedFile {
            name: format!("{}.rs", ident.trim_start_matches("r#")),
            text: g.module_rs(i),
        });
    }
    for f in &mut files {
        let parsed = syn::parse_file(&f.text).map_err(|e| ImportError::Generated {
            file: f.name.clone(),
            error: e.to_string(),
            text: f.text.clone(),
        })?;
        f.text = spaced(&prettyplease::unparse(&parsed));
    }
    Ok(files)
}

/// Puts a blank line after every top-level item (prettyplease writes
/// them back to back), keeping runs of `pub mod x;` / `pub use x::*;`
/// together.
fn spaced(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, l) in lines.iter().enumerate() {
        out.push_str(l);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else { break };
        let ends_item = matches!(*l, "}" | "};" | "];")
            || (l.starts_with("pub ") && (l.ends_with(';') || l.ends_with("{}")))
            || *l == "use super::*;";
        let kind = |s: &str| s.split(' ').take(2).collect::<Vec<_>>().join(" ");
        let ends_run =
            (l.starts_with("pub mod ") || l.starts_with("pub use ")) && kind(l) != kind(next);
        let ends_header = l.starts_with("//!") && !next.starts_with("//!");
        if (ends_item || ends_run || ends_header) && !next.is_empty() {
            out.push('\n');
        }
    }
    out
}

/// Writes generated files into `dir` (created if missing).
pub fn write_files(dir: &Path, files: &[GeneratedFile]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for f in files {
        std::fs::write(dir.join(&f.name), &f.text)?;
    }
    Ok(())
}

/// Every condition name a schema uses, sorted: what a crate declares in
/// `check-cfg` and sets with `--cfg`.
pub fn cfg_names(schema: &Schema) -> Vec<String> {
    let mut set = std::collections::BTreeSet::new();
    let mut add = |c: &Option<Cond>| {
        if let Some(c) = c {
            c.names(&mut set);
        }
    };
    let feats = |fs: &[Feature], add: &mut dyn FnMut(&Option<Cond>)| {
        fs.iter().for_each(|f| add(&f.cond));
    };
    for d in schema.definitions() {
        add(&d.common().cond);
        feats(&d.common().features, &mut add);
        let members = |ms: &[Member], add: &mut dyn FnMut(&Option<Cond>)| {
            for m in ms {
                add(&m.cond);
                feats(&m.features, add);
            }
        };
        let branches = |bs: &[Branch], add: &mut dyn FnMut(&Option<Cond>)| {
            bs.iter().for_each(|b| add(&b.cond));
        };
        match d {
            Definition::Enum(e) => {
                for v in &e.values {
                    add(&v.cond);
                    feats(&v.features, &mut add);
                }
            }
            Definition::Struct(s) => members(&s.members, &mut add),
            Definition::Union(u) => {
                if let UnionBase::Inline(ms) = &u.base {
                    members(ms, &mut add);
                }
                branches(&u.branches, &mut add);
            }
            Definition::SimpleUnion(u) => branches(&u.branches, &mut add),
            Definition::Alternate(a) => branches(&a.branches, &mut add),
            Definition::Command(c) => {
                if let ArgsDef::Inline(ms) = &c.args {
                    members(ms, &mut add);
                }
            }
            Definition::Event(e) => {
                if let ArgsDef::Inline(ms) = &e.args {
                    members(ms, &mut add);
                }
            }
        }
    }
    set.into_iter().map(cfg_name).collect()
}

/// A condition name as a cfg name (QEMU's names are C identifiers; any
/// other character becomes `_`).
fn cfg_name(n: String) -> String {
    if names::is_ident(&n) {
        n
    } else {
        let mut s: String = n
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
            s.insert(0, '_');
        }
        s
    }
}

/// The cfg predicate of a condition.
fn cfg_pred(c: &Cond) -> String {
    let list = |word: &str, cs: &[Cond]| {
        format!(
            "{word}({})",
            cs.iter().map(cfg_pred).collect::<Vec<_>>().join(", ")
        )
    };
    match c {
        Cond::Name(n) => cfg_name(n.clone()),
        Cond::All(cs) => list("all", cs),
        Cond::Any(cs) => list("any", cs),
        Cond::Not(inner) => format!("not({})", cfg_pred(inner)),
    }
}

fn str_lit(s: &str) -> String {
    format!("{s:?}")
}

struct Gen<'a> {
    schema: &'a Schema,
    loaded: &'a Loaded,
    opts: &'a ImportOptions,
    /// Module index of each definition (by position).
    module_of: Vec<usize>,
    module_idents: Vec<String>,
    /// QAPI type, command or event name → Rust identifier.
    idents: HashMap<String, String>,
    /// Flat union name → its branch enum's identifier.
    branch_enums: HashMap<String, String>,
    /// Enum name → variant identifier of each value, in order.
    variants: HashMap<String, Vec<String>>,
    /// Strongly connected component of each user type (by-value
    /// containment).
    scc: HashMap<String, usize>,
    /// Types with a by-value edge to themselves.
    self_loops: HashSet<String>,
}

impl<'a> Gen<'a> {
    fn new(loaded: &'a Loaded, opts: &'a ImportOptions) -> Gen<'a> {
        let schema = &loaded.schema;
        let module_of = assign_modules(loaded);
        let mut global = Scope::new();
        for r in names::RESERVED_TYPES {
            global.reserve(r);
        }
        // Module identifiers.
        let mut module_idents = Vec::new();
        let mut mod_scope = Scope::new();
        for m in &loaded.modules {
            let stem = Path::new(m)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| m.clone());
            let base = field_base(&stem);
            let base = mod_scope.claim(&base);
            global.reserve(&base);
            module_idents.push(field_token(&base));
        }
        let mut idents = HashMap::new();
        for d in schema.definitions() {
            if !d.is_entry_point() {
                idents.insert(d.name().to_owned(), global.claim(&type_ident(d.name())));
            }
        }
        for d in schema.definitions() {
            let suffix = match d {
                Definition::Command(_) => "Cmd",
                Definition::Event(_) => "Event",
                _ => continue,
            };
            let want = camel(&d.name().to_ascii_lowercase());
            let want = if global.is_taken(&want) {
                format!("{want}{suffix}")
            } else {
                want
            };
            idents.insert(d.name().to_owned(), global.claim(&want));
        }
        let mut branch_enums = HashMap::new();
        let mut variants = HashMap::new();
        for d in schema.definitions() {
            match d {
                Definition::Union(u) => {
                    let want = format!("{}Branch", idents[&u.common.name]);
                    branch_enums.insert(u.common.name.clone(), global.claim(&want));
                }
                Definition::Enum(e) => {
                    let mut scope = Scope::new();
                    let vs = e
                        .values
                        .iter()
                        .map(|v| scope.claim(&camel(&v.name)))
                        .collect();
                    variants.insert(e.common.name.clone(), vs);
                }
                _ => {}
            }
        }
        let mut g = Gen {
            schema,
            loaded,
            opts,
            module_of,
            module_idents,
            idents,
            branch_enums,
            variants,
            scc: HashMap::new(),
            self_loops: HashSet::new(),
        };
        g.find_cycles();
        g
    }

    fn is_user_type(&self, name: &str) -> bool {
        matches!(self.schema.get(name), Some(d) if !d.is_entry_point())
    }

    /// Members of a flat union's struct: the base's (chain first) or the
    /// inline base's.
    fn union_members(&self, u: &'a UnionDef) -> Vec<&'a Member> {
        match &u.base {
            UnionBase::Inline(ms) => ms.iter().collect(),
            UnionBase::Named(n) => self.struct_members(n),
        }
    }

    fn struct_members(&self, name: &str) -> Vec<&'a Member> {
        let schema: &'a Schema = self.schema;
        let mut out = Vec::new();
        let mut chain = Vec::new();
        let mut cur = Some(name.to_owned());
        while let Some(n) = cur.take() {
            if chain.contains(&n) {
                break;
            }
            if let Some(Definition::Struct(s)) = schema.get(&n) {
                cur = s.base.clone();
                chain.push(n);
            }
        }
        for n in chain.iter().rev() {
            if let Some(Definition::Struct(s)) = schema.get(n) {
                out.extend(s.members.iter());
            }
        }
        out
    }

    /// By-value references of a user type to other user types (array
    /// elements excluded: `Vec` is already indirect).
    fn value_edges(&self, d: &'a Definition) -> Vec<&'a str> {
        let named = |t: &'a TypeRef| match t {
            TypeRef::Named(n) => Some(n.as_str()),
            TypeRef::Array(_) => None,
        };
        let mut out: Vec<&'a str> = Vec::new();
        match d {
            Definition::Struct(s) => {
                out.extend(s.base.as_deref());
                out.extend(s.members.iter().filter_map(|m| named(&m.ty)));
            }
            Definition::Union(u) => {
                out.extend(self.union_members(u).iter().filter_map(|m| named(&m.ty)));
                out.extend(u.branches.iter().filter_map(|b| named(&b.ty)));
            }
            Definition::SimpleUnion(u) => {
                out.extend(u.branches.iter().filter_map(|b| named(&b.ty)))
            }
            Definition::Alternate(a) => out.extend(a.branches.iter().filter_map(|b| named(&b.ty))),
            _ => {}
        }
        out.retain(|n| self.is_user_type(n));
        out
    }

    /// Tarjan's strongly connected components over by-value edges.
    fn find_cycles(&mut self) {
        let defs: Vec<&'a Definition> = self
            .schema
            .definitions()
            .iter()
            .filter(|d| !d.is_entry_point())
            .collect();
        let index_of: HashMap<&str, usize> = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name(), i))
            .collect();
        let edges: Vec<Vec<usize>> = defs
            .iter()
            .map(|d| {
                self.value_edges(d)
                    .iter()
                    .filter_map(|n| index_of.get(n).copied())
                    .collect()
            })
            .collect();
        for (i, es) in edges.iter().enumerate() {
            if es.contains(&i) {
                self.self_loops.insert(defs[i].name().to_owned());
            }
        }
        let comp = tarjan(&edges);
        for (i, d) in defs.iter().enumerate() {
            self.scc.insert(d.name().to_owned(), comp[i]);
        }
    }

    /// Whether `owner`'s by-value reference to `target` must be boxed.
    fn boxed(&self, owner: &str, target: &str) -> bool {
        match (self.scc.get(owner), self.scc.get(target)) {
            (Some(a), Some(b)) if a == b => owner != target || self.self_loops.contains(owner),
            _ => false,
        }
    }

    fn krate(&self) -> &str {
        &self.opts.krate
    }

    /// The Rust type of a non-optional reference from `owner`.
    fn rust_ty(&self, owner: Option<&str>, t: &TypeRef) -> String {
        match t {
            TypeRef::Array(e) => format!("Vec<{}>", self.rust_ty(None, e)),
            TypeRef::Named(n) => {
                let k = self.krate();
                let base = match n.as_str() {
                    "str" => "String".to_owned(),
                    "int" | "int64" => "i64".to_owned(),
                    "int8" => "i8".to_owned(),
                    "int16" => "i16".to_owned(),
                    "int32" => "i32".to_owned(),
                    "uint8" => "u8".to_owned(),
                    "uint16" => "u16".to_owned(),
                    "uint32" => "u32".to_owned(),
                    "uint64" => "u64".to_owned(),
                    "size" => format!("{k}::Size"),
                    "number" => "f64".to_owned(),
                    "bool" => "bool".to_owned(),
                    "null" => format!("{k}::Null"),
                    "any" => format!("{k}::Value"),
                    "QType" => format!("{k}::QType"),
                    other => self
                        .idents
                        .get(other)
                        .cloned()
                        .unwrap_or_else(|| type_ident(other)),
                };
                match owner {
                    Some(o) if self.boxed(o, n) => format!("Box<{base}>"),
                    _ => base,
                }
            }
        }
    }

    /// Whether a `returns` type is an object or an array of objects.
    fn returns_object(&self, t: &TypeRef) -> bool {
        let t = match t {
            TypeRef::Array(e) => e,
            t => t,
        };
        match t {
            TypeRef::Named(n) => matches!(
                self.schema.get(n),
                Some(Definition::Struct(_) | Definition::Union(_) | Definition::SimpleUnion(_))
            ),
            TypeRef::Array(_) => false,
        }
    }

    // ---- attribute text

    fn docs(&self, out: &mut String, doc: &Option<String>) {
        let Some(text) = doc.as_deref().filter(|_| self.opts.docs) else {
            return;
        };
        // Markdown takes a line indented by four spaces for code only
        // after a blank line (or at the start); other indented lines
        // continue their paragraph.
        let mut prev_blank = true;
        let mut needs_fence = false;
        for l in text.lines() {
            let indented = l.starts_with("    ") || l.starts_with('\t');
            if (indented && prev_blank) || l.trim_start().starts_with("```") {
                needs_fence = true;
                break;
            }
            prev_blank = l.trim().is_empty();
        }
        let mut lines: Vec<String> = Vec::new();
        if needs_fence {
            lines.push("```text".to_owned());
            lines.extend(text.lines().map(|l| l.replace("```", "'''")));
            lines.push("```".to_owned());
        } else {
            lines.extend(text.lines().map(str::to_owned));
        }
        for l in lines {
            let l = if l.is_empty() { l } else { format!(" {l}") };
            let _ = writeln!(out, "#[doc = {}]", str_lit(&l));
        }
    }

    fn cfg(out: &mut String, cond: &Option<Cond>) {
        if let Some(c) = cond {
            let _ = writeln!(out, "#[cfg({})]", cfg_pred(c));
        }
    }

    fn features(fs: &[Feature]) -> Vec<String> {
        fs.iter()
            .map(|f| match &f.cond {
                None => format!("feature = {}", str_lit(&f.name)),
                Some(c) => format!("feature({}, cfg({}))", str_lit(&f.name), cfg_pred(c)),
            })
            .collect()
    }

    fn qapi_attr(out: &mut String, items: &[String]) {
        if !items.is_empty() {
            let _ = writeln!(out, "#[qapi({})]", items.join(", "));
        }
    }

    /// The item-level attributes: docs, cfg, derive, qapi(...).
    fn item_head(
        &self,
        out: &mut String,
        common: &qapi_core::schema::Common,
        derives: &str,
        mut qapi: Vec<String>,
        name_attr: bool,
    ) {
        self.docs(out, &common.doc);
        Self::cfg(out, &common.cond);
        let _ = writeln!(out, "#[derive({derives}, {}::Qapi)]", self.krate());
        if name_attr {
            qapi.push(format!("name = {}", str_lit(&common.name)));
        }
        qapi.extend(Self::features(&common.features));
        if self.krate() != DEFAULT_CRATE {
            qapi.push(format!("crate = {}", str_lit(self.krate())));
        }
        Self::qapi_attr(out, &qapi);
    }

    /// Writes struct fields for `members`; `owner` decides boxing.
    /// `special` overrides the type of one member (a union's
    /// discriminator).
    fn fields(
        &self,
        out: &mut String,
        scope: &mut Scope,
        owner: &str,
        members: &[&Member],
        special: Option<(&str, &str)>,
    ) {
        for m in members {
            let token = field_token(&scope.claim(&field_base(&m.name)));
            self.docs(out, &m.doc);
            Self::cfg(out, &m.cond);
            let mut q = Vec::new();
            if names::derive_member_name(&token) != m.name {
                q.push(format!("name = {}", str_lit(&m.name)));
            }
            q.extend(Self::features(&m.features));
            Self::qapi_attr(out, &q);
            let ty = match special {
                Some((n, t)) if n == m.name => t.to_owned(),
                _ => self.rust_ty(Some(owner), &m.ty),
            };
            let ty = if m.optional {
                format!("Option<{ty}>")
            } else {
                ty
            };
            let _ = writeln!(out, "pub {token}: {ty},");
        }
    }

    fn variant_name_attr(ident: &str, name: &str) -> Option<String> {
        (names::derive_variant_name(ident) != name).then(|| format!("name = {}", str_lit(name)))
    }

    fn name_attr_needed(&self, name: &str) -> bool {
        self.idents[name] != name
    }

    /// `name_exception` when a member or value name breaks QEMU's case
    /// rules (the derive checks them): what the pragma
    /// `member-name-exceptions` allows, or what schemas before 6.0
    /// allowed without one. `_` is allowed in enum values.
    fn name_exception<'n>(
        names: impl IntoIterator<Item = &'n str>,
        underscore_ok: bool,
    ) -> Option<String> {
        names
            .into_iter()
            .any(|n| {
                let n = if n.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("d{n}")
                } else {
                    n.to_owned()
                };
                crate::names::valid_name_stem(&n).is_some_and(|s| {
                    s.chars()
                        .any(|c| c.is_ascii_uppercase() || (c == '_' && !underscore_ok))
                })
            })
            .then(|| "name_exception".to_owned())
    }

    /// Whether inline arguments break today's case rules (`bps_rd` in
    /// QEMU 1.1's `block_set_io_throttle`; schemas before 6.0 allowed
    /// `_`): the derive takes `name_exception` on a command or event for
    /// its arguments.
    fn args_name_exception(args: &ArgsDef) -> bool {
        match args {
            ArgsDef::Inline(ms) => {
                Self::name_exception(ms.iter().map(|m| m.name.as_str()), false).is_some()
            }
            ArgsDef::None | ArgsDef::Named(_) => false,
        }
    }

    // ---- one definition

    fn definition(&self, out: &mut String, d: &'a Definition) {
        let ident = &self.idents[d.name()];
        match d {
            Definition::Enum(e) => {
                let mut q = vec!["enum".to_owned()];
                if let Some(p) = &e.prefix {
                    q.push(format!("prefix = {}", str_lit(p)));
                }
                q.extend(Self::name_exception(
                    e.values.iter().map(|v| v.name.as_str()),
                    true,
                ));
                self.item_head(
                    out,
                    &e.common,
                    "Debug, Clone, Copy, PartialEq, Eq, Hash",
                    q,
                    self.name_attr_needed(d.name()),
                );
                let _ = writeln!(out, "pub enum {ident} {{");
                for (v, vi) in e.values.iter().zip(&self.variants[d.name()]) {
                    self.docs(out, &v.doc);
                    Self::cfg(out, &v.cond);
                    let mut q: Vec<String> =
                        Self::variant_name_attr(vi, &v.name).into_iter().collect();
                    q.extend(Self::features(&v.features));
                    Self::qapi_attr(out, &q);
                    let _ = writeln!(out, "{vi},");
                }
                out.push_str("}\n\n");
            }
            Definition::Struct(s) => {
                self.item_head(
                    out,
                    &s.common,
                    "Debug, Clone, PartialEq",
                    std::iter::once("struct".to_owned())
                        .chain(Self::name_exception(
                            s.members.iter().map(|m| m.name.as_str()),
                            false,
                        ))
                        .collect(),
                    self.name_attr_needed(d.name()),
                );
                let _ = writeln!(out, "pub struct {ident} {{");
                let mut scope = Scope::new();
                if let Some(b) = &s.base {
                    scope.reserve("base");
                    let ty = self.rust_ty(None, &TypeRef::named(b.clone()));
                    let _ = writeln!(out, "#[qapi(base)]\npub base: {ty},");
                }
                let members: Vec<&Member> = s.members.iter().collect();
                self.fields(out, &mut scope, d.name(), &members, None);
                out.push_str("}\n\n");
            }
            Definition::Union(u) => self.union(out, u),
            Definition::SimpleUnion(u) => {
                self.item_head(
                    out,
                    &u.common,
                    "Debug, Clone, PartialEq",
                    vec!["simple_union".to_owned()],
                    self.name_attr_needed(d.name()),
                );
                self.branch_variants(out, d.name(), ident, &u.branches);
            }
            Definition::Alternate(a) => {
                self.item_head(
                    out,
                    &a.common,
                    "Debug, Clone, PartialEq",
                    vec!["alternate".to_owned()],
                    self.name_attr_needed(d.name()),
                );
                self.branch_variants(out, d.name(), ident, &a.branches);
            }
            Definition::Command(c) => {
                let mut q = vec![format!("command = {}", str_lit(&c.common.name))];
                if let Some(r) = &c.returns {
                    q.push(format!("returns = {}", self.rust_ty(None, r)));
                    if !self.returns_object(r) {
                        q.push("returns_exception".to_owned());
                    }
                }
                if c.boxed {
                    q.push("boxed".to_owned());
                }
                if !c.success_response {
                    q.push("success_response = false".to_owned());
                }
                if c.allow_oob {
                    q.push("allow_oob".to_owned());
                }
                if c.allow_preconfig {
                    q.push("allow_preconfig".to_owned());
                }
                if c.coroutine {
                    q.push("coroutine".to_owned());
                }
                if !c.generate {
                    q.push("gen = false".to_owned());
                }
                if crate::names::valid_name_stem(&c.common.name).is_some_and(|s| s.contains('_'))
                    || Self::args_name_exception(&c.args)
                {
                    q.push("name_exception".to_owned());
                }
                self.item_head(out, &c.common, "Debug, Clone, PartialEq", q, false);
                self.args(out, d.name(), ident, &c.args);
            }
            Definition::Event(e) => {
                let mut q = vec![format!("event = {}", str_lit(&e.common.name))];
                if e.boxed {
                    q.push("boxed".to_owned());
                }
                if Self::args_name_exception(&e.args) {
                    q.push("name_exception".to_owned());
                }
                self.item_head(out, &e.common, "Debug, Clone, PartialEq", q, false);
                self.args(out, d.name(), ident, &e.args);
            }
        }
    }

    fn args(&self, out: &mut String, owner: &str, ident: &str, args: &ArgsDef) {
        match args {
            ArgsDef::None => {
                let _ = writeln!(out, "pub struct {ident} {{}}\n");
            }
            ArgsDef::Named(n) => {
                let ty = self.rust_ty(None, &TypeRef::named(n.clone()));
                let _ = writeln!(out, "pub struct {ident}(pub {ty});\n");
            }
            ArgsDef::Inline(ms) => {
                let _ = writeln!(out, "pub struct {ident} {{");
                let members: Vec<&Member> = ms.iter().collect();
                self.fields(out, &mut Scope::new(), owner, &members, None);
                out.push_str("}\n\n");
            }
        }
    }

    /// Variants of an alternate or simple union (`Name(Type)`).
    fn branch_variants(&self, out: &mut String, owner: &str, ident: &str, branches: &[Branch]) {
        let _ = writeln!(out, "pub enum {ident} {{");
        let mut scope = Scope::new();
        for b in branches {
            let vi = scope.claim(&camel(&b.name));
            self.docs(out, &b.doc);
            Self::cfg(out, &b.cond);
            let q: Vec<String> = Self::variant_name_attr(&vi, &b.name).into_iter().collect();
            Self::qapi_attr(out, &q);
            let _ = writeln!(out, "{vi}({}),", self.rust_ty(Some(owner), &b.ty));
        }
        out.push_str("}\n\n");
    }

    fn union(&self, out: &mut String, u: &'a UnionDef) {
        let name = u.common.name.as_str();
        let ident = &self.idents[name];
        let branch_enum = &self.branch_enums[name];
        let members = self.union_members(u);
        let tag_enum = members
            .iter()
            .find(|m| m.name == u.discriminator)
            .and_then(|m| match &m.ty {
                TypeRef::Named(n) => Some(n.as_str()),
                TypeRef::Array(_) => None,
            });
        let mut q = vec![
            "union".to_owned(),
            format!("discriminator = {}", str_lit(&u.discriminator)),
        ];
        q.extend(Self::name_exception(
            members.iter().map(|m| m.name.as_str()),
            false,
        ));
        self.item_head(
            out,
            &u.common,
            "Debug, Clone, PartialEq",
            q,
            self.name_attr_needed(name),
        );
        let _ = writeln!(out, "pub struct {ident} {{");
        self.fields(
            out,
            &mut Scope::new(),
            name,
            &members,
            Some((&u.discriminator, branch_enum)),
        );
        out.push_str("}\n\n");

        // The branch enum: one variant per tag value.
        let Some(tag) = tag_enum else { return };
        let Some(Definition::Enum(e)) = self.schema.get(tag) else {
            return;
        };
        let tag_ident = &self.idents[tag];
        let vis = &self.variants[tag];
        let _ = writeln!(
            out,
            "/// The branches of [`{ident}`], one per value of [`{tag_ident}`]."
        );
        Self::cfg(out, &u.common.cond);
        let _ = writeln!(
            out,
            "#[derive(Debug, Clone, PartialEq, {}::Qapi)]",
            self.krate()
        );
        let mut q = vec![format!("branches(tag = {tag_ident})")];
        if self.krate() != DEFAULT_CRATE {
            q.push(format!("crate = {}", str_lit(self.krate())));
        }
        Self::qapi_attr(out, &q);
        let _ = writeln!(out, "pub enum {branch_enum} {{");
        let value_ident = |v: &str| {
            e.values
                .iter()
                .position(|x| x.name == v)
                .map(|i| (&e.values[i], vis[i].as_str()))
        };
        for b in &u.branches {
            let Some((v, vi)) = value_ident(&b.name) else {
                continue;
            };
            self.docs(out, &b.doc);
            // Members and alternate branches break every cycle through a
            // union branch, except a union that is its own branch's
            // branch: only such branches are boxed.
            let via_union = matches!(&b.ty, TypeRef::Named(n)
                if matches!(self.schema.get(n), Some(Definition::Union(_))));
            let ty = self.rust_ty(via_union.then_some(name), &b.ty);
            if b.cond == v.cond || b.cond.is_none() {
                Self::cfg(out, &v.cond);
                let _ = writeln!(out, "{vi}({ty}),");
            } else {
                // The branch has a condition of its own: without it, the
                // value has no branch.
                let bc = b.cond.clone().expect("checked");
                let with = match &v.cond {
                    Some(vc) => Cond::All(vec![vc.clone(), bc.clone()]),
                    None => bc.clone(),
                };
                let without = match &v.cond {
                    Some(vc) => Cond::All(vec![vc.clone(), Cond::Not(Box::new(bc))]),
                    None => Cond::Not(Box::new(bc)),
                };
                Self::cfg(out, &Some(with));
                let _ = writeln!(out, "{vi}({ty}),");
                Self::cfg(out, &Some(without));
                let _ = writeln!(out, "{vi},");
            }
        }
        for (v, vi) in e.values.iter().zip(vis) {
            if u.branches.iter().any(|b| b.name == v.name) {
                continue;
            }
            Self::cfg(out, &v.cond);
            let _ = writeln!(out, "{vi},");
        }
        out.push_str("}\n\n");
    }

    // ---- files

    fn header(&self, out: &mut String, what: &str) {
        let main = self
            .loaded
            .modules
            .first()
            .map(String::as_str)
            .unwrap_or("?");
        let _ = writeln!(
            out,
            "//! {what}\n//!\n//! Generated by `qapi import` from `{main}`; do not edit."
        );
    }

    fn module_rs(&self, index: usize) -> String {
        let mut out = String::new();
        let file = &self.loaded.modules[index];
        self.header(&mut out, &format!("Definitions of `{file}`."));
        out.push_str("#[allow(unused_imports)]\nuse super::*;\n\n");
        for (i, d) in self.schema.definitions().iter().enumerate() {
            if self.module_of[i] == index {
                self.definition(&mut out, d);
            }
        }
        out
    }

    fn mod_rs(&self, order: &[String]) -> String {
        let mut out = String::new();
        let cfgs = cfg_names(self.schema);
        self.header(&mut out, "QAPI schema, one module per schema file.");
        if !cfgs.is_empty() {
            out.push_str(
                "//!\n//! Conditions are bare cfg names, set with `--cfg NAME`. The names, \
                 for `unexpected_cfgs`:\n//!\n//! ```toml\n//! [lints.rust]\n\
                 //! unexpected_cfgs = { level = \"warn\", check-cfg = [\n",
            );
            for c in &cfgs {
                let _ = writeln!(out, "//!     \"cfg({c})\",");
            }
            out.push_str("//! ] }\n//! ```\n");
        }
        out.push_str(
            "#![allow(clippy::large_enum_variant, clippy::upper_case_acronyms, \
             clippy::enum_variant_names, clippy::module_inception)]\n\n",
        );
        for m in &self.module_idents {
            let _ = writeln!(out, "pub mod {m};");
        }
        for (i, m) in self.module_idents.iter().enumerate() {
            // Modules without definitions (`pragma.json`) export nothing.
            if self.module_of.contains(&i) {
                let _ = writeln!(out, "pub use {m}::*;");
            }
        }
        let k = self.krate();
        out.push_str("\n/// Registers every command and event, in QEMU's definition order.\n");
        let _ = writeln!(out, "pub fn describe(b: &mut {k}::SchemaBuilder) {{");
        for d in self.schema.definitions() {
            let (tr, f) = match d {
                Definition::Command(_) => ("Command", "describe_command"),
                Definition::Event(_) => ("Event", "describe_event"),
                _ => continue,
            };
            Self::cfg(&mut out, &d.common().cond);
            let _ = writeln!(out, "<{} as {k}::{tr}>::{f}(b);", self.idents[d.name()]);
        }
        out.push_str("}\n\n");
        out.push_str(
            "/// Describes every type of this build, also those no command or event\n\
             /// of this build reaches: QEMU lists types whose only users are\n\
             /// compiled out (introspection with [`TYPE_ORDER`] shows them).\n",
        );
        let _ = writeln!(out, "pub fn describe_types(b: &mut {k}::SchemaBuilder) {{");
        for d in self.schema.definitions() {
            if d.is_entry_point() {
                continue;
            }
            Self::cfg(&mut out, &d.common().cond);
            let _ = writeln!(
                out,
                "let _ = <{} as {k}::Qapi>::describe(b);",
                self.idents[d.name()]
            );
        }
        out.push_str("}\n\n");
        out.push_str(
            "/// The schema of this build: [`describe`] and [`describe_types`] into a\n\
             /// new builder.\n",
        );
        let _ = writeln!(
            out,
            "pub fn schema() -> {k}::schema::Schema {{\n\
             let mut b = {k}::SchemaBuilder::new();\n describe(&mut b);\n \
             describe_types(&mut b);\n b.finish()\n}}\n"
        );
        out.push_str(
            "/// Every type of the full schema (every condition true) in QEMU's\n\
             /// discovery order: pass it as `IntrospectOptions::type_order` to get\n\
             /// QEMU's masked numbers, with their gaps, in any configuration.\n",
        );
        out.push_str("pub const TYPE_ORDER: &[&str] = &[\n");
        for t in order {
            let _ = writeln!(out, "{},", str_lit(t));
        }
        out.push_str("];\n");
        out
    }
}

/// The module (index into `loaded.modules`) of each definition: the
/// longest module name that ends the definition's file name.
fn assign_modules(loaded: &Loaded) -> Vec<usize> {
    loaded
        .schema
        .definitions()
        .iter()
        .map(|d| {
            let Some(src) = &d.common().source else {
                return 0;
            };
            let file = src.file.as_str();
            loaded
                .modules
                .iter()
                .enumerate()
                .filter(|(_, m)| {
                    file == m.as_str()
                        || (file.len() > m.len()
                            && file.ends_with(m.as_str())
                            && file.as_bytes()[file.len() - m.len() - 1] == b'/')
                })
                .max_by_key(|(_, m)| m.len())
                .map(|(i, _)| i)
                .unwrap_or(0)
        })
        .collect()
}

/// Tarjan's algorithm (iterative): the component number of each node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_components() {
        // 0 -> 1 -> 2 -> 0, 3 -> 0, 4 alone with a self loop.
        let comp = tarjan(&[vec![1], vec![2], vec![0], vec![0], vec![4]]);
        assert_eq!(comp[0], comp[1]);
        assert_eq!(comp[1], comp[2]);
        assert_ne!(comp[3], comp[0]);
        assert_ne!(comp[4], comp[0]);
        assert_ne!(comp[4], comp[3]);
    }

    #[test]
    fn conditions_as_cfg() {
        let c = Cond::All(vec![
            Cond::name("CONFIG_A"),
            Cond::Not(Box::new(Cond::Any(vec![Cond::name("B"), Cond::name("C")]))),
        ]);
        assert_eq!(cfg_pred(&c), "all(CONFIG_A, not(any(B, C)))");
    }
}
