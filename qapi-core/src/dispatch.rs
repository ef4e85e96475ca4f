//! Dispatch of one QMP request, with QEMU's order of checks and texts.
//!
//! 1. input that is not an object: `QMP input must be a JSON object`
//!    (no `id`);
//! 2. `id` is captured (any JSON value) and echoed from now on;
//! 3. the request's members are checked in QEMU's dictionary order
//!    (`execute`/`exec-oob` must be strings and not both, `arguments`
//!    an object, anything else unexpected);
//! 4. `QMP input lacks member 'execute'`;
//! 5. unknown command (`CommandNotFound`);
//! 6. compat policy for deprecated/unstable commands;
//! 7. disabled command;
//! 8. `exec-oob` of a command without `allow-oob`;
//! 9. preconfig phase;
//! 10. argument decoding (QEMU's input rules), then the handler.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::decode::Decoder;
use crate::error::{Error, ErrorClass};
use crate::json::{WriteOptions, write_value};
use crate::policy::InputPolicy;
use crate::qmp::QMPCapability;
use crate::registry::{BoxFuture, Control, Handler, Registry, ReplyFormat, encode};
use crate::value::{Map, Value};

/// Which protocol a session speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// QMP: greeting, capabilities negotiation, OOB.
    Qmp,
    /// The guest agent: no negotiation, no OOB.
    GuestAgent,
}

/// The state of one connection, as dispatch sees it.
#[derive(Clone, Debug)]
pub struct Session {
    pub protocol: Protocol,
    /// Capabilities this server offers (QMP: `oob` if it can run OOB).
    pub offer_oob: bool,
    /// `qmp_capabilities` has succeeded.
    pub negotiated: bool,
    /// OOB was enabled by negotiation.
    pub oob: bool,
    /// `quit` succeeded: close after sending the reply.
    pub quit: bool,
    /// How replies are written.
    pub format: ReplyFormat,
}

impl Session {
    /// A fresh QMP connection in capabilities negotiation mode.
    pub fn qmp(offer_oob: bool) -> Session {
        Session {
            protocol: Protocol::Qmp,
            offer_oob,
            negotiated: false,
            oob: false,
            quit: false,
            format: ReplyFormat {
                write: WriteOptions::QEMU,
                ..ReplyFormat::default()
            },
        }
    }

    /// A guest-agent connection (always in command mode).
    pub fn guest_agent() -> Session {
        Session {
            protocol: Protocol::GuestAgent,
            offer_oob: false,
            negotiated: true,
            oob: false,
            quit: false,
            format: ReplyFormat {
                write: WriteOptions::QEMU,
                ..ReplyFormat::default()
            },
        }
    }
}

/// A reply to one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The request's `id`, echoed.
    pub id: Option<Value>,
    /// The return value as JSON text, or the error.
    pub body: Result<Vec<u8>, Error>,
}

impl Response {
    fn error(id: Option<Value>, e: Error) -> Response {
        Response { id, body: Err(e) }
    }

    /// The reply as one JSON text in QEMU's member order
    /// (`{"return": R, "id": I}`, `{"id": I, "error": {"class": C,
    /// "desc": D}}`), without line ending.
    pub fn write(&self, out: &mut Vec<u8>, opts: &WriteOptions) {
        let pretty = opts.pretty;
        let (nl, ind) = if pretty { ("\n", "    ") } else { ("", "") };
        let sep = if pretty { ",\n" } else { ", " };
        out.push(b'{');
        out.extend_from_slice(nl.as_bytes());
        match &self.body {
            Ok(ret) => {
                out.extend_from_slice(ind.as_bytes());
                out.extend_from_slice(b"\"return\": ");
                indent_into(out, ret, pretty);
                if let Some(id) = &self.id {
                    out.extend_from_slice(sep.as_bytes());
                    out.extend_from_slice(ind.as_bytes());
                    out.extend_from_slice(b"\"id\": ");
                    write_nested(out, id, opts);
                }
            }
            Err(e) => {
                if let Some(id) = &self.id {
                    out.extend_from_slice(ind.as_bytes());
                    out.extend_from_slice(b"\"id\": ");
                    write_nested(out, id, opts);
                    out.extend_from_slice(sep.as_bytes());
                }
                let mut err = Map::with_capacity(2);
                err.push_unchecked("class".into(), Value::from(e.class.as_str()));
                err.push_unchecked("desc".into(), Value::from(e.desc.as_str()));
                out.extend_from_slice(ind.as_bytes());
                out.extend_from_slice(b"\"error\": ");
                write_nested(out, &Value::Object(err), opts);
            }
        }
        out.extend_from_slice(nl.as_bytes());
        out.push(b'}');
    }

    /// [`Response::write`] into a new buffer.
    pub fn to_vec(&self, opts: &WriteOptions) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        self.write(&mut out, opts);
        out
    }

    /// The reply as a value tree (for tests and in-process callers).
    pub fn to_value(&self) -> Value {
        crate::json::parse_one(&self.to_vec(&WriteOptions::COMPACT)).unwrap_or_default()
    }
}

/// Writes a value one level deep (pretty output indents it).
fn write_nested(out: &mut Vec<u8>, v: &Value, opts: &WriteOptions) {
    let mut buf = Vec::new();
    write_value(v, &mut buf, opts);
    indent_into(out, &buf, opts.pretty);
}

/// Appends pretty JSON text indented by one more level.
fn indent_into(out: &mut Vec<u8>, text: &[u8], pretty: bool) {
    if !pretty {
        out.extend_from_slice(text);
        return;
    }
    for &b in text {
        out.push(b);
        if b == b'\n' {
            out.extend_from_slice(b"    ");
        }
    }
}

/// What dispatch produced.
pub enum Dispatched {
    /// A reply to send now.
    Reply(Response),
    /// Success of a command with `success-response: false`: nothing to
    /// send.
    Silent,
    /// An asynchronous handler is running; its reply comes later.
    Pending(BoxFuture<Option<Response>>),
}

impl Dispatched {
    /// The reply, for synchronous outcomes (`None` for `Silent`; panics on
    /// `Pending`: use [`Dispatched::resolve`] then).
    pub fn into_reply(self) -> Option<Response> {
        match self {
            Dispatched::Reply(r) => Some(r),
            Dispatched::Silent => None,
            Dispatched::Pending(_) => panic!("asynchronous reply: await Dispatched::resolve"),
        }
    }

    /// Waits for the reply.
    pub async fn resolve(self) -> Option<Response> {
        match self {
            Dispatched::Reply(r) => Some(r),
            Dispatched::Silent => None,
            Dispatched::Pending(f) => f.await,
        }
    }
}

fn panic_error(name: &str, payload: Box<dyn Any + Send>) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    Error::generic(format!("Command {name} failed: internal error ({what})"))
}

/// Polls a future, turning a panic into an error reply.
struct CatchUnwind {
    name: &'static str,
    inner: BoxFuture<Result<Vec<u8>, Error>>,
}

impl Future for CatchUnwind {
    type Output = Result<Vec<u8>, Error>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let name = self.name;
        match catch_unwind(AssertUnwindSafe(|| self.inner.as_mut().poll(cx))) {
            Ok(p) => p,
            Err(payload) => Poll::Ready(Err(panic_error(name, payload))),
        }
    }
}

/// Checks the request envelope; returns the command name, whether it
/// came as `exec-oob`, and the arguments.
fn check_envelope(req: &mut Map, session: &Session) -> Result<(String, bool, Map), Error> {
    if !envelope_is_valid(req, session) {
        check_envelope_in_order(req, session)?;
    }
    let oob = req.contains_key("exec-oob");
    let exec = if oob { "exec-oob" } else { "execute" };
    let name = match req.remove(exec) {
        Some(Value::String(name)) => name,
        // Not reached: checked above.
        _ => return Err(Error::generic("QMP input lacks member 'execute'")),
    };
    let args = match req.remove("arguments") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    Ok((name, oob, args))
}

/// Whether the request's members are all acceptable (the usual case),
/// checked in any order: one string `execute` (or, with OOB, `exec-oob`),
/// an object `arguments`, an `id`.
fn envelope_is_valid(req: &Map, session: &Session) -> bool {
    req.entries()
        .iter()
        .all(|(k, v)| member_error(k, v, session).is_none())
        && req.keys().filter(|k| is_exec(k, session)).count() == 1
}

/// Whether `key` names the command (`exec-oob` only with OOB).
fn is_exec(key: &str, session: &Session) -> bool {
    key == "execute" || (key == "exec-oob" && session.oob)
}

/// What is wrong with one member of the request, on its own.
fn member_error(key: &str, value: &Value, session: &Session) -> Option<Error> {
    if is_exec(key, session) {
        (!matches!(value, Value::String(_)))
            .then(|| Error::generic(format!("QMP input member '{key}' must be a string")))
    } else if key == "arguments" {
        (!matches!(value, Value::Object(_)))
            .then(|| Error::generic("QMP input member 'arguments' must be an object"))
    } else if key != "id" {
        Some(Error::generic(format!(
            "QMP input member '{key}' is unexpected"
        )))
    } else {
        None
    }
}

/// The envelope's checks in QEMU's order, which decides which problem is
/// reported when there are several.
fn check_envelope_in_order(req: &Map, session: &Session) -> Result<(), Error> {
    // The members in QEMU's dictionary order. Requests have few members
    // (keys are unique: the parser rejects duplicates), so sort
    // (bucket, index) pairs on the stack.
    let n = req.len();
    let mut small = [(0u32, 0usize); 8];
    let mut large = Vec::new();
    let order: &mut [(u32, usize)] = if n <= small.len() {
        &mut small[..n]
    } else {
        large.resize(n, (0, 0));
        &mut large[..]
    };
    for (i, (k, _)) in req.entries().iter().enumerate() {
        order[i] = (crate::json::qdict::bucket(k), i);
    }
    order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));

    let mut exec: Option<&str> = None;
    for &(_, i) in order.iter() {
        let (key, value) = &req.entries()[i];
        if let Some(e) = member_error(key, value, session) {
            return Err(e);
        }
        if is_exec(key, session) {
            if let Some(first) = exec {
                return Err(Error::generic(format!(
                    "QMP input member '{key}' clashes with '{first}'"
                )));
            }
            exec = Some(key);
        }
    }
    if exec.is_none() {
        return Err(Error::generic("QMP input lacks member 'execute'"));
    }
    Ok(())
}

impl<S: Send + Sync + 'static> Registry<S> {
    /// Dispatches one parsed request on `session`.
    pub fn dispatch(&self, state: &Arc<S>, session: &mut Session, request: Value) -> Dispatched {
        let Value::Object(mut req) = request else {
            return Dispatched::Reply(Response::error(
                None,
                Error::generic("QMP input must be a JSON object"),
            ));
        };
        let id = req.get("id").cloned();
        let reply = |body: Result<Vec<u8>, Error>| {
            Dispatched::Reply(Response {
                id: id.clone(),
                body,
            })
        };

        let (name, oob, args) = match check_envelope(&mut req, session) {
            Ok(x) => x,
            Err(e) => return reply(Err(e)),
        };
        match self.dispatch_command(state, session, &name, oob, args) {
            Outcome::Done(Ok(None)) => Dispatched::Silent,
            Outcome::Done(Ok(Some(body))) => reply(Ok(body)),
            Outcome::Done(Err(mut e)) => {
                if !session.negotiated && e.class == ErrorClass::CommandNotFound {
                    e.desc = "Expecting capabilities negotiation with 'qmp_capabilities'".into();
                }
                reply(Err(e))
            }
            Outcome::Pending(fut, silent) => Dispatched::Pending(Box::pin(async move {
                match fut.await {
                    Ok(_) if silent => None,
                    body => Some(Response { id, body }),
                }
            })),
        }
    }

    /// Parses and dispatches one request given as JSON text (QEMU's
    /// parser and its error replies).
    pub fn dispatch_str(&self, state: &Arc<S>, session: &mut Session, request: &str) -> Dispatched {
        match crate::json::parse_one(request.as_bytes()) {
            Ok(v) => self.dispatch(state, session, v),
            Err(e) => Dispatched::Reply(Response::error(None, Error::generic(e.desc()))),
        }
    }

    fn dispatch_command(
        &self,
        state: &Arc<S>,
        session: &mut Session,
        name: &str,
        oob: bool,
        args: Map,
    ) -> Outcome {
        let not_found =
            || Error::command_not_found(format!("The command {name} has not been found"));
        let negotiating = session.protocol == Protocol::Qmp && !session.negotiated;
        let Some(entry) = self.lookup(name) else {
            return Outcome::Done(Err(not_found()));
        };
        let info = entry.info;
        if negotiating && !matches!(entry.handler, Handler::Control(Control::Capabilities)) {
            return Outcome::Done(Err(not_found()));
        }
        if session.protocol == Protocol::GuestAgent
            && matches!(entry.handler, Handler::Control(Control::Capabilities))
        {
            return Outcome::Done(Err(not_found()));
        }
        if let Some((action, word)) = self.policy.input_action(info.special_features) {
            if action == InputPolicy::Crash {
                self.crashed(name);
            }
            return Outcome::Done(Err(Error::command_not_found(format!(
                "{word} command {name} disabled by policy"
            ))));
        }
        if let Some(reason) = self.disabled_reason(name) {
            let desc = match reason {
                Some(r) => format!("Command {name} has been disabled: {r}"),
                None => format!("Command {name} has been disabled"),
            };
            return Outcome::Done(Err(Error::command_not_found(desc)));
        }
        if oob && !info.allow_oob {
            return Outcome::Done(Err(Error::generic(format!(
                "The command {name} does not support OOB"
            ))));
        }
        if self.in_preconfig() && !info.allow_preconfig {
            return Outcome::Done(Err(Error::generic(format!(
                "The command '{name}' is permitted only after machine initialization has completed"
            ))));
        }

        let mut dec = Decoder::with_policy(self.policy);
        let format = session.format;
        let silent = !info.success_response;
        let done = |r: Result<Vec<u8>, Error>| match r {
            Ok(_) if silent => Outcome::Done(Ok(None)),
            Ok(b) => Outcome::Done(Ok(Some(b))),
            Err(e) => Outcome::Done(Err(e)),
        };
        let result = match &entry.handler {
            Handler::Control(c) => self.run_control(*c, session, args, &mut dec),
            Handler::Declared(validate) => validate(args, &mut dec).and_then(|()| {
                Err(Error::generic(format!(
                    "Command '{name}' is not implemented"
                )))
            }),
            Handler::Sync(h) => {
                match catch_unwind(AssertUnwindSafe(|| h(state, args, &mut dec, &format))) {
                    Ok(r) => r,
                    Err(payload) => Err(panic_error(info.name, payload)),
                }
            }
            Handler::Async(h) => {
                match catch_unwind(AssertUnwindSafe(|| h(state, args, &mut dec, format))) {
                    Ok(Ok(fut)) => {
                        return Outcome::Pending(
                            Box::pin(CatchUnwind {
                                name: info.name,
                                inner: fut,
                            }),
                            silent,
                        );
                    }
                    Ok(Err(e)) => Err(e),
                    Err(payload) => Err(panic_error(info.name, payload)),
                }
            }
        };
        if dec.crashed() {
            self.crashed(name);
        }
        done(result)
    }

    fn run_control(
        &self,
        c: Control,
        session: &mut Session,
        args: Map,
        dec: &mut Decoder,
    ) -> Result<Vec<u8>, Error> {
        use crate::Command;
        let format = session.format;
        match c {
            Control::Capabilities => {
                let cmd = crate::qmp::QmpCapabilities::decode_args(args, dec)?;
                if session.negotiated {
                    return Err(Error::command_not_found(
                        "Capabilities negotiation is already complete, command ignored",
                    ));
                }
                let wanted = cmd.enable.unwrap_or_default();
                let missing: Vec<&str> = wanted
                    .iter()
                    .filter(|c| **c == QMPCapability::Oob && !session.offer_oob)
                    .map(|c| crate::QapiEnum::as_str(c))
                    .collect();
                if !missing.is_empty() {
                    return Err(Error::generic(format!(
                        "Capability {} not available",
                        missing.join(", ")
                    )));
                }
                session.negotiated = true;
                session.oob = wanted.contains(&QMPCapability::Oob);
                encode(&crate::Empty, &format)
            }
            Control::QueryVersion => {
                crate::qmp::QueryVersion::decode_args(args, dec)?;
                encode(&self.version, &format)
            }
            Control::QueryCommands => {
                crate::qmp::QueryCommands::decode_args(args, dec)?;
                encode(&self.query_commands(), &format)
            }
            Control::Quit => {
                crate::qmp::Quit::decode_args(args, dec)?;
                session.quit = true;
                encode(&crate::Empty, &format)
            }
            Control::QueryQmpSchema => {
                crate::qmp::QueryQmpSchema::decode_args(args, dec)?;
                Ok(self.schema_reply(&format).as_ref().clone())
            }
        }
    }
}

enum Outcome {
    /// `Ok(None)`: success without a reply.
    Done(Result<Option<Vec<u8>>, Error>),
    Pending(Pin<Box<CatchUnwind>>, bool),
}
