//! The branches of a flat union, one variant per value of the tag enum.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::*;
use crate::ast::Item;

pub fn expand(item: &Item) -> TokenStream {
    let ident = item.ident;
    let Some(tag) = &item.tag else { return TokenStream::new() };
    let vs = item.variants();

    let tag_arms = vs.iter().map(|v| {
        let (vi, cfgs) = (v.ident, &v.cfgs);
        let pat = if v.ty.is_some() { quote!(Self::#vi(..)) } else { quote!(Self::#vi) };
        quote_spanned!(vi.span()=> #(#cfgs)* #pat => #tag::#vi,)
    });
    let decode_arms = vs.iter().map(|v| {
        let (vi, cfgs) = (v.ident, &v.cfgs);
        match v.ty {
            Some(ty) => quote_spanned! {ty.span()=>
                #(#cfgs)* #tag::#vi => Self::#vi(<#ty as __q::QapiObject>::decode_members(__o, __d)?),
            },
            None => quote_spanned!(vi.span()=> #(#cfgs)* #tag::#vi => Self::#vi,),
        }
    });
    let write_arms = vs.iter().filter(|v| v.ty.is_some()).map(|v| {
        let (vi, cfgs) = (v.ident, &v.cfgs);
        quote!(#(#cfgs)* Self::#vi(__x) => __q::QapiObject::serialize_members(__x, __m),)
    });
    let listed = vs.iter().filter(|v| v.ty.is_some()).map(|v| {
        let (vi, cfgs) = (v.ident, &v.cfgs);
        let describe = describe_of(v.ty.expect("filtered"));
        let cond = ast::cond(&v.cfgs);
        let doc = ast::doc(&v.doc);
        quote! {
            #(#cfgs)*
            __branches.push(__q::branch(__s, __q::QapiEnum::as_str(&#tag::#vi), #describe, #cond, #doc));
        }
    });

    quote! {
        #[automatically_derived]
        impl __q::QapiBranches for #ident {
            type Tag = #tag;
            fn tag(&self) -> #tag {
                match self { #(#tag_arms)* }
            }
            fn decode_branch(__tag: #tag, __o: &mut __q::ObjectInput, __d: &mut __q::Decoder)
                -> __q::Result<Self>
            {
                ::core::result::Result::Ok(match __tag { #(#decode_arms)* })
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
                let mut __branches = ::std::vec::Vec::new();
                #(#listed)*
                __branches
            }
        }
    }
}
