use qapi::Qapi;

// QEMU: branch 'two' can't be distinguished from 'one'
#[derive(Qapi)]
#[qapi(struct)]
struct One {
    name: String,
}

#[derive(Qapi)]
#[qapi(struct)]
struct Two {
    value: i64,
}

#[derive(Qapi)]
#[qapi(alternate)]
enum Alt {
    One(One),
    Two(Two),
}

fn main() {}
