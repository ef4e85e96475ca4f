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
}

/// An in-band request, ready to run away from the state machine (the
/// blocking driver runs it on another thread).
pub(crate) struct Job<S> {
    registry: Arc<Registry<S>>,
    state: Arc<S>,
    session: Session,
    item: Item,
    delimit: bool,
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
        let mut session = self.session;
        let dispatched = match self.item {
            Ok(v) => self.registry.dispatch(&self.state, &mut session, v),
            Err(e) => Dispatched::Reply(parse_error(&e)),
        };
        Started {
            session,
            dispatched,
            delimit: self.delimit,
        }
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
    pub(crate) fn response(&self, response: &Response, delimit: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        if delimit && response.body.is_ok() {
            out.push(0xFF);
        }
        response.write(&mut out, &self.write);
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
    queue: VecDeque<Item>,
    /// An in-band request is running.
    busy: bool,
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
        if self.session.oob {
            self.queue.len() < self.config.queue_len
        } else {
            self.queue.is_empty() && !self.busy
        }
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

    /// Nothing is running, queued or waiting in the reader.
    pub(crate) fn is_idle(&self) -> bool {
        !self.busy && self.queue.is_empty() && self.reader.ready() == 0
    }

    pub(crate) fn quitting(&self) -> bool {
        self.quit
    }

    /// Takes one item from the reader, if the flow control allows.
    pub(crate) fn pump(&mut self) -> Pumped {
        if self.quit || !self.may_take() {
            return Pumped::Nothing;
        }
        let Some(item) = self.reader.pop() else {
            return Pumped::Nothing;
        };
        if let Ok(v) = &item
            && self.is_oob(v)
        {
            let Ok(v) = item else { unreachable!() };
            let mut session = self.session.clone();
            return match self.registry.dispatch(&self.state, &mut session, v) {
                Dispatched::Reply(r) => Pumped::Write(self.encode(&r, false)),
                Dispatched::Silent => Pumped::Progress,
                Dispatched::Pending(future) => Pumped::Oob(OobJob { future }),
            };
        }
        self.queue.push_back(item);
        Pumped::Progress
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
        let item = self.queue.pop_front()?;
        self.busy = true;
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
        let negotiated =
            session.negotiated && !self.session.negotiated && self.config.protocol == Protocol::Qmp;
        let quit = session.quit && !self.quit;
        self.session = session;
        if quit {
            self.quit = true;
            if let Some(hook) = &self.config.on_quit {
                hook();
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
