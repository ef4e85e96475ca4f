//! The derive's intermediate representation: the item as QAPI sees it,
//! with every name resolved and the syn nodes kept for spans.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{self, Ctxt, FeatureAttr, MetaKind};
use crate::names;

/// A member (a named field).
pub struct Member<'a> {
    pub ident: &'a Ident,
    /// The field's type, `Option` removed.
    pub ty: &'a Type,
    pub optional: bool,
    pub name: String,
    pub name_span: Span,
    pub features: Vec<FeatureAttr>,
    pub cfgs: Vec<Attribute>,
    pub doc: Option<String>,
    pub base: bool,
    pub field: &'a syn::Field,
}

/// A variant of an enum-shaped item.
pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// The type of a newtype variant.
    pub ty: Option<&'a Type>,
    pub name: String,
    pub name_span: Span,
    pub features: Vec<FeatureAttr>,
    pub cfgs: Vec<Attribute>,
    pub doc: Option<String>,
}

/// Command options.
#[derive(Default)]
pub struct CommandOpts {
    pub returns: Option<Type>,
    pub boxed: bool,
    pub success_response: bool,
    pub allow_oob: bool,
    pub allow_preconfig: bool,
    pub coroutine: bool,
    pub generate: bool,
    /// Opt-in to a non-object `returns` (QEMU's `command-returns-exceptions`).
    pub returns_exception: bool,
}

/// The shape of the item's data.
pub enum Body<'a> {
    /// Named fields (structs, unions, commands and events with inline
    /// members).
    Members(Vec<Member<'a>>),
    /// A newtype struct (commands and events whose `data` is a named
    /// type).
    Newtype(&'a Type),
    /// Enum variants.
    Variants(Vec<Variant<'a>>),
}

pub struct Item<'a> {
    pub input: &'a DeriveInput,
    pub ident: &'a Ident,
    pub krate: syn::Path,
    pub meta: MetaKind,
    /// QAPI name of the type (or the command/event name).
    pub name: String,
    /// Where the name was written: `name = "..."`, `command = "..."`, or
    /// the identifier.
    pub name_span: Span,
    /// The name was written explicitly (not taken from the identifier).
    pub name_explicit: bool,
    /// The name could not be read (already reported).
    pub name_bad: bool,
    /// `#[qapi(name_exception)]`.
    pub name_exception: Option<Span>,
    pub features: Vec<FeatureAttr>,
    pub cfgs: Vec<Attribute>,
    /// The item's own condition: `#[qapi(cond(...))]`, and `#[qapi::cond(...)]`
    /// still to be expanded.
    pub cond: Vec<TokenStream>,
    /// The predicates of `#[qapi::cond(...)]` attributes written after
    /// `#[derive(Qapi)]`: they make the item conditional only after the
    /// derive has run, so the generated code carries them too.
    pub wrap_cfgs: Vec<TokenStream>,
    pub doc: Option<String>,
    pub prefix: Option<String>,
    pub discriminator: Option<attr::Spanned<String>>,
    pub tag: Option<syn::Path>,
    pub command: CommandOpts,
    pub body: Body<'a>,
}

/// `Option<T>` → `Some(T)`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(tp) = ty else { return None };
    if tp.qself.is_some() {
        return None;
    }
    let segs: Vec<_> = tp
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let is_option = matches!(
        segs.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["Option"] | ["std", "option", "Option"] | ["core", "option", "Option"]
    );
    if !is_option {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &tp.path.segments.last()?.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(t)) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}

impl<'a> Item<'a> {
    pub fn from_ast(
        cx: &mut Ctxt,
        input: &'a DeriveInput,
        c: &attr::ContainerAttrs,
    ) -> Option<Item<'a>> {
        if !input.generics.params.is_empty() {
            cx.error_spanned(&input.generics, "QAPI types cannot have generic parameters");
        }

        // The meta-type: explicit, or inferred from the shape.
        let meta = match c.meta.as_ref().map(|m| m.value.clone()) {
            Some(m) => m,
            None => match inferred_meta(input) {
                Some(m) => m,
                None => {
                    cx.error(
                        input.ident.span(),
                        "expression must have exactly one key 'enum', 'struct', 'union', 'alternate', \
                         'command', 'event': say which QAPI meta-type this is with #[qapi(struct)], \
                         #[qapi(enum)], #[qapi(union, discriminator = \"...\")], #[qapi(alternate)], \
                         #[qapi(simple_union)], #[qapi(branches(tag = ...))], \
                         #[qapi(command = \"...\")] or #[qapi(event = \"...\")]",
                    );
                    return None;
                }
            },
        };
        let meta_span = c
            .meta
            .as_ref()
            .map(|m| m.span)
            .unwrap_or_else(|| input.ident.span());

        let body = match (&meta, &input.data) {
            (
                MetaKind::Enum | MetaKind::Alternate | MetaKind::SimpleUnion | MetaKind::Branches,
                Data::Enum(e),
            ) => Body::Variants(e.variants.iter().map(|v| variant(cx, &meta, v)).collect()),
            (MetaKind::Struct | MetaKind::Union, Data::Struct(s)) => match &s.fields {
                Fields::Named(_) | Fields::Unit => {
                    Body::Members(s.fields.iter().map(|f| member(cx, f)).collect())
                }
                Fields::Unnamed(u) => {
                    cx.error_spanned(
                        u,
                        format!(
                            "'data' should be an object: the members of a QAPI {} are named fields \
                             (a type name is not allowed here)",
                            meta.word()
                        ),
                    );
                    return None;
                }
            },
            (MetaKind::Command(_) | MetaKind::Event(_), Data::Struct(s)) => match &s.fields {
                Fields::Named(_) | Fields::Unit => {
                    Body::Members(s.fields.iter().map(|f| member(cx, f)).collect())
                }
                Fields::Unnamed(u) if u.unnamed.len() == 1 => Body::Newtype(&u.unnamed[0].ty),
                Fields::Unnamed(u) => {
                    cx.error_spanned(
                        u,
                        "a command's or event's arguments are named fields, or one field of a named type",
                    );
                    return None;
                }
            },
            (m, Data::Struct(_)) => {
                let what = match m {
                    MetaKind::Enum => "an enum's values ('data' must be an array)",
                    _ => "its branches ('data' must be an object of branches)",
                };
                cx.error(
                    meta_span,
                    format!(
                        "`{}` applies to enums, not structs: the variants are {what}",
                        m.word()
                    ),
                );
                return None;
            }
            (m, Data::Enum(_)) => {
                cx.error(
                    meta_span,
                    format!(
                        "`{}` applies to structs, not enums: the named fields are the members ('data' must be an object)",
                        m.word()
                    ),
                );
                return None;
            }
            (_, Data::Union(u)) => {
                cx.error(
                    u.union_token.span,
                    "Rust unions cannot be QAPI types; use an enum or a struct",
                );
                return None;
            }
        };

        let is_command = matches!(meta, MetaKind::Command(_));
        let only = |cx: &mut Ctxt, span: Option<Span>, key: &str, ok: bool, what: &str| {
            if let (Some(span), false) = (span, ok) {
                cx.error(span, format!("`{key}` applies only to {what}"));
            }
        };
        only(
            cx,
            c.prefix.as_ref().map(|p| p.span),
            "prefix",
            meta == MetaKind::Enum,
            "enums",
        );
        only(
            cx,
            c.discriminator.as_ref().map(|p| p.span),
            "discriminator",
            meta == MetaKind::Union,
            "unions",
        );
        only(
            cx,
            c.returns.as_ref().map(|t| t.span()),
            "returns",
            is_command,
            "commands",
        );
        only(
            cx,
            c.success_response,
            "success_response",
            is_command,
            "commands",
        );
        only(cx, c.allow_oob, "allow_oob", is_command, "commands");
        only(
            cx,
            c.allow_preconfig,
            "allow_preconfig",
            is_command,
            "commands",
        );
        only(cx, c.coroutine, "coroutine", is_command, "commands");
        only(cx, c.generate, "gen", is_command, "commands");
        only(
            cx,
            c.returns_exception,
            "returns_exception",
            is_command,
            "commands",
        );
        only(
            cx,
            c.name_exception,
            "name_exception",
            matches!(
                meta,
                MetaKind::Struct
                    | MetaKind::Union
                    | MetaKind::Enum
                    | MetaKind::Command(_)
                    | MetaKind::Event(_)
            ),
            "structs, unions and enums (QEMU's 'member-name-exceptions'), commands \
             ('command-name-exceptions') and the arguments of commands and events (as QEMU \
             before 6.0 allowed); QEMU has no exception for alternate branches",
        );
        only(
            cx,
            c.boxed,
            "boxed",
            matches!(meta, MetaKind::Command(_) | MetaKind::Event(_)),
            "commands and events",
        );
        if meta == MetaKind::Union && c.discriminator.is_none() && !c.discriminator_bad {
            cx.error(
                meta_span,
                "union misses key 'discriminator': add `discriminator = \"member\"`",
            );
        }
        if meta == MetaKind::Branches && c.tag.is_none() {
            cx.error(
                meta_span,
                "branches need their tag enum: `branches(tag = TagEnum)`",
            );
        }
        if let (Some(oob), Some(_)) = (c.allow_oob, c.coroutine) {
            cx.error(oob, "flags 'allow-oob' and 'coroutine' are incompatible");
        }
        if let (Some(span), Body::Members(ms)) = (c.boxed, &body) {
            if ms.is_empty() {
                cx.error(
                    span,
                    "'boxed': true requires 'data': write a tuple struct with one field, the type",
                );
            } else {
                cx.error(
                    span,
                    "'data' should be a type name: with 'boxed': true the arguments are one named type, \
                     a tuple struct with one field",
                );
            }
        }

        let (name, name_span, name_explicit) = match (&meta, &c.name) {
            (MetaKind::Command(n) | MetaKind::Event(n), _) => (n.clone(), meta_span, true),
            (_, Some(n)) => (n.value.clone(), n.span, true),
            (_, None) => (input.ident.unraw().to_string(), input.ident.span(), false),
        };
        if let (Some(n), MetaKind::Command(_) | MetaKind::Event(_)) = (&c.name, &meta) {
            cx.error(
                n.span,
                "the QAPI name of a command or event is its `command = \"...\"`/`event = \"...\"`",
            );
        }
        if let Some(span) = c.name_bad {
            match &meta {
                MetaKind::Command(_) | MetaKind::Event(_) | MetaKind::Branches => {
                    cx.error(span, "`name` takes a string")
                }
                MetaKind::SimpleUnion => cx.error(span, "'union' requires a string name"),
                m => cx.error(span, format!("'{}' requires a string name", m.word())),
            }
        }
        let name_bad = c.name_bad.is_some() || c.meta_name_bad;
        let wrap_cfgs = attr::late_cfgs(&input.attrs);

        let krate = c.krate.clone().unwrap_or_else(|| syn::parse_quote!(::qapi));
        let command = CommandOpts {
            returns: c.returns.clone(),
            boxed: c.boxed.is_some(),
            success_response: c.success_response.is_none(),
            allow_oob: c.allow_oob.is_some(),
            allow_preconfig: c.allow_preconfig.is_some(),
            coroutine: c.coroutine.is_some(),
            generate: c.generate.is_none(),
            returns_exception: c.returns_exception.is_some(),
        };

        let item = Item {
            input,
            ident: &input.ident,
            krate,
            meta,
            name,
            name_span,
            name_explicit,
            name_bad,
            name_exception: c.name_exception,
            features: c.features.clone(),
            cfgs: attr::cfgs(&input.attrs),
            cond: c.cond.iter().chain(&wrap_cfgs).cloned().collect(),
            wrap_cfgs,
            doc: attr::docs(&input.attrs),
            prefix: c.prefix.as_ref().map(|p| p.value.clone()),
            discriminator: c.discriminator.clone(),
            tag: c.tag.clone(),
            command,
            body,
        };
        crate::check::item(cx, &item);
        Some(item)
    }

    pub fn members(&self) -> &[Member<'a>] {
        match &self.body {
            Body::Members(m) => m,
            _ => &[],
        }
    }

    pub fn variants(&self) -> &[Variant<'a>] {
        match &self.body {
            Body::Variants(v) => v,
            _ => &[],
        }
    }

    /// Tokens of the item's constant `CommonDesc`.
    pub fn common(&self) -> TokenStream {
        let name = &self.name;
        let features = features(&self.features);
        let cond = cond_of(&self.cfgs, &self.cond);
        let doc = doc(&self.doc);
        quote!(__q::CommonDesc { name: #name, features: #features, cond: #cond, doc: #doc })
    }
}

fn member<'a>(cx: &mut Ctxt, f: &'a syn::Field) -> Member<'a> {
    let a = attr::field(cx, &f.attrs);
    let ident = f.ident.as_ref().expect("named field");
    let (ty, optional) = match option_inner(&f.ty) {
        Some(inner) => (inner, true),
        None => (&f.ty, false),
    };
    let (name, name_span) = match a.name {
        Some(n) => (n.value, n.span),
        None => (names::member_name(ident), ident.span()),
    };
    Member {
        ident,
        ty,
        optional,
        name,
        name_span,
        features: a.features,
        cfgs: attr::cfgs(&f.attrs),
        doc: attr::docs(&f.attrs),
        base: a.base.is_some(),
        field: f,
    }
}

fn variant<'a>(cx: &mut Ctxt, meta: &MetaKind, v: &'a syn::Variant) -> Variant<'a> {
    let a = attr::variant(cx, &v.attrs);
    let ty = match &v.fields {
        Fields::Unit => None,
        Fields::Unnamed(u) if u.unnamed.len() == 1 => Some(&u.unnamed[0].ty),
        other => {
            cx.error_spanned(other, "a variant holds at most one value: `Variant(Type)`");
            None
        }
    };
    match (meta, ty) {
        (MetaKind::Enum, Some(t)) => cx.error_spanned(t, "enum values carry no data"),
        (MetaKind::Alternate | MetaKind::SimpleUnion, None) => cx.error_spanned(
            &v.ident,
            format!(
                "each {} branch holds one value: `{}(Type)`",
                meta.word(),
                v.ident
            ),
        ),
        _ => {}
    }
    let (name, name_span) = match a.name {
        Some(n) => (n.value, n.span),
        None => (names::variant_name(&v.ident), v.ident.span()),
    };
    Variant {
        ident: &v.ident,
        ty,
        name,
        name_span,
        features: a.features,
        cfgs: attr::cfgs(&v.attrs),
        doc: attr::docs(&v.attrs),
    }
}

/// Tokens for a `Vec<Feature>`.
pub fn features(fs: &[FeatureAttr]) -> TokenStream {
    let entries = fs.iter().map(|f| {
        let name = &f.name;
        match &f.cfg {
            None => quote!(__q::FeatureDesc { name: #name, cond: ::core::option::Option::None }),
            Some(pred) => {
                let c = cond_pred(pred);
                quote! {
                    #[cfg(#pred)]
                    __q::FeatureDesc { name: #name, cond: ::core::option::Option::Some(#c) }
                }
            }
        }
    });
    quote!(&[#(#entries),*])
}

/// The special-feature mask (`deprecated` = 1, `unstable` = 2).
pub fn special_mask(fs: &[FeatureAttr]) -> u8 {
    fs.iter()
        .map(|f| match f.name.as_str() {
            "deprecated" => 1,
            "unstable" => 2,
            _ => 0,
        })
        .fold(0, |a, b| a | b)
}

/// Tokens for an `Option<&str>` doc.
pub fn doc(d: &Option<String>) -> TokenStream {
    match d {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

/// The meta-type a derive on this item means when none is written: a
/// struct with named fields (or none) is a struct, an enum of unit
/// variants an enum.
pub fn inferred_meta(input: &DeriveInput) -> Option<MetaKind> {
    match &input.data {
        Data::Struct(s) if matches!(s.fields, Fields::Named(_) | Fields::Unit) => {
            Some(MetaKind::Struct)
        }
        Data::Enum(e) if e.variants.iter().all(|v| v.fields.is_empty()) => Some(MetaKind::Enum),
        _ => None,
    }
}

/// Tokens for the `Option<CondDesc>` recorded from `#[cfg]` attributes.
pub fn cond(cfgs: &[Attribute]) -> TokenStream {
    cond_of(cfgs, &[])
}

/// Tokens for the `Option<CondDesc>` of `#[cfg]` attributes and extra
/// predicates.
fn cond_of(cfgs: &[Attribute], extra: &[TokenStream]) -> TokenStream {
    let preds: Vec<TokenStream> = cfgs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::List(l) => Some(cond_pred(&l.tokens)),
            _ => None,
        })
        .chain(extra.iter().map(cond_pred))
        .collect();
    match preds.len() {
        0 => quote!(::core::option::Option::None),
        1 => {
            let p = &preds[0];
            quote!(::core::option::Option::Some(#p))
        }
        _ => quote!(::core::option::Option::Some(__q::CondDesc::All(&[#(#preds),*]))),
    }
}

/// Tokens of the `CondDesc` of a cfg predicate: a name or `feature =
/// "NAME"` becomes the name; `all`, `any`, `not` nest; other predicates
/// keep their Rust spelling.
fn cond_pred(tokens: &TokenStream) -> TokenStream {
    match syn::parse2::<syn::Meta>(tokens.clone()) {
        Ok(syn::Meta::Path(p)) => {
            let s = quote!(#p).to_string().replace(' ', "");
            quote!(__q::CondDesc::Name(#s))
        }
        Ok(syn::Meta::NameValue(nv)) if nv.path.is_ident("feature") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => {
                let v = s.value();
                quote!(__q::CondDesc::Name(#v))
            }
            _ => {
                let s = tokens.to_string();
                quote!(__q::CondDesc::Name(#s))
            }
        },
        Ok(syn::Meta::List(l)) if ["all", "any", "not"].iter().any(|w| l.path.is_ident(w)) => {
            let parts: Vec<TokenStream> = l
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                )
                .map(|p| p.into_iter().map(|m| cond_pred(&quote!(#m))).collect())
                .unwrap_or_default();
            if l.path.is_ident("not") {
                let inner = parts
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| quote!(__q::CondDesc::Name("")));
                quote!(__q::CondDesc::Not(&#inner))
            } else if l.path.is_ident("all") {
                quote!(__q::CondDesc::All(&[#(#parts),*]))
            } else {
                quote!(__q::CondDesc::Any(&[#(#parts),*]))
            }
        }
        _ => {
            let s = tokens.to_string();
            quote!(__q::CondDesc::Name(#s))
        }
    }
}
