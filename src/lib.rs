#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub use qapi_core::*;
pub use qapi_derive::{Qapi, cond};
