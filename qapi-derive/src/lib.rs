//! `#[derive(Qapi)]`: QAPI schema definitions written as Rust types.
//!
//! See the `qapi` crate for the user documentation. This crate parses the
//! item and its `#[qapi(...)]` attributes into an IR ([`ast`]), checks
//! the rules one item can check ([`check`]), and generates the impls
//! ([`expand`]). The generated code reaches the runtime only through
//! `<crate>::__private` (default crate path `::qapi`, overridable with
//! `#[qapi(crate = "...")]`).
#![forbid(unsafe_code)]

mod ast;
mod attr;
mod check;
mod expand;
mod fallback;
mod names;
mod symbol;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives the QAPI impls for a struct, enum, union, alternate, command
/// or event. See the `qapi` crate documentation for the attributes.
#[proc_macro_derive(Qapi, attributes(qapi))]
pub fn derive_qapi(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_derive(&input).into()
}

fn expand_derive(input: &DeriveInput) -> proc_macro2::TokenStream {
    let mut cx = attr::Ctxt::default();
    let item = ast::Item::from_ast(&mut cx, input);
    match (item, cx.check()) {
        (Some(item), Ok(())) => expand::expand(&item),
        (_, Err(e)) => {
            let mut out = e.to_compile_error();
            out.extend(fallback::stub(input));
            out
        }
        (None, Ok(())) => fallback::stub(input),
    }
}
