use qapi::Qapi;

// QEMU: 'features' member requires a string name
#[derive(Qapi)]
#[qapi(struct, feature(feature_type = "object"))]
struct FeatureStruct0 {
    foo: i64,
}

fn main() {}
