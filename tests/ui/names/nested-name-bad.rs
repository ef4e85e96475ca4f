use qapi::Qapi;

// A legacy nested struct's name is `<owner>.<member>`: each part must be
// a valid name.
#[derive(Qapi)]
#[qapi(struct, name = "VersionInfo.q!")]
struct Bad {
    major: i64,
}

#[derive(Qapi)]
#[qapi(struct, name = "VersionInfo.")]
struct Empty {
    major: i64,
}

#[derive(Qapi)]
#[qapi(struct, name = ".qemu")]
struct NoOwner {
    major: i64,
}

fn main() {}
