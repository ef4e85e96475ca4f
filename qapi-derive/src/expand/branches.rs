//! The branches of a flat union, one variant per value of the tag enum.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::*;
use crate::ast::Item;

pub fn expand(item: &Item) -> TokenStream {
    let ident = item.ident;
    let Some(tag) = &item.tag else {
        return TokenStream::new();
    };
    let vs = item.variants();

    // `Tag::Variant`, spanned on the variant: a branch that is not a
    // value of the tag enum is reported there.
    let value = |vi: &syn::Ident| respan(quote!(#tag::#vi), vi.span());
    let tag_arms = vs.iter().map(|v| {
        let (vi, cfgs) = (v.ident, &v.cfgs);
        let pat = if v.ty.is_some() {
            quote!(Self::#vi(..))
        } else {
            quote!(Self::#vi)
        };
        let value = value(vi);
        quote_spanned!(vi.span()=> #(#cfgs)* #pat => #value,)
    });
    let decode_arms = vs.iter().map(|v| {
        let (vi, cfgs) = (v.ident, &v.cfgs);
        let value = value(vi);
        match v.ty {
            Some(ty) => quote_spanned! {ty.span()=>
                #(#cfgs)* #value => match <#ty as __q::QapiObject>::decode_members(__o, __d) {
                    ::core::result::Result::Ok(__x) => ::core::result::Result::Ok(Self::#vi(__x)),
                    ::core::result::Result::Err(__e) => ::core::result::Result::Err(__e),
                },
            },
            None => quote_spanned!(vi.span()=> #(#cfgs)* #value => ::core::result::Result::Ok(Self::#vi),),
        }
    });
    let write_arms = vs.iter().filter_map(|v| {
        let (vi, cfgs, ty) = (v.ident, &v.cfgs, v.ty?);
        Some(quote_spanned!(ty.span()=> #(#cfgs)* Self::#vi(__x) => <#ty as __q::QapiObject>::serialize_members(__x, __m),))
    });
    let listed: Vec<TokenStream> = vs
        .iter()
        .filter(|v| v.ty.is_some())
        .map(|v| {
            let (vi, cfgs) = (v.ident, &v.cfgs);
            let describe = describe_of(v.ty.expect("filtered"));
            let cond = ast::cond(&v.cfgs);
            let doc = ast::doc(&v.doc);
            let value = value(vi);
            quote! {
                #(#cfgs)*
                __q::TagBranchDesc { tag: #value, ty: #describe, cond: #cond, doc: #doc }
            }
        })
        .collect();
    // The tag type is inferred from the listed values (no turbofish: a tag
    // that is not an enum is then reported once, on the trait's bound).
    let describe_branches = if listed.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote!(__q::tag_branches(__s, &[#(#listed),*]))
    };

    let objects = vs.iter().filter_map(|v| {
        let ty = unboxed(v.ty?);
        let cfgs = &v.cfgs;
        Some(quote_spanned!(ty.span()=> #(#cfgs)* <#ty as __q::Qapi>::OBJECT))
    });

    quote! {
        #[automatically_derived]
        impl __q::QapiBranches for #ident {
            type Tag = #tag;
            const BRANCHES: &'static [&'static __q::ObjectFacts] = &[#(#objects),*];
            #[inline]
            fn tag(&self) -> #tag {
                match self { #(#tag_arms)* }
            }
            #[inline]
            fn decode_branch(__tag: #tag, __o: &mut __q::ObjectInput, __d: &mut __q::Decoder)
                -> __q::Result<Self>
            {
                match __tag { #(#decode_arms)* }
            }
            fn serialize_branch<__M: __q::serde::ser::SerializeMap>(&self, __m: &mut __M)
                -> ::core::result::Result<(), __M::Error>
            {
                match self {
                    #(#write_arms)*
                    _ => ::core::result::Result::Ok(()),
                }
            }
            fn describe_branches(__s: &mut __q::SchemaBuilder) -> ::std::vec::Vec<__q::Branch> {
                #describe_branches
            }
        }
    }
}
