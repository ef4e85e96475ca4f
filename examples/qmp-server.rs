//! The main demo. Until the QMP server lands, this shows the codec: a
//! small schema written with the derives, a request decoded with QEMU's
//! rules (including QEMU's exact error texts), and a reply encoded.
//!
//! Run: `cargo run --example qmp-server`

use qapi::{Command, Decoder, Qapi, Value};

/// The run state of the virtual machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum RunState {
    Running,
    Paused,
    Shutdown,
}

/// What `query-status` answers.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct StatusInfo {
    pub running: bool,
    pub status: RunState,
}

/// Ask for the run state.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "query-status", returns = StatusInfo, allow_preconfig)]
pub struct QueryStatus {}

/// Resize a disk.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "block_resize")]
pub struct BlockResize {
    pub node_name: Option<String>,
    pub size: i64,
}

fn main() {
    let requests = [
        r#"{"node-name": "disk0", "size": 1073741824}"#,
        r#"{"node-name": "disk0"}"#,
        r#"{"node-name": "disk0", "size": 1.5}"#,
        r#"{"node-name": "disk0", "size": 1, "bogus": true}"#,
    ];
    for text in requests {
        let Ok(Value::Object(args)) = serde_json::from_str::<Value>(text) else { continue };
        match BlockResize::decode_args(args, &mut Decoder::new()) {
            Ok(cmd) => println!("{text}\n  -> decoded: {cmd:?}"),
            Err(e) => println!("{text}\n  -> {{\"error\": {}}}", serde_json::to_string(&e).unwrap()),
        }
    }
    let reply = StatusInfo { running: true, status: RunState::Running };
    println!("query-status returns {}", serde_json::to_string(&reply).unwrap());
}
