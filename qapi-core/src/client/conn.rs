//! The connection engine shared by the QMP and guest-agent clients: a
//! reader task that routes replies by `id` and queues events, a writer
//! task that writes whole requests in order, and the bookkeeping of
//! requests waiting for their reply.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::JoinHandle;

use super::{ClientError, ClientOptions, Overflow, event_from_wire, reply_result};
use crate::event::EventMessage;
use crate::json::{JsonStreamer, Limits, WriteOptions};
use crate::value::{Map, Value};

/// Which protocol the peer speaks; decides how replies without `id`
/// are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// QMP: in-band replies come in request order, so a reply without
    /// `id` answers the oldest in-band request waiting.
    Qmp,
    /// Guest agent: replies without `id` (answers to the 0xFF resync
    /// byte, stale output of an earlier client) are never ours.
    GuestAgent,
}

type ReplySender = oneshot::Sender<Result<Map, ClientError>>;
pub(crate) type ReplyReceiver = oneshot::Receiver<Result<Map, ClientError>>;

struct Pending {
    /// `None` once the caller gave up (timeout): the reply is dropped
    /// when it comes, but the request keeps its place in the in-band
    /// order.
    tx: Option<ReplySender>,
    inband: bool,
}

/// Progress of a `guest-sync-delimited`.
enum Sync {
    Off,
    /// Everything up to the next 0xFF byte is stale.
    Discarding {
        token: i64,
        done: oneshot::Sender<()>,
    },
    /// After a 0xFF: parse, and drop everything until `{"return": token}`.
    Parsing {
        token: i64,
        done: oneshot::Sender<()>,
    },
}

struct State {
    next_id: u64,
    pending: HashMap<u64, Pending>,
    /// In-band requests still unanswered, in the order they were sent.
    inband: VecDeque<u64>,
    events: VecDeque<EventMessage>,
    dropped: u64,
    unmatched: u64,
    closed: Option<String>,
    sync: Sync,
}

pub(crate) struct Shared {
    state: Mutex<State>,
    /// Signalled when events are queued or the connection closes.
    events_ready: Notify,
    /// Signalled when a consumer takes an event (for backpressure).
    events_space: Notify,
    capacity: usize,
    overflow: Overflow,
    dialect: Dialect,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent state (no
        // multi-step invariants are broken mid-way), so poisoning is
        // ignored.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Marks the connection closed and fails every waiting request.
    fn close(&self, reason: &str) {
        let mut st = self.lock();
        if st.closed.is_some() {
            return;
        }
        st.closed = Some(reason.to_owned());
        for (_, p) in st.pending.drain() {
            if let Some(tx) = p.tx {
                let _ = tx.send(Err(ClientError::Disconnected(reason.to_owned())));
            }
        }
        st.inband.clear();
        st.sync = Sync::Off;
        drop(st);
        self.events_ready.notify_waiters();
    }

    /// Routes one message from the server. Returns an event that could
    /// not be queued yet (backpressure).
    fn route(&self, msg: Value) -> Option<EventMessage> {
        let mut st = self.lock();
        let Value::Object(m) = msg else {
            st.unmatched += 1;
            return None;
        };
        // During a resync everything but the sync reply is stale.
        match std::mem::replace(&mut st.sync, Sync::Off) {
            Sync::Off => {}
            Sync::Discarding { token, done } => {
                st.sync = Sync::Discarding { token, done };
                st.unmatched += 1;
                return None;
            }
            Sync::Parsing { token, done } => {
                let ours =
                    m.len() == 1 && matches!(m.get("return"), Some(Value::Int(t)) if *t == token);
                if ours {
                    let _ = done.send(());
                } else {
                    st.sync = Sync::Parsing { token, done };
                    st.unmatched += 1;
                }
                return None;
            }
        }
        if m.contains_key("return") || m.contains_key("error") {
            let id = match m.get("id") {
                Some(Value::Int(n)) if *n >= 0 => Some(*n as u64),
                Some(_) => None,
                None if self.dialect == Dialect::Qmp => st.inband.front().copied(),
                None => None,
            };
            let Some(id) = id else {
                st.unmatched += 1;
                return None;
            };
            let Some(p) = st.pending.remove(&id) else {
                st.unmatched += 1;
                return None;
            };
            if p.inband
                && let Some(pos) = st.inband.iter().position(|&x| x == id)
            {
                st.inband.remove(pos);
            }
            match p.tx {
                Some(tx) => {
                    let _ = tx.send(Ok(m));
                }
                None => st.unmatched += 1,
            }
            return None;
        }
        if m.contains_key("event") {
            let Some(ev) = event_from_wire(m) else {
                st.unmatched += 1;
                return None;
            };
            return self.push_event(&mut st, ev);
        }
        st.unmatched += 1;
        None
    }

    fn push_event(&self, st: &mut State, ev: EventMessage) -> Option<EventMessage> {
        if st.events.len() >= self.capacity {
            match self.overflow {
                Overflow::DropOldest => {
                    st.events.pop_front();
                    st.dropped += 1;
                }
                Overflow::Backpressure => return Some(ev),
            }
        }
        st.events.push_back(ev);
        self.events_ready.notify_waiters();
        None
    }

    /// Queues `ev`, waiting for room (backpressure only).
    async fn push_event_wait(&self, mut ev: EventMessage) {
        loop {
            let space = self.events_space.notified();
            tokio::pin!(space);
            space.as_mut().enable();
            {
                let mut st = self.lock();
                match self.push_event(&mut st, ev) {
                    None => return,
                    Some(back) => ev = back,
                }
            }
            space.await;
        }
    }

    fn pop_event(&self) -> Option<EventMessage> {
        let ev = self.lock().events.pop_front();
        if ev.is_some() {
            self.events_space.notify_one();
        }
        ev
    }
}

/// Closes the shared state when the reader stops for any reason,
/// including being aborted because the client was dropped.
struct CloseOnDrop {
    shared: Arc<Shared>,
    reason: String,
}

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.shared.close(&self.reason);
    }
}

async fn read_loop<R: AsyncRead + Unpin>(
    mut r: R,
    shared: Arc<Shared>,
    mut streamer: JsonStreamer,
) {
    let mut guard = CloseOnDrop {
        shared: shared.clone(),
        reason: "client dropped".to_owned(),
    };
    let mut items = Vec::new();
    // Messages already parsed while reading the greeting.
    items.extend(streamer.drain());
    deliver(&shared, &mut items).await;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match r.read(&mut buf).await {
            Ok(0) => {
                guard.reason = "connection closed by the peer".to_owned();
                return;
            }
            Ok(n) => n,
            Err(e) => {
                guard.reason = format!("read failed: {e}");
                return;
            }
        };
        let mut rest = &buf[..n];
        while !rest.is_empty() {
            let (part, delimiter) = match rest.iter().position(|&b| b == 0xFF) {
                Some(i) => (&rest[..i], true),
                None => (rest, false),
            };
            rest = if delimiter {
                &rest[part.len() + 1..]
            } else {
                &[]
            };
            let discarding = matches!(shared.lock().sync, Sync::Discarding { .. });
            if discarding {
                streamer.reset();
            } else {
                streamer.feed(part);
                items.extend(streamer.drain());
                deliver(&shared, &mut items).await;
            }
            if delimiter {
                // 0xFF never occurs in JSON text: it delimits a
                // guest-sync-delimited reply. Whatever came before it
                // unfinished is garbage.
                streamer.reset();
                let mut st = shared.lock();
                if matches!(st.sync, Sync::Discarding { .. })
                    && let Sync::Discarding { token, done } =
                        std::mem::replace(&mut st.sync, Sync::Off)
                {
                    st.sync = Sync::Parsing { token, done };
                }
            }
        }
    }
}

async fn deliver(shared: &Shared, items: &mut Vec<Result<Value, crate::json::JsonError>>) {
    for item in items.drain(..) {
        match item {
            Ok(v) => {
                if let Some(ev) = shared.route(v) {
                    shared.push_event_wait(ev).await;
                }
            }
            Err(_) => shared.lock().unmatched += 1,
        }
    }
}

async fn write_loop<W: AsyncWrite + Unpin>(
    mut w: W,
    mut rx: mpsc::UnboundedReceiver<Vec<u8>>,
    shared: Arc<Shared>,
) {
    while let Some(msg) = rx.recv().await {
        let r = async {
            w.write_all(&msg).await?;
            // Write what else is queued before flushing.
            while let Ok(more) = rx.try_recv() {
                w.write_all(&more).await?;
            }
            w.flush().await
        }
        .await;
        if let Err(e) = r {
            shared.close(&format!("write failed: {e}"));
            return;
        }
    }
    let _ = w.shutdown().await;
}

/// A running connection: the handle the clients share.
pub(crate) struct Conn {
    pub(crate) shared: Arc<Shared>,
    tx: mpsc::UnboundedSender<Vec<u8>>,
    reader: JoinHandle<()>,
    pub(crate) opts: ClientOptions,
}

impl Drop for Conn {
    fn drop(&mut self) {
        // The writer ends by itself once `tx` is gone, after writing what
        // is queued.
        self.reader.abort();
    }
}

/// One request, serialized.
pub(crate) struct Outgoing<'a> {
    pub name: &'a str,
    /// The `arguments` object as JSON text, if any.
    pub args: Option<Vec<u8>>,
    pub oob: bool,
    /// `success-response: false`: no reply on success.
    pub no_reply: bool,
}

impl Outgoing<'_> {
    fn to_bytes(&self, id: Option<u64>) -> Result<Vec<u8>, ClientError> {
        let mut out = Vec::with_capacity(48 + self.args.as_ref().map_or(0, Vec::len));
        out.extend_from_slice(if self.oob {
            b"{\"exec-oob\": "
        } else {
            b"{\"execute\": "
        });
        crate::json::write_value(&Value::from(self.name), &mut out, &WriteOptions::COMPACT);
        if let Some(a) = &self.args {
            out.extend_from_slice(b", \"arguments\": ");
            out.extend_from_slice(a);
        }
        if let Some(id) = id {
            out.extend_from_slice(b", \"id\": ");
            out.extend_from_slice(id.to_string().as_bytes());
        }
        out.push(b'}');
        // What QEMU could not parse would get an error without `id`:
        // refuse it here, with QEMU's own parser and limits.
        if let Err(e) = crate::json::parse_one_with_limits(&out, Limits::QEMU) {
            return Err(ClientError::Encode(format!(
                "QEMU could not parse the request: {}",
                e.desc()
            )));
        }
        out.push(b'\n');
        Ok(out)
    }
}

static RANDOM_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A random number for guest-sync ids (no dependency on a random crate:
/// std's randomly keyed SipHash over a counter and the clock).
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(RANDOM_COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    h.finish()
}

impl Conn {
    /// Starts the reader and writer tasks. `streamer` may hold bytes
    /// (and messages) read before, e.g. after the greeting.
    pub(crate) fn start<R, W>(
        r: R,
        w: W,
        streamer: JsonStreamer,
        dialect: Dialect,
        opts: ClientOptions,
    ) -> Conn
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                next_id: 1,
                pending: HashMap::new(),
                inband: VecDeque::new(),
                events: VecDeque::new(),
                dropped: 0,
                unmatched: 0,
                closed: None,
                sync: Sync::Off,
            }),
            events_ready: Notify::new(),
            events_space: Notify::new(),
            capacity: opts.event_capacity.max(1),
            overflow: opts.overflow,
            dialect,
        });
        let (tx, rx) = mpsc::unbounded_channel();
        let reader = tokio::spawn(read_loop(r, shared.clone(), streamer));
        tokio::spawn(write_loop(w, rx, shared.clone()));
        Conn {
            shared,
            tx,
            reader,
            opts,
        }
    }

    fn closed_error(st: &State) -> Option<ClientError> {
        st.closed
            .as_ref()
            .map(|r| ClientError::Disconnected(r.clone()))
    }

    /// Sends requests in one go (they are written back to back, in
    /// order) and returns their ids and reply receivers.
    pub(crate) fn send(
        &self,
        reqs: &[Outgoing<'_>],
    ) -> Result<Vec<(u64, ReplyReceiver)>, ClientError> {
        let mut st = self.shared.lock();
        if let Some(e) = Self::closed_error(&st) {
            return Err(e);
        }
        let mut bytes = Vec::new();
        let first = st.next_id;
        for (i, r) in reqs.iter().enumerate() {
            bytes.extend(r.to_bytes(Some(first + i as u64))?);
        }
        let mut out = Vec::with_capacity(reqs.len());
        for r in reqs {
            let id = st.next_id;
            st.next_id += 1;
            let (tx, rx) = oneshot::channel();
            // QEMU dispatches anything with `exec-oob` at once (and
            // rejects it there when OOB is off), so only `execute`
            // requests are answered in order. A command that answers
            // only on failure has no place in that order either.
            let inband = !r.oob && !r.no_reply;
            st.pending.insert(
                id,
                Pending {
                    tx: Some(tx),
                    inband,
                },
            );
            if inband {
                st.inband.push_back(id);
            }
            out.push((id, rx));
        }
        if self.tx.send(bytes).is_err() {
            for (id, _) in &out {
                st.pending.remove(id);
            }
            st.inband.retain(|x| !out.iter().any(|(id, _)| id == x));
            return Err(ClientError::Disconnected("connection closed".into()));
        }
        Ok(out)
    }

    /// Gives up waiting for `id`'s reply (it is dropped when it comes).
    pub(crate) fn abandon(&self, id: u64) {
        if let Some(p) = self.shared.lock().pending.get_mut(&id) {
            p.tx = None;
        }
    }

    /// Forgets `id` entirely: it will never be answered (a command with
    /// `success-response: false` that succeeded).
    pub(crate) fn forget(&self, id: u64) {
        let mut st = self.shared.lock();
        if st.pending.remove(&id).is_some()
            && let Some(pos) = st.inband.iter().position(|&x| x == id)
        {
            st.inband.remove(pos);
        }
    }

    /// Waits for a reply, with a timeout.
    pub(crate) async fn wait(
        &self,
        what: &str,
        id: u64,
        rx: ReplyReceiver,
        timeout: Option<Duration>,
    ) -> Result<Value, ClientError> {
        let r = match timeout {
            Some(d) => match tokio::time::timeout(d, rx).await {
                Ok(r) => r,
                Err(_) => {
                    self.abandon(id);
                    return Err(ClientError::Timeout {
                        what: what.to_owned(),
                        after: d,
                    });
                }
            },
            None => rx.await,
        };
        match r {
            Ok(Ok(m)) => reply_result(m),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(self.disconnected()),
        }
    }

    pub(crate) fn disconnected(&self) -> ClientError {
        let st = self.shared.lock();
        Self::closed_error(&st)
            .unwrap_or_else(|| ClientError::Disconnected("connection closed".into()))
    }

    /// Sends one request and waits for its reply.
    pub(crate) async fn call(
        &self,
        req: Outgoing<'_>,
        timeout: Option<Duration>,
    ) -> Result<Value, ClientError> {
        let name = req.name.to_owned();
        let (id, rx) = self
            .send(std::slice::from_ref(&req))?
            .pop()
            .expect("one request sent");
        self.wait(&name, id, rx, timeout).await
    }

    /// Sends a command that answers only on failure
    /// (`success-response: false`), followed by `barrier`, a request
    /// that is answered after it in order. Success is the barrier's
    /// reply (whatever it says), the peer closing, or `no_reply_grace`
    /// passing without an error; failure is an error reply.
    pub(crate) async fn call_no_reply(
        &self,
        req: Outgoing<'_>,
        barrier: &str,
        timeout: Option<Duration>,
    ) -> Result<(), ClientError> {
        let b = Outgoing {
            name: barrier,
            args: None,
            oob: false,
            no_reply: false,
        };
        let mut sent = self.send(&[req, b])?;
        let (bid, brx) = sent.pop().expect("two requests sent");
        let (cid, crx) = sent.pop().expect("two requests sent");
        let grace = match timeout {
            Some(t) => t.min(self.opts.no_reply_grace),
            None => self.opts.no_reply_grace,
        };
        let outcome = tokio::select! {
            biased;
            r = crx => match r {
                Ok(Ok(m)) => reply_result(m).map(|_| ()),
                // Closed before anything came back: the command took
                // effect (e.g. guest-shutdown).
                Ok(Err(ClientError::Disconnected(_))) | Err(_) => Ok(()),
                Ok(Err(e)) => Err(e),
            },
            _ = brx => Ok(()),
            _ = tokio::time::sleep(grace) => Ok(()),
        };
        self.forget(cid);
        self.abandon(bid);
        outcome
    }

    /// `guest-sync-delimited` (REFERENCE.md section 6): 0xFF, then the
    /// command with a random id; discard input up to the 0xFF that
    /// precedes the reply, then parse until the reply with that id.
    /// Requests still waiting are failed (their replies may be among the
    /// discarded input).
    pub(crate) async fn sync_delimited(&self, timeout: Duration) -> Result<i64, ClientError> {
        // 53 bits: the id survives any JSON implementation's doubles.
        let token = (random_u64() >> 11) as i64;
        let (done_tx, done_rx) = oneshot::channel();
        {
            let mut st = self.shared.lock();
            if let Some(e) = Self::closed_error(&st) {
                return Err(e);
            }
            for (_, p) in st.pending.drain() {
                if let Some(tx) = p.tx {
                    let _ = tx.send(Err(ClientError::Protocol(
                        "reply discarded by guest-sync-delimited".into(),
                    )));
                }
            }
            st.inband.clear();
            let args = format!("{{\"id\": {token}}}").into_bytes();
            let req = Outgoing {
                name: "guest-sync-delimited",
                args: Some(args),
                oob: false,
                no_reply: false,
            };
            let mut bytes = vec![0xFF];
            bytes.extend(req.to_bytes(None)?);
            st.sync = Sync::Discarding {
                token,
                done: done_tx,
            };
            if self.tx.send(bytes).is_err() {
                st.sync = Sync::Off;
                return Err(ClientError::Disconnected("connection closed".into()));
            }
        }
        match tokio::time::timeout(timeout, done_rx).await {
            Ok(Ok(())) => Ok(token),
            Ok(Err(_)) => Err(self.disconnected()),
            Err(_) => {
                self.shared.lock().sync = Sync::Off;
                Err(ClientError::Timeout {
                    what: "guest-sync-delimited".into(),
                    after: timeout,
                })
            }
        }
    }

    /// Writes bytes as they are, in order with requests.
    pub(crate) fn send_raw(&self, bytes: &[u8]) -> Result<(), ClientError> {
        let st = self.shared.lock();
        if let Some(e) = Self::closed_error(&st) {
            return Err(e);
        }
        self.tx
            .send(bytes.to_vec())
            .map_err(|_| ClientError::Disconnected("connection closed".into()))
    }

    pub(crate) fn events(&self) -> EventStream {
        EventStream {
            shared: self.shared.clone(),
        }
    }

    pub(crate) fn unmatched(&self) -> u64 {
        self.shared.lock().unmatched
    }

    pub(crate) fn closed_reason(&self) -> Option<String> {
        self.shared.lock().closed.clone()
    }

    /// Waits until the connection is closed.
    pub(crate) async fn closed(&self) {
        loop {
            let n = self.shared.events_ready.notified();
            tokio::pin!(n);
            n.as_mut().enable();
            if self.shared.lock().closed.is_some() {
                return;
            }
            n.await;
        }
    }
}

/// The events a connection received, oldest first.
///
/// There is one queue per connection, filled from the moment it is
/// made; every `EventStream` of a connection (clones, or repeated calls
/// to `events()`) takes from that same queue, so each event is handed out
/// once. See the module documentation for its bound.
#[derive(Clone)]
pub struct EventStream {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.shared.lock();
        f.debug_struct("EventStream")
            .field("queued", &st.events.len())
            .field("dropped", &st.dropped)
            .field("closed", &st.closed.is_some())
            .finish()
    }
}

impl EventStream {
    /// The next event, waiting for one; `None` once the connection is
    /// closed and every queued event has been taken.
    pub async fn recv(&mut self) -> Option<EventMessage> {
        loop {
            let ready = self.shared.events_ready.notified();
            tokio::pin!(ready);
            ready.as_mut().enable();
            if let Some(ev) = self.shared.pop_event() {
                return Some(ev);
            }
            if self.shared.lock().closed.is_some() {
                // An event may have been queued between the two checks.
                return self.shared.pop_event();
            }
            ready.await;
        }
    }

    /// The next event if one is queued.
    pub fn try_recv(&mut self) -> Option<EventMessage> {
        self.shared.pop_event()
    }

    /// Takes every queued event.
    pub fn drain(&mut self) -> Vec<EventMessage> {
        let evs: Vec<_> = self.shared.lock().events.drain(..).collect();
        if !evs.is_empty() {
            self.shared.events_space.notify_one();
        }
        evs
    }

    /// Waits for the next event named `name`, dropping others before
    /// it; `None` if the connection closes first.
    pub async fn wait_for(&mut self, name: &str) -> Option<EventMessage> {
        loop {
            let ev = self.recv().await?;
            if ev.name == name {
                return Some(ev);
            }
        }
    }

    /// How many events are queued.
    pub fn len(&self) -> usize {
        self.shared.lock().events.len()
    }

    /// Whether no event is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many events were dropped because the queue was full
    /// ([`Overflow::DropOldest`]).
    pub fn dropped(&self) -> u64 {
        self.shared.lock().dropped
    }

    /// Whether the connection is closed (queued events can still be
    /// taken).
    pub fn is_closed(&self) -> bool {
        self.shared.lock().closed.is_some()
    }
}
