//! Simple (legacy) unions: `{"type": <branch>, "data": <value>}`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::*;
use crate::ast::Item;

pub fn expand(item: &Item) -> TokenStream {
    let ident = item.ident;
    let vs: Vec<_> = item.variants().iter().filter(|v| v.ty.is_some()).collect();

    let arms = vs.iter().map(|v| {
        let (vi, cfgs, bname) = (v.ident, &v.cfgs, &v.name);
        let ty = v.ty.expect("filtered");
        let read = tri(
            ty.span(),
            quote_spanned!(ty.span()=> __o.required::<#ty>(__d, "data", 0)),
        );
        quote_spanned! {ty.span()=>
            #(#cfgs)* #bname => Self::#vi(#read),
        }
    });
    let writes = vs.iter().map(|v| {
        let (vi, cfgs, bname) = (v.ident, &v.cfgs, &v.name);
        quote! {
            #(#cfgs)* Self::#vi(__x) => {
                __q::serde::ser::SerializeMap::serialize_entry(__m, "type", #bname)?;
                __q::serde::ser::SerializeMap::serialize_entry(__m, "data", __x)?;
            }
        }
    });
    let branches = branch_descs(&vs);
    let common = item.common();
    let describe = describe_fn(quote! {
        __q::TypeDesc::SimpleUnion { common: #common, branches: #branches }
    });
    let serde = serde_impls(item, quote!(__q::serialize_object(self, __s)));
    let facts = facts(item, quote!(Union), quote!(__q::json_types::OBJECT));
    let name = &item.name;

    quote! {
        #[automatically_derived]
        impl __q::Qapi for #ident {
            const KIND: __q::Kind = __q::Kind::Object;
            const DEEP_CHECKS: bool = false;
            #facts
            const OBJECT: &'static __q::ObjectFacts = &__q::ObjectFacts {
                name: #name,
                union: true,
                base: ::core::option::Option::None,
                members: &["type"],
                branches: &[],
                conditional: false,
            };
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
                let __kind = __q::simple_union_kind(__o, __d)?;
                ::core::result::Result::Ok(match __kind.as_str() {
                    #(#arms)*
                    _ => return ::core::result::Result::Err(__q::simple_union_kind_error(__d, &__kind)),
                })
            }
            fn serialize_members<__M: __q::serde::ser::SerializeMap>(&self, __m: &mut __M)
                -> ::core::result::Result<(), __M::Error>
            {
                match self { #(#writes)* }
                ::core::result::Result::Ok(())
            }
        }
        #serde
    }
}
