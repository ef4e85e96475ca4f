use qapi::Qapi;

// QEMU: 'if' condition [] of struct is useless
// `#[qapi::cond(all())]` writes `#[cfg(all())]` and this.
#[derive(Qapi)]
#[qapi(struct, cond(all()))]
struct TestIfStruct {
    foo: i64,
}

fn main() {}
