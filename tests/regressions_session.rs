//! Minimal reproducers of what the `session` fuzz target found in the
//! servers (see FUZZING.md, "Findings"); the fuzz inputs are in
//! `fuzz/regressions/session/`.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qapi::server::ServerConfig;
use qapi::{Qapi, Registry};

#[derive(Debug, Qapi)]
#[qapi(command = "x-slow")]
pub struct XSlow {}

#[derive(Debug, Qapi)]
#[qapi(command = "x-slow-oob", allow_oob)]
pub struct XSlowOob {}

/// `x-slow` (in-band) takes 300 ms, `x-slow-oob` 600 ms; both async.
fn registry() -> Arc<Registry<()>> {
    let mut r = Registry::<()>::new();
    r.command_async::<XSlow, _, _>(|_, _| async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        Ok(qapi::Empty)
    });
    r.command_async::<XSlowOob, _, _>(|_, _| async {
        tokio::time::sleep(Duration::from_millis(600)).await;
        Ok(qapi::Empty)
    });
    Arc::new(r)
}

const CAPS: &str = r#"{"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}"#;

/// The `id`s of the replies (after the greeting), in order.
fn reply_ids(out: &[u8]) -> Vec<String> {
    let mut s = qapi::json::JsonStreamer::new();
    s.feed(out);
    s.drain()
        .skip(1)
        .map(|m| {
            let m = m.unwrap();
            let m = m.as_object().unwrap();
            assert!(m.contains_key("return"), "{m:?}");
            m.get("id")
                .and_then(qapi::Value::as_str)
                .unwrap_or("-")
                .to_owned()
        })
        .collect()
}

fn async_session(input: String) -> Vec<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut out = Vec::new();
    let closed = rt
        .block_on(qapi::server::serve_split(
            registry(),
            Arc::new(()),
            input.as_bytes(),
            &mut out,
            ServerConfig::qmp(),
        ))
        .unwrap();
    assert_eq!(closed, qapi::server::Closed::Quit);
    reply_ids(&out)
}

fn blocking_session(input: String) -> Vec<String> {
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sink = Sink::default();
    let closed = qapi::server::blocking::serve_connection(
        registry(),
        Arc::new(()),
        std::io::Cursor::new(input.into_bytes()),
        sink.clone(),
        ServerConfig::qmp().runtime(rt.handle().clone()),
    )
    .unwrap();
    assert_eq!(closed, qapi::server::Closed::Quit);
    let out = sink.0.lock().unwrap().clone();
    reply_ids(&out)
}

/// Found by `session` (`fuzz/regressions/session/quit-answers-running-oob`):
/// an asynchronous `exec-oob` handler still running when `quit` had been
/// answered was abandoned: its request, read before `quit`, got no reply
/// (the async server closed the connection at once; the blocking one
/// queued the reply after `quit`'s, if at all). QEMU runs OOB commands as
/// soon as it reads them, so every OOB request read before `quit` runs
/// is answered, before `quit`'s reply. Now `quit` waits for the
/// handlers still running (up to `QUIT_OOB_WAIT`) and sends their replies
/// first.
#[test]
fn quit_answers_running_oob_requests_first() {
    // The fuzz target's case: the OOB request before `quit`.
    let input =
        format!(r#"{CAPS}{{"exec-oob":"x-slow-oob","id":"p1"}}{{"execute":"quit","id":"q"}}"#);
    assert_eq!(async_session(input.clone()), ["-", "p1", "q"]);
    assert_eq!(blocking_session(input), ["-", "p1", "q"]);

    // `quit` waits behind a slow in-band command while an OOB request
    // read after it runs: QEMU has answered that one before `quit` runs.
    let input = format!(
        r#"{CAPS}{{"execute":"x-slow","id":"x"}}{{"execute":"quit","id":"q"}}{{"exec-oob":"x-slow-oob","id":"p1"}}"#
    );
    assert_eq!(async_session(input.clone()), ["-", "x", "p1", "q"]);
    assert_eq!(blocking_session(input), ["-", "x", "p1", "q"]);
}

/// Harness correction (session target,
/// `fuzz/regressions/session/quit-after-oob-same-reply`): without `id`s
/// the reply of an OOB request answered before `quit` and `quit`'s own
/// are the same text, `{"return": {}}`; the target took the first for
/// `quit`'s and then reported output after it. It now takes the last
/// reply for `quit`'s. The server's side of it:
#[test]
fn oob_reply_without_id_comes_before_quits() {
    let input = format!(r#"{CAPS}{{"exec-oob":"x-slow-oob"}}{{"execute":"quit"}}"#);
    assert_eq!(async_session(input.clone()), ["-", "-", "-"]);
    assert_eq!(blocking_session(input), ["-", "-", "-"]);
}
