use qapi::Qapi;

#[derive(Qapi)]
#[qapi(union, discriminator = "kind")]
struct U {
    a: i64,
}

fn main() {}
