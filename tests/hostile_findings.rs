//! Problems the hostile-client work found outside the server, each as a
//! minimal failing test, `#[ignore]`d until fixed where it lives
//! (`cargo test --test hostile_findings -- --ignored` shows them), and
//! kept as a regression test once fixed.

use std::process::Command;

/// Runs this test binary again for test `name` with `QAPI_FINDING_CHILD`
/// set, so that a crash (a stack overflow aborts the process) becomes a
/// test failure; returns whether the child succeeded, and its stderr.
fn child(name: &str) -> (bool, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--include-ignored", "--nocapture"])
        .env("QAPI_FINDING_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 passed") || !out.status.success(),
        "the child ran no test:\n{stdout}"
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `f` on a new thread with `size` bytes of stack and returns its
/// result (a stack overflow there aborts the process: see [`child`]).
fn on_stack<R: Send + 'static>(size: usize, f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(size)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// Found: `impl From<qapi::Value> for serde_json::Value`
/// (qapi-core/src/value.rs) recursed once per level, through `collect`
/// and iterator adapters: in a debug build some 2 KiB of stack per level,
/// so an `any` member nested 1000 levels deep (QEMU's limit is 1024, the
/// JSON reader accepts it) overflowed the 2 MiB stack of a spawned
/// thread or a tokio worker and aborted the whole process. Decoding
/// `any` as `serde_json::Value` goes through it (`builtins.rs`). Fixed
/// in 9c444af (the conversion is iterative); kept as a regression test.
///
/// The servers also dispatch requests nested more than 64 levels deep on
/// a thread with a 64 MiB stack (server/proto.rs, `on_stack`), for the
/// other recursive paths (typed decoding, handlers).
#[test]
fn deep_any_to_serde_json_on_a_2_mib_stack() {
    if std::env::var_os("QAPI_FINDING_CHILD").is_some() {
        let depth = 1000;
        let text = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        let decoded = on_stack(2 << 20, move || {
            qapi::from_str::<serde_json::Value>(&text).is_ok()
        });
        assert!(decoded);
        return;
    }
    let (ok, stderr) = child("deep_any_to_serde_json_on_a_2_mib_stack");
    assert!(ok, "decoding a 1000-deep `any` crashed:\n{stderr}");
}

/// Found: a recursive QAPI type (QEMU has them: `BlockdevRef` in
/// `BlockdevOptions`) was decoded by the derived decoder with several
/// stack frames per level, 2 to 3 KiB in a debug build, so a value 1000
/// levels deep (within QEMU's limit of 1024) overflowed a 2 MiB thread
/// stack and aborted the process (800 levels still fitted). Callers of
/// `qapi::from_str`, `Registry::dispatch` or the clients on ordinary
/// threads were affected; the servers were not (requests nested more than
/// 64 levels are dispatched on a 64 MiB stack, server/proto.rs).
///
/// Fixed: the decoder (qapi-core/src/decode.rs, "Deep values") measures
/// the stack a stretch of nesting uses and goes on on a scoped thread of
/// its own every 256 KiB, and refuses values nested deeper than QEMU's
/// 1024 levels (only a value built in memory can be) with QEMU's `JSON
/// nesting depth limit exceeded`. Here every kind of recursion (an
/// optional boxed member, a list, an alternate, a union branch) at QEMU's
/// limit decodes, encodes back and drops on a 2 MiB stack, and deeper
/// values built in memory are refused cleanly.
#[test]
fn deep_recursive_type_on_a_2_mib_stack() {
    #[derive(Debug, Clone, PartialEq, qapi::Qapi)]
    #[qapi(struct)]
    pub struct Node {
        pub v: i64,
        pub next: Option<Box<Node>>,
    }
    #[derive(Debug, Clone, PartialEq, qapi::Qapi)]
    #[qapi(struct)]
    pub struct Tree {
        pub children: Vec<Tree>,
    }
    #[derive(Debug, Clone, PartialEq, qapi::Qapi)]
    #[qapi(alternate)]
    pub enum Ref {
        Inline(Box<Opts>),
        Name(String),
    }
    #[derive(Debug, Clone, Copy, PartialEq, Eq, qapi::Qapi)]
    #[qapi(enum)]
    pub enum Driver {
        Leaf,
        Wrap,
    }
    #[derive(Debug, Clone, PartialEq, qapi::Qapi)]
    #[qapi(struct)]
    pub struct Wrap {
        pub file: Ref,
    }
    #[derive(Debug, Clone, PartialEq, qapi::Qapi)]
    #[qapi(branches(tag = Driver))]
    pub enum OptsBranch {
        Leaf,
        Wrap(Wrap),
    }
    #[derive(Debug, Clone, PartialEq, qapi::Qapi)]
    #[qapi(union, discriminator = "driver")]
    pub struct Opts {
        pub driver: OptsBranch,
        pub node_name: Option<String>,
    }

    /// Decodes `text`, encodes the result back and compares, drops it;
    /// on a 2 MiB thread.
    fn roundtrip<T: qapi::Qapi + PartialEq + std::fmt::Debug + 'static>(text: String) {
        let ok = on_stack(2 << 20, move || {
            let t = qapi::from_str::<T>(&text).expect("decodes");
            let back = qapi::json::to_vec(&t, &qapi::json::WriteOptions::COMPACT).unwrap();
            let again = qapi::from_slice::<T>(&back).expect("decodes again");
            assert!(t == again);
            drop((t, again));
            true
        });
        assert!(ok);
    }

    if std::env::var_os("QAPI_FINDING_CHILD").is_some() {
        // QEMU's limit: 1024 levels of nesting in all.
        let n = 1023;
        roundtrip::<Node>(format!(
            "{}{{\"v\":1}}{}",
            r#"{"v":1,"next":"#.repeat(n),
            "}".repeat(n)
        ));
        let n = 1023 / 2;
        roundtrip::<Tree>(format!(
            "{}{{\"children\":[]}}{}",
            r#"{"children":["#.repeat(n),
            "]}".repeat(n)
        ));
        let n = 1023;
        roundtrip::<Opts>(format!(
            "{}{{\"driver\":\"leaf\"}}{}",
            r#"{"driver":"wrap","node-name":"n","file":"#.repeat(n),
            "}".repeat(n)
        ));

        // Through a registry, on an ordinary thread.
        #[derive(Debug, qapi::Qapi)]
        #[qapi(command = "x-deep")]
        pub struct XDeep {
            pub node: Node,
        }
        // The request, `arguments`, then 1022 levels of `node`: 1024.
        let n = 1021;
        let request = format!(
            r#"{{"execute":"x-deep","arguments":{{"node":{}{{"v":1}}{}}},"id":1}}"#,
            r#"{"v":1,"next":"#.repeat(n),
            "}".repeat(n)
        );
        let reply = on_stack(2 << 20, move || {
            let mut qmp = qapi::Registry::<()>::new();
            qmp.command::<XDeep, _>(|_, _| Ok(qapi::Empty));
            let mut session = qapi::Session::qmp(false);
            session.negotiated = true;
            let r = qmp.dispatch_str(&std::sync::Arc::new(()), &mut session, &request);
            r.into_reply()
                .unwrap()
                .to_vec(&qapi::json::WriteOptions::QEMU)
        });
        assert_eq!(reply, br#"{"return": {}, "id": 1}"#);

        // Deeper than QEMU's parser allows: only in memory.
        let deep = |n: usize| {
            let text = format!(
                "{}{{\"v\":1}}{}",
                r#"{"v":1,"next":"#.repeat(n),
                "}".repeat(n)
            );
            let limits = qapi::json::Limits {
                max_nesting: usize::MAX,
                ..qapi::json::Limits::QEMU
            };
            qapi::json::parse_one_with_limits(text.as_bytes(), limits).unwrap()
        };
        let err = on_stack(2 << 20, move || {
            qapi::from_value::<Node>(deep(1500)).unwrap_err()
        });
        assert_eq!(err.desc, "JSON nesting depth limit exceeded");
        let ok = on_stack(2 << 20, move || {
            qapi::from_value::<Node>(deep(1023)).is_ok()
        });
        assert!(ok);
        return;
    }
    let (ok, stderr) = child("deep_recursive_type_on_a_2_mib_stack");
    assert!(ok, "decoding a deep recursive type crashed:\n{stderr}");
}

/// Hardening found while checking the above: QEMU's JSON writer
/// (`qapi::json::write_value`, qapi-core/src/json/writer.rs) recursed once
/// per level, about 1.6 KiB of stack per level of objects in QEMU's
/// member order in a debug build: an `id` of objects nested to QEMU's
/// limit, which the connection's task writes (on a tokio worker's 2 MiB
/// stack), took 1.6 MiB of it. The writer is iterative now: such a value
/// is written on a 128 KiB stack, in every layout.
#[test]
fn deep_values_written_on_a_small_stack() {
    if std::env::var_os("QAPI_FINDING_CHILD").is_some() {
        let n = 1023;
        let objects = format!("{}1{}", r#"{"b":2,"a":"#.repeat(n), "}".repeat(n));
        let arrays = format!("{}1{}", "[0,".repeat(n), "]".repeat(n));
        for text in [objects, arrays] {
            let v = qapi::json::parse_one(text.as_bytes()).unwrap();
            let v = on_stack(128 << 10, move || {
                use qapi::json::WriteOptions;
                for o in [
                    WriteOptions::QEMU,
                    WriteOptions::QEMU_PRETTY,
                    WriteOptions::COMPACT,
                ] {
                    let out = qapi::json::value_to_vec(&v, &o);
                    assert!(out.len() > 4 * 1023);
                }
                let r = qapi::Response {
                    id: Some(v),
                    body: Ok(b"{}".to_vec()),
                };
                assert!(r.to_vec(&WriteOptions::QEMU_PRETTY).len() > 4 * 1023);
                // Dropped by the caller (dropping is recursive).
                r.id
            });
            assert!(v.is_some());
        }
        return;
    }
    let (ok, stderr) = child("deep_values_written_on_a_small_stack");
    assert!(ok, "writing a deep value crashed:\n{stderr}");

    // Deep containers are written by a loop, shallow ones by recursion:
    // both the same way as the serde `Serializer` writes them.
    let level = r#"{"zz": [1, {}, []], "a": [2.5, "x", ["#;
    let text = format!("{}null{}", level.repeat(20), "]]}".repeat(20));
    let v = qapi::json::parse_one(text.as_bytes()).unwrap();
    for o in [
        qapi::json::WriteOptions::QEMU,
        qapi::json::WriteOptions::QEMU_PRETTY,
        qapi::json::WriteOptions::COMPACT,
    ] {
        assert_eq!(
            qapi::json::value_to_vec(&v, &o),
            qapi::json::to_vec(&v, &o).unwrap()
        );
    }
}
