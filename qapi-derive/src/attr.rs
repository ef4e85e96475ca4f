//! Parsing `#[qapi(...)]` attributes, `#[cfg]` and doc comments.
//!
//! Every problem is collected in a [`Ctxt`] so that all of them are
//! reported at once, each on the offending tokens.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Attribute, LitStr, Token};

use crate::symbol::*;

/// Error collector.
#[derive(Default)]
pub struct Ctxt {
    errors: Vec<syn::Error>,
    /// Stub impls would only add follow-on errors (a type that contains
    /// itself).
    pub no_stub: bool,
}

impl Ctxt {
    pub fn error(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, msg));
    }

    pub fn error_spanned(&mut self, tokens: impl ToTokens, msg: impl std::fmt::Display) {
        self.errors.push(syn::Error::new_spanned(tokens, msg));
    }

    pub fn push(&mut self, e: syn::Error) {
        self.errors.push(e);
    }

    /// All errors combined into one, or `Ok` if there were none.
    pub fn check(&mut self) -> syn::Result<()> {
        let errors = std::mem::take(&mut self.errors);
        let mut it = errors.into_iter();
        match it.next() {
            None => Ok(()),
            Some(mut first) => {
                for e in it {
                    first.combine(e);
                }
                Err(first)
            }
        }
    }
}

/// A value with the span it was written at.
#[derive(Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A feature: `feature = "name"` or `feature("name", cfg(pred))`.
#[derive(Clone)]
pub struct FeatureAttr {
    pub name: String,
    pub span: Span,
    /// A cfg predicate that controls whether the feature is present.
    pub cfg: Option<TokenStream>,
}

/// Options that may appear on the type.
#[derive(Default)]
pub struct ContainerAttrs {
    pub meta: Option<Spanned<MetaKind>>,
    /// The command's or event's name was not a string (already reported).
    pub meta_name_bad: bool,
    pub name: Option<Spanned<String>>,
    /// `name = <not a string>`, reported once the meta-type is known.
    pub name_bad: Option<Span>,
    pub features: Vec<FeatureAttr>,
    pub prefix: Option<Spanned<String>>,
    pub discriminator: Option<Spanned<String>>,
    /// `discriminator = <not a string>` (already reported).
    pub discriminator_bad: bool,
    pub tag: Option<syn::Path>,
    pub krate: Option<syn::Path>,
    pub returns: Option<syn::Type>,
    pub boxed: Option<Span>,
    /// `success_response = false`.
    pub success_response: Option<Span>,
    pub allow_oob: Option<Span>,
    pub allow_preconfig: Option<Span>,
    pub coroutine: Option<Span>,
    /// `gen = false`.
    pub generate: Option<Span>,
    pub returns_exception: Option<Span>,
    /// QEMU's pragmas `member-name-exceptions` (on a struct, union or
    /// enum) and `command-name-exceptions` (on a command).
    pub name_exception: Option<Span>,
    /// `cond(PRED)`: the item's own condition (its `#[cfg]` is gone by
    /// the time the derive runs), written by `#[qapi::cond(PRED)]`.
    pub cond: Vec<TokenStream>,
}

/// The QAPI meta-type selected for the item.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum MetaKind {
    Struct,
    Enum,
    Union,
    SimpleUnion,
    Alternate,
    Branches,
    Command(String),
    Event(String),
}

impl MetaKind {
    pub fn word(&self) -> &'static str {
        match self {
            MetaKind::Struct => STRUCT,
            MetaKind::Enum => ENUM,
            MetaKind::Union => UNION,
            MetaKind::SimpleUnion => SIMPLE_UNION,
            MetaKind::Alternate => ALTERNATE,
            MetaKind::Branches => BRANCHES,
            MetaKind::Command(_) => COMMAND,
            MetaKind::Event(_) => EVENT,
        }
    }
}

/// Options that may appear on a field.
#[derive(Default)]
pub struct FieldAttrs {
    pub name: Option<Spanned<String>>,
    pub features: Vec<FeatureAttr>,
    pub base: Option<Span>,
}

/// Options that may appear on a variant.
#[derive(Default)]
pub struct VariantAttrs {
    pub name: Option<Spanned<String>>,
    pub features: Vec<FeatureAttr>,
}

/// Suggests the closest known key.
fn did_you_mean(unknown: &str, known: &[&str]) -> String {
    let best = known
        .iter()
        .map(|k| (levenshtein(unknown, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min();
    match best {
        Some((_, k)) => format!("; did you mean `{k}`?"),
        None => format!("; expected one of: {}", known.join(", ")),
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn key_of(meta: &ParseNestedMeta) -> String {
    meta.path.to_token_stream().to_string().replace(' ', "")
}

fn unknown_key(cx: &mut Ctxt, meta: &ParseNestedMeta, known: &[&str]) -> syn::Result<()> {
    let key = key_of(meta);
    cx.error_spanned(
        &meta.path,
        format!(
            "unknown qapi attribute `{key}`{}",
            did_you_mean(&key, known)
        ),
    );
    skip_value(meta)
}

/// Skips the value of a key, if any, so that parsing continues.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _: Token![=] = meta.input.parse()?;
        let _: syn::Expr = meta.input.parse().or_else(|_| {
            meta.input
                .parse::<syn::Type>()
                .map(|t| syn::Expr::Verbatim(t.into_token_stream()))
        })?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
        let _: TokenStream = _content.parse()?;
    }
    Ok(())
}

fn set_once<T>(cx: &mut Ctxt, slot: &mut Option<T>, value: T, meta: &ParseNestedMeta) {
    if slot.is_some() {
        cx.error_spanned(
            &meta.path,
            format!("duplicate qapi attribute `{}`", key_of(meta)),
        );
    } else {
        *slot = Some(value);
    }
}

/// `path` or `"path"`.
fn path_value(meta: &ParseNestedMeta) -> syn::Result<syn::Path> {
    let input = meta.value()?;
    if input.peek(LitStr) {
        let s: LitStr = input.parse()?;
        s.parse()
    } else {
        input.parse()
    }
}

/// `= <expression>`: a string literal, or the span of what was written
/// instead (the key's span when there is no value).
fn string_value(meta: &ParseNestedMeta) -> syn::Result<Result<Spanned<String>, Span>> {
    if !meta.input.peek(Token![=]) {
        return Ok(Err(meta.path.span()));
    }
    let expr: syn::Expr = meta.value()?.parse()?;
    Ok(match &expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(Spanned {
            value: s.value(),
            span: s.span(),
        }),
        other => Err(other.span()),
    })
}

/// A string value, or the error `msg` on what was written instead.
fn string_or(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    msg: &str,
) -> syn::Result<Option<Spanned<String>>> {
    Ok(match string_value(meta)? {
        Ok(s) => Some(s),
        Err(span) => {
            cx.error(span, msg);
            None
        }
    })
}

/// A flag QEMU allows only as `true` (`boxed`, `allow-oob`, …): the bare
/// word, or `= true`.
fn flag_true(cx: &mut Ctxt, meta: &ParseNestedMeta, qemu: &str) -> syn::Result<Option<Span>> {
    flag(cx, meta, qemu, true)
}

/// A flag QEMU allows only as `false` (`gen`, `success-response`).
fn flag_false(cx: &mut Ctxt, meta: &ParseNestedMeta, qemu: &str) -> syn::Result<Option<Span>> {
    flag(cx, meta, qemu, false)
}

fn flag(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    qemu: &str,
    only: bool,
) -> syn::Result<Option<Span>> {
    let (value, span) = if meta.input.peek(Token![=]) {
        let expr: syn::Expr = meta.value()?.parse()?;
        match &expr {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Bool(b),
                ..
            }) => (Some(b.value), b.span()),
            other => (None, other.span()),
        }
    } else {
        (Some(true), meta.path.span())
    };
    if value == Some(only) {
        Ok(Some(span))
    } else {
        cx.error(span, format!("flag '{qemu}' may only use {only} value"));
        Ok(None)
    }
}

/// `feature = "name"` or `feature("name", cfg(pred))`.
fn feature(cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<FeatureAttr>> {
    const NO_NAME: &str = "'features' member requires a string name";
    if !meta.input.peek(syn::token::Paren) {
        return Ok(string_or(cx, meta, NO_NAME)?.map(|s| FeatureAttr {
            name: s.value,
            span: s.span,
            cfg: None,
        }));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    // A literal first (the name, or something that is not one), then
    // `cfg(...)`.
    let items = syn::punctuated::Punctuated::<syn::Meta, Token![,]>::parse_terminated_with(
        &content,
        |input| {
            if input.peek(syn::Lit) {
                let lit: syn::Lit = input.parse()?;
                Ok(syn::Meta::NameValue(syn::MetaNameValue {
                    path: syn::Ident::new("name", lit.span()).into(),
                    eq_token: Token![=](lit.span()),
                    value: syn::Expr::Lit(syn::ExprLit {
                        attrs: Vec::new(),
                        lit,
                    }),
                }))
            } else {
                input.parse()
            }
        },
    )?;
    let mut name: Option<LitStr> = None;
    let mut cfg = None;
    for (i, item) in items.iter().enumerate() {
        match item {
            syn::Meta::NameValue(nv) if i == 0 && nv.path.is_ident("name") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => name = Some(s.clone()),
                other => {
                    cx.error_spanned(other, NO_NAME);
                    return Ok(None);
                }
            },
            other if i == 0 => {
                let what = other
                    .path()
                    .get_ident()
                    .map(|i| i.to_string())
                    .unwrap_or_default();
                if what == "cfg" {
                    cx.error_spanned(
                        other,
                        "'features' member misses key 'name': write `feature(\"name\", cfg(...))`",
                    );
                } else {
                    cx.error_spanned(other, NO_NAME);
                }
                return Ok(None);
            }
            syn::Meta::List(l) if l.path.is_ident("cfg") && cfg.is_none() => {
                cfg = Some(l.tokens.clone())
            }
            other => {
                let key = other.path().to_token_stream().to_string().replace(' ', "");
                cx.error_spanned(
                    other,
                    format!(
                        "'features' member has unknown key '{key}'; expected a name and `cfg(...)`"
                    ),
                );
            }
        }
    }
    Ok(match name {
        Some(n) => Some(FeatureAttr {
            name: n.value(),
            span: n.span(),
            cfg,
        }),
        None => {
            cx.error(content.span(), NO_NAME);
            None
        }
    })
}

fn set_meta(cx: &mut Ctxt, c: &mut ContainerAttrs, kind: MetaKind, span: Span) {
    if let Some(prev) = &c.meta {
        cx.error(
            span,
            format!(
                "`{}` and `{}` cannot be used together",
                prev.value.word(),
                kind.word()
            ),
        );
    } else {
        c.meta = Some(Spanned { value: kind, span });
    }
}

/// Parses every `#[qapi(...)]` on the item.
pub fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
    let mut c = ContainerAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(QAPI)) {
        let r = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            let span = meta.path.span();
            match key.as_str() {
                STRUCT => set_meta(cx, &mut c, MetaKind::Struct, span),
                ENUM => set_meta(cx, &mut c, MetaKind::Enum, span),
                UNION => set_meta(cx, &mut c, MetaKind::Union, span),
                SIMPLE_UNION => set_meta(cx, &mut c, MetaKind::SimpleUnion, span),
                ALTERNATE => set_meta(cx, &mut c, MetaKind::Alternate, span),
                BRANCHES => {
                    set_meta(cx, &mut c, MetaKind::Branches, span);
                    meta.parse_nested_meta(|inner| {
                        if inner.path.is_ident(TAG) {
                            let p = path_value(&inner)?;
                            set_once(cx, &mut c.tag, p, &inner);
                            Ok(())
                        } else {
                            unknown_key(cx, &inner, &[TAG])
                        }
                    })?;
                }
                COMMAND | EVENT => {
                    let name = match string_value(&meta)? {
                        Ok(s) => s.value,
                        Err(span) => {
                            cx.error(span, format!("'{key}' requires a string name"));
                            c.meta_name_bad = true;
                            String::new()
                        }
                    };
                    let kind = if key == COMMAND { MetaKind::Command(name) } else { MetaKind::Event(name) };
                    set_meta(cx, &mut c, kind, span);
                }
                NAME => match string_value(&meta)? {
                    Ok(s) => set_once(cx, &mut c.name, s, &meta),
                    Err(span) => c.name_bad = Some(span),
                },
                FEATURE => c.features.extend(feature(cx, &meta)?),
                PREFIX => {
                    if let Some(s) = string_or(cx, &meta, "'prefix' must be a string")? {
                        set_once(cx, &mut c.prefix, s, &meta);
                    }
                }
                DISCRIMINATOR => match string_or(cx, &meta, "'discriminator' requires a string name")? {
                    Some(s) => set_once(cx, &mut c.discriminator, s, &meta),
                    None => c.discriminator_bad = true,
                },
                CRATE => {
                    let p = path_value(&meta)?;
                    set_once(cx, &mut c.krate, p, &meta);
                }
                RETURNS => {
                    let input = meta.value()?;
                    let ty: syn::Type = if input.peek(LitStr) {
                        input.parse::<LitStr>()?.parse()?
                    } else {
                        input.parse()?
                    };
                    set_once(cx, &mut c.returns, ty, &meta);
                }
                BOXED => {
                    if let Some(s) = flag_true(cx, &meta, "boxed")? {
                        set_once(cx, &mut c.boxed, s, &meta);
                    }
                }
                SUCCESS_RESPONSE => {
                    if let Some(s) = flag_false(cx, &meta, "success-response")? {
                        set_once(cx, &mut c.success_response, s, &meta);
                    }
                }
                ALLOW_OOB => {
                    if let Some(s) = flag_true(cx, &meta, "allow-oob")? {
                        set_once(cx, &mut c.allow_oob, s, &meta);
                    }
                }
                ALLOW_PRECONFIG => {
                    if let Some(s) = flag_true(cx, &meta, "allow-preconfig")? {
                        set_once(cx, &mut c.allow_preconfig, s, &meta);
                    }
                }
                COROUTINE => {
                    if let Some(s) = flag_true(cx, &meta, "coroutine")? {
                        set_once(cx, &mut c.coroutine, s, &meta);
                    }
                }
                GEN => {
                    if let Some(s) = flag_false(cx, &meta, "gen")? {
                        set_once(cx, &mut c.generate, s, &meta);
                    }
                }
                RETURNS_EXCEPTION => set_once(cx, &mut c.returns_exception, span, &meta),
                NAME_EXCEPTION => set_once(cx, &mut c.name_exception, span, &meta),
                COND => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    c.cond.push(content.parse()?);
                }
                BASE => {
                    cx.error(span, "`base` marks a struct's base field: `#[qapi(base)] base: Base`; it is not an option of the type");
                    skip_value(&meta)?;
                }
                _ => unknown_key(cx, &meta, CONTAINER_KEYS)?,
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.push(e);
        }
    }
    c
}

const MEMBER_NO_NAME: &str = "'data' member requires a string name";

/// Parses every `#[qapi(...)]` on a field.
pub fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut f = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(QAPI)) {
        let r = attr.parse_nested_meta(|meta| {
            match key_of(&meta).as_str() {
                NAME => {
                    if let Some(s) = string_or(cx, &meta, MEMBER_NO_NAME)? {
                        set_once(cx, &mut f.name, s, &meta);
                    }
                }
                FEATURE => f.features.extend(feature(cx, &meta)?),
                BASE => set_once(cx, &mut f.base, meta.path.span(), &meta),
                _ => unknown_key(cx, &meta, FIELD_KEYS)?,
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.push(e);
        }
    }
    f
}

/// Parses every `#[qapi(...)]` on a variant.
pub fn variant(cx: &mut Ctxt, attrs: &[Attribute]) -> VariantAttrs {
    let mut v = VariantAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(QAPI)) {
        let r = attr.parse_nested_meta(|meta| {
            match key_of(&meta).as_str() {
                NAME => {
                    if let Some(s) = string_or(cx, &meta, MEMBER_NO_NAME)? {
                        set_once(cx, &mut v.name, s, &meta);
                    }
                }
                FEATURE => v.features.extend(feature(cx, &meta)?),
                _ => unknown_key(cx, &meta, VARIANT_KEYS)?,
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.push(e);
        }
    }
    v
}

/// The text of the doc comments, one line per `///` line, with the one
/// leading space rustdoc adds removed.
pub fn docs(attrs: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            let v = s.value();
            lines.push(v.strip_prefix(' ').unwrap_or(&v).to_owned());
        }
    }
    if lines.is_empty() {
        None
    } else {
        Some(lines.join("\n"))
    }
}

/// The `#[cfg(...)]` attributes of an item, field or variant (those the
/// compiler kept because they hold), to be repeated on generated code
/// and recorded as the QAPI condition.
pub fn cfgs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .cloned()
        .collect()
}

/// The predicates of `#[qapi::cond(...)]` (also `#[qapi_derive::cond]`,
/// or `#[cond]` imported) attributes still on the item: written after
/// `#[derive(Qapi)]`, they are expanded after the derive.
pub fn late_cfgs(attrs: &[Attribute]) -> Vec<TokenStream> {
    attrs
        .iter()
        .filter_map(|a| {
            let segs: Vec<String> = a
                .path()
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            match (
                segs.iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice(),
                &a.meta,
            ) {
                (["qapi" | "qapi_derive", "cond"] | ["cond"], syn::Meta::List(l)) => {
                    Some(l.tokens.clone())
                }
                _ => None,
            }
        })
        .collect()
}
