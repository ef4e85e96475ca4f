//! Events: one sender, many connections; QEMU's rate limiting; a bounded
//! backlog per connection.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::command::Event;
use crate::event::EventMessage;
use crate::policy::CompatPolicy;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What happens to a connection whose event backlog is full (it has not
/// read its events for a while).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EventOverflow {
    /// Close the connection. The client notices (and can reconnect and
    /// query the state again) instead of silently missing a state change.
    #[default]
    Disconnect,
    /// Drop the oldest waiting event and keep the connection.
    DropOldest,
}

/// Which events are rate limited, by what key, and over which window
/// (QEMU's `monitor_qapi_event_conf`).
///
/// For each key, the first event is sent at once and starts a timer of
/// one window; while it runs only the latest further event is kept (it
/// replaces earlier ones); when the timer fires the kept event is sent,
/// with its original timestamp, and the timer starts again, or, if
/// nothing was kept, the key is forgotten.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimits {
    window: Duration,
    /// Event name → the `data` member that is part of the key, if any.
    events: HashMap<String, Option<String>>,
}

impl Default for RateLimits {
    fn default() -> RateLimits {
        RateLimits::qemu()
    }
}

impl RateLimits {
    /// QEMU 10.0's table: one event per second per key for `RTC_CHANGE`,
    /// `BLOCK_IO_ERROR` (per `qom-path`), `WATCHDOG`, `BALLOON_CHANGE`,
    /// `QUORUM_REPORT_BAD` (per `node-name`), `QUORUM_FAILURE`,
    /// `VSERPORT_CHANGE` (per `id`), `MEMORY_DEVICE_SIZE_CHANGE` (per
    /// `qom-path`) and `HV_BALLOON_STATUS_REPORT`.
    pub fn qemu() -> RateLimits {
        let table: [(&str, Option<&str>); 9] = [
            ("RTC_CHANGE", None),
            ("BLOCK_IO_ERROR", Some("qom-path")),
            ("WATCHDOG", None),
            ("BALLOON_CHANGE", None),
            ("QUORUM_REPORT_BAD", Some("node-name")),
            ("QUORUM_FAILURE", None),
            ("VSERPORT_CHANGE", Some("id")),
            ("MEMORY_DEVICE_SIZE_CHANGE", Some("qom-path")),
            ("HV_BALLOON_STATUS_REPORT", None),
        ];
        RateLimits {
            window: Duration::from_secs(1),
            events: table
                .into_iter()
                .map(|(n, k)| (n.to_owned(), k.map(str::to_owned)))
                .collect(),
        }
    }

    /// No rate limiting at all.
    pub fn none() -> RateLimits {
        RateLimits {
            window: Duration::from_secs(1),
            events: HashMap::new(),
        }
    }

    /// Limits `event`, keyed by the event alone or also by the string
    /// member `key` of its data.
    pub fn limit(mut self, event: &str, key: Option<&str>) -> RateLimits {
        self.events.insert(event.to_owned(), key.map(str::to_owned));
        self
    }

    /// The window (QEMU: one second).
    pub fn window(mut self, window: Duration) -> RateLimits {
        self.window = window;
        self
    }

    pub fn window_len(&self) -> Duration {
        self.window
    }

    /// Whether `event` is rate limited, and by which data member.
    pub fn get(&self, event: &str) -> Option<Option<&str>> {
        self.events.get(event).map(Option::as_deref)
    }
}

/// Sends events to every negotiated QMP connection of the servers it is
/// given to ([`ServerConfig::events`](super::ServerConfig::events)).
///
/// Cloneable and cheap to share: put one in the state your handlers see,
/// hand clones to other tasks or threads. Sending never blocks and works
/// without an async runtime. Rate limited events ([`RateLimits`]) are
/// delayed by a timer thread the sender starts when needed (it ends when
/// no key is pending).
#[derive(Clone)]
pub struct EventSender {
    bus: Arc<Bus>,
}

impl std::fmt::Debug for EventSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSender")
            .field("subscribers", &self.subscribers())
            .finish()
    }
}

impl Default for EventSender {
    fn default() -> EventSender {
        EventSender::new()
    }
}

struct Bus {
    hub: Arc<Hub>,
    limiter: Arc<Limiter>,
    policy: Mutex<CompatPolicy>,
}

impl EventSender {
    /// A sender with QEMU's rate limits.
    pub fn new() -> EventSender {
        EventSender::with_rate_limits(RateLimits::qemu())
    }

    /// A sender with the given rate limits.
    pub fn with_rate_limits(limits: RateLimits) -> EventSender {
        EventSender {
            bus: Arc::new(Bus {
                hub: Arc::new(Hub {
                    subscribers: Mutex::new(Vec::new()),
                }),
                limiter: Arc::new(Limiter {
                    limits,
                    state: Mutex::new(LimiterState::default()),
                    cond: Condvar::new(),
                }),
                policy: Mutex::new(CompatPolicy::default()),
            }),
        }
    }

    /// Sets the output compat policy events are built with (the servers
    /// set it to their registry's): hidden events are not sent, hidden
    /// members are left out.
    pub fn set_policy(&self, policy: CompatPolicy) {
        *lock(&self.bus.policy) = policy;
    }

    /// Builds the message for `event` now and sends it.
    pub fn emit<E: Event>(&self, event: &E) {
        let policy = *lock(&self.bus.policy);
        if let Some(msg) = EventMessage::new(event, policy) {
            self.send(msg);
        }
    }

    /// Sends a ready message (subject to rate limiting).
    pub fn send(&self, msg: EventMessage) {
        Limiter::submit(&self.bus.limiter, &self.bus.hub, Arc::new(msg));
    }

    /// Connections currently receiving events.
    pub fn subscribers(&self) -> usize {
        let mut subs = lock(&self.bus.hub.subscribers);
        subs.retain(|w| w.strong_count() > 0);
        subs.len()
    }

    /// The rate limits in force.
    pub fn rate_limits(&self) -> &RateLimits {
        &self.bus.limiter.limits
    }

    /// Registers a connection's outbox: it gets every event sent from
    /// now on until it is dropped.
    pub(crate) fn subscribe(&self, outbox: &Arc<Outbox>) {
        let mut subs = lock(&self.bus.hub.subscribers);
        subs.retain(|w| w.strong_count() > 0);
        subs.push(Arc::downgrade(outbox));
    }
}

/// The connections.
struct Hub {
    subscribers: Mutex<Vec<Weak<Outbox>>>,
}

impl Hub {
    fn broadcast(&self, msg: &Arc<EventMessage>) {
        let live: Vec<Arc<Outbox>> = {
            let mut subs = lock(&self.subscribers);
            subs.retain(|w| w.strong_count() > 0);
            subs.iter().filter_map(Weak::upgrade).collect()
        };
        for outbox in live {
            outbox.push_event(Arc::clone(msg));
        }
    }
}

type Key = (String, Option<String>);

struct Slot {
    deadline: Instant,
    /// The latest event that arrived while the timer ran.
    stored: Option<Arc<EventMessage>>,
}

#[derive(Default)]
struct LimiterState {
    slots: HashMap<Key, Slot>,
    timer_running: bool,
}

struct Limiter {
    limits: RateLimits,
    state: Mutex<LimiterState>,
    cond: Condvar,
}

impl Limiter {
    fn submit(this: &Arc<Limiter>, hub: &Arc<Hub>, msg: Arc<EventMessage>) {
        let Some(member) = this.limits.get(&msg.name) else {
            hub.broadcast(&msg);
            return;
        };
        let key = (
            msg.name.clone(),
            member.and_then(|m| msg.data_str(m)).map(str::to_owned),
        );
        let mut st = lock(&this.state);
        if let Some(slot) = st.slots.get_mut(&key) {
            slot.stored = Some(msg);
            return;
        }
        st.slots.insert(
            key,
            Slot {
                deadline: Instant::now() + this.limits.window,
                stored: None,
            },
        );
        // Sent while the lock is held, so that a timer firing at once
        // cannot overtake it.
        hub.broadcast(&msg);
        if st.timer_running {
            this.cond.notify_all();
        } else {
            st.timer_running = true;
            let (limiter, hub) = (Arc::clone(this), Arc::clone(hub));
            let spawned = std::thread::Builder::new()
                .name("qapi-event-rate".into())
                .spawn(move || limiter.run_timer(&hub));
            if spawned.is_err() {
                // No thread: send without limiting rather than hold events.
                st.timer_running = false;
                st.slots.clear();
            }
        }
    }

    /// The timer: sends what was kept when a key's window ends, forgets
    /// idle keys, and ends when no key is left.
    fn run_timer(&self, hub: &Hub) {
        let mut st = lock(&self.state);
        loop {
            let now = Instant::now();
            let window = self.limits.window;
            let mut due: Vec<(Instant, Arc<EventMessage>)> = Vec::new();
            st.slots.retain(|_, slot| {
                if slot.deadline > now {
                    return true;
                }
                match slot.stored.take() {
                    Some(msg) => {
                        due.push((slot.deadline, msg));
                        slot.deadline = now + window;
                        true
                    }
                    None => false,
                }
            });
            due.sort_by_key(|(deadline, msg)| (*deadline, msg.timestamp));
            for (_, msg) in &due {
                hub.broadcast(msg);
            }
            let Some(next) = st.slots.values().map(|s| s.deadline).min() else {
                st.timer_running = false;
                return;
            };
            let wait = next.saturating_duration_since(Instant::now());
            st = self
                .cond
                .wait_timeout(st, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

/// What waits to be written to one connection: events (bounded, with
/// the overflow policy) and, for the blocking driver, reply bytes.
pub(crate) struct Outbox {
    state: Mutex<OutboxState>,
    /// Wakes an async writer.
    pub(crate) notify: Notify,
    /// Wakes a blocking writer (and producers waiting for room).
    pub(crate) cond: Condvar,
    /// Called once when the backlog overflows under
    /// [`EventOverflow::Disconnect`] (the blocking driver shuts the socket
    /// down to interrupt a write that does not progress). It runs on the
    /// sender's thread and must not take locks of the connection.
    overflow_hook: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

pub(crate) enum Out {
    Event(Arc<EventMessage>),
    Bytes(Vec<u8>),
}

pub(crate) struct OutboxState {
    pub(crate) items: VecDeque<Out>,
    events: usize,
    capacity: usize,
    overflow: EventOverflow,
    /// The backlog overflowed under [`EventOverflow::Disconnect`].
    pub(crate) overflowed: bool,
    /// Events dropped under [`EventOverflow::DropOldest`].
    pub(crate) dropped: u64,
    /// No more output will be written.
    pub(crate) closed: bool,
    /// Close once the items are written.
    pub(crate) finish: bool,
    /// Bytes of reply data waiting.
    pub(crate) bytes: usize,
}

impl Outbox {
    pub(crate) fn new(capacity: usize, overflow: EventOverflow) -> Arc<Outbox> {
        Arc::new(Outbox {
            state: Mutex::new(OutboxState {
                items: VecDeque::new(),
                events: 0,
                capacity: capacity.max(1),
                overflow,
                overflowed: false,
                dropped: 0,
                closed: false,
                finish: false,
                bytes: 0,
            }),
            notify: Notify::new(),
            cond: Condvar::new(),
            overflow_hook: Mutex::new(None),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, OutboxState> {
        lock(&self.state)
    }

    fn wake(&self) {
        self.notify.notify_one();
        self.cond.notify_all();
    }

    pub(crate) fn set_overflow_hook(&self, hook: impl FnOnce() + Send + 'static) {
        *lock(&self.overflow_hook) = Some(Box::new(hook));
    }

    fn push_event(&self, msg: Arc<EventMessage>) {
        let mut overflowed = false;
        {
            let mut st = self.lock();
            if st.closed || st.overflowed {
                return;
            }
            if st.events >= st.capacity {
                match st.overflow {
                    EventOverflow::Disconnect => {
                        st.overflowed = true;
                        overflowed = true;
                    }
                    EventOverflow::DropOldest => {
                        if let Some(i) = st.items.iter().position(|o| matches!(o, Out::Event(_))) {
                            st.items.remove(i);
                            st.events -= 1;
                            st.dropped += 1;
                        }
                    }
                }
            }
            if !st.overflowed {
                st.items.push_back(Out::Event(msg));
                st.events += 1;
            }
        }
        self.wake();
        if overflowed && let Some(hook) = lock(&self.overflow_hook).take() {
            hook();
        }
    }

    /// Queues reply bytes (blocking driver).
    pub(crate) fn push_bytes(&self, bytes: Vec<u8>) {
        {
            let mut st = self.lock();
            if st.closed {
                return;
            }
            st.bytes += bytes.len();
            st.items.push_back(Out::Bytes(bytes));
        }
        self.wake();
    }

    /// Takes everything waiting.
    pub(crate) fn take(st: &mut OutboxState) -> VecDeque<Out> {
        st.events = 0;
        st.bytes = 0;
        std::mem::take(&mut st.items)
    }

    /// Marks the outbox closed and wakes everyone.
    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.wake();
    }

    /// Asks the writer to close once everything queued is written.
    pub(crate) fn finish(&self) {
        self.lock().finish = true;
        self.wake();
    }
}
