//! Attribute names, in one place.

pub const QAPI: &str = "qapi";

pub const STRUCT: &str = "struct";
pub const ENUM: &str = "enum";
pub const UNION: &str = "union";
pub const SIMPLE_UNION: &str = "simple_union";
pub const ALTERNATE: &str = "alternate";
pub const BRANCHES: &str = "branches";
pub const COMMAND: &str = "command";
pub const EVENT: &str = "event";

pub const NAME: &str = "name";
pub const FEATURE: &str = "feature";
pub const PREFIX: &str = "prefix";
pub const DISCRIMINATOR: &str = "discriminator";
pub const TAG: &str = "tag";
pub const CRATE: &str = "crate";
pub const RETURNS: &str = "returns";
pub const BOXED: &str = "boxed";
pub const SUCCESS_RESPONSE: &str = "success_response";
pub const ALLOW_OOB: &str = "allow_oob";
pub const ALLOW_PRECONFIG: &str = "allow_preconfig";
pub const COROUTINE: &str = "coroutine";
pub const GEN: &str = "gen";
pub const RETURNS_EXCEPTION: &str = "returns_exception";
pub const NAME_EXCEPTION: &str = "name_exception";
pub const COND: &str = "cond";
pub const BASE: &str = "base";

pub const CONTAINER_KEYS: &[&str] = &[
    STRUCT,
    ENUM,
    UNION,
    SIMPLE_UNION,
    ALTERNATE,
    BRANCHES,
    COMMAND,
    EVENT,
    NAME,
    FEATURE,
    PREFIX,
    DISCRIMINATOR,
    CRATE,
    RETURNS,
    BOXED,
    SUCCESS_RESPONSE,
    ALLOW_OOB,
    ALLOW_PRECONFIG,
    COROUTINE,
    GEN,
    RETURNS_EXCEPTION,
    NAME_EXCEPTION,
    COND,
];

pub const FIELD_KEYS: &[&str] = &[NAME, FEATURE, BASE];
pub const VARIANT_KEYS: &[&str] = &[NAME, FEATURE];
