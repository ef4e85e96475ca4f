//! The protocol state machine of one connection, without I/O: both
//! drivers (async and blocking) feed it bytes and carry out the work it
//! hands out.
//!
//! It owns the JSON reader, the dispatch [`Session`], the queue of
//! in-band requests and QEMU's flow control:
//!
//! * items (requests and parse errors) are taken from the reader one at
//!   a time, only while the flow control allows: without OOB when nothing
//!   is queued or running, with OOB while fewer than `queue_len` in-band
//!   items wait (the one running does not count, as in QEMU);
//! * a request with `exec-oob` and without `execute` is dispatched at
//!   once (QEMU's `qmp_is_oob`); everything else, parse errors included,
//!   is queued in-band and run one at a time, in order;
//! * more input is wanted only when the reader has nothing left to hand
//!   out and the flow control allows taking more.
//!
//! Beyond QEMU's rules it bounds what a connection holds: asynchronous
//! OOB handlers running at once (`oob_in_flight`; an `exec-oob` request
//! beyond it is held back, and nothing more is taken, until one ends),
//! and the estimated memory of the requests taken and not yet answered
//! (`request_bytes`; above it nothing more is taken).

use std::collections::VecDeque;
use std::sync::Arc;

use super::ServerConfig;
use crate::dispatch::{Dispatched, Protocol, Response, Session};
use crate::error::Error;
use crate::event::EventMessage;
use crate::json::{JsonError, JsonStreamer, WriteOptions, write_value};
use crate::registry::{BoxFuture, Registry, ReplyFormat};
use crate::value::{Map, Value};

type Item = Result<Value, JsonError>;

/// What [`Core::pump`] did.
pub(crate) enum Pumped {
    /// Nothing can be taken now (no input, or the flow control says wait).
    Nothing,
    /// An item was queued or answered without output; call again.
    Progress,
    /// An OOB request was answered: write this.
    Write(Vec<u8>),
    /// An OOB request runs an asynchronous handler: run it alongside the
    /// rest and write [`Core::encode`] of its response.
    Oob(OobJob),
}

pub(crate) struct OobJob {
    pub(crate) future: BoxFuture<Option<Response>>,
    /// Give back to [`Core::oob_done`] when it ends.
    pub(crate) cost: usize,
}

/// An in-band request, ready to run away from the state machine (the
/// blocking driver runs it on another thread).
pub(crate) struct Job<S> {
    registry: Arc<Registry<S>>,
    state: Arc<S>,
    session: Session,
    item: Item,
    delimit: bool,
    /// Nested deeper than [`DEEP_NESTING`].
    deep: bool,
}

/// The outcome of [`Job::run`]: the session as the request left it, and
/// the response or the future that produces it.
pub(crate) struct Started {
    pub(crate) session: Session,
    pub(crate) dispatched: Dispatched,
    pub(crate) delimit: bool,
}

impl<S: Send + Sync + 'static> Job<S> {
    /// Dispatches the request (a synchronous handler runs here).
    pub(crate) fn run(self) -> Started {
        let Job {
            registry,
            state,
            mut session,
            item,
            delimit,
            deep,
        } = self;
        let dispatched = match item {
            Ok(v) => on_stack(deep, || registry.dispatch(&state, &mut session, v)),
            Err(e) => Dispatched::Reply(parse_error(&e)),
        };
        Started {
            session,
            dispatched,
            delimit,
        }
    }
}

/// Requests nested deeper than this are dispatched on a thread with a
/// stack of [`DEEP_STACK`] bytes.
const DEEP_NESTING: usize = 64;

/// Decoding and handlers recurse once or more per level of nesting, and
/// QEMU's 1024 levels can take more than the 2 MiB that threads (tokio's
/// workers among them) have, in debug builds especially: a stack overflow
/// would abort the whole process. (Address space only: pages are used as
/// touched.)
const DEEP_STACK: usize = 64 << 20;

/// Runs `f` here, or, when `deep`, on a thread of its own with a stack of
/// [`DEEP_STACK`] bytes (inside the caller's tokio runtime, if any, so
/// handlers may spawn tasks), waiting for it.
fn on_stack<T: Send>(deep: bool, f: impl FnOnce() -> T + Send) -> T {
    if !deep {
        return f();
    }
    let runtime = tokio::runtime::Handle::try_current().ok();
    let f = std::sync::Mutex::new(Some(f));
    let take = || f.lock().unwrap_or_else(|e| e.into_inner()).take();
    let done = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("qapi-deep-request".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, || {
                let _rt = runtime.as_ref().map(tokio::runtime::Handle::enter);
                take().map(|f| f())
            })
            .ok()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    match done.flatten() {
        Some(v) => v,
        // No thread: run it here after all.
        None => take().map(|f| f()).expect("request dispatched once"),
    }
}

fn parse_error(e: &JsonError) -> Response {
    Response {
        id: None,
        body: Err(Error::generic(e.desc())),
    }
}

/// What [`Core::finish`] produced.
pub(crate) struct Finished {
    /// The reply to write (after any waiting events).
    pub(crate) reply: Option<Vec<u8>>,
    /// Negotiation just completed: start sending events.
    pub(crate) negotiated: bool,
    /// `quit` succeeded: write the reply, then close.
    pub(crate) quit: bool,
}

/// Writes messages as one connection sends them: JSON layout and line
/// endings.
#[derive(Clone, Debug)]
pub(crate) struct Encoder {
    write: WriteOptions,
    guest_agent: bool,
    /// Largest pretty-printed `id` written as such.
    pretty_max: usize,
}

impl Encoder {
    /// Ends a message: QMP turns every `\n` into `\r\n` (pretty output has
    /// some inside) and ends with `\r\n`; the guest agent ends with `\n`.
    fn end_line(&self, mut out: Vec<u8>) -> Vec<u8> {
        if self.guest_agent {
            out.push(b'\n');
            return out;
        }
        if self.write.pretty && out.contains(&b'\n') {
            let mut crlf = Vec::with_capacity(out.len() + out.len() / 8 + 2);
            for b in out {
                if b == b'\n' {
                    crlf.push(b'\r');
                }
                crlf.push(b);
            }
            out = crlf;
        }
        out.extend_from_slice(b"\r\n");
        out
    }

    /// A response; `delimit` puts a 0xFF byte before a success.
    ///
    /// Pretty output indents the echoed `id` by four spaces per level, so
    /// a deeply nested `id` with many elements (the client's choice)
    /// could grow a thousandfold; one whose pretty form would exceed
    /// `pretty_max` bytes is written compactly instead.
    pub(crate) fn response(&self, response: &Response, delimit: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        if delimit && response.body.is_ok() {
            out.push(0xFF);
        }
        let compact;
        let opts = match &response.id {
            Some(id) if self.write.pretty && pretty_size(id) > self.pretty_max => {
                compact = WriteOptions {
                    pretty: false,
                    ..self.write
                };
                &compact
            }
            _ => &self.write,
        };
        response.write(&mut out, opts);
        self.end_line(out)
    }

    pub(crate) fn event(&self, msg: &EventMessage) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        msg.write(&mut out, &self.write);
        self.end_line(out)
    }
}

pub(crate) struct Core<S> {
    registry: Arc<Registry<S>>,
    enc: Encoder,
    state: Arc<S>,
    pub(crate) config: ServerConfig,
    session: Session,
    reader: JsonStreamer,
    /// In-band items waiting, with their estimated memory and whether
    /// they are deeply nested.
    queue: VecDeque<(Item, usize, bool)>,
    /// An in-band request is running.
    busy: bool,
    /// Estimated memory of the running in-band request.
    running_cost: usize,
    /// An `exec-oob` request taken while `oob_in_flight` handlers ran.
    held: Option<(Value, usize, bool)>,
    /// Asynchronous OOB handlers running.
    oob_running: usize,
    /// Estimated memory of everything taken and not answered: the queue,
    /// the running in-band request, the held and the running OOB ones.
    in_use: usize,
    eof: bool,
    quit: bool,
}

impl<S: Send + Sync + 'static> Core<S> {
    pub(crate) fn new(registry: Arc<Registry<S>>, state: Arc<S>, config: ServerConfig) -> Core<S> {
        let mut session = match config.protocol {
            Protocol::Qmp => Session::qmp(config.offer_oob),
            Protocol::GuestAgent => Session::guest_agent(),
        };
        session.format = ReplyFormat {
            write: if config.pretty {
                WriteOptions::QEMU_PRETTY
            } else {
                WriteOptions::QEMU
            },
            policy: registry.policy(),
        };
        config.events.set_policy(registry.policy());
        let enc = Encoder {
            write: session.format.write,
            guest_agent: config.protocol == Protocol::GuestAgent,
            pretty_max: config.limits.max_token_size.max(1 << 20),
        };
        Core {
            enc,
            reader: JsonStreamer::with_limits(config.limits),
            registry,
            state,
            config,
            session,
            queue: VecDeque::new(),
            busy: false,
            running_cost: 0,
            held: None,
            oob_running: 0,
            in_use: 0,
            eof: false,
            quit: false,
        }
    }

    /// The greeting line (QMP), or `None` (guest agent).
    pub(crate) fn greeting(&self) -> Option<Vec<u8>> {
        if self.config.protocol != Protocol::Qmp {
            return None;
        }
        let version = crate::json::to_vec(self.registry.version(), &WriteOptions::COMPACT)
            .ok()
            .and_then(|v| crate::json::parse_one(&v).ok())
            .unwrap_or_default();
        let caps: Vec<Value> = if self.session.offer_oob {
            vec![Value::from("oob")]
        } else {
            Vec::new()
        };
        let mut inner = Map::with_capacity(2);
        inner.push_unchecked("version".into(), version);
        inner.push_unchecked("capabilities".into(), Value::Array(caps));
        let mut outer = Map::with_capacity(1);
        outer.push_unchecked("QMP".into(), Value::Object(inner));
        let mut out = Vec::with_capacity(160);
        write_value(&Value::Object(outer), &mut out, &self.enc.write);
        Some(self.enc.end_line(out))
    }

    /// How this connection writes messages.
    pub(crate) fn encoder(&self) -> &Encoder {
        &self.enc
    }

    /// A response as it goes on the wire.
    pub(crate) fn encode(&self, response: &Response, delimit: bool) -> Vec<u8> {
        self.enc.response(response, delimit)
    }

    /// An event as it goes on the wire.
    pub(crate) fn encode_event(&self, msg: &EventMessage) -> Vec<u8> {
        self.enc.event(msg)
    }

    /// Whether the flow control lets another item be taken.
    fn may_take(&self) -> bool {
        if self.held.is_some() {
            return false;
        }
        let flow = if self.session.oob {
            self.queue.len() < self.config.queue_len
        } else {
            self.queue.is_empty() && !self.busy
        };
        flow && (self.in_use == 0 || self.in_use < self.config.request_bytes)
    }

    /// Whether the driver should read more input now.
    pub(crate) fn wants_input(&self) -> bool {
        !self.quit && !self.eof && self.reader.ready() == 0 && self.may_take()
    }

    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        self.reader.feed(bytes);
    }

    /// The client closed its side. A partial request is dropped (QEMU
    /// does not flush its parser on close); complete ones are still
    /// answered.
    pub(crate) fn set_eof(&mut self) {
        self.eof = true;
    }

    pub(crate) fn eof(&self) -> bool {
        self.eof
    }

    /// Nothing is running, queued, held or waiting in the reader (the
    /// drivers track running OOB handlers themselves).
    pub(crate) fn is_idle(&self) -> bool {
        !self.busy && self.queue.is_empty() && self.held.is_none() && self.reader.ready() == 0
    }

    pub(crate) fn quitting(&self) -> bool {
        self.quit
    }

    /// OOB was negotiated: `exec-oob` requests may run alongside.
    pub(crate) fn oob_enabled(&self) -> bool {
        self.session.oob
    }

    /// Asynchronous OOB handlers handed out and not yet done.
    pub(crate) fn oob_running(&self) -> usize {
        self.oob_running
    }

    /// Takes one item from the reader, if the flow control allows.
    pub(crate) fn pump(&mut self) -> Pumped {
        if self.quit {
            return Pumped::Nothing;
        }
        if let Some((v, cost, deep)) = self.held.take() {
            if self.oob_running >= self.config.oob_in_flight {
                self.held = Some((v, cost, deep));
                return Pumped::Nothing;
            }
            return self.run_oob(v, cost, deep);
        }
        if !self.may_take() {
            return Pumped::Nothing;
        }
        let Some(item) = self.reader.pop() else {
            return Pumped::Nothing;
        };
        let (cost, depth) = match &item {
            Ok(v) => measure(v),
            Err(e) => (std::mem::size_of::<Item>() + e.desc().len(), 0),
        };
        let deep = depth > DEEP_NESTING;
        self.in_use += cost;
        match item {
            Ok(v) if self.is_oob(&v) => {
                if self.oob_running >= self.config.oob_in_flight {
                    self.held = Some((v, cost, deep));
                    return Pumped::Progress;
                }
                self.run_oob(v, cost, deep)
            }
            item => {
                self.queue.push_back((item, cost, deep));
                Pumped::Progress
            }
        }
    }

    /// Dispatches an `exec-oob` request (its cost is in `in_use`).
    fn run_oob(&mut self, v: Value, cost: usize, deep: bool) -> Pumped {
        let mut session = self.session.clone();
        let (registry, state) = (&self.registry, &self.state);
        match on_stack(deep, || registry.dispatch(state, &mut session, v)) {
            Dispatched::Reply(r) => {
                self.in_use -= cost;
                Pumped::Write(self.encode(&r, false))
            }
            Dispatched::Silent => {
                self.in_use -= cost;
                Pumped::Progress
            }
            Dispatched::Pending(future) => {
                self.oob_running += 1;
                Pumped::Oob(OobJob { future, cost })
            }
        }
    }

    /// An asynchronous OOB handler handed out by [`Core::pump`] ended
    /// (`cost` from its [`OobJob`]).
    pub(crate) fn oob_done(&mut self, cost: usize) {
        self.oob_running = self.oob_running.saturating_sub(1);
        self.in_use = self.in_use.saturating_sub(cost);
    }

    /// QEMU's `qmp_is_oob`: `exec-oob` present, `execute` absent. (Without
    /// OOB negotiated such a request still goes this way and dispatch
    /// rejects the member; nothing else is in flight then.)
    fn is_oob(&self, v: &Value) -> bool {
        self.config.protocol == Protocol::Qmp
            && v.as_object()
                .is_some_and(|m| m.contains_key("exec-oob") && !m.contains_key("execute"))
    }

    /// The next in-band request to run, if none is running.
    pub(crate) fn next_job(&mut self) -> Option<Job<S>> {
        if self.quit || self.busy {
            return None;
        }
        let (item, cost, deep) = self.queue.pop_front()?;
        self.busy = true;
        self.running_cost = cost;
        let delimit = match (&item, self.config.delimited.is_empty()) {
            (Ok(Value::Object(m)), false) => m
                .get("execute")
                .and_then(Value::as_str)
                .is_some_and(|name| self.config.delimited.iter().any(|d| d == name)),
            _ => false,
        };
        Some(Job {
            registry: Arc::clone(&self.registry),
            state: Arc::clone(&self.state),
            session: self.session.clone(),
            item,
            delimit,
            deep,
        })
    }

    /// The running in-band request is done.
    pub(crate) fn finish(
        &mut self,
        session: Session,
        response: Option<Response>,
        delimit: bool,
    ) -> Finished {
        self.busy = false;
        self.in_use = self
            .in_use
            .saturating_sub(std::mem::take(&mut self.running_cost));
        let negotiated =
            session.negotiated && !self.session.negotiated && self.config.protocol == Protocol::Qmp;
        let quit = session.quit && !self.quit;
        self.session = session;
        if quit {
            self.quit = true;
            if let Some(hook) = &self.config.on_quit {
                // A panicking hook must not take the connection (and, in
                // the blocking server, its threads) down with it.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook()));
            }
        }
        Finished {
            reply: response.map(|r| self.encode(&r, delimit)),
            negotiated,
            quit,
        }
    }

    /// Called by the driver once `quit`'s reply is out.
    pub(crate) fn after_quit(&self) {
        if self.config.quit == super::QuitAction::StopServer {
            self.config.shutdown.shutdown();
        }
    }
}

/// Estimated memory of a value tree (values, strings, keys) and its
/// nesting depth (a scalar is 0), walked without recursion (the stack
/// holds one iterator per level of nesting).
pub(crate) fn measure(v: &Value) -> (usize, usize) {
    enum Level<'a> {
        Array(std::slice::Iter<'a, Value>),
        Object(std::slice::Iter<'a, (String, Value)>),
    }
    const NODE: usize = std::mem::size_of::<Value>();
    const KEY: usize = std::mem::size_of::<String>();
    let mut total = 0usize;
    let mut depth = 0usize;
    let mut stack: Vec<Level<'_>> = Vec::new();
    let mut next = Some(v);
    loop {
        if let Some(v) = next.take() {
            total = total.saturating_add(NODE);
            match v {
                Value::String(s) => total = total.saturating_add(s.capacity()),
                Value::Array(a) => {
                    total = total.saturating_add((a.capacity() - a.len()) * NODE);
                    stack.push(Level::Array(a.iter()));
                }
                Value::Object(m) => stack.push(Level::Object(m.entries().iter())),
                _ => {}
            }
            depth = depth.max(stack.len());
        }
        let Some(top) = stack.last_mut() else {
            return (total, depth);
        };
        match top {
            Level::Array(it) => next = it.next(),
            Level::Object(it) => {
                next = it.next().map(|(k, v)| {
                    total = total.saturating_add(KEY + k.capacity());
                    v
                })
            }
        }
        if next.is_none() {
            stack.pop();
        }
    }
}

/// About how many bytes `v` takes written pretty as a reply's `id` (four
/// spaces of indentation per level on every line).
fn pretty_size(v: &Value) -> usize {
    enum Level<'a> {
        Array(std::slice::Iter<'a, Value>),
        Object(std::slice::Iter<'a, (String, Value)>),
    }
    let mut total = 0usize;
    let mut stack: Vec<Level<'_>> = Vec::new();
    let mut next = Some(v);
    loop {
        if let Some(v) = next.take() {
            // The line the value starts on, and the one that closes it.
            let indent = 4 * (stack.len() + 1) + 2;
            total = total.saturating_add(indent);
            match v {
                // Escapes take at most six bytes per byte of UTF-8.
                Value::String(s) => total = total.saturating_add(s.len().saturating_mul(6) + 2),
                Value::Array(a) => {
                    total = total.saturating_add(indent);
                    stack.push(Level::Array(a.iter()));
                }
                Value::Object(m) => {
                    total = total.saturating_add(indent);
                    stack.push(Level::Object(m.entries().iter()));
                }
                _ => total = total.saturating_add(24),
            }
        }
        let Some(top) = stack.last_mut() else {
            return total;
        };
        match top {
            Level::Array(it) => next = it.next(),
            Level::Object(it) => {
                next = it.next().map(|(k, v)| {
                    total = total.saturating_add(k.len().saturating_mul(6) + 4);
                    v
                })
            }
        }
        if next.is_none() {
            stack.pop();
        }
        if total > usize::MAX / 2 {
            return total;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_counts_nodes_strings_keys_and_depth() {
        let v = crate::json::parse_one(br#"{"ab": [1, "xyz", {}], "c": null}"#).unwrap();
        let node = std::mem::size_of::<Value>();
        let key = std::mem::size_of::<String>();
        // object, array, 1, "xyz", {}, null; keys "ab" and "c".
        let at_least = 6 * node + 3 + 2 * key + 3;
        let (cost, depth) = measure(&v);
        assert!(cost >= at_least && cost < at_least + 8 * node, "{cost}");
        assert_eq!(depth, 3);
        assert_eq!(measure(&Value::Int(1)).1, 0);
        let text: Vec<u8> = [b'['; 1000].iter().chain(&[b']'; 1000]).copied().collect();
        let deep = crate::json::parse_one(&text).unwrap();
        assert!(measure(&deep).0 >= 1000 * node);
        assert_eq!(measure(&deep).1, 1000);
    }

    #[test]
    fn pretty_size_grows_with_depth() {
        let flat = crate::json::parse_one(b"[1, 2, 3]").unwrap();
        let deep = crate::json::parse_one(b"[[[[[[[[[[1, 2, 3]]]]]]]]]]").unwrap();
        assert!(pretty_size(&deep) > pretty_size(&flat) + 9 * 4 * 3);
        let mut out = Vec::new();
        crate::json::write_value(&deep, &mut out, &WriteOptions::QEMU_PRETTY);
        assert!(
            pretty_size(&deep) + 16 >= out.len(),
            "{} < {}",
            pretty_size(&deep),
            out.len()
        );
    }
}
