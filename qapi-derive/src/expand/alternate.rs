//! Alternates: one branch per JSON type, chosen by the input's JSON type.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::*;
use crate::ast::Item;

pub fn expand(item: &Item) -> TokenStream {
    let ident = item.ident;
    let name = &item.name;
    let vs: Vec<_> = item.variants().iter().filter(|v| v.ty.is_some()).collect();

    let picks = vs.iter().map(|v| {
        let (vi, cfgs) = (v.ident, &v.cfgs);
        let ty = v.ty.expect("filtered");
        quote_spanned! {ty.span()=>
            #(#cfgs)*
            if <#ty as __q::Qapi>::KIND.accepts(__t) {
                return match <#ty as __q::Qapi>::decode(__v, __d) {
                    ::core::result::Result::Ok(__x) => ::core::result::Result::Ok(Self::#vi(__x)),
                    ::core::result::Result::Err(__e) => ::core::result::Result::Err(__e),
                };
            }
        }
    });
    let branches = branch_descs(&vs);
    let common = item.common();
    let describe = describe_fn(quote! {
        __q::TypeDesc::Alternate { common: #common, branches: #branches }
    });
    let ser_arms = vs.iter().map(|v| {
        let (vi, cfgs) = (v.ident, &v.cfgs);
        quote!(#(#cfgs)* Self::#vi(__x) => __q::serde::Serialize::serialize(__x, __s),)
    });
    let serde = serde_impls(item, quote!(match self { #(#ser_arms)* }));
    let facts = facts(item, quote!(Alternate), quote!(0));

    // QEMU's alternate rules, one check per branch, on its type.
    let entries = vs.iter().map(|v| {
        let (bname, cfgs) = (&v.name, &v.cfgs);
        let ty = unboxed(v.ty.expect("filtered"));
        let fallback = fallback_name(ty);
        quote_spanned! {ty.span()=>
            #(#cfgs)* __q::AltBranch { name: #bname, facts: <#ty as __q::Qapi>::FACTS, fallback: #fallback }
        }
    });
    let checks = vs.iter().map(|v| {
        let (bname, cfgs) = (&v.name, &v.cfgs);
        let ty = v.ty.expect("filtered");
        let check = const_check(
            ty.span(),
            quote!(__q::alternate_branch(__QAPI_BRANCHES, #bname)),
        );
        quote!(#(#cfgs)* #check)
    });

    quote! {
        #[automatically_derived]
        impl __q::Qapi for #ident {
            const KIND: __q::Kind = __q::Kind::Alternate;
            const DEEP_CHECKS: bool = false;
            #facts
            #describe
            #[inline]
            fn decode(__v: __q::Value, __d: &mut __q::Decoder) -> __q::Result<Self> {
                let __t = __v.json_type();
                #(#picks)*
                ::core::result::Result::Err(__d.alternate_error(#name))
            }
        }
        #serde
        const __QAPI_BRANCHES: &[__q::AltBranch] = &[#(#entries),*];
        #(#checks)*
    }
}
