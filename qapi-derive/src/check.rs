//! Rules the derive can check on one item, worded as QEMU's generator
//! words them (`scripts/qapi/expr.py` and `schema.py`, 10.0.2). Rules
//! spanning several items are enforced by the generated code: `const`
//! checks over the associated consts `Qapi::FACTS` and
//! `QapiObject::OBJECT`, and trait bounds.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Span, TokenStream};

use crate::ast::{Body, Item, Member, Variant};
use crate::attr::{Ctxt, FeatureAttr, MetaKind};
use crate::names::{self, c_name, stem};

pub fn item(cx: &mut Ctxt, item: &Item) {
    item_name(cx, item);
    match &item.body {
        Body::Members(ms) => {
            let word = match item.meta {
                MetaKind::Command(_) => "parameter",
                MetaKind::Union => "base member",
                _ => "member",
            };
            member_names(cx, item, ms);
            clashes(
                cx,
                word,
                ms.iter()
                    .filter(|m| !m.base)
                    .map(|m| (m.name.as_str(), m.name_span)),
            );
            let bases: Vec<_> = ms.iter().filter(|m| m.base).collect();
            for (i, b) in bases.iter().enumerate() {
                if i > 0 {
                    cx.error(b.name_span, "a struct has at most one `base`");
                } else if !std::ptr::eq(*b, &ms[0]) {
                    cx.error(
                        b.name_span,
                        "the `base` field must come first: its members come first on the wire",
                    );
                }
                if b.optional {
                    cx.error_spanned(&b.field.ty, "a `base` cannot be optional");
                }
                if crate::expand::is_named(crate::expand::unboxed(b.ty), item.ident) {
                    cx.error_spanned(b.ty, format!("object {} contains itself", item.name));
                    cx.no_stub = true;
                }
                if item.meta != MetaKind::Struct {
                    cx.error(
                        b.name_span,
                        format!(
                            "`base` applies to structs; a {} lists its base members directly",
                            item.meta.word()
                        ),
                    );
                }
            }
            if let (MetaKind::Union, Some(d)) = (&item.meta, &item.discriminator) {
                match ms.iter().find(|m| m.name == d.value && !m.base) {
                    None => cx.error(
                        d.span,
                        format!("discriminator '{}' is not a member of 'base'", d.value),
                    ),
                    Some(m) if m.optional => cx.error_spanned(
                        &m.field.ty,
                        format!(
                            "discriminator member '{}' of 'base' must not be optional",
                            m.name
                        ),
                    ),
                    Some(m) if !m.cfgs.is_empty() => cx.error_spanned(
                        &m.cfgs[0],
                        format!(
                            "discriminator member '{}' of 'base' must not be conditional",
                            m.name
                        ),
                    ),
                    Some(_) => {}
                }
            }
            if let MetaKind::Command(_) | MetaKind::Event(_) = item.meta {
                let who = if matches!(item.meta, MetaKind::Command(_)) {
                    "command"
                } else {
                    "event"
                };
                for m in ms {
                    if let Some(cfg) = m.cfgs.first() {
                        cx.error_spanned(
                            cfg,
                            format!(
                                "conditional {who} arguments require 'boxed': true; make the arguments \
                                 a named struct and the {who} `boxed`: `struct X(Args);`"
                            ),
                        );
                    }
                }
            }
            for m in ms.iter().filter(|m| !m.base) {
                let src = format!("{} member '{}'", member_source(&item.meta), m.name);
                useless_conditions(cx, &m.cfgs, &src);
            }
        }
        Body::Variants(vs) => {
            let word = match item.meta {
                MetaKind::Enum => "value",
                _ => "branch",
            };
            variant_names(cx, item, vs);
            clashes(cx, word, vs.iter().map(|v| (v.name.as_str(), v.name_span)));
            if item.meta == MetaKind::Alternate && vs.is_empty() {
                cx.error(item.ident.span(), "'data' must not be empty");
            }
            if item.meta == MetaKind::Branches && vs.is_empty() {
                cx.error(
                    item.ident.span(),
                    "union has no branches: the tag enum has no values, so the union can hold nothing",
                );
            }
            for v in vs {
                useless_conditions(cx, &v.cfgs, &format!("'data' member '{}'", v.name));
            }
        }
        Body::Newtype(_) => {}
    }
    for pred in &item.cond {
        useless_condition(cx, pred, item.meta.word());
    }
    features(cx, item);
}

/// How QEMU names the members of this meta-type in messages.
fn member_source(meta: &MetaKind) -> &'static str {
    match meta {
        MetaKind::Union => "'base'",
        _ => "'data'",
    }
}

/// QEMU's `check_defn_name_str`.
fn item_name(cx: &mut Ctxt, item: &Item) {
    if item.name_bad {
        return;
    }
    let (name, span) = (item.name.as_str(), item.name_span);
    let word = match &item.meta {
        MetaKind::Branches => return,
        MetaKind::SimpleUnion => "union",
        m => m.word(),
    };
    // A legacy anonymous nested struct (QEMU 1.x, `'data': {'qemu':
    // {'major': 'int'}}`) has no QAPI name of its own; the legacy loader
    // names it `<owner>.<member>` (`VersionInfo.qemu`, `A.b.c` when
    // nested further, `query-foo.opt` in a command's arguments): valid
    // names joined by dots (the owner may hold dots itself,
    // `__org.qemu_Foo.bar`). It cannot clash with a QAPI name, and the
    // case rules of the owner's kind do not apply to it.
    if item.meta == MetaKind::Struct && item.name_explicit && stem(name).is_none() {
        let nested = name.match_indices('.').any(|(i, _)| {
            stem(&name[..i]).is_some() && name[i + 1..].split('.').all(|m| stem(m).is_some())
        });
        if nested {
            return;
        }
    }
    let Some(stem) = stem(name) else {
        cx.error(span, format!("{word} has an invalid name"));
        return;
    };
    match &item.meta {
        MetaKind::Command(_) => {
            let excepted = item.name_exception.is_some()
                || names::QEMU_COMMAND_NAME_EXCEPTIONS.contains(&name);
            if stem.chars().any(|c| c.is_ascii_uppercase()) {
                cx.error(span, "name of command must not use uppercase or '_'");
            } else if stem.contains('_') && !excepted {
                cx.error(
                    span,
                    "name of command must not use uppercase or '_'; add #[qapi(name_exception)] to allow '_' \
                     (QEMU's pragma 'command-name-exceptions')",
                );
            }
        }
        MetaKind::Event(_) => {
            if stem.chars().any(|c| c.is_ascii_lowercase() || c == '-') {
                cx.error(span, "name of event must not use lowercase or '-'");
            }
        }
        _ => {
            let camel = if item.name_explicit {
                names::is_camel(stem)
            } else {
                names::is_rust_camel(stem)
            };
            if !camel {
                cx.error(span, format!("name of {word} must use CamelCase"));
            } else if name.ends_with("List") {
                cx.error(span, format!("{word} name should not end in 'List'"));
            }
        }
    }
    if let Some(what) = names::predefined(name) {
        cx.error(span, format!("{what} is already defined"));
    }
}

/// QEMU's `check_type_implicit`: member names of structs, union bases,
/// commands and events.
fn member_names(cx: &mut Ctxt, item: &Item, ms: &[Member]) {
    // Commands and events: QEMU 10 has no exception for their arguments,
    // but schemas before 6.0 had `_` in them (QEMU 1.1 `bps_rd`); the
    // attribute is their form.
    let (permissive, hint) = match item.meta {
        MetaKind::Struct | MetaKind::Union => (
            exception(item),
            "; add #[qapi(name_exception)] to the type to allow it (QEMU's pragma 'member-name-exceptions')",
        ),
        MetaKind::Command(_) | MetaKind::Event(_) => (item.name_exception.is_some(), ""),
        _ => (false, ""),
    };
    for m in ms.iter().filter(|m| !m.base) {
        let key = if m.optional {
            format!("*{}", m.name)
        } else {
            m.name.clone()
        };
        let src = format!("{} member '{key}'", member_source(&item.meta));
        let Some(stem) = stem(&m.name) else {
            cx.error(m.name_span, format!("{src} has an invalid name"));
            continue;
        };
        if !permissive && stem.chars().any(|c| c.is_ascii_uppercase() || c == '_') {
            cx.error(
                m.name_span,
                format!("name of {src} must not use uppercase or '_'{hint}"),
            );
        }
        let c = c_name(&m.name);
        if c == "u" || c.starts_with("has_") {
            cx.error(m.name_span, format!("{src} uses reserved name"));
        }
    }
}

/// Enum values (QEMU's `check_enum`), alternate and simple-union
/// branches (`check_alternate`, `check_union`).
fn variant_names(cx: &mut Ctxt, item: &Item, vs: &[Variant]) {
    let is_enum = match item.meta {
        MetaKind::Enum => true,
        MetaKind::Alternate | MetaKind::SimpleUnion => false,
        _ => return,
    };
    let permit_upper = is_enum && exception(item);
    for v in vs {
        let src = format!("'data' member '{}'", v.name);
        // Enum values may start with a digit.
        let checked = match v.name.chars().next() {
            Some(c) if is_enum && c.is_ascii_digit() => format!("d{}", v.name),
            _ => v.name.clone(),
        };
        let Some(stem) = stem(&checked) else {
            cx.error(v.name_span, format!("{src} has an invalid name"));
            continue;
        };
        let upper = stem.chars().any(|c| c.is_ascii_uppercase());
        let underscore = stem.contains('_');
        if (upper && !permit_upper) || (underscore && !is_enum) {
            let hint = if is_enum {
                "; add #[qapi(name_exception)] to the enum to allow it (QEMU's pragma 'member-name-exceptions')"
            } else {
                ""
            };
            cx.error(
                v.name_span,
                format!("name of {src} must not use uppercase or '_'{hint}"),
            );
        }
    }
}

/// Whether the type may use upper case and `_` in member names.
fn exception(item: &Item) -> bool {
    item.name_exception.is_some()
        || names::QEMU_MEMBER_NAME_EXCEPTIONS.contains(&item.name.as_str())
}

/// Two names that map to the same C name.
fn clashes<'n>(cx: &mut Ctxt, word: &str, names: impl Iterator<Item = (&'n str, Span)>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (name, span) in names {
        match seen.get(&c_name(name)) {
            Some(prev) => cx.error(
                span,
                format!("{word} '{name}' collides with {word} '{prev}'"),
            ),
            None => {
                seen.insert(c_name(name), name);
            }
        }
    }
}

/// Every feature of the item (its own, its members', its values'):
/// names, clashes, conditions, and QEMU's limit of 64 feature names.
fn features(cx: &mut Ctxt, item: &Item) {
    let lists: Vec<&[FeatureAttr]> = std::iter::once(item.features.as_slice())
        .chain(item.members().iter().map(|m| m.features.as_slice()))
        .chain(item.variants().iter().map(|v| v.features.as_slice()))
        .collect();
    let mut all: HashSet<&str> = ["deprecated", "unstable"].into_iter().collect();
    let mut too_many = false;
    for fs in &lists {
        clashes(cx, "feature", fs.iter().map(|f| (f.name.as_str(), f.span)));
        for f in fs.iter() {
            let src = format!("'features' member '{}'", f.name);
            match stem(&f.name) {
                None => cx.error(f.span, format!("{src} has an invalid name")),
                Some(stem) if stem.chars().any(|c| c.is_ascii_uppercase() || c == '_') => cx.error(
                    f.span,
                    format!("name of {src} must not use uppercase or '_'"),
                ),
                Some(_) => {}
            }
            if let Some(pred) = &f.cfg {
                useless_condition(cx, pred, &src);
            }
            all.insert(&f.name);
            if all.len() > 64 && !too_many {
                too_many = true;
                cx.error(f.span, "Maximum of 64 schema features is permitted");
            }
        }
    }
    if let Some(f) = item
        .features
        .iter()
        .find(|f| f.name == "deprecated" || f.name == "unstable")
        && !matches!(item.meta, MetaKind::Command(_) | MetaKind::Event(_))
    {
        cx.error(
            f.span,
            format!("feature '{}' is not supported for types", f.name),
        );
    }
}

/// `#[cfg(all())]` and `#[cfg(any())]`: QEMU's `'if': {'all': []}`.
fn useless_conditions(cx: &mut Ctxt, cfgs: &[syn::Attribute], src: &str) {
    for a in cfgs {
        if let syn::Meta::List(l) = &a.meta {
            useless_condition(cx, &l.tokens, src);
        }
    }
}

fn useless_condition(cx: &mut Ctxt, pred: &TokenStream, src: &str) {
    if syn::parse2::<syn::Meta>(pred.clone()).is_ok_and(|m| has_empty_infix(&m)) {
        cx.error_spanned(pred, format!("'if' condition [] of {src} is useless"));
    }
}

fn has_empty_infix(meta: &syn::Meta) -> bool {
    let syn::Meta::List(l) = meta else {
        return false;
    };
    if !["all", "any", "not"].iter().any(|w| l.path.is_ident(w)) {
        return false;
    }
    match l
        .parse_args_with(syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
    {
        Ok(parts) => {
            (parts.is_empty() && !l.path.is_ident("not")) || parts.iter().any(has_empty_infix)
        }
        Err(_) => false,
    }
}
