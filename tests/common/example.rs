//! ../shared/qemu/vectors/example.json written with the derives.
#![allow(dead_code)]

use qapi::{Qapi, Size};

/// A colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum Color {
    Red,
    #[cfg(CONFIG_GREEN)]
    Green,
    Blue,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct Point {
    pub x: i8,
    pub y: Option<u64>,
    pub tags: Vec<u16>,
    pub c: Option<Color>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = Color))]
pub enum ShapeBranch {
    Blue(Point),
    Red,
    #[cfg(CONFIG_GREEN)]
    Green,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "kind")]
pub struct Shape {
    pub kind: ShapeBranch,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum StrOrPoint {
    S(String),
    P(Point),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "draw", returns = Vec<Point>, feature = "unstable")]
pub struct Draw {
    pub shape: Shape,
    pub alt: Option<StrOrPoint>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "DRAWN")]
pub struct Drawn {
    pub count: Size,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "ping", allow_oob)]
pub struct Ping {}
