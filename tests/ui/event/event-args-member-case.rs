use qapi::Qapi;

// QEMU: name of 'data' member 'bps_rd' must not use uppercase or '_'
// (today's rule; schemas before 6.0 allowed `_`, which
// `#[qapi(name_exception)]` on the event permits).
#[derive(Qapi)]
#[qapi(event = "THROTTLED")]
struct Throttled {
    #[qapi(name = "bps_rd")]
    bps_rd: i64,
}

fn main() {}
