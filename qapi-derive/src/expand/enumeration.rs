//! Enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;
use crate::ast::Item;

pub fn expand(item: &Item) -> TokenStream {
    let ident = item.ident;
    let vs = item.variants();
    let values = vs.iter().map(|v| {
        let name = &v.name;
        let features = ast::features(&v.features);
        let cond = ast::cond(&v.cfgs);
        let doc = ast::doc(&v.doc);
        let cfgs = &v.cfgs;
        quote!(#(#cfgs)* __q::ValueDesc { name: #name, features: #features, cond: #cond, doc: #doc })
    });
    let common = item.common();
    let prefix = match &item.prefix {
        Some(p) => quote!(::core::option::Option::Some(#p)),
        None => quote!(::core::option::Option::None),
    };
    let describe = describe_fn(quote! {
        __q::TypeDesc::Enum { common: #common, values: &[#(#values),*], prefix: #prefix }
    });
    let all = vs.iter().map(|v| {
        let (vi, cfgs) = (v.ident, &v.cfgs);
        quote!(#(#cfgs)* Self::#vi)
    });
    let names = vs.iter().map(|v| {
        let (cfgs, name) = (&v.cfgs, &v.name);
        quote!(#(#cfgs)* #name)
    });
    let special = if vs.iter().any(|v| ast::special_mask(&v.features) != 0) {
        let masks = vs.iter().map(|v| {
            let cfgs = &v.cfgs;
            let mask = ast::special_mask(&v.features);
            quote!(#(#cfgs)* #mask)
        });
        quote!(const SPECIAL_FEATURES: &'static [u8] = &[#(#masks),*];)
    } else {
        TokenStream::new()
    };
    // Without explicit discriminants, a value's discriminant is its
    // position among the variants compiled in, as in `VALUES`.
    let explicit = match &item.input.data {
        syn::Data::Enum(e) => e.variants.iter().any(|v| v.discriminant.is_some()),
        _ => true,
    };
    let index = if explicit || vs.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            fn index(self) -> usize {
                self as usize
            }
        }
    };
    let serde = serde_impls(item, quote!(__s.serialize_str(__q::QapiEnum::as_str(self))));
    // As an alternate branch an enum occupies string, and boolean or
    // number when a value could be read as one.
    let mut alternate = quote!(__q::json_types::STRING);
    if vs.iter().any(|v| v.name == "on" || v.name == "off") {
        alternate.extend(quote!(| __q::json_types::BOOLEAN));
    }
    if vs.iter().any(|v| {
        v.name
            .starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c))
    }) {
        alternate.extend(quote!(| __q::json_types::NUMBER));
    }
    let facts = facts(item, quote!(Enum), alternate);

    quote! {
        #[automatically_derived]
        impl __q::Qapi for #ident {
            const KIND: __q::Kind = __q::Kind::String;
            #facts
            #describe
            const DEEP_CHECKS: bool = false;
            #[inline]
            fn decode(__v: __q::Value, __d: &mut __q::Decoder) -> __q::Result<Self> {
                __q::decode_enum(__v, __d)
            }
        }
        #[automatically_derived]
        impl __q::QapiEnum for #ident {
            const VALUES: &'static [Self] = &[#(#all),*];
            const NAMES: &'static [&'static str] = &[#(#names),*];
            #special
            #index
        }
        #serde
    }
}
