//! The schema model shared by the derive path and the `.json` reader,
//! and the introspection emitter built on it.

pub mod cond;
pub mod introspect;
pub mod model;
pub mod profiles;

pub use cond::{Cond, CondSet};
pub use introspect::{Era, IntrospectOptions, Introspection, introspect};
pub use model::*;
