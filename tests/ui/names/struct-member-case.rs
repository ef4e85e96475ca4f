use qapi::Qapi;

// QEMU: name of 'data' member 'tray_open' must not use uppercase or '_'
#[derive(Qapi)]
#[qapi(struct)]
struct DriveInfo {
    #[qapi(name = "tray_open")]
    tray_open: bool,
}

fn main() {}
