use qapi::Qapi;

// QEMU: 'features' member requires a string name
#[derive(Qapi)]
#[qapi(struct, feature = ["a feature cannot be an array"])]
struct FeatureStruct0 {
    foo: i64,
}

fn main() {}
