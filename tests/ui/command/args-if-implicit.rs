use qapi::Qapi;

// QEMU: conditional command arguments require 'boxed': true
#[derive(Qapi)]
#[qapi(command = "test-if-cmd")]
struct TestIfCmd {
    foo: i64,
    #[cfg(debug_assertions)]
    bar: String,
}

fn main() {}
