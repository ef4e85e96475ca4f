use qapi::Qapi;

#[derive(Qapi)]
#[qapi(command = "guest-get-time", returns = i64, returns_exception)]
struct GuestGetTime {}

#[derive(Qapi)]
#[qapi(command = "query-cpus-fast", returns = Vec<Info>)]
struct QueryCpusFast {}

#[derive(Qapi)]
#[qapi(struct)]
struct Info {
    cpu: i64,
}

fn main() {}
