//! `sub-sub-module.json`: sub-module of sub-module
//! `include/sub-module.json` of qapi-schema-test.json.

use qapi::Qapi;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum Status {
    Good,
    Bad,
    Ugly,
}
