//! QEMU's `redefined-event` (`'EVENT_A' is already defined`) is not a
//! compile error (see `redefined-command`): describing both in one
//! schema reports the clash.
use qapi::{Event, Qapi, SchemaBuilder};

#[derive(Qapi)]
#[qapi(event = "EVENT_A")]
struct EventA {
    myint: i64,
}

#[derive(Qapi)]
#[qapi(event = "EVENT_A")]
struct EventA2 {
    myint: i64,
}

fn main() {
    let mut s = SchemaBuilder::new();
    EventA::describe_event(&mut s);
    EventA2::describe_event(&mut s);
    assert_eq!(s.conflicts(), ["'EVENT_A' is already defined"]);
}
