use qapi::Qapi;

#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum E {
    OneTwo,
    #[qapi(name = "one_two")]
    Other,
}

fn main() {}
