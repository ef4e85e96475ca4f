use qapi::Qapi;

// QEMU: expression must have exactly one key 'enum', 'struct', 'union', 'alternate', 'command', 'event'
// A struct with named fields is a struct and an enum of unit variants
// an enum; anything else needs its meta-type said.
#[derive(Qapi)]
struct Data(i64);

fn main() {}
