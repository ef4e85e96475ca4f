//! Stub impls emitted next to a compile error, so that uses of the type
//! elsewhere do not add a cascade of follow-on errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

pub fn stub(input: &DeriveInput) -> TokenStream {
    if !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    let ident = &input.ident;
    let krate: syn::Path = syn::parse_quote!(::qapi);
    quote! {
        #[doc(hidden)]
        const _: () = {
            use #krate::__private as __q;
            impl __q::serde::Serialize for #ident {
                fn serialize<__S: __q::serde::Serializer>(&self, _: __S)
                    -> ::core::result::Result<__S::Ok, __S::Error>
                {
                    ::core::unreachable!("the derive of this type failed to compile")
                }
            }
            impl<'de> __q::serde::Deserialize<'de> for #ident {
                fn deserialize<__D: __q::serde::Deserializer<'de>>(_: __D)
                    -> ::core::result::Result<Self, __D::Error>
                {
                    ::core::unreachable!("the derive of this type failed to compile")
                }
            }
            impl __q::Qapi for #ident {
                const KIND: __q::Kind = __q::Kind::Any;
                fn describe(_: &mut __q::SchemaBuilder) -> __q::TypeRef {
                    ::core::unreachable!("the derive of this type failed to compile")
                }
                fn decode(_: __q::Value, _: &mut __q::Decoder) -> __q::Result<Self> {
                    ::core::unreachable!("the derive of this type failed to compile")
                }
            }
        };
    }
}
