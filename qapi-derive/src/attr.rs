//! Parsing `#[qapi(...)]` attributes, `#[cfg]` and doc comments.
//!
//! Every problem is collected in a [`Ctxt`] so that all of them are
//! reported at once, each on the offending tokens.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Attribute, LitBool, LitStr, Token};

use crate::symbol::*;

/// Error collector.
#[derive(Default)]
pub struct Ctxt {
    errors: Vec<syn::Error>,
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
    pub fn check(self) -> syn::Result<()> {
        let mut it = self.errors.into_iter();
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
    pub name: Option<Spanned<String>>,
    pub features: Vec<FeatureAttr>,
    pub prefix: Option<Spanned<String>>,
    pub discriminator: Option<Spanned<String>>,
    pub tag: Option<syn::Path>,
    pub krate: Option<syn::Path>,
    pub returns: Option<syn::Type>,
    pub boxed: Option<Span>,
    pub success_response: Option<Spanned<bool>>,
    pub allow_oob: Option<Span>,
    pub allow_preconfig: Option<Span>,
    pub coroutine: Option<Span>,
    pub generate: Option<Spanned<bool>>,
    pub returns_exception: Option<Span>,
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
        format!("unknown qapi attribute `{key}`{}", did_you_mean(&key, known)),
    );
    // Skip the value, if any, so that parsing continues.
    if meta.input.peek(Token![=]) {
        let _: Token![=] = meta.input.parse()?;
        let _: syn::Expr = meta.input.parse().or_else(|_| {
            meta.input.parse::<syn::Type>().map(|t| syn::Expr::Verbatim(t.into_token_stream()))
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
        cx.error_spanned(&meta.path, format!("duplicate qapi attribute `{}`", key_of(meta)));
    } else {
        *slot = Some(value);
    }
}

fn lit_str(meta: &ParseNestedMeta) -> syn::Result<Spanned<String>> {
    let s: LitStr = meta.value()?.parse()?;
    Ok(Spanned { value: s.value(), span: s.span() })
}

fn lit_bool(meta: &ParseNestedMeta) -> syn::Result<Spanned<bool>> {
    let b: LitBool = meta.value()?.parse()?;
    Ok(Spanned { value: b.value, span: b.span() })
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

/// `feature = "name"` or `feature("name", cfg(pred))`.
fn feature(meta: &ParseNestedMeta) -> syn::Result<FeatureAttr> {
    if meta.input.peek(Token![=]) {
        let s = lit_str(meta)?;
        return Ok(FeatureAttr { name: s.value, span: s.span, cfg: None });
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let name: LitStr = content.parse()?;
    let mut cfg = None;
    if content.peek(Token![,]) {
        let _: Token![,] = content.parse()?;
        let kw: syn::Ident = content.parse()?;
        if kw != "cfg" {
            return Err(syn::Error::new(kw.span(), "expected `cfg(...)` after the feature name"));
        }
        let pred;
        syn::parenthesized!(pred in content);
        cfg = Some(pred.parse::<TokenStream>()?);
    }
    Ok(FeatureAttr { name: name.value(), span: name.span(), cfg })
}

fn set_meta(cx: &mut Ctxt, c: &mut ContainerAttrs, kind: MetaKind, span: Span) {
    if let Some(prev) = &c.meta {
        cx.error(
            span,
            format!("`{}` and `{}` cannot be used together", prev.value.word(), kind.word()),
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
                COMMAND => {
                    let s = lit_str(&meta)?;
                    set_meta(cx, &mut c, MetaKind::Command(s.value), span);
                }
                EVENT => {
                    let s = lit_str(&meta)?;
                    set_meta(cx, &mut c, MetaKind::Event(s.value), span);
                }
                NAME => {
                    let s = lit_str(&meta)?;
                    set_once(cx, &mut c.name, s, &meta);
                }
                FEATURE => c.features.push(feature(&meta)?),
                PREFIX => {
                    let s = lit_str(&meta)?;
                    set_once(cx, &mut c.prefix, s, &meta);
                }
                DISCRIMINATOR => {
                    let s = lit_str(&meta)?;
                    set_once(cx, &mut c.discriminator, s, &meta);
                }
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
                BOXED => set_once(cx, &mut c.boxed, span, &meta),
                SUCCESS_RESPONSE => {
                    let b = lit_bool(&meta)?;
                    set_once(cx, &mut c.success_response, b, &meta);
                }
                ALLOW_OOB => set_once(cx, &mut c.allow_oob, span, &meta),
                ALLOW_PRECONFIG => set_once(cx, &mut c.allow_preconfig, span, &meta),
                COROUTINE => set_once(cx, &mut c.coroutine, span, &meta),
                GEN => {
                    let b = lit_bool(&meta)?;
                    set_once(cx, &mut c.generate, b, &meta);
                }
                RETURNS_EXCEPTION => set_once(cx, &mut c.returns_exception, span, &meta),
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

/// Parses every `#[qapi(...)]` on a field.
pub fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut f = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(QAPI)) {
        let r = attr.parse_nested_meta(|meta| {
            match key_of(&meta).as_str() {
                NAME => {
                    let s = lit_str(&meta)?;
                    set_once(cx, &mut f.name, s, &meta);
                }
                FEATURE => f.features.push(feature(&meta)?),
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
                    let s = lit_str(&meta)?;
                    set_once(cx, &mut v.name, s, &meta);
                }
                FEATURE => v.features.push(feature(&meta)?),
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
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value {
                let v = s.value();
                lines.push(v.strip_prefix(' ').unwrap_or(&v).to_owned());
            }
        }
    }
    if lines.is_empty() { None } else { Some(lines.join("\n")) }
}

/// The `#[cfg(...)]` attributes of an item, field or variant (those the
/// compiler kept because they hold), to be repeated on generated code
/// and recorded as the QAPI condition.
pub fn cfgs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("cfg")).cloned().collect()
}
