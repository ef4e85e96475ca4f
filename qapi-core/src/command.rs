//! Commands and events as Rust types.
//!
//! `#[derive(Qapi)]` with `#[qapi(command = "name")]` on a struct makes
//! the struct the command's arguments and implements [`Command`];
//! `#[qapi(event = "NAME")]` implements [`Event`].

use crate::decode::Decoder;
use crate::describe::SchemaBuilder;
use crate::error::Result;
use crate::schema::TypeRef;
use crate::traits::{Kind, Qapi};
use crate::value::{Map, Value};

/// How a command behaves on the wire, from its schema options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandInfo {
    pub name: &'static str,
    /// `false` for `'success-response': false`: no reply on success.
    pub success_response: bool,
    pub allow_oob: bool,
    pub allow_preconfig: bool,
    pub coroutine: bool,
    /// `false` for `'gen': false`: the handler takes the raw arguments.
    pub generate: bool,
    pub boxed: bool,
    /// Mask of the command's special features ([`crate::policy::DEPRECATED`],
    /// [`crate::policy::UNSTABLE`]).
    pub special_features: u8,
}

/// A QMP command: the implementing type holds its arguments.
pub trait Command: serde::Serialize + Sized + Send + 'static {
    /// The command's wire name.
    const NAME: &'static str;
    /// Its options.
    const INFO: CommandInfo;
    /// What a successful call returns ([`Empty`] when the schema has no
    /// `returns`: the reply is `{"return": {}}`).
    type Returns: Qapi + Send + 'static;

    /// Adds the command (and the types it uses) to the schema.
    fn describe_command(s: &mut SchemaBuilder);

    /// Decodes the arguments object (empty when the request had no
    /// `arguments`) with QEMU's rules.
    fn decode_args(args: Map, d: &mut Decoder) -> Result<Self>;
}

/// A QMP event: the implementing type holds its data.
pub trait Event: serde::Serialize + Sized + Send + 'static {
    /// The event's wire name.
    const NAME: &'static str;
    /// Mask of the event's special features.
    const SPECIAL_FEATURES: u8;

    /// Adds the event (and the types it uses) to the schema.
    fn describe_event(s: &mut SchemaBuilder);

    /// Decodes the event's `data` (empty when absent).
    fn decode_data(data: Map, d: &mut Decoder) -> Result<Self>;
}

/// The empty object `{}`: what a command without `returns` answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Empty;

impl serde::Serialize for Empty {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        s.serialize_map(Some(0))?.end()
    }
}

impl<'de> serde::Deserialize<'de> for Empty {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Empty, D::Error> {
        crate::__private::deserialize(d)
    }
}

impl Qapi for Empty {
    const KIND: Kind = Kind::Object;
    const DEEP_CHECKS: bool = false;
    /// QEMU's predefined empty object type.
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("q_empty")
    }
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        d.whole_object(v)
    }
}

impl crate::QapiObject for Empty {
    fn decode_members(_: &mut crate::ObjectInput, _: &mut Decoder) -> Result<Self> {
        Ok(Empty)
    }
    fn serialize_members<M: serde::ser::SerializeMap>(&self, _: &mut M) -> Result<(), M::Error> {
        Ok(())
    }
}
