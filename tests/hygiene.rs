//! The generated code must not depend on names the user's scope may
//! shadow, and must not trigger warnings.
#![deny(warnings)]
#![allow(dead_code)]

mod shadowing {
    // Every name generated code might reach for unqualified.
    type Result = ();
    type Option = ();
    struct Some;
    struct None;
    struct Ok;
    struct Err;
    struct Vec;
    struct String;
    struct Box;
    mod serde {}
    mod core {}
    mod std {}

    #[derive(qapi::Qapi)]
    #[qapi(struct)]
    pub struct S {
        pub a: i64,
        pub b: ::core::option::Option<::std::string::String>,
    }

    #[derive(Clone, Copy, PartialEq, Eq, qapi::Qapi)]
    #[qapi(enum)]
    pub enum E {
        A,
        B,
    }

    #[derive(qapi::Qapi)]
    #[qapi(branches(tag = E))]
    pub enum Br {
        A(S),
        B,
    }

    #[derive(qapi::Qapi)]
    #[qapi(union, discriminator = "kind")]
    pub struct U {
        pub kind: Br,
    }

    #[derive(qapi::Qapi)]
    #[qapi(alternate)]
    pub enum Alt {
        S(::std::string::String),
        O(S),
    }

    #[derive(qapi::Qapi)]
    #[qapi(simple_union)]
    pub enum Simple {
        One(S),
    }

    #[derive(qapi::Qapi)]
    #[qapi(command = "cmd", returns = S)]
    pub struct Cmd {
        pub un: U,
        pub alt: ::core::option::Option<Alt>,
    }

    #[derive(qapi::Qapi)]
    #[qapi(event = "EV")]
    pub struct Ev(pub S);
}

#[test]
fn shadowed_names_compile() {
    let v: shadowing::S = qapi::from_str(r#"{"a": 1}"#).unwrap();
    assert_eq!(v.a, 1);
}
