use qapi::Qapi;

// QEMU: struct has unknown keys 'bogus', 'phony'
#[derive(Qapi)]
#[qapi(struct, bogus, phony)]
struct Bar {
    string: String,
}

fn main() {}
