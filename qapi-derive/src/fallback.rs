//! Stub impls emitted next to a compile error, so that uses of the type
//! elsewhere (as a field, a base, a branch, a tag, a registered command)
//! do not add a cascade of follow-on errors: the user sees the one real
//! error.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::attr::{ContainerAttrs, MetaKind};

pub fn stub(input: &DeriveInput, c: &ContainerAttrs) -> TokenStream {
    if !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    let ident = &input.ident;
    let krate = c.krate.clone().unwrap_or_else(|| syn::parse_quote!(::qapi));
    let meta = c
        .meta
        .as_ref()
        .map(|m| m.value.clone())
        .or_else(|| crate::ast::inferred_meta(input));
    let unreachable = quote!(::core::unreachable!(
        "the derive of this type failed to compile"
    ));
    let serialize = quote! {
        #[automatically_derived]
        impl __q::serde::Serialize for #ident {
            fn serialize<__S: __q::serde::Serializer>(&self, _: __S)
                -> ::core::result::Result<__S::Ok, __S::Error>
            {
                #unreachable
            }
        }
    };
    let qapi = |kind: TokenStream| {
        quote! {
            #serialize
            #[automatically_derived]
            impl<'de> __q::serde::Deserialize<'de> for #ident {
                fn deserialize<__D: __q::serde::Deserializer<'de>>(_: __D)
                    -> ::core::result::Result<Self, __D::Error>
                {
                    #unreachable
                }
            }
            #[automatically_derived]
            impl __q::Qapi for #ident {
                const KIND: __q::Kind = __q::Kind::#kind;
                fn describe(_: &mut __q::SchemaBuilder) -> __q::TypeRef {
                    #unreachable
                }
                fn decode(_: __q::Value, _: &mut __q::Decoder) -> __q::Result<Self> {
                    #unreachable
                }
            }
        }
    };
    let body = match meta {
        Some(MetaKind::Struct | MetaKind::Union | MetaKind::SimpleUnion) => {
            let q = qapi(quote!(Object));
            quote! {
                #q
                #[automatically_derived]
                impl __q::QapiObject for #ident {
                    fn decode_members(_: &mut __q::ObjectInput, _: &mut __q::Decoder) -> __q::Result<Self> {
                        #unreachable
                    }
                    fn serialize_members<__M: __q::serde::ser::SerializeMap>(&self, _: &mut __M)
                        -> ::core::result::Result<(), __M::Error>
                    {
                        #unreachable
                    }
                }
            }
        }
        Some(MetaKind::Enum) if !matches!(input.data, syn::Data::Enum(_)) => qapi(quote!(String)),
        Some(MetaKind::Enum) => {
            // `QapiEnum` needs `Copy + Eq`, which a correct enum derives
            // anyway.
            let q = qapi(quote!(String));
            quote! {
                #q
                #[automatically_derived]
                impl __q::QapiEnum for #ident {
                    const VALUES: &'static [Self] = &[];
                    const NAMES: &'static [&'static str] = &[];
                }
            }
        }
        Some(MetaKind::Alternate) => qapi(quote!(Alternate)),
        Some(MetaKind::Branches) => match &c.tag {
            Some(tag) => quote! {
                #[automatically_derived]
                impl __q::QapiBranches for #ident {
                    type Tag = #tag;
                    fn tag(&self) -> #tag {
                        #unreachable
                    }
                    fn decode_branch(_: #tag, _: &mut __q::ObjectInput, _: &mut __q::Decoder)
                        -> __q::Result<Self>
                    {
                        #unreachable
                    }
                    fn serialize_branch<__M: __q::serde::ser::SerializeMap>(&self, _: &mut __M)
                        -> ::core::result::Result<(), __M::Error>
                    {
                        #unreachable
                    }
                    fn describe_branches(_: &mut __q::SchemaBuilder) -> ::std::vec::Vec<__q::Branch> {
                        #unreachable
                    }
                }
            },
            None => TokenStream::new(),
        },
        Some(MetaKind::Command(name)) => {
            let returns = match &c.returns {
                Some(t) => quote!(#t),
                None => quote!(__q::Empty),
            };
            quote! {
                #serialize
                #[automatically_derived]
                impl __q::Command for #ident {
                    const NAME: &'static str = #name;
                    const INFO: __q::CommandInfo = __q::CommandInfo {
                        name: #name,
                        success_response: true,
                        allow_oob: false,
                        allow_preconfig: false,
                        coroutine: false,
                        generate: true,
                        boxed: false,
                        special_features: 0,
                    };
                    type Returns = #returns;
                    fn describe_command(_: &mut __q::SchemaBuilder) {
                        #unreachable
                    }
                    fn decode_args(_: __q::Map, _: &mut __q::Decoder) -> __q::Result<Self> {
                        #unreachable
                    }
                }
            }
        }
        Some(MetaKind::Event(name)) => quote! {
            #serialize
            #[automatically_derived]
            impl __q::Event for #ident {
                const NAME: &'static str = #name;
                const SPECIAL_FEATURES: u8 = 0;
                fn describe_event(_: &mut __q::SchemaBuilder) {
                    #unreachable
                }
                fn decode_data(_: __q::Map, _: &mut __q::Decoder) -> __q::Result<Self> {
                    #unreachable
                }
            }
        },
        None => qapi(quote!(Any)),
    };
    let cfgs = crate::attr::late_cfgs(&input.attrs);
    quote! {
        #(#[cfg(#cfgs)])*
        #[doc(hidden)]
        #[allow(unused_qualifications, clippy::all)]
        const _: () = {
            #[allow(unused_imports)]
            use #krate::__private as __q;
            #body
        };
    }
}
