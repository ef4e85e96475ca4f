use qapi::Qapi;

// QEMU: union misses key 'discriminator'
#[derive(Qapi)]
#[qapi(union)]
struct U {
    a: i64,
}

fn main() {}
