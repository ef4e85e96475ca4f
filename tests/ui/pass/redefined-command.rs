//! QEMU's `redefined-command` (`'foo' is already defined`) is not a
//! compile error: a client may well hold several Rust views of one
//! command. Registering both in one schema reports the clash.
use qapi::{Command, Qapi, SchemaBuilder};

#[derive(Qapi)]
#[qapi(command = "foo")]
struct Foo {
    one: String,
}

#[derive(Qapi)]
#[qapi(command = "foo")]
struct Foo2 {
    two: Option<String>,
}

fn main() {
    let mut s = SchemaBuilder::new();
    Foo::describe_command(&mut s);
    Foo2::describe_command(&mut s);
    assert_eq!(s.conflicts(), ["'foo' is already defined"]);
}
