//! The QAPI `.json` schema language.
#![forbid(unsafe_code)]
