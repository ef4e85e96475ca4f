#![allow(dead_code)]
pub mod example;
pub mod qsd_mini;

use qapi::{Command, Decoder, Map, Value};

/// Decodes the `arguments` of a request line for one of the mini-QSD
/// commands, as QEMU's marshaller would, and returns QEMU's error text.
pub fn validate(request: &str) -> Result<(), String> {
    use qsd_mini::*;
    let v: Value = qapi::json::parse_one(request.as_bytes()).expect("test request is JSON");
    let Value::Object(mut req) = v else {
        panic!("request is an object")
    };
    let name = req
        .remove("execute")
        .and_then(|v| v.as_str().map(str::to_owned))
        .expect("execute");
    let args = match req.remove("arguments") {
        Some(Value::Object(m)) => m,
        None => Map::new(),
        Some(other) => panic!("arguments not an object: {other}"),
    };
    fn run<C: Command>(args: Map) -> Result<(), String> {
        C::decode_args(args, &mut Decoder::new())
            .map(|_| ())
            .map_err(|e| e.desc)
    }
    match name.as_str() {
        "query-version" => run::<QueryVersion>(args),
        "block-job-cancel" => run::<BlockJobCancel>(args),
        "block-job-set-speed" => run::<BlockJobSetSpeed>(args),
        "block-set-write-threshold" => run::<BlockSetWriteThreshold>(args),
        "query-named-block-nodes" => run::<QueryNamedBlockNodes>(args),
        "block-dirty-bitmap-add" => run::<BlockDirtyBitmapAddCmd>(args),
        "blockdev-add" => run::<BlockdevAdd>(args),
        "nbd-server-start" => run::<NbdServerStart>(args),
        "object-add" => run::<ObjectAdd>(args),
        "transaction" => run::<Transaction>(args),
        "block-dirty-bitmap-merge" => run::<BlockDirtyBitmapMerge>(args),
        other => panic!("no such test command {other}"),
    }
}
