//! Code generation, one module per meta-type.

mod alternate;
mod branches;
mod command;
mod enumeration;
mod object;
mod simple_union;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::{self, Item, Member};
use crate::attr::MetaKind;

pub fn expand(item: &Item) -> TokenStream {
    let body = match &item.meta {
        MetaKind::Struct | MetaKind::Union => object::expand(item),
        MetaKind::Enum => enumeration::expand(item),
        MetaKind::Alternate => alternate::expand(item),
        MetaKind::SimpleUnion => simple_union::expand(item),
        MetaKind::Branches => branches::expand(item),
        MetaKind::Command(_) => command::expand_command(item),
        MetaKind::Event(_) => command::expand_event(item),
    };
    wrap(item, body)
}

/// Puts generated impls in an anonymous const with the runtime in scope
/// as `__q`.
pub fn wrap(item: &Item, body: TokenStream) -> TokenStream {
    let krate = &item.krate;
    let cfgs = &item.wrap_cfgs;
    quote! {
        #(#[cfg(#cfgs)])*
        #[doc(hidden)]
        #[allow(
            non_upper_case_globals,
            unused_attributes,
            unused_qualifications,
            unreachable_patterns,
            unreachable_code,
            clippy::all
        )]
        const _: () = {
            #[allow(unused_imports)]
            use #krate::__private as __q;
            #body
        };
    }
}

/// `impl Serialize` and `impl Deserialize` through the runtime helpers.
pub fn serde_impls(item: &Item, serialize_body: TokenStream) -> TokenStream {
    let ident = item.ident;
    quote! {
        #[automatically_derived]
        impl __q::serde::Serialize for #ident {
            fn serialize<__S: __q::serde::Serializer>(&self, __s: __S)
                -> ::core::result::Result<__S::Ok, __S::Error>
            {
                #serialize_body
            }
        }
        #[automatically_derived]
        impl<'de> __q::serde::Deserialize<'de> for #ident {
            fn deserialize<__D: __q::serde::Deserializer<'de>>(__d: __D)
                -> ::core::result::Result<Self, __D::Error>
            {
                __q::deserialize(__d)
            }
        }
    }
}

/// `describe` from the constant `TypeDesc` of the type.
pub fn describe_fn(desc: TokenStream) -> TokenStream {
    quote! {
        fn describe(__s: &mut __q::SchemaBuilder) -> __q::TypeRef {
            __s.define_desc(__q::TypeId::of::<Self>(), &#desc)
        }
    }
}

/// `<T as Qapi>::describe`, spanned on the type so that a missing impl
/// points at the field.
pub fn describe_of(ty: &syn::Type) -> TokenStream {
    quote_spanned!(ty.span()=> <#ty as __q::Qapi>::describe)
}

/// Local variable name for a member.
pub fn local(m: &Member) -> syn::Ident {
    format_ident!("__m_{}", m.ident.unraw())
}

/// The constant `&[MemberDesc]` of members (each under its cfgs).
pub fn member_descs<'a>(
    members: impl Iterator<Item = &'a Member<'a>>,
    ty_override: impl Fn(&Member) -> Option<TokenStream>,
) -> TokenStream {
    let entries = members.map(|m| {
        let name = &m.name;
        let optional = m.optional;
        let describe = ty_override(m).unwrap_or_else(|| describe_of(m.ty));
        let features = ast::features(&m.features);
        let cond = ast::cond(&m.cfgs);
        let doc = ast::doc(&m.doc);
        let cfgs = &m.cfgs;
        quote! {
            #(#cfgs)*
            __q::MemberDesc {
                name: #name, ty: #describe, optional: #optional,
                features: #features, cond: #cond, doc: #doc,
            }
        }
    });
    quote!(&[#(#entries),*])
}

/// The constant `&[BranchDesc]` of an alternate's or simple union's
/// branches.
pub fn branch_descs(vs: &[&ast::Variant]) -> TokenStream {
    let entries = vs.iter().map(|v| {
        let name = &v.name;
        let describe = describe_of(v.ty.expect("a branch has a type"));
        let cond = ast::cond(&v.cfgs);
        let doc = ast::doc(&v.doc);
        let cfgs = &v.cfgs;
        quote!(#(#cfgs)* __q::BranchDesc { name: #name, ty: #describe, cond: #cond, doc: #doc })
    });
    quote!(&[#(#entries),*])
}

/// `expr?` for a `Result` whose error type is already the function's,
/// written out as a `match`: generated code is mostly such steps, and
/// the `match` is cheaper to compile than `?` (no `Try` trait to resolve,
/// less IR to optimize).
pub fn tri(span: proc_macro2::Span, expr: TokenStream) -> TokenStream {
    quote_spanned! {span=>
        match #expr {
            ::core::result::Result::Ok(__x) => __x,
            ::core::result::Result::Err(__e) => return ::core::result::Result::Err(__e),
        }
    }
}

/// Statement reading one member from `__o` into its local.
pub fn read_member(m: &Member) -> TokenStream {
    let local = local(m);
    let name = &m.name;
    let ty = m.ty;
    let mask = ast::special_mask(&m.features);
    let cfgs = &m.cfgs;
    let read = if m.optional {
        quote_spanned!(ty.span()=> __o.optional::<#ty>(__d, #name, #mask))
    } else {
        quote_spanned!(ty.span()=> __o.required::<#ty>(__d, #name, #mask))
    };
    let read = tri(ty.span(), read);
    quote!(#(#cfgs)* let #local = #read;)
}

/// Statement writing one member of `self` into `__m`.
pub fn write_member(m: &Member) -> TokenStream {
    let ident = m.ident;
    let name = &m.name;
    let cfgs = &m.cfgs;
    let mask = ast::special_mask(&m.features);
    let ty = m.ty;
    let write = if m.optional {
        let entry = tri(
            ty.span(),
            quote_spanned!(ty.span()=> __q::entry::<_, #ty>(__m, #name, __v)),
        );
        quote_spanned! {ty.span()=>
            if let ::core::option::Option::Some(__v) = &self.#ident {
                #entry;
            }
        }
    } else {
        let entry = tri(
            ty.span(),
            quote_spanned!(ty.span()=> __q::entry::<_, #ty>(__m, #name, &self.#ident)),
        );
        quote_spanned!(ty.span()=> #entry;)
    };
    if mask != 0 {
        quote!(#(#cfgs)* if !__q::output_hidden(#mask) { #write })
    } else {
        quote!(#(#cfgs)* { #write })
    }
}

/// `Self { a: __m_a, ... }` with each field's cfgs.
pub fn construct(members: &[Member]) -> TokenStream {
    let fields = members.iter().map(|m| {
        let ident = m.ident;
        let local = local(m);
        let cfgs = &m.cfgs;
        quote!(#(#cfgs)* #ident: #local)
    });
    quote!(Self { #(#fields),* })
}

/// The inherent constructor `new(required...)`: optional members start
/// absent.
pub fn constructor(item: &Item) -> TokenStream {
    let ident = item.ident;
    let members = item.members();
    if members.iter().any(|m| !m.cfgs.is_empty()) {
        // A constructor whose signature changes with cfg would be a trap.
        return TokenStream::new();
    }
    let params = members.iter().filter(|m| !m.optional).map(|m| {
        let ident = m.ident;
        let ty = &m.field.ty;
        quote!(#ident: #ty)
    });
    let fields = members.iter().map(|m| {
        let ident = m.ident;
        if m.optional {
            quote!(#ident: ::core::option::Option::None)
        } else {
            quote!(#ident)
        }
    });
    let doc = format!(
        "Creates a `{}` from its mandatory members; optional members start absent (`None`).",
        item.ident
    );
    let vis = &item.input.vis;
    quote! {
        #[automatically_derived]
        impl #ident {
            #[doc = #doc]
            #[allow(clippy::too_many_arguments)]
            #vis fn new(#(#params),*) -> Self {
                Self { #(#fields),* }
            }
        }
    }
}

/// `Box<T>` → `T` (the facts of a boxed type are those of the type).
pub fn unboxed(ty: &syn::Type) -> &syn::Type {
    generic_arg(ty, "Box").map_or(ty, unboxed)
}

/// Whether `ty` is the plain path `ident`.
pub fn is_named(ty: &syn::Type, ident: &syn::Ident) -> bool {
    matches!(ty, syn::Type::Path(tp) if tp.qself.is_none() && tp.path.is_ident(ident))
}

/// The same tokens, all spanned at `span` (so that an error about the
/// whole lands there).
pub fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(g) = &tt {
                let mut ng = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                ng.set_span(span);
                tt = proc_macro2::TokenTree::Group(ng);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// `Vec<T>` → `T`.
pub fn vec_element(ty: &syn::Type) -> Option<&syn::Type> {
    generic_arg(ty, "Vec")
}

fn generic_arg<'t>(ty: &'t syn::Type, name: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(t)) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}

/// The name messages use for a type whose facts carry none (built-in
/// numbers): its QAPI name when it is a known Rust built-in, else its
/// Rust spelling.
pub fn fallback_name(ty: &syn::Type) -> String {
    crate::names::builtin_of_rust(ty)
        .map(str::to_owned)
        .unwrap_or_else(|| quote!(#ty).to_string().replace(' ', ""))
}

/// A `const` evaluating `check` (an `Option<__q::Msg>`) and failing the
/// build with the message, spanned on `span`.
pub fn const_check(span: proc_macro2::Span, check: TokenStream) -> TokenStream {
    quote_spanned! {span=>
        const _: () = if let ::core::option::Option::Some(__m) = #check {
            ::core::panic!("{}", __m.as_str())
        };
    }
}

/// `const FACTS` for the `Qapi` impl of a derived type.
pub fn facts(item: &Item, meta: TokenStream, alternate: TokenStream) -> TokenStream {
    let name = &item.name;
    quote! {
        const FACTS: __q::TypeFacts = __q::TypeFacts { meta: __q::Meta::#meta, name: #name, alternate: #alternate };
    }
}
