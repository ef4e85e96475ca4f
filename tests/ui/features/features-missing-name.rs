use qapi::Qapi;

// QEMU: 'features' member misses key 'name'
#[derive(Qapi)]
#[qapi(struct, feature(cfg(NAMELESS_FEATURES)))]
struct FeatureStruct0 {
    foo: i64,
}

fn main() {}
