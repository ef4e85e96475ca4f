use qapi::Qapi;

// QEMU: 'data' must be an object
// A union is a struct of its base members, one of them the branches.
#[derive(Qapi)]
#[qapi(union, discriminator = "int")]
enum TestUnion {
    Rubbish,
    Nonsense,
}

fn main() {}
