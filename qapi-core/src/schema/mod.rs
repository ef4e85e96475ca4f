//! The schema model shared by the derive path and the `.json` reader,
//! and the introspection emitter built on it.

pub mod cond;
pub mod model;

pub use cond::{Cond, CondSet};
pub use model::*;
