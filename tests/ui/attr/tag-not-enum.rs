use qapi::Qapi;

#[derive(Qapi)]
#[qapi(struct)]
struct Data {
    x: i64,
}

// The tag of the branches must be a QAPI enum.
#[derive(Qapi)]
#[qapi(branches(tag = Data))]
enum UBranch {
    X(Data),
}

fn main() {}
