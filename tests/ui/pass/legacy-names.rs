//! Names of schemas before QEMU 6.0 that today's rules reject: an
//! anonymous nested struct (QEMU 1.x), named `<owner>.<member>`, and
//! command and event arguments with `_` under `name_exception`.
use qapi::schema::Definition;
use qapi::{Command, Event, Qapi, SchemaBuilder};

#[derive(Qapi)]
#[qapi(struct, name = "VersionInfo.qemu")]
struct VersionInfoQemu {
    major: i64,
}

#[derive(Qapi)]
#[qapi(struct, name = "PciBridgeInfo.bus.range")]
struct PciBridgeInfoBusRange {
    base: i64,
}

#[derive(Qapi)]
#[qapi(struct)]
struct VersionInfo {
    qemu: VersionInfoQemu,
    range: PciBridgeInfoBusRange,
}

#[derive(Qapi)]
#[qapi(struct, name = "set-throttle.opt")]
struct SetThrottleOpt {
    a: i64,
}

#[derive(Qapi)]
#[qapi(command = "set-throttle", name_exception)]
struct SetThrottle {
    #[qapi(name = "bps_rd")]
    bps_rd: i64,
    opt: SetThrottleOpt,
}

#[derive(Qapi)]
#[qapi(event = "THROTTLED", name_exception)]
struct Throttled {
    #[qapi(name = "iops_wr")]
    iops_wr: i64,
}

fn main() {
    let s = qapi::schema_of::<VersionInfo>();
    let Some(Definition::Struct(d)) = s.get("VersionInfo.qemu") else {
        panic!()
    };
    assert_eq!(d.members[0].name, "major");
    assert!(s.get("PciBridgeInfo.bus.range").is_some());
    let mut b = SchemaBuilder::new();
    SetThrottle::describe_command(&mut b);
    Throttled::describe_event(&mut b);
    let s = b.finish();
    assert!(s.get("set-throttle").is_some());
    assert!(s.get("set-throttle.opt").is_some());
    assert!(s.get("THROTTLED").is_some());
}
