//! `include/sub-module.json`: sub-module of qapi-schema-test.json. It
//! starts with `{ 'include': '../sub-sub-module.json' }` (see
//! [`crate::sub_sub_module`]).

use qapi::Qapi;

use crate::sub_sub_module::Status;

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct SecondArrayRef {
    pub s: Vec<Status>,
}
