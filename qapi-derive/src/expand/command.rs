//! Commands and events: the struct holds the arguments (or data).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::*;
use crate::ast::{Body, Item};

/// Decoding, encoding and `ArgsDef` metadata of the arguments.
struct Args {
    decode: TokenStream,
    serialize: TokenStream,
    describe: TokenStream,
}

fn args(item: &Item) -> Args {
    match &item.body {
        Body::Newtype(ty) => Args {
            decode: {
                let open = tri(ty.span(), quote!(__d.object(__q::Value::Object(__args))));
                let read = tri(
                    ty.span(),
                    quote_spanned!(ty.span()=> <#ty as __q::QapiObject>::decode_members(&mut __obj, __d)),
                );
                let finish = tri(ty.span(), quote!(__d.finish(__obj)));
                quote_spanned! {ty.span()=>
                    let mut __obj = #open;
                    let __v = #read;
                    #finish;
                    ::core::result::Result::Ok(Self(__v))
                }
            },
            serialize: quote!(__q::serde::Serialize::serialize(&self.0, __s)),
            describe: {
                let d = describe_of(ty);
                quote!(__q::ArgsDesc::Named(#d))
            },
        },
        _ => {
            let members = item.members();
            let reads = members.iter().map(read_member);
            let construct = construct(members);
            let writes = members.iter().map(write_member);
            let descs = member_descs(members.iter(), |_| None);
            let span = proc_macro2::Span::call_site();
            let open = tri(span, quote!(__d.object(__q::Value::Object(__args))));
            let finish = tri(span, quote!(__d.finish(__obj)));
            Args {
                decode: quote! {
                    let mut __obj = #open;
                    let __o = &mut __obj;
                    #(#reads)*
                    #finish;
                    ::core::result::Result::Ok(#construct)
                },
                serialize: quote! {
                    let mut __map = __q::serde::Serializer::serialize_map(__s, ::core::option::Option::None)?;
                    {
                        let __m = &mut __map;
                        #(#writes)*
                    }
                    __q::serde::ser::SerializeMap::end(__map)
                },
                describe: quote!(__q::ArgsDesc::Inline(#descs)),
            }
        }
    }
}

fn serialize_impl(item: &Item, body: &TokenStream) -> TokenStream {
    let ident = item.ident;
    quote! {
        #[automatically_derived]
        impl __q::serde::Serialize for #ident {
            fn serialize<__S: __q::serde::Serializer>(&self, __s: __S)
                -> ::core::result::Result<__S::Ok, __S::Error>
            {
                #body
            }
        }
    }
}

pub fn expand_command(item: &Item) -> TokenStream {
    let ident = item.ident;
    let name = &item.name;
    let o = &item.command;
    let Args {
        decode,
        serialize,
        describe,
    } = args(item);
    let (returns_ty, returns_meta) = match &o.returns {
        Some(t) => (quote!(#t), {
            let d = describe_of(t);
            quote!(::core::option::Option::Some(#d))
        }),
        None => (quote!(__q::Empty), quote!(::core::option::Option::None)),
    };
    let returns_check = match (&o.returns, o.returns_exception) {
        (Some(t), false) => {
            let (described, array) = match vec_element(t) {
                Some(e) => (unboxed(e), true),
                None => (unboxed(t), false),
            };
            let fallback = fallback_name(described);
            const_check(
                t.span(),
                quote_spanned! {t.span()=>
                    __q::returns_check(
                        <#t as __q::Qapi>::KIND,
                        <#t as __q::Qapi>::ELEMENT_KIND,
                        <#described as __q::Qapi>::FACTS,
                        #fallback,
                        #array,
                    )
                },
            )
        }
        _ => TokenStream::new(),
    };
    let args_check = args_check(item, "command");
    let common = item.common();
    let mask = ast::special_mask(&item.features);
    let (sr, oob, pre, co, generate, boxed) = (
        o.success_response,
        o.allow_oob,
        o.allow_preconfig,
        o.coroutine,
        o.generate,
        o.boxed,
    );
    let ser = serialize_impl(item, &serialize);
    let ctor = if matches!(item.body, Body::Members(_)) {
        constructor(item)
    } else {
        TokenStream::new()
    };
    quote! {
        #[automatically_derived]
        impl __q::Command for #ident {
            const NAME: &'static str = #name;
            const INFO: __q::CommandInfo = __q::CommandInfo {
                name: #name,
                success_response: #sr,
                allow_oob: #oob,
                allow_preconfig: #pre,
                coroutine: #co,
                generate: #generate,
                boxed: #boxed,
                special_features: #mask,
            };
            type Returns = #returns_ty;
            fn describe_command(__s: &mut __q::SchemaBuilder) {
                __s.add_command(&__q::CommandDesc {
                    common: #common,
                    args: #describe,
                    returns: #returns_meta,
                    boxed: #boxed,
                    success_response: #sr,
                    allow_oob: #oob,
                    allow_preconfig: #pre,
                    coroutine: #co,
                    generate: #generate,
                });
            }
            #[inline]
            fn decode_args(__args: __q::Map, __d: &mut __q::Decoder) -> __q::Result<Self> {
                #decode
            }
        }
        #ser
        #ctor
        #returns_check
        #args_check
    }
}

pub fn expand_event(item: &Item) -> TokenStream {
    let ident = item.ident;
    let name = &item.name;
    let Args {
        decode,
        serialize,
        describe,
    } = args(item);
    let common = item.common();
    let mask = ast::special_mask(&item.features);
    let boxed = item.command.boxed;
    let ser = serialize_impl(item, &serialize);
    let ctor = if matches!(item.body, Body::Members(_)) {
        constructor(item)
    } else {
        TokenStream::new()
    };
    let args_check = args_check(item, "event");
    quote! {
        #[automatically_derived]
        impl __q::Event for #ident {
            const NAME: &'static str = #name;
            const SPECIAL_FEATURES: u8 = #mask;
            fn describe_event(__s: &mut __q::SchemaBuilder) {
                __s.add_event(&__q::EventDesc { common: #common, args: #describe, boxed: #boxed });
            }
            #[inline]
            fn decode_data(__args: __q::Map, __d: &mut __q::Decoder) -> __q::Result<Self> {
                #decode
            }
        }
        #ser
        #ctor
        #args_check
    }
}

/// A named `data` type: a union only with `boxed`, and so are
/// conditional members.
fn args_check(item: &Item, who: &str) -> TokenStream {
    let Body::Newtype(ty) = &item.body else {
        return TokenStream::new();
    };
    let boxed = item.command.boxed;
    let inner = unboxed(ty);
    const_check(
        ty.span(),
        quote_spanned!(ty.span()=> __q::args_check(#who, <#inner as __q::Qapi>::OBJECT, #boxed)),
    )
}
