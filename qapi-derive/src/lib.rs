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
use quote::quote;
use syn::{DeriveInput, parse_macro_input};

/// Derives the QAPI impls for a struct, enum, union, alternate, command
/// or event. See the `qapi` crate documentation for the attributes.
///
/// A definition that breaks one of QEMU's schema rules does not compile;
/// the error says what QEMU's generator would say (`DIAGNOSTICS.md` in
/// this crate lists them). QEMU's exceptions are attributes:
/// `#[qapi(returns_exception)]` (pragma `command-returns-exceptions`) and
/// `#[qapi(name_exception)]` (`member-name-exceptions` on a struct, union
/// or enum, `command-name-exceptions` on a command; on a command or event
/// also arguments with upper case or `_`, as schemas before QEMU 6.0 had).
#[proc_macro_derive(Qapi, attributes(qapi))]
pub fn derive_qapi(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_derive(&input).into()
}

fn expand_derive(input: &DeriveInput) -> proc_macro2::TokenStream {
    let mut cx = attr::Ctxt::default();
    let attrs = attr::container(&mut cx, &input.attrs);
    let item = ast::Item::from_ast(&mut cx, input, &attrs);
    match (item, cx.check()) {
        (Some(item), Ok(())) => expand::expand(&item),
        (_, Err(e)) => {
            let mut out = e.to_compile_error();
            if !cx.no_stub {
                out.extend(fallback::stub(input, &attrs));
            }
            out
        }
        (None, Ok(())) => fallback::stub(input, &attrs),
    }
}

/// `#[qapi::cond(PRED)]`: `#[cfg(PRED)]` for a `#[derive(Qapi)]` item that
/// the derive records as the item's QAPI `if` condition (rustc removes an
/// item's own `#[cfg]` before any derive sees it).
///
/// ```ignore
/// #[qapi::cond(CONFIG_BLOCK)]
/// #[derive(Qapi)]
/// #[qapi(command = "block-resize")]
/// pub struct BlockResize { pub size: i64 }
/// ```
#[proc_macro_attribute]
pub fn cond(args: TokenStream, item: TokenStream) -> TokenStream {
    let pred = proc_macro2::TokenStream::from(args);
    let mut input = parse_macro_input!(item as DeriveInput);
    // Written before `#[derive(Qapi)]`, this runs first: hand the
    // condition to the derive in its helper attribute, placed after the
    // derive that declares it. Written after, the derive has run and
    // already saw this attribute.
    if input.attrs.iter().any(|a| a.path().is_ident("derive")) {
        input.attrs.push(syn::parse_quote!(#[qapi(cond(#pred))]));
    }
    quote!(#[cfg(#pred)] #input).into()
}
