//! QEMU's positive case `alternate-array`: an array branch and an object
//! branch are distinguishable.
use qapi::Qapi;

#[derive(Debug, PartialEq, Qapi)]
#[qapi(struct)]
struct One {
    name: String,
}

#[derive(Debug, PartialEq, Qapi)]
#[qapi(alternate)]
enum Alt {
    One(One),
    Two(Vec<i64>),
}

fn main() {
    assert_eq!(qapi::from_str::<Alt>("[1, 2]").unwrap(), Alt::Two(vec![1, 2]));
    assert_eq!(qapi::from_str::<Alt>(r#"{"name": "x"}"#).unwrap(), Alt::One(One { name: "x".into() }));
}
