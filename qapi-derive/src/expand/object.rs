//! Structs and flat unions.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::*;
use crate::ast::Item;
use crate::attr::MetaKind;

pub fn expand(item: &Item) -> TokenStream {
    let ident = item.ident;
    let members = item.members();
    let is_union = item.meta == MetaKind::Union;
    let disc_name = item.discriminator.as_ref().map(|d| d.value.as_str());
    let is_disc = |m: &Member| is_union && Some(m.name.as_str()) == disc_name;

    // ---- decoding: members in declaration order; a union's branch last.
    let reads = members.iter().map(|m| {
        if m.base {
            let ty = m.ty;
            let mut local = local(m);
            local.set_span(ty.span());
            let read = tri(
                ty.span(),
                quote_spanned!(ty.span()=> <#ty as __q::QapiObject>::decode_members(__o, __d)),
            );
            quote_spanned!(ty.span()=> let #local = #read;)
        } else if is_disc(m) {
            let ty = m.ty;
            let mut local = local(m);
            local.set_span(ty.span());
            let name = &m.name;
            let mask = crate::ast::special_mask(&m.features);
            let read = tri(
                ty.span(),
                quote_spanned!(ty.span()=> __o.required::<<#ty as __q::QapiBranches>::Tag>(__d, #name, #mask)),
            );
            quote_spanned!(ty.span()=> let #local = #read;)
        } else {
            read_member(m)
        }
    });
    let branch_read = members.iter().filter(|m| is_disc(m)).map(|m| {
        let ty = m.ty;
        let mut local = local(m);
        local.set_span(ty.span());
        let read = tri(
            ty.span(),
            quote_spanned!(ty.span()=> <#ty as __q::QapiBranches>::decode_branch(#local, __o, __d)),
        );
        quote_spanned!(ty.span()=> let #local = #read;)
    });
    let construct = construct(members);

    // ---- encoding
    let writes = members.iter().map(|m| {
        let ident = m.ident;
        let ty = m.ty;
        // `self.field` spanned on the type too, so that a type that does
        // not fit is reported once, there.
        let ident = respan(quote!(#ident), ty.span());
        if m.base {
            let write = tri(
                ty.span(),
                quote_spanned!(ty.span()=> <#ty as __q::QapiObject>::serialize_members(&self.#ident, __m)),
            );
            quote_spanned!(ty.span()=> #write;)
        } else if is_disc(m) {
            let name = &m.name;
            let write = tri(
                ty.span(),
                quote_spanned! {ty.span()=>
                    __q::serde::ser::SerializeMap::serialize_entry(
                        __m, #name, &<#ty as __q::QapiBranches>::tag(&self.#ident))
                },
            );
            quote_spanned!(ty.span()=> #write;)
        } else {
            write_member(m)
        }
    });
    let branch_write = members.iter().filter(|m| is_disc(m)).map(|m| {
        let (ident, ty) = (m.ident, m.ty);
        let ident = respan(quote!(#ident), ty.span());
        let write = tri(
            ty.span(),
            quote_spanned!(ty.span()=> <#ty as __q::QapiBranches>::serialize_branch(&self.#ident, __m)),
        );
        quote_spanned!(ty.span()=> #write;)
    });

    // ---- metadata
    let own = member_descs(members.iter().filter(|m| !m.base), |m| {
        if is_disc(m) {
            let ty = m.ty;
            Some(
                quote_spanned!(ty.span()=> <<#ty as __q::QapiBranches>::Tag as __q::Qapi>::describe),
            )
        } else {
            None
        }
    });
    let common = item.common();
    let desc = if is_union {
        let disc = disc_name.unwrap_or_default();
        let branches = members
            .iter()
            .filter(|m| is_disc(m))
            .map(|m| {
                let ty = m.ty;
                quote_spanned!(ty.span()=> <#ty as __q::QapiBranches>::describe_branches)
            })
            .next()
            .unwrap_or_else(|| quote!(__q::no_branches));
        quote! {
            __q::TypeDesc::Union {
                common: #common,
                members: #own,
                discriminator: #disc,
                branches: #branches,
            }
        }
    } else {
        let base = members
            .iter()
            .find(|m| m.base)
            .map(|m| {
                let d = describe_of(m.ty);
                quote!(::core::option::Option::Some(#d))
            })
            .unwrap_or_else(|| quote!(::core::option::Option::None));
        quote! {
            __q::TypeDesc::Struct { common: #common, base: #base, members: #own }
        }
    };
    let describe = describe_fn(desc);
    let serde = serde_impls(item, quote!(__q::serialize_object(self, __s)));
    let ctor = if is_union {
        TokenStream::new()
    } else {
        constructor(item)
    };

    // ---- compile-time facts and the checks that span several types
    let facts = facts(
        item,
        if is_union {
            quote!(Union)
        } else {
            quote!(Struct)
        },
        quote!(__q::json_types::OBJECT),
    );
    let base = members.iter().find(|m| m.base);
    let own: Vec<&Member> = members.iter().filter(|m| !m.base).collect();
    let own_names = own.iter().map(|m| {
        let (name, cfgs) = (&m.name, &m.cfgs);
        quote!(#(#cfgs)* #name)
    });
    let own_conditional = own.iter().any(|m| !m.cfgs.is_empty());
    let (base_facts, conditional) = match base {
        Some(b) => {
            let ty = unboxed(b.ty);
            (
                quote_spanned!(ty.span()=> ::core::option::Option::Some(<#ty as __q::Qapi>::OBJECT)),
                quote_spanned!(ty.span()=> #own_conditional || <#ty as __q::Qapi>::OBJECT.conditional),
            )
        }
        None => (
            quote!(::core::option::Option::None),
            quote!(#own_conditional),
        ),
    };
    let branch_facts = members
        .iter()
        .find(|m| is_disc(m))
        .map(|m| {
            let ty = m.ty;
            quote_spanned!(ty.span()=> <#ty as __q::QapiBranches>::BRANCHES)
        })
        .unwrap_or_else(|| quote!(&[]));
    let name = &item.name;
    let object = quote! {
        const OBJECT: &'static __q::ObjectFacts = &__q::ObjectFacts {
            name: #name,
            union: #is_union,
            base: #base_facts,
            members: &[#(#own_names),*],
            branches: #branch_facts,
            conditional: #conditional,
        };
    };
    let mut checks = TokenStream::new();
    if let Some(b) = base {
        let ty = unboxed(b.ty);
        let fallback = fallback_name(ty);
        // One check for the base and all own members (a check per
        // member costs compile time): the message names the member.
        let own_names = own.iter().map(|m| {
            let (name, cfgs) = (&m.name, &m.cfgs);
            quote!(#(#cfgs)* #name)
        });
        checks.extend(const_check(
            ty.span(),
            quote_spanned! {ty.span()=>
                __q::base_check(
                    <#ty as __q::Qapi>::FACTS,
                    #fallback,
                    &[#(#own_names),*],
                    <#ty as __q::Qapi>::OBJECT,
                )
            },
        ));
    }
    if let Some(m) = members.iter().find(|m| is_disc(m)) {
        let ty = m.ty;
        checks.extend(const_check(
            ty.span(),
            quote_spanned!(ty.span()=> __q::union_clash(<#ident as __q::Qapi>::OBJECT)),
        ));
    }

    quote! {
        #[automatically_derived]
        impl __q::Qapi for #ident {
            const KIND: __q::Kind = __q::Kind::Object;
            const DEEP_CHECKS: bool = false;
            #facts
            #object
            #describe
            #[inline]
            fn decode(__v: __q::Value, __d: &mut __q::Decoder) -> __q::Result<Self> {
                __d.whole_object(__v)
            }
        }
        #[automatically_derived]
        impl __q::QapiObject for #ident {
            #[inline]
            fn decode_members(__o: &mut __q::ObjectInput, __d: &mut __q::Decoder) -> __q::Result<Self> {
                #(#reads)*
                #(#branch_read)*
                ::core::result::Result::Ok(#construct)
            }
            fn serialize_members<__M: __q::serde::ser::SerializeMap>(&self, __m: &mut __M)
                -> ::core::result::Result<(), __M::Error>
            {
                #(#writes)*
                #(#branch_write)*
                ::core::result::Result::Ok(())
            }
        }
        #serde
        #ctor
        #checks
    }
}
