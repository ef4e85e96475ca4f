//! Rules the derive can check on one item. Rules spanning several items
//! are enforced by the generated code (trait bounds, exhaustive matches).

use std::collections::HashMap;

use crate::ast::{Body, Item};
use crate::attr::{Ctxt, FeatureAttr, MetaKind};
use crate::names::c_name;

pub fn item(cx: &mut Ctxt, item: &Item) {
    match &item.body {
        Body::Members(ms) => {
            let word = match item.meta {
                MetaKind::Command(_) => "parameter",
                _ => "member",
            };
            clashes(cx, word, ms.iter().filter(|m| !m.base).map(|m| (m.name.as_str(), m.name_span)));
            for m in ms {
                features(cx, &m.features);
            }
            let bases: Vec<_> = ms.iter().filter(|m| m.base).collect();
            for (i, b) in bases.iter().enumerate() {
                if i > 0 {
                    cx.error(b.name_span, "a struct has at most one `base`");
                } else if !std::ptr::eq(*b, &ms[0]) {
                    cx.error(b.name_span, "the `base` field must come first: its members come first on the wire");
                }
                if b.optional {
                    cx.error_spanned(&b.field.ty, "a `base` cannot be optional");
                }
                if item.meta != MetaKind::Struct {
                    cx.error(
                        b.name_span,
                        format!("`base` applies to structs; a {} lists its base members directly", item.meta.word()),
                    );
                }
            }
            if let (MetaKind::Union, Some(d)) = (&item.meta, &item.discriminator) {
                match ms.iter().find(|m| m.name == d.value) {
                    None => cx.error(d.span, format!("discriminator '{}' is not a member of 'base'", d.value)),
                    Some(m) if m.optional => cx.error_spanned(
                        &m.field.ty,
                        format!("discriminator member '{}' of 'base' must not be optional", m.name),
                    ),
                    Some(m) if !m.cfgs.is_empty() => cx.error_spanned(
                        &m.cfgs[0],
                        format!("discriminator member '{}' of 'base' must not be conditional", m.name),
                    ),
                    Some(_) => {}
                }
            }
        }
        Body::Variants(vs) => {
            let word = match item.meta {
                MetaKind::Enum => "value",
                _ => "branch",
            };
            clashes(cx, word, vs.iter().map(|v| (v.name.as_str(), v.name_span)));
            for v in vs {
                features(cx, &v.features);
            }
            if item.meta == MetaKind::Alternate && vs.is_empty() {
                cx.error(item.ident.span(), "'data' must not be empty");
            }
        }
        Body::Newtype(_) => {}
    }
    features(cx, &item.features);
    if let Some(f) = item.features.iter().find(|f| f.name == "deprecated" || f.name == "unstable") {
        if !matches!(item.meta, MetaKind::Command(_) | MetaKind::Event(_)) {
            cx.error(f.span, format!("feature '{}' is not supported for types", f.name));
        }
    }
}

/// Two names that map to the same C name.
fn clashes<'n>(cx: &mut Ctxt, word: &str, names: impl Iterator<Item = (&'n str, proc_macro2::Span)>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (name, span) in names {
        match seen.get(&c_name(name)) {
            Some(prev) => cx.error(span, format!("{word} '{name}' collides with {word} '{prev}'")),
            None => {
                seen.insert(c_name(name), name);
            }
        }
    }
}

fn features(cx: &mut Ctxt, fs: &[FeatureAttr]) {
    clashes(cx, "feature", fs.iter().map(|f| (f.name.as_str(), f.span)));
}
