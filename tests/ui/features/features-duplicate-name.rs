use qapi::Qapi;

// QEMU: feature 'foo' collides with feature 'foo'
#[derive(Qapi)]
#[qapi(struct, feature = "foo", feature = "bar", feature = "foo")]
struct FeatureStruct0 {
    foo: i64,
}

fn main() {}
