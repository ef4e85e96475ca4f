use qapi::Qapi;

// QEMU: conditional command arguments require 'boxed': true
#[derive(Qapi)]
#[qapi(struct)]
struct TestIfCmdArgs {
    foo: i64,
    #[cfg(debug_assertions)]
    bar: String,
}

#[derive(Qapi)]
#[qapi(command = "test-if-cmd")]
struct TestIfCmd(TestIfCmdArgs);

fn main() {}
