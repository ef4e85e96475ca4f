//! `#[qapi::cond(PRED)]` on a whole item: compiled only when PRED holds,
//! and the condition recorded (an item's own `#[cfg]` never reaches the
//! derive).

use qapi::Qapi;
use qapi::schema::{Cond, Definition};

#[qapi::cond(not(CONFIG_GREEN))]
#[derive(Debug, Qapi)]
#[qapi(struct)]
pub struct OnlyWithoutGreen {
    pub a: i64,
}

#[qapi::cond(CONFIG_GREEN)]
#[derive(Debug, Qapi)]
#[qapi(struct)]
pub struct OnlyWithGreen {
    pub a: i64,
}

#[test]
fn item_condition_is_recorded_and_applied() {
    let schema = qapi::schema_of::<OnlyWithoutGreen>();
    let Some(Definition::Struct(s)) = schema.get("OnlyWithoutGreen") else {
        panic!()
    };
    assert_eq!(
        s.common.cond,
        Some(Cond::Not(Box::new(Cond::name("CONFIG_GREEN"))))
    );
    // CONFIG_GREEN is not set in this build: the other item does not exist.
    assert!(!std::any::type_name::<OnlyWithoutGreen>().is_empty());
}
