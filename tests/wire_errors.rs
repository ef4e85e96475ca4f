//! Every row of REFERENCE.md 4.3 (argument validation), replayed with the
//! exact requests sent to the live qemu-storage-daemon 10.0.2 and the
//! exact `desc` it answered (see ../shared/qemu/live/qsd-transcripts.txt).

mod common;
use common::validate;

fn err(req: &str) -> String {
    match validate(req) {
        Ok(()) => panic!("expected an error for {req}"),
        Err(e) => e,
    }
}

fn ok(req: &str) {
    if let Err(e) = validate(req) {
        panic!("expected {req} to be accepted, got: {e}");
    }
}

#[test]
fn missing_members() {
    assert_eq!(
        err(r#"{"execute":"block-job-cancel","arguments":{},"id":11}"#),
        "Parameter 'device' is missing"
    );
    // No `arguments` at all is the same as an empty object.
    assert_eq!(
        err(r#"{"execute":"block-job-cancel","id":12}"#),
        "Parameter 'device' is missing"
    );
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"qcow2","node-name":"q0","file":{"driver":"file"}},"id":47}"#
        ),
        "Parameter 'file.filename' is missing"
    );
    assert_eq!(
        err(
            r#"{"execute":"transaction","arguments":{"actions":[{"type":"block-dirty-bitmap-add","data":{}}]},"id":53}"#
        ),
        "Parameter 'actions[0].data.node' is missing"
    );
    // Union tag absent.
    assert_eq!(
        err(r#"{"execute":"blockdev-add","arguments":{"node-name":"x"},"id":42}"#),
        "Parameter 'driver' is missing"
    );
    // Several absent: the first in visiting order (base, then the branch's base chain).
    assert_eq!(
        err(r#"{"execute":"blockdev-add","arguments":{"driver":"qcow2"},"id":51}"#),
        "Parameter 'file' is missing"
    );
}

#[test]
fn unexpected_members() {
    assert_eq!(
        err(
            r#"{"execute":"block-job-cancel","arguments":{"device":"j0","force":true,"bogus":1},"id":13}"#
        ),
        "Parameter 'bogus' is unexpected"
    );
    // Commands without arguments reject any.
    assert_eq!(
        err(r#"{"execute":"query-version","arguments":{"x":1},"id":9}"#),
        "Parameter 'x' is unexpected"
    );
    ok(r#"{"execute":"query-version","arguments":{},"id":10}"#);
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"qcow2","node-name":"q0","file":{"driver":"file","filename":"/x","bogus":1}},"id":48}"#
        ),
        "Parameter 'file.bogus' is unexpected"
    );
}

#[test]
fn several_unexpected_members_pick_glib_order() {
    // QEMU names the first leftover in GLib hash-table order.
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"null-co","node-name":"n0","size":1048576,"bogus":1,"bogus2":2},"id":50}"#
        ),
        "Parameter 'bogus2' is unexpected"
    );
}

#[test]
fn string_and_bool_types() {
    assert_eq!(
        err(r#"{"execute":"block-job-cancel","arguments":{"device":1},"id":14}"#),
        "Invalid parameter type for 'device', expected: string"
    );
    assert_eq!(
        err(r#"{"execute":"block-job-cancel","arguments":{"device":"j0","force":"yes"},"id":15}"#),
        "Invalid parameter type for 'force', expected: boolean"
    );
    // null never means "absent".
    assert_eq!(
        err(r#"{"execute":"block-job-cancel","arguments":{"device":"j0","force":null},"id":16}"#),
        "Invalid parameter type for 'force', expected: boolean"
    );
    assert_eq!(
        err(r#"{"execute":"block-job-cancel","arguments":{"device":null},"id":17}"#),
        "Invalid parameter type for 'device', expected: string"
    );
    assert_eq!(
        err(r#"{"execute":"query-named-block-nodes","arguments":{"flat":1},"id":19}"#),
        "Invalid parameter type for 'flat', expected: boolean"
    );
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"qcow2","node-name":"q0","file":{"driver":"file","filename":7}},"id":49}"#
        ),
        "Invalid parameter type for 'file.filename', expected: string"
    );
    ok(r#"{"execute":"block-job-cancel","arguments":{"device":"j0"},"id":18}"#);
}

#[test]
fn int64() {
    for bad in [
        "1.5",
        "\"5\"",
        "9223372036854775808",
        "-9223372036854775809",
        "1e2",
    ] {
        let req = format!(
            r#"{{"execute":"block-job-set-speed","arguments":{{"device":"j0","speed":{bad}}}}}"#
        );
        assert_eq!(
            err(&req),
            "Invalid parameter type for 'speed', expected: integer",
            "speed = {bad}"
        );
    }
    ok(
        r#"{"execute":"block-job-set-speed","arguments":{"device":"j0","speed":9223372036854775807}}"#,
    );
    ok(
        r#"{"execute":"block-job-set-speed","arguments":{"device":"j0","speed":-9223372036854775808}}"#,
    );
}

#[test]
fn uint64_wraps_negative_and_rejects_the_rest() {
    ok(
        r#"{"execute":"block-set-write-threshold","arguments":{"node-name":"n0","write-threshold":18446744073709551615}}"#,
    );
    assert_eq!(
        err(
            r#"{"execute":"block-set-write-threshold","arguments":{"node-name":"n0","write-threshold":18446744073709551616}}"#
        ),
        "Parameter 'write-threshold' expects uint64"
    );
    assert_eq!(
        err(
            r#"{"execute":"block-set-write-threshold","arguments":{"node-name":"n0","write-threshold":1.0}}"#
        ),
        "Parameter 'write-threshold' expects uint64"
    );
    // -1 is accepted and stored modulo 2^64, as QEMU does.
    let v: qapi::Value =
        serde_json::from_str(r#"{"node-name":"n0","write-threshold":-1}"#).unwrap();
    let qapi::Value::Object(m) = v else {
        unreachable!()
    };
    let c = <common::qsd_mini::BlockSetWriteThreshold as qapi::Command>::decode_args(
        m,
        &mut qapi::Decoder::new(),
    )
    .unwrap();
    assert_eq!(c.write_threshold, u64::MAX);
}

#[test]
fn sized_integers_use_bare_names() {
    ok(
        r#"{"execute":"block-dirty-bitmap-add","arguments":{"node":"n0","name":"b","granularity":4294967295}}"#,
    );
    assert_eq!(
        err(
            r#"{"execute":"block-dirty-bitmap-add","arguments":{"node":"n0","name":"b","granularity":4294967296}}"#
        ),
        "Parameter 'granularity' expects uint32_t"
    );
    assert_eq!(
        err(
            r#"{"execute":"block-dirty-bitmap-add","arguments":{"node":"n0","name":"b","granularity":-1}}"#
        ),
        "Parameter 'granularity' expects uint32_t"
    );
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"blkdebug","node-name":"d0","image":"n0","max-transfer":2147483648}}"#
        ),
        "Parameter 'max-transfer' expects int32_t"
    );
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"blkdebug","node-name":"d0","image":"n0","max-transfer":-2147483649}}"#
        ),
        "Parameter 'max-transfer' expects int32_t"
    );
    // Nested two levels: still the bare member name.
    assert_eq!(
        err(
            r#"{"execute":"nbd-server-start","arguments":{"addr":{"type":"inet","data":{"host":"127.0.0.1","port":"0","to":65536}}}}"#
        ),
        "Parameter 'to' expects uint16_t"
    );
    // A list element has no name: QEMU prints `null`.
    assert_eq!(
        err(
            r#"{"execute":"object-add","arguments":{"qom-type":"thread-context","id":"tc0","cpu-affinity":[1,70000]}}"#
        ),
        "Parameter 'null' expects uint16_t"
    );
    // Wrong JSON type in a list of uint16: checked as uint64 first, full path.
    assert_eq!(
        err(
            r#"{"execute":"object-add","arguments":{"qom-type":"thread-context","id":"tc0","cpu-affinity":[1,"x"]}}"#
        ),
        "Parameter 'cpu-affinity[1]' expects uint64"
    );
    assert_eq!(
        err(
            r#"{"execute":"transaction","arguments":{"actions":[{"type":"block-dirty-bitmap-add","data":{"node":"n0","name":"b","granularity":"x"}}]}}"#
        ),
        "Parameter 'actions[0].data.granularity' expects uint64"
    );
}

#[test]
fn arrays_and_objects() {
    assert_eq!(
        err(
            r#"{"execute":"object-add","arguments":{"qom-type":"thread-context","id":"tc0","cpu-affinity":5}}"#
        ),
        "Invalid parameter type for 'cpu-affinity', expected: array"
    );
    assert_eq!(
        err(r#"{"execute":"nbd-server-start","arguments":{"addr":5}}"#),
        "Invalid parameter type for 'addr', expected: object"
    );
    assert_eq!(
        err(r#"{"execute":"nbd-server-start","arguments":{"addr":{"type":"inet","data":[]}}}"#),
        "Invalid parameter type for 'addr.data', expected: object"
    );
}

#[test]
fn enums() {
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"no-such-driver","node-name":"x"}}"#
        ),
        "Parameter 'driver' does not accept value 'no-such-driver'"
    );
    assert_eq!(
        err(r#"{"execute":"blockdev-add","arguments":{"driver":5,"node-name":"x"}}"#),
        "Invalid parameter type for 'driver', expected: string"
    );
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"file","node-name":"f0","filename":"/nonexistent/x","aio":"bogus"}}"#
        ),
        "Parameter 'aio' does not accept value 'bogus'"
    );
    // Inside a list element: still the bare name.
    assert_eq!(
        err(r#"{"execute":"transaction","arguments":{"actions":[{"type":"nosuch","data":{}}]}}"#),
        "Parameter 'type' does not accept value 'nosuch'"
    );
    assert_eq!(
        err(
            r#"{"execute":"transaction","arguments":{"actions":[{"type":"abort","data":{}},{"type":5}]}}"#
        ),
        "Invalid parameter type for 'actions[1].type', expected: string"
    );
}

#[test]
fn alternates_name_the_qapi_type() {
    assert_eq!(
        err(r#"{"execute":"blockdev-add","arguments":{"driver":"raw","node-name":"r0","file":1}}"#),
        "Invalid parameter type for 'file', expected: BlockdevRef"
    );
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"raw","node-name":"r0","file":null}}"#
        ),
        "Invalid parameter type for 'file', expected: BlockdevRef"
    );
    assert_eq!(
        err(
            r#"{"execute":"blockdev-add","arguments":{"driver":"qcow2","node-name":"q0","file":"n0","backing":true}}"#
        ),
        "Invalid parameter type for 'backing', expected: BlockdevRefOrNull"
    );
    ok(
        r#"{"execute":"blockdev-add","arguments":{"driver":"qcow2","node-name":"q0","file":"n0","backing":null}}"#,
    );
    assert_eq!(
        err(
            r#"{"execute":"block-dirty-bitmap-merge","arguments":{"node":"n0","target":"b","bitmaps":["a",7]}}"#
        ),
        "Invalid parameter type for 'null', expected: BlockDirtyBitmapOrStr"
    );
    ok(
        r#"{"execute":"block-dirty-bitmap-merge","arguments":{"node":"n0","target":"b","bitmaps":["a",{"node":"n1","name":"c"}]}}"#,
    );
}

#[test]
fn number_null_and_any() {
    use qapi::{Decoder, Qapi, Value};
    let mut d = Decoder::new();
    assert_eq!(f64::decode(Value::Int(3), &mut d).unwrap(), 3.0);
    assert_eq!(f64::decode(Value::Double(0.5), &mut d).unwrap(), 0.5);
    assert_eq!(
        f64::decode(Value::from("x"), &mut d).unwrap_err().desc,
        "Invalid parameter type for '<anonymous>', expected: number"
    );
    assert_eq!(
        qapi::Null::decode(Value::Int(0), &mut d).unwrap_err().desc,
        "Invalid parameter type for '<anonymous>', expected: null"
    );
    let any = serde_json::Value::decode(Value::from("x"), &mut d).unwrap();
    assert_eq!(any, serde_json::json!("x"));
}

#[test]
fn successful_blockdev_add_decodes_the_branch() {
    use common::qsd_mini::*;
    let v: qapi::Value = serde_json::from_str(
        r#"{"driver":"qcow2","node-name":"q0","file":{"driver":"file","filename":"/x"},"backing":null}"#,
    )
    .unwrap();
    let opts: BlockdevOptions = qapi::from_value(v).unwrap();
    assert_eq!(opts.node_name.as_deref(), Some("q0"));
    let BlockdevOptionsBranch::Qcow2(q) = &opts.driver else {
        panic!("wrong branch")
    };
    assert_eq!(q.base.backing, Some(BlockdevRefOrNull::Null(qapi::Null)));
    let BlockdevRef::Definition(inner) = &q.base.base.file else {
        panic!("file should be a definition")
    };
    assert!(matches!(&inner.driver, BlockdevOptionsBranch::File(f) if f.filename == "/x"));
    assert_eq!(qapi::QapiBranches::tag(&opts.driver), BlockdevDriver::Qcow2);
}

#[test]
fn malformed_json_gets_qemu_parser_texts() {
    use common::example::Point;
    let cases = [
        (r#"{"x": }"#, "JSON parse error, expecting value"),
        (r#"{"x" 1}"#, "JSON parse error, missing : in object pair"),
        (r#"{"x": tru}"#, "JSON parse error, invalid keyword 'tru'"),
        (r#"{"x": 1, "x": 2}"#, "JSON parse error, duplicate key"),
        (
            r#"{1: 2}"#,
            "JSON parse error, key is not a string in object",
        ),
        (
            "{\"x\": \"\\q\"}",
            "JSON parse error, invalid escape sequence in string",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(
            qapi::from_str::<Point>(text).unwrap_err().desc,
            want,
            "{text}"
        );
    }
    // QEMU's extension: single-quoted strings.
    let p: Point = qapi::from_str("{'x': 1, 'tags': []}").unwrap();
    assert_eq!(p.x, 1);
}

#[test]
fn fast_and_qemu_parsers_agree_on_edge_numbers() {
    #[derive(Debug, PartialEq, qapi::Qapi)]
    #[qapi(struct)]
    struct N {
        i: i64,
        d: Option<f64>,
    }
    // `-0` is the integer 0 for QEMU (a double for serde_json).
    assert_eq!(
        qapi::from_str::<N>(r#"{"i": -0}"#).unwrap(),
        N { i: 0, d: None }
    );
    assert_eq!(
        qapi::from_str::<N>(r#"{"i": -0.0}"#).unwrap_err().desc,
        "Invalid parameter type for 'i', expected: integer"
    );
    // Out of f64 range: QEMU reads infinity.
    assert_eq!(
        qapi::from_str::<N>(r#"{"i": 1, "d": 1e400}"#).unwrap().d,
        Some(f64::INFINITY)
    );
    // Deeper than serde_json's recursion limit, within QEMU's.
    let deep = format!(
        r#"{{"i": 1, "d": 2, "x": {}1{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    assert_eq!(
        qapi::from_str::<N>(&deep).unwrap_err().desc,
        "Parameter 'x' is unexpected"
    );
}

#[test]
fn doubles_parse_correctly_rounded() {
    // Found by the property tests: the fast path must round like QEMU's
    // strtod-based parser.
    for x in [
        2.359141827015376e184f64,
        1.105200295718411e19,
        7.268792842228352e143,
        0.1,
        5e-324,
    ] {
        let text = serde_json::to_string(&x).unwrap();
        assert_eq!(
            qapi::from_str::<f64>(&text).unwrap().to_bits(),
            x.to_bits(),
            "{text}"
        );
    }
}
