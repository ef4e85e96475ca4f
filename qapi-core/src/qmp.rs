//! QMP's own commands and types (QEMU's `qapi/control.json` and
//! `qapi/introspect.json`), written with the derive.
//!
//! A [`crate::Registry`] registers the control commands for you
//! ([`crate::Registry::new`]); they appear in introspection where QEMU
//! has them, so a server's `query-qmp-schema` matches QEMU's.

use qapi_derive::Qapi;

/// `qmp_capabilities`: leave capabilities negotiation mode.
#[derive(Clone, Debug, Default, PartialEq, Qapi)]
#[qapi(crate = "crate", command = "qmp_capabilities", allow_preconfig)]
pub struct QmpCapabilities {
    pub enable: Option<Vec<QMPCapability>>,
}

/// Optional QMP capabilities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Qapi)]
#[qapi(crate = "crate", enum)]
pub enum QMPCapability {
    Oob,
}

/// A version as three numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct VersionTriple {
    pub major: i64,
    pub minor: i64,
    pub micro: i64,
}

/// What `query-version` answers (and the greeting's `version`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct VersionInfo {
    pub qemu: VersionTriple,
    pub package: String,
}

/// `query-version`.
#[derive(Clone, Debug, Default, PartialEq, Qapi)]
#[qapi(crate = "crate", command = "query-version", returns = VersionInfo, allow_preconfig)]
pub struct QueryVersion {}

/// One entry of `query-commands`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct CommandInfo {
    pub name: String,
}

/// `query-commands`.
#[derive(Clone, Debug, Default, PartialEq, Qapi)]
#[qapi(crate = "crate", command = "query-commands", returns = Vec<CommandInfo>, allow_preconfig)]
pub struct QueryCommands {}

/// `quit`.
#[derive(Clone, Debug, Default, PartialEq, Qapi)]
#[qapi(crate = "crate", command = "quit", allow_preconfig)]
pub struct Quit {}

/// `query-qmp-schema`.
#[derive(Clone, Debug, Default, PartialEq, Qapi)]
#[qapi(crate = "crate", command = "query-qmp-schema", returns = Vec<SchemaInfo>, allow_preconfig)]
pub struct QueryQmpSchema {}

/// The meta-type of an introspection entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Qapi)]
#[qapi(crate = "crate", enum)]
pub enum SchemaMetaType {
    Builtin,
    Enum,
    Array,
    Object,
    Alternate,
    Command,
    Event,
}

/// One entry of `query-qmp-schema`.
#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", union, discriminator = "meta-type")]
pub struct SchemaInfo {
    pub name: String,
    pub meta_type: SchemaInfoBranch,
    pub features: Option<Vec<String>>,
}

/// The meta-type specific part of a [`SchemaInfo`].
#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", branches(tag = SchemaMetaType))]
pub enum SchemaInfoBranch {
    Builtin(SchemaInfoBuiltin),
    Enum(SchemaInfoEnum),
    Array(SchemaInfoArray),
    Object(SchemaInfoObject),
    Alternate(SchemaInfoAlternate),
    Command(SchemaInfoCommand),
    Event(SchemaInfoEvent),
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoBuiltin {
    pub json_type: JSONType,
}

/// The JSON type of a built-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Qapi)]
#[qapi(crate = "crate", enum)]
pub enum JSONType {
    String,
    Number,
    Int,
    Boolean,
    Null,
    Object,
    Array,
    Value,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoEnum {
    pub members: Vec<SchemaInfoEnumMember>,
    #[qapi(feature = "deprecated")]
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoEnumMember {
    pub name: String,
    pub features: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoArray {
    pub element_type: String,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoObject {
    pub members: Vec<SchemaInfoObjectMember>,
    pub tag: Option<String>,
    pub variants: Option<Vec<SchemaInfoObjectVariant>>,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoObjectMember {
    pub name: String,
    pub r#type: String,
    pub default: Option<serde_json::Value>,
    pub features: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoObjectVariant {
    pub case: String,
    pub r#type: String,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoAlternate {
    pub members: Vec<SchemaInfoAlternateMember>,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoAlternateMember {
    pub r#type: String,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoCommand {
    pub arg_type: String,
    pub ret_type: String,
    pub allow_oob: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct SchemaInfoEvent {
    pub arg_type: String,
}
