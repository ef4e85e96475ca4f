//! `#[qapi::cond(PRED)]` is `#[cfg(PRED)]` recorded as the item's QAPI
//! condition, written before or after `#[derive(Qapi)]`.
use qapi::schema::{Cond, Definition};
use qapi::{Qapi, cond};

#[qapi::cond(debug_assertions)]
#[derive(Qapi)]
#[qapi(struct)]
struct Before {
    a: i64,
}

#[derive(Qapi)]
#[qapi_derive::cond(all(debug_assertions, not(test)))]
#[qapi(struct)]
struct After {
    a: i64,
}

#[derive(Qapi)]
#[cond(not(debug_assertions))]
#[qapi(struct)]
struct Absent {
    a: Missing,
}

fn main() {
    let s = qapi::schema_of::<Before>();
    let Some(Definition::Struct(d)) = s.get("Before") else { panic!() };
    assert_eq!(d.common.cond, Some(Cond::Name("debug_assertions".into())));
    let s = qapi::schema_of::<After>();
    let Some(Definition::Struct(d)) = s.get("After") else { panic!() };
    assert!(matches!(&d.common.cond, Some(Cond::All(v)) if v.len() == 2));
}
