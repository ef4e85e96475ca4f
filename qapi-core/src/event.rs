//! Events on the wire: `{"timestamp": {"seconds": S, "microseconds": U},
//! "event": NAME, "data": {...}}` (REFERENCE.md section 5).

use std::time::{SystemTime, UNIX_EPOCH};

use crate::command::Event;
use crate::json::{WriteOptions, write_value};
use crate::policy::CompatPolicy;
use crate::value::{Map, Value};

/// Wall-clock time of an event, split as QEMU sends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    pub seconds: i64,
    pub microseconds: i64,
}

impl Timestamp {
    /// Now. (QEMU 2.11 sent `-1, -1` when the clock failed; a clock
    /// before 1970 gives that here.)
    pub fn now() -> Timestamp {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => Timestamp {
                seconds: d.as_secs() as i64,
                microseconds: i64::from(d.subsec_micros()),
            },
            Err(_) => Timestamp {
                seconds: -1,
                microseconds: -1,
            },
        }
    }
}

/// An event ready to be sent to every negotiated client.
#[derive(Clone, Debug, PartialEq)]
pub struct EventMessage {
    pub name: String,
    /// The event's data; `None` when it has no members (QEMU then omits
    /// `data`).
    pub data: Option<Value>,
    pub timestamp: Timestamp,
}

impl EventMessage {
    /// Builds the message for `event` now. Returns `None` when the output
    /// policy hides the event (it carries a hidden `deprecated` or
    /// `unstable` feature); members the policy hides are left out.
    pub fn new<E: Event>(event: &E, policy: CompatPolicy) -> Option<EventMessage> {
        EventMessage::at(event, policy, Timestamp::now())
    }

    /// [`EventMessage::new`] with a given timestamp.
    pub fn at<E: Event>(
        event: &E,
        policy: CompatPolicy,
        timestamp: Timestamp,
    ) -> Option<EventMessage> {
        if policy.hides(E::SPECIAL_FEATURES) {
            return None;
        }
        let text = crate::policy::with_output_policy(policy, || {
            crate::json::to_vec(event, &WriteOptions::COMPACT)
        })
        .ok()?;
        let data = match crate::json::parse_one(&text) {
            Ok(Value::Object(m)) if m.is_empty() => None,
            Ok(v) => Some(v),
            Err(_) => None,
        };
        Some(EventMessage {
            name: E::NAME.to_owned(),
            data,
            timestamp,
        })
    }

    /// The event as one JSON text in QEMU's member order, without line
    /// ending.
    pub fn write(&self, out: &mut Vec<u8>, opts: &WriteOptions) {
        let mut ts = Map::with_capacity(2);
        ts.push_unchecked("seconds".into(), Value::Int(self.timestamp.seconds));
        ts.push_unchecked(
            "microseconds".into(),
            Value::Int(self.timestamp.microseconds),
        );
        let mut m = Map::with_capacity(3);
        m.push_unchecked("timestamp".into(), Value::Object(ts));
        m.push_unchecked("event".into(), Value::from(self.name.as_str()));
        if let Some(d) = &self.data {
            m.push_unchecked("data".into(), d.clone());
        }
        write_value(&Value::Object(m), out, opts);
    }

    /// [`EventMessage::write`] into a new buffer.
    pub fn to_vec(&self, opts: &WriteOptions) -> Vec<u8> {
        let mut out = Vec::with_capacity(96);
        self.write(&mut out, opts);
        out
    }

    /// A member of `data`, for rate-limiting keys (`id`, `node-name`,
    /// `qom-path`).
    pub fn data_str(&self, member: &str) -> Option<&str> {
        self.data.as_ref()?.as_object()?.get(member)?.as_str()
    }
}
