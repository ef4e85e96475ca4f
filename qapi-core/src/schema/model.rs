//! The schema model: one description of a QAPI schema, built either from
//! derived Rust types (through [`crate::Qapi::describe`]) or from parsed
//! `.json` schema files (crate `qapi-schema`).
//!
//! The model holds *user-level* definitions, as written in a schema:
//! implicit types (`q_empty`, `q_obj_<cmd>-arg`, simple-union kind
//! enums and wrappers, array types) are not stored; the introspection
//! emitter derives them exactly as QEMU's generator does.
//!
//! Type references are by name. Built-in types use their QAPI names
//! (`str`, `int`, `int8` … `uint64`, `size`, `number`, `bool`, `null`,
//! `any`, and the predefined enum `QType`).

use super::cond::Cond;

/// A feature attached to a definition, member, enum value or branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feature {
    pub name: String,
    pub cond: Option<Cond>,
}

impl Feature {
    pub fn new(name: impl Into<String>) -> Feature {
        Feature {
            name: name.into(),
            cond: None,
        }
    }

    /// `deprecated` and `unstable` are the features QEMU's compat policy
    /// acts on.
    pub fn special(&self) -> Option<SpecialFeature> {
        match self.name.as_str() {
            "deprecated" => Some(SpecialFeature::Deprecated),
            "unstable" => Some(SpecialFeature::Unstable),
            _ => None,
        }
    }
}

/// The two features with built-in meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpecialFeature {
    Deprecated,
    Unstable,
}

/// A reference to a type: a named type (including built-ins) or an array.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Named(String),
    Array(Box<TypeRef>),
}

impl TypeRef {
    pub fn named(name: impl Into<String>) -> TypeRef {
        TypeRef::Named(name.into())
    }

    pub fn array(elem: TypeRef) -> TypeRef {
        TypeRef::Array(Box::new(elem))
    }

    /// The name as QAPI's `.json` syntax would write it: `T` or `['T']`
    /// is rendered as `T` / `[T]`.
    pub fn display_name(&self) -> String {
        match self {
            TypeRef::Named(n) => n.clone(),
            TypeRef::Array(e) => format!("[{}]", e.display_name()),
        }
    }
}

/// Documentation kept from doc comments or `##` blocks. The model keeps
/// it verbatim; introspection never shows it.
pub type Doc = Option<String>;

/// A member of a struct, union base, command or event argument list.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The QAPI (wire) name, e.g. `node-name`.
    pub name: String,
    pub ty: TypeRef,
    pub optional: bool,
    pub features: Vec<Feature>,
    pub cond: Option<Cond>,
    pub doc: Doc,
}

impl Member {
    pub fn new(name: impl Into<String>, ty: TypeRef, optional: bool) -> Member {
        Member {
            name: name.into(),
            ty,
            optional,
            features: Vec::new(),
            cond: None,
            doc: None,
        }
    }
}

/// An enum value.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    pub name: String,
    pub features: Vec<Feature>,
    pub cond: Option<Cond>,
    pub doc: Doc,
}

impl EnumValue {
    pub fn new(name: impl Into<String>) -> EnumValue {
        EnumValue {
            name: name.into(),
            features: Vec::new(),
            cond: None,
            doc: None,
        }
    }
}

/// A union branch (flat or simple) or an alternate branch.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// For a flat union: the discriminator enum value. For a simple union:
    /// the branch name (a value of the implicit kind enum). For an
    /// alternate: the branch name (not shown by introspection).
    pub name: String,
    /// Flat-union branches name an object type; simple-union and
    /// alternate branches may also be arrays (`['int']`).
    pub ty: TypeRef,
    pub cond: Option<Cond>,
    pub doc: Doc,
}

impl Branch {
    pub fn new(name: impl Into<String>, ty: TypeRef) -> Branch {
        Branch {
            name: name.into(),
            ty,
            cond: None,
            doc: None,
        }
    }
}

/// Attributes shared by every definition.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Common {
    pub name: String,
    pub features: Vec<Feature>,
    pub cond: Option<Cond>,
    pub doc: Doc,
    /// Where the definition came from (`.json` file and line), if known.
    /// Used only for messages.
    pub source: Option<SourceInfo>,
}

impl Common {
    pub fn new(name: impl Into<String>) -> Common {
        Common {
            name: name.into(),
            ..Common::default()
        }
    }
}

/// A location in a `.json` schema file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceInfo {
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    pub common: Common,
    pub values: Vec<EnumValue>,
    /// QAPI `prefix` (only affects C names; kept for export).
    pub prefix: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    pub common: Common,
    /// Name of the base struct, whose members come first.
    pub base: Option<String>,
    /// The struct's own members (base members not included).
    pub members: Vec<Member>,
}

/// The base of a flat union.
#[derive(Clone, Debug, PartialEq)]
pub enum UnionBase {
    /// `'base': 'TypeName'`.
    Named(String),
    /// `'base': { … }`: an implicit struct `q_obj_<Union>-base`.
    Inline(Vec<Member>),
}

/// A flat union (`'union'` with `'base'` and `'discriminator'`).
#[derive(Clone, Debug, PartialEq)]
pub struct UnionDef {
    pub common: Common,
    pub base: UnionBase,
    /// Name of the discriminator member (an enum-typed base member).
    pub discriminator: String,
    /// Branches as listed in the schema (`data`), in order. Enum values
    /// without a listed branch are *not* stored here; introspection adds
    /// them as empty branches after these.
    pub branches: Vec<Branch>,
}

/// A simple (legacy) union, as QEMU had until 6.1:
/// `{"type": <kind>, "data": <branch value>}` on the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct SimpleUnionDef {
    pub common: Common,
    pub branches: Vec<Branch>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AlternateDef {
    pub common: Common,
    pub branches: Vec<Branch>,
}

/// Where a command's or event's arguments come from.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgsDef {
    /// No `data`, or an empty inline object: introspection uses `q_empty`.
    None,
    /// `'data': { … }` with at least one member: introspection uses the
    /// implicit `q_obj_<name>-arg`.
    Inline(Vec<Member>),
    /// `'data': 'TypeName'` (with or without `boxed`).
    Named(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CommandDef {
    pub common: Common,
    pub args: ArgsDef,
    pub returns: Option<TypeRef>,
    pub boxed: bool,
    /// `false` when the schema says `'success-response': false`.
    pub success_response: bool,
    pub allow_oob: bool,
    pub allow_preconfig: bool,
    pub coroutine: bool,
    /// `false` when the schema says `'gen': false`.
    pub generate: bool,
}

impl CommandDef {
    pub fn new(name: impl Into<String>) -> CommandDef {
        CommandDef {
            common: Common::new(name),
            args: ArgsDef::None,
            returns: None,
            boxed: false,
            success_response: true,
            allow_oob: false,
            allow_preconfig: false,
            coroutine: false,
            generate: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventDef {
    pub common: Common,
    pub args: ArgsDef,
    pub boxed: bool,
}

impl EventDef {
    pub fn new(name: impl Into<String>) -> EventDef {
        EventDef {
            common: Common::new(name),
            args: ArgsDef::None,
            boxed: false,
        }
    }
}

/// One definition of a schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Definition {
    Enum(EnumDef),
    Struct(StructDef),
    Union(UnionDef),
    SimpleUnion(SimpleUnionDef),
    Alternate(AlternateDef),
    Command(CommandDef),
    Event(EventDef),
}

impl Definition {
    pub fn common(&self) -> &Common {
        match self {
            Definition::Enum(d) => &d.common,
            Definition::Struct(d) => &d.common,
            Definition::Union(d) => &d.common,
            Definition::SimpleUnion(d) => &d.common,
            Definition::Alternate(d) => &d.common,
            Definition::Command(d) => &d.common,
            Definition::Event(d) => &d.common,
        }
    }

    pub fn common_mut(&mut self) -> &mut Common {
        match self {
            Definition::Enum(d) => &mut d.common,
            Definition::Struct(d) => &mut d.common,
            Definition::Union(d) => &mut d.common,
            Definition::SimpleUnion(d) => &mut d.common,
            Definition::Alternate(d) => &mut d.common,
            Definition::Command(d) => &mut d.common,
            Definition::Event(d) => &mut d.common,
        }
    }

    pub fn name(&self) -> &str {
        &self.common().name
    }

    /// `true` for commands and events (the entities introspection lists
    /// first, in definition order).
    pub fn is_entry_point(&self) -> bool {
        matches!(self, Definition::Command(_) | Definition::Event(_))
    }

    /// The QAPI meta-type word (`enum`, `struct`, `union`, `alternate`,
    /// `command`, `event`) as used in schema syntax and messages.
    pub fn meta(&self) -> &'static str {
        match self {
            Definition::Enum(_) => "enum",
            Definition::Struct(_) => "struct",
            Definition::Union(_) | Definition::SimpleUnion(_) => "union",
            Definition::Alternate(_) => "alternate",
            Definition::Command(_) => "command",
            Definition::Event(_) => "event",
        }
    }
}

/// A whole schema: definitions in definition order.
///
/// Definition order matters for commands and events (introspection lists
/// them in this order, and QEMU registers commands in it). Types may
/// appear anywhere; introspection orders them by first use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    definitions: Vec<Definition>,
    index: std::collections::HashMap<String, usize>,
}

impl Schema {
    pub fn new() -> Schema {
        Schema::default()
    }

    /// Adds a definition. Returns `false` (and leaves the schema
    /// unchanged) if a definition of that name exists already.
    pub fn insert(&mut self, def: Definition) -> bool {
        let name = def.name().to_owned();
        if self.index.contains_key(&name) {
            return false;
        }
        self.index.insert(name, self.definitions.len());
        self.definitions.push(def);
        true
    }

    pub fn get(&self, name: &str) -> Option<&Definition> {
        self.index.get(name).map(|&i| &self.definitions[i])
    }

    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    pub fn definitions(&self) -> &[Definition] {
        &self.definitions
    }

    pub fn len(&self) -> usize {
        self.definitions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.definitions.is_empty()
    }

    pub fn commands(&self) -> impl Iterator<Item = &CommandDef> {
        self.definitions.iter().filter_map(|d| match d {
            Definition::Command(c) => Some(c),
            _ => None,
        })
    }

    pub fn events(&self) -> impl Iterator<Item = &EventDef> {
        self.definitions.iter().filter_map(|d| match d {
            Definition::Event(e) => Some(e),
            _ => None,
        })
    }
}

/// Names of the built-in types and their JSON types, in QEMU's order.
pub const BUILTINS: &[(&str, BuiltinJson)] = &[
    ("str", BuiltinJson::String),
    ("number", BuiltinJson::Number),
    ("int", BuiltinJson::Int),
    ("int8", BuiltinJson::Int),
    ("int16", BuiltinJson::Int),
    ("int32", BuiltinJson::Int),
    ("int64", BuiltinJson::Int),
    ("uint8", BuiltinJson::Int),
    ("uint16", BuiltinJson::Int),
    ("uint32", BuiltinJson::Int),
    ("uint64", BuiltinJson::Int),
    ("size", BuiltinJson::Int),
    ("bool", BuiltinJson::Boolean),
    ("any", BuiltinJson::Value),
    ("null", BuiltinJson::Null),
];

/// The JSON type of a built-in, as introspection's `json-type` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinJson {
    String,
    Number,
    Int,
    Boolean,
    Null,
    /// `any`: introspection says `value`.
    Value,
}

impl BuiltinJson {
    /// The `json-type` word of introspection.
    pub fn word(self) -> &'static str {
        match self {
            BuiltinJson::String => "string",
            BuiltinJson::Number => "number",
            BuiltinJson::Int => "int",
            BuiltinJson::Boolean => "boolean",
            BuiltinJson::Null => "null",
            BuiltinJson::Value => "value",
        }
    }
}

/// Looks up a built-in type by name.
pub fn builtin(name: &str) -> Option<BuiltinJson> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, j)| *j)
}

/// The values of the predefined enum `QType`, in order.
pub const QTYPE_VALUES: &[&str] = &[
    "none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool",
];
