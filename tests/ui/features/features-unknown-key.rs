use qapi::Qapi;

// QEMU: 'features' member has unknown key 'colour'
#[derive(Qapi)]
#[qapi(struct, feature("bar", colour = "red"))]
struct FeatureStruct0 {
    foo: i64,
}

fn main() {}
