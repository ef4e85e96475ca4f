//! The modelled storage daemon: its state and the command handlers.
//!
//! Every command of qemu-storage-daemon 10.0.2 is registered from the
//! port (`qapi_schema::ports::qsd::register`), in QSD's order, so that
//! `query-commands` and `query-qmp-schema` are QSD's and every command's
//! arguments are validated exactly as QSD does. The commands below get a
//! handler; the others answer `Command 'x' is not implemented` after
//! validation, and the handlers answer `qsd-mock: … is not implemented`
//! for the cases they do not model.
//!
//! What is modelled, with QSD's answers and error texts (checked against
//! the real daemon by `tests/qsd_mock.rs`):
//!
//! * block nodes of the `null-co` and `null-aio` drivers: `blockdev-add`
//!   (node-name rules, duplicates, `force-share`, `detect-zeroes`),
//!   `blockdev-del`, `query-named-block-nodes`, `query-blockstats`,
//!   `x-debug-query-block-graph`, `block-set-write-threshold`;
//! * QOM: `/objects` with `iothread` and `secret` objects (`object-add`
//!   with their property checks, `object-del`), `qom-list`, `qom-get` and
//!   `qom-set` (iothread properties) on the whole tree (`/`, `/objects`,
//!   `/chardevs`, `/backend`, partial paths), children listed in QEMU's
//!   hash-table order, `qom-list-types` and `qom-list-properties`;
//! * the monitor's character device (`query-chardev`,
//!   `query-chardev-backends`, `chardev-remove`, `chardev-send-break`,
//!   `ringbuf-*`);
//! * what a daemon without block jobs, exports, NBD server or dirty
//!   bitmaps answers: empty lists and QSD's "not found" errors for block
//!   job, export, NBD, bitmap and resize commands;
//! * `blockdev-create` jobs of the `file` driver (the file is created, as
//!   QSD does) with QSD's `JOB_STATUS_CHANGE` events, `query-jobs`,
//!   `job-dismiss` and QSD's state errors for the other job verbs;
//! * `transaction` with no actions, `blockdev-create` for drivers that
//!   cannot create images.
//!
//! A successful create job sends `waiting`, `pending` and `concluded`
//! just after its reply, as QSD does, but a request already waiting on
//! the connection is answered first (QSD runs the job's completion
//! before reading on).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use ::qapi_schema::ports::qmp::*;
use ::qapi_schema::ports::qsd;
use qapi::json::WriteOptions;
use qapi::json::glib_order::GHashTableModel;
use qapi::json::qdict::qdict_order;
use qapi::qmp::{VersionInfo, VersionTriple};
use qapi::server::EventSender;
use qapi::{Empty, Error, Registry, Result, Value};

/// How the monitor's character device was set up (what `query-chardev`
/// and `/chardevs/m` show).
#[derive(Clone, Debug)]
pub enum Monitor {
    /// `--chardev stdio,id=m --monitor chardev=m`.
    Stdio,
    /// `--chardev socket,id=m,path=PATH,server=on,wait=off --monitor chardev=m`.
    Socket(String),
}

impl Monitor {
    fn filename(&self) -> String {
        match self {
            Monitor::Stdio => "stdio".to_owned(),
            Monitor::Socket(p) => format!("unix:{p},server=on"),
        }
    }

    fn qom_type(&self) -> &'static str {
        match self {
            Monitor::Stdio => "chardev-stdio",
            Monitor::Socket(_) => "chardev-socket",
        }
    }
}

/// The monitor's chardev id, as in `--chardev stdio,id=m`.
pub const MONITOR_ID: &str = "m";

/// qemu-storage-daemon 10.0.2 as Debian builds it (its greeting and
/// `query-version`).
pub fn default_version() -> VersionInfo {
    VersionInfo {
        qemu: VersionTriple {
            major: 10,
            minor: 0,
            micro: 2,
        },
        package: "Debian 1:10.0.2+ds-2+deb13u1~bpo12+1".to_owned(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NullKind {
    Co,
    Aio,
}

impl NullKind {
    fn name(self) -> &'static str {
        match self {
            NullKind::Co => "null-co",
            NullKind::Aio => "null-aio",
        }
    }
}

#[derive(Clone, Debug)]
struct Node {
    name: String,
    driver: NullKind,
    size: Option<i64>,
    read_zeroes: Option<bool>,
    read_only: bool,
    active: bool,
    detect_zeroes: BlockdevDetectZeroesOptions,
    direct: bool,
    no_flush: bool,
    write_threshold: u64,
}

impl Node {
    /// QEMU's `bdrv_refresh_filename` for the null drivers: `null-co://`
    /// unless a strong option (`size`, `read-zeroes`) was given, then
    /// `json:` and the options in QDict order.
    fn filename(&self) -> String {
        if self.size.is_none() && self.read_zeroes.is_none() {
            return format!("{}://", self.driver.name());
        }
        let mut m = qapi::Map::new();
        m.insert("driver".to_owned(), Value::from(self.driver.name()));
        if let Some(s) = self.size {
            m.insert("size".to_owned(), Value::from(s));
        }
        if let Some(z) = self.read_zeroes {
            m.insert("read-zeroes".to_owned(), Value::from(z));
        }
        format!(
            "json:{}",
            qapi::json::value_to_string(&Value::Object(m), &WriteOptions::QEMU)
        )
    }

    fn info(&self) -> BlockDeviceInfo {
        let file = self.filename();
        BlockDeviceInfo {
            file: file.clone(),
            node_name: Some(self.name.clone()),
            ro: self.read_only,
            drv: self.driver.name().to_owned(),
            backing_file: None,
            backing_file_depth: 0,
            active: self.active,
            encrypted: false,
            detect_zeroes: self.detect_zeroes,
            bps: 0,
            bps_rd: 0,
            bps_wr: 0,
            iops: 0,
            iops_rd: 0,
            iops_wr: 0,
            image: ImageInfo {
                base: BlockNodeInfo {
                    filename: file,
                    format: self.driver.name().to_owned(),
                    dirty_flag: None,
                    actual_size: Some(0),
                    virtual_size: self.size.unwrap_or(1 << 30),
                    cluster_size: None,
                    encrypted: None,
                    compressed: None,
                    backing_filename: None,
                    full_backing_filename: None,
                    backing_filename_format: None,
                    snapshots: None,
                    format_specific: None,
                },
                backing_image: None,
            },
            bps_max: None,
            bps_rd_max: None,
            bps_wr_max: None,
            iops_max: None,
            iops_rd_max: None,
            iops_wr_max: None,
            bps_max_length: None,
            bps_rd_max_length: None,
            bps_wr_max_length: None,
            iops_max_length: None,
            iops_rd_max_length: None,
            iops_wr_max_length: None,
            iops_size: None,
            group: None,
            cache: BlockdevCacheInfo {
                writeback: true,
                direct: self.direct,
                no_flush: self.no_flush,
            },
            // QEMU stores the threshold as uint64 and reports it as int.
            write_threshold: self.write_threshold as i64,
            dirty_bitmaps: None,
        }
    }
}

/// A user-created object under `/objects`.
#[derive(Clone, Debug)]
enum Object {
    Iothread {
        poll_max_ns: i64,
        poll_grow: i64,
        poll_shrink: i64,
        aio_max_batch: i64,
        thread_pool_min: i64,
        thread_pool_max: i64,
    },
    Secret {
        data: String,
        format: QCryptoSecretFormat,
    },
}

impl Object {
    fn qom_type(&self) -> &'static str {
        match self {
            Object::Iothread { .. } => "iothread",
            Object::Secret { .. } => "secret",
        }
    }

    /// Properties as `qom-list` shows them.
    fn properties(&self) -> &'static [(&'static str, &'static str)] {
        match self {
            Object::Iothread { .. } => IOTHREAD_PROPS,
            Object::Secret { .. } => SECRET_PROPS,
        }
    }

    fn get(&self, property: &str) -> Option<Value> {
        Some(match (self, property) {
            (_, "type") => Value::from(self.qom_type()),
            (Object::Iothread { poll_max_ns, .. }, "poll-max-ns") => Value::from(*poll_max_ns),
            (Object::Iothread { poll_grow, .. }, "poll-grow") => Value::from(*poll_grow),
            (Object::Iothread { poll_shrink, .. }, "poll-shrink") => Value::from(*poll_shrink),
            (Object::Iothread { aio_max_batch, .. }, "aio-max-batch") => {
                Value::from(*aio_max_batch)
            }
            (
                Object::Iothread {
                    thread_pool_min, ..
                },
                "thread-pool-min",
            ) => Value::from(*thread_pool_min),
            (
                Object::Iothread {
                    thread_pool_max, ..
                },
                "thread-pool-max",
            ) => Value::from(*thread_pool_max),
            (Object::Secret { data, .. }, "data") => Value::from(data.as_str()),
            (Object::Secret { format, .. }, "format") => Value::from(match format {
                QCryptoSecretFormat::Raw => "raw",
                QCryptoSecretFormat::Base64 => "base64",
            }),
            (Object::Secret { .. }, "file" | "keyid" | "iv") => Value::from(""),
            _ => return None,
        })
    }
}

/// A node of the QOM tree.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Qom {
    Root,
    Backend,
    Objects,
    Chardevs,
    Chardev,
    Object(String),
}

#[derive(Default)]
struct State {
    /// Block nodes in creation order.
    nodes: Vec<Node>,
    objects: HashMap<String, Object>,
    /// Insertions into and removals from `/objects`' property table, to
    /// replay its layout (QEMU lists children in hash-table order).
    object_history: Vec<(bool, String)>,
    /// Jobs, newest first (QEMU's job list order).
    jobs: Vec<Job>,
}

#[derive(Clone, Debug)]
struct Job {
    id: String,
    status: JobStatus,
    error: Option<String>,
}

/// The daemon.
pub struct Qsd {
    monitor: Monitor,
    events: EventSender,
    state: Mutex<State>,
}

fn not_modelled(what: impl std::fmt::Display) -> Error {
    Error::generic(format!("qsd-mock: {what} is not implemented"))
}

/// QEMU's `id_wellformed`: a letter, then letters, digits, `-`, `.`, `_`.
fn id_wellformed(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

impl Qsd {
    pub fn new(monitor: Monitor, events: EventSender) -> Qsd {
        Qsd {
            monitor,
            events,
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ---- block nodes

    fn blockdev_add(&self, o: BlockdevOptions) -> Result<Empty> {
        let Some(name) = o.node_name.clone() else {
            return Err(Error::generic(
                "'node-name' must be specified for the root node",
            ));
        };
        let (driver, opts) = match o.driver {
            BlockdevOptionsBranch::NullCo(n) => (NullKind::Co, n),
            BlockdevOptionsBranch::NullAio(n) => (NullKind::Aio, n),
            other => {
                use qapi::{QapiBranches as _, QapiEnum as _};
                return Err(not_modelled(format!(
                    "blockdev-add with driver '{}' (only null-co and null-aio)",
                    other.tag().as_str()
                )));
            }
        };
        let read_only = o.read_only.unwrap_or(false);
        if o.force_share == Some(true) && !read_only {
            return Err(Error::generic(
                "force-share=on can only be used with read-only images",
            ));
        }
        let mut st = self.state();
        if !id_wellformed(&name) {
            return Err(Error::generic(format!("Invalid node-name: '{name}'")));
        }
        if st.nodes.iter().any(|n| n.name == name) {
            return Err(Error::generic(format!(
                "Duplicate nodes with node-name='{name}'"
            )));
        }
        if name.len() >= 32 {
            return Err(Error::generic("Node name too long"));
        }
        let detect_zeroes = o.detect_zeroes.unwrap_or(BlockdevDetectZeroesOptions::Off);
        if detect_zeroes == BlockdevDetectZeroesOptions::Unmap
            && o.discard != Some(BlockdevDiscardOptions::Unmap)
        {
            return Err(Error::generic(
                "setting detect-zeroes to unmap is not allowed without setting discard \
                 operation to unmap",
            ));
        }
        if opts.size.is_some_and(|s| s < 0) {
            // The real daemon aborts.
            return Err(not_modelled("blockdev-add with a negative size"));
        }
        let cache = o.cache.unwrap_or(BlockdevCacheOptions {
            direct: None,
            no_flush: None,
        });
        st.nodes.push(Node {
            name,
            driver,
            size: opts.size,
            read_zeroes: opts.read_zeroes,
            read_only,
            active: o.active.unwrap_or(true),
            detect_zeroes,
            direct: cache.direct.unwrap_or(false),
            no_flush: cache.no_flush.unwrap_or(false),
            write_threshold: 0,
        });
        Ok(Empty)
    }

    fn blockdev_del(&self, name: &str) -> Result<Empty> {
        let mut st = self.state();
        match st.nodes.iter().position(|n| n.name == name) {
            Some(i) => {
                st.nodes.remove(i);
                Ok(Empty)
            }
            None => Err(Error::generic(format!(
                "Failed to find node with node-name='{name}'"
            ))),
        }
    }

    fn has_node(&self, name: &str) -> bool {
        self.state().nodes.iter().any(|n| n.name == name)
    }

    /// `bdrv_lookup_bs`'s error.
    fn cannot_find(device: Option<&str>, node: Option<&str>) -> Error {
        Error::generic(format!(
            "Cannot find device='{}' nor node-name='{}'",
            device.unwrap_or(""),
            node.unwrap_or("")
        ))
    }

    /// Dirty bitmap lookup (`block_dirty_bitmap_lookup`): no node has
    /// bitmaps here.
    fn bitmap_lookup(&self, node: &str, name: &str) -> Error {
        if self.has_node(node) {
            Error::generic(format!("Dirty bitmap '{name}' not found"))
        } else {
            Error::generic(format!("Node '{node}' not found"))
        }
    }

    fn named_block_nodes(&self) -> Vec<BlockDeviceInfo> {
        // QEMU prepends while walking the nodes in creation order.
        self.state().nodes.iter().rev().map(Node::info).collect()
    }

    fn blockstats(&self, query_nodes: bool) -> Vec<BlockStats> {
        if !query_nodes {
            // No block backends in a storage daemon.
            return Vec::new();
        }
        self.state()
            .nodes
            .iter()
            .map(|n| BlockStats {
                device: None,
                qdev: None,
                node_name: Some(n.name.clone()),
                stats: zero_stats(),
                driver_specific: None,
                parent: None,
                backing: None,
            })
            .collect()
    }

    fn block_graph(&self) -> XDbgBlockGraph {
        let st = self.state();
        let nodes = st
            .nodes
            .iter()
            .enumerate()
            .rev()
            .map(|(i, n)| XDbgBlockGraphNode {
                id: i as u64 + 1,
                r#type: XDbgBlockGraphNodeType::BlockDriver,
                name: n.name.clone(),
            })
            .collect();
        XDbgBlockGraph {
            nodes,
            edges: Vec::new(),
        }
    }

    fn set_write_threshold(&self, node: &str, threshold: u64) -> Result<Empty> {
        let mut st = self.state();
        match st.nodes.iter_mut().find(|n| n.name == node) {
            Some(n) => {
                n.write_threshold = threshold;
                Ok(Empty)
            }
            None => Err(Error::generic(format!("Device '{node}' not found"))),
        }
    }

    // ---- QOM

    /// Children of `/objects` in QEMU's `qom-list` order (hash-table
    /// iteration order, reversed by the list prepending).
    fn object_order(st: &State) -> Vec<String> {
        let mut table = GHashTableModel::new();
        for (insert, id) in &st.object_history {
            if *insert {
                table.insert(id);
            } else {
                table.remove(id);
            }
        }
        let mut ids: Vec<String> = table.iter().map(str::to_owned).collect();
        ids.reverse();
        ids
    }

    fn children(&self, st: &State, q: &Qom) -> Vec<(String, Qom)> {
        match q {
            Qom::Root => vec![
                ("backend".to_owned(), Qom::Backend),
                ("objects".to_owned(), Qom::Objects),
                ("chardevs".to_owned(), Qom::Chardevs),
            ],
            Qom::Chardevs => vec![(MONITOR_ID.to_owned(), Qom::Chardev)],
            Qom::Objects => Self::object_order(st)
                .into_iter()
                .map(|id| (id.clone(), Qom::Object(id)))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn resolve_abs(&self, st: &State, from: Qom, parts: &[&str]) -> Option<Qom> {
        let mut cur = from;
        for p in parts.iter().filter(|p| !p.is_empty()) {
            cur = self
                .children(st, &cur)
                .into_iter()
                .find(|(n, _)| n == p)
                .map(|(_, q)| q)?;
        }
        Some(cur)
    }

    /// QEMU's `object_resolve_path`: absolute, or partial (unique match
    /// from anywhere in the tree).
    fn resolve(&self, path: &str) -> Result<Qom> {
        let st = self.state();
        let parts: Vec<&str> = if path.is_empty() {
            Vec::new()
        } else {
            path.split('/').collect()
        };
        if path.starts_with('/') {
            return self
                .resolve_abs(&st, Qom::Root, &parts)
                .ok_or_else(|| Error::device_not_found(format!("Device '{path}' not found")));
        }
        let mut all = vec![Qom::Root];
        let mut i = 0;
        while i < all.len() {
            let kids = self.children(&st, &all[i]);
            all.extend(kids.into_iter().map(|(_, q)| q));
            i += 1;
        }
        let found: Vec<Qom> = all
            .into_iter()
            .filter_map(|q| self.resolve_abs(&st, q, &parts))
            .collect();
        match found.len() {
            0 => Err(Error::device_not_found(format!(
                "Device '{path}' not found"
            ))),
            1 => Ok(found.into_iter().next().expect("one")),
            _ => Err(Error::generic(format!("Path '{path}' is ambiguous"))),
        }
    }

    fn qom_type(&self, st: &State, q: &Qom) -> String {
        match q {
            Qom::Chardev => self.monitor.qom_type().to_owned(),
            Qom::Object(id) => st
                .objects
                .get(id)
                .map(|o| o.qom_type().to_owned())
                .unwrap_or_default(),
            _ => "container".to_owned(),
        }
    }

    fn qom_list(&self, path: &str) -> Result<Vec<ObjectPropertyInfo>> {
        let q = self.resolve(path)?;
        let st = self.state();
        let prop = |name: &str, ty: &str| ObjectPropertyInfo {
            name: name.to_owned(),
            r#type: ty.to_owned(),
            description: None,
            default_value: None,
        };
        if let Qom::Object(id) = &q {
            let o = &st.objects[id];
            return Ok(o.properties().iter().map(|(n, t)| prop(n, t)).collect());
        }
        let mut out = vec![prop("type", "string")];
        for (name, child) in self.children(&st, &q) {
            out.push(prop(
                &name,
                &format!("child<{}>", self.qom_type(&st, &child)),
            ));
        }
        Ok(out)
    }

    fn qom_get(&self, path: &str, property: &str) -> Result<Value> {
        let q = self.resolve(path)?;
        let st = self.state();
        let ty = self.qom_type(&st, &q);
        let not_found = || Error::generic(format!("Property '{ty}.{property}' not found"));
        if let Qom::Object(id) = &q {
            return st.objects[id].get(property).ok_or_else(not_found);
        }
        if property == "type" {
            return Ok(Value::from(ty.as_str()));
        }
        let base = match &q {
            Qom::Root => String::new(),
            Qom::Backend => "/backend".to_owned(),
            Qom::Objects => "/objects".to_owned(),
            Qom::Chardevs => "/chardevs".to_owned(),
            _ => return Err(not_found()),
        };
        match self
            .children(&st, &q)
            .into_iter()
            .find(|(n, _)| n == property)
        {
            Some((n, _)) => Ok(Value::from(format!("{base}/{n}"))),
            None => Err(not_found()),
        }
    }

    fn object_add(&self, o: ObjectOptions) -> Result<Empty> {
        let id = o.id;
        if !id_wellformed(&id) {
            return Err(Error::generic("Parameter 'id' expects an identifier"));
        }
        let range =
            |name: &str| Error::generic(format!("{name} value must be in range [0, {}]", i64::MAX));
        // Properties are set in QDict order of the options, before the
        // object is added; `complete` runs after (and on failure the
        // object is removed again).
        let (object, complete): (Object, Option<Error>) = match o.qom_type {
            ObjectOptionsBranch::Iothread(p) => {
                let given = [
                    ("aio-max-batch", p.base.aio_max_batch),
                    ("thread-pool-min", p.base.thread_pool_min),
                    ("thread-pool-max", p.base.thread_pool_max),
                    ("poll-max-ns", p.poll_max_ns),
                    ("poll-grow", p.poll_grow),
                    ("poll-shrink", p.poll_shrink),
                ];
                let keys: Vec<&str> = given
                    .iter()
                    .filter(|(_, v)| v.is_some())
                    .map(|(k, _)| *k)
                    .collect();
                for k in qdict_order(&keys) {
                    let v = given.iter().find(|(n, _)| *n == k).and_then(|(_, v)| *v);
                    if v.is_some_and(|v| v < 0) {
                        return Err(range(k));
                    }
                }
                let min = p.base.thread_pool_min.unwrap_or(0);
                let max = p.base.thread_pool_max.unwrap_or(64);
                let bad =
                    min > max || max <= 0 || min > i64::from(i32::MAX) || max > i64::from(i32::MAX);
                (
                    Object::Iothread {
                        poll_max_ns: p.poll_max_ns.unwrap_or(32768),
                        poll_grow: p.poll_grow.unwrap_or(0),
                        poll_shrink: p.poll_shrink.unwrap_or(0),
                        aio_max_batch: p.base.aio_max_batch.unwrap_or(0),
                        thread_pool_min: min,
                        thread_pool_max: max,
                    },
                    bad.then(|| Error::generic("bad thread-pool-min/thread-pool-max values")),
                )
            }
            ObjectOptionsBranch::Secret(p) => {
                let format = p.base.format.unwrap_or(QCryptoSecretFormat::Raw);
                let data = p.data.clone().unwrap_or_default();
                let complete = match (&p.file, &p.data) {
                    (Some(_), Some(_)) => {
                        Some(Error::generic("'file' and 'data' are mutually exclusive"))
                    }
                    (Some(_), None) => {
                        return Err(not_modelled("object-add of a secret from a file"));
                    }
                    (None, None) => {
                        Some(Error::generic("Either 'file' or 'data' must be provided"))
                    }
                    (None, Some(d)) => {
                        if let Some(key) = &p.base.keyid {
                            if self.state().objects.contains_key(key) {
                                return Err(not_modelled("object-add of an encrypted secret"));
                            }
                            Some(Error::generic(format!("No secret with id '{key}'")))
                        } else if d.contains('\0') {
                            return Err(not_modelled("object-add of a secret with NUL bytes"));
                        } else if format == QCryptoSecretFormat::Base64
                            && !d.chars().all(|c| {
                                c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '\n')
                            })
                        {
                            Some(Error::generic("Base64 data contains invalid characters"))
                        } else {
                            None
                        }
                    }
                };
                (Object::Secret { data, format }, complete)
            }
            _ => {
                return Err(not_modelled(
                    "object-add of this qom-type (only iothread and secret)",
                ));
            }
        };
        let mut st = self.state();
        if st.objects.contains_key(&id) {
            return Err(Error::generic(format!(
                "attempt to add duplicate property '{id}' to object (type 'container')"
            )));
        }
        st.object_history.push((true, id.clone()));
        if let Some(e) = complete {
            st.object_history.push((false, id));
            return Err(e);
        }
        st.objects.insert(id, object);
        Ok(Empty)
    }

    fn object_del(&self, id: &str) -> Result<Empty> {
        let mut st = self.state();
        if st.objects.remove(id).is_none() {
            return Err(Error::generic(format!("object '{id}' not found")));
        }
        st.object_history.push((false, id.to_owned()));
        Ok(Empty)
    }

    fn qom_set(&self, path: &str, property: &str, value: &Value) -> Result<Empty> {
        let q = self.resolve(path)?;
        let mut st = self.state();
        let ty = self.qom_type(&st, &q);
        let known = match &q {
            Qom::Object(id) => st.objects[id].get(property).is_some(),
            _ => property == "type" || self.children(&st, &q).iter().any(|(n, _)| n == property),
        };
        if !known {
            return Err(Error::generic(format!(
                "Property '{ty}.{property}' not found"
            )));
        }
        if property == "type" {
            return Err(Error::generic(format!(
                "Property '{ty}.type' is not writable"
            )));
        }
        let Qom::Object(id) = &q else {
            return Err(not_modelled("qom-set of a child property"));
        };
        let Some(Object::Iothread {
            poll_max_ns,
            poll_grow,
            poll_shrink,
            aio_max_batch,
            thread_pool_min,
            thread_pool_max,
        }) = st.objects.get_mut(id)
        else {
            return Err(not_modelled("qom-set of a secret's property"));
        };
        // QEMU's int64 property setter, then the range check; the value
        // is kept even when applying it fails (thread pool bounds).
        let Value::Int(v) = *value else {
            return Err(Error::generic(format!(
                "Invalid parameter type for '{property}', expected: integer"
            )));
        };
        if v < 0 {
            return Err(Error::generic(format!(
                "{property} value must be in range [0, {}]",
                i64::MAX
            )));
        }
        let slot = match property {
            "poll-max-ns" => poll_max_ns,
            "poll-grow" => poll_grow,
            "poll-shrink" => poll_shrink,
            "aio-max-batch" => aio_max_batch,
            "thread-pool-min" => thread_pool_min,
            _ => thread_pool_max,
        };
        *slot = v;
        let (min, max) = (*thread_pool_min, *thread_pool_max);
        if property.starts_with("thread-pool-")
            && (min > max || max <= 0 || min > i64::from(i32::MAX) || max > i64::from(i32::MAX))
        {
            return Err(Error::generic("bad thread-pool-min/thread-pool-max values"));
        }
        Ok(Empty)
    }

    /// `block-export-add`: QEMU's checks up to the export driver; there
    /// is no NBD server, and the other export types are not modelled.
    fn block_export_add(&self, e: BlockExportOptions) -> Result<Empty> {
        if !id_wellformed(&e.id) {
            return Err(Error::generic("Invalid block export id"));
        }
        if !self.has_node(&e.node_name) {
            return Err(Self::cannot_find(None, Some(&e.node_name)));
        }
        if let Some(io) = &e.iothread {
            let is_iothread = matches!(self.state().objects.get(io), Some(Object::Iothread { .. }));
            if !is_iothread {
                return Err(Error::generic(format!("iothread \"{io}\" not found")));
            }
            return Err(not_modelled("block-export-add with an iothread"));
        }
        match e.r#type {
            BlockExportOptionsBranch::Nbd(_) => Err(Error::generic("NBD server not running")),
            _ => Err(not_modelled("block-export-add of this type (only nbd)")),
        }
    }

    // ---- jobs

    fn set_job_status(&self, id: &str, status: JobStatus) {
        if let Some(j) = self.state().jobs.iter_mut().find(|j| j.id == id) {
            j.status = status;
        }
        self.events.emit(&JobStatusChange {
            id: id.to_owned(),
            status,
        });
    }

    fn query_jobs(&self) -> Vec<JobInfo> {
        self.state()
            .jobs
            .iter()
            .map(|j| JobInfo {
                id: j.id.clone(),
                r#type: JobType::Create,
                status: j.status,
                current_progress: i64::from(j.status == JobStatus::Concluded),
                total_progress: 1,
                error: j.error.clone(),
            })
            .collect()
    }

    /// A job verb: QEMU's state table for the jobs modelled here, which
    /// are concluded once the client hears of them (only `dismiss`
    /// is allowed then).
    fn job_verb(&self, id: &str, verb: &str) -> Result<Empty> {
        let mut st = self.state();
        let Some(i) = st.jobs.iter().position(|j| j.id == id) else {
            return Err(job_not_found());
        };
        let status = st.jobs[i].status;
        let wrong_state = || {
            use qapi::QapiEnum as _;
            Error::generic(format!(
                "Job '{id}' in state '{}' cannot accept command verb '{verb}'",
                status.as_str()
            ))
        };
        match (verb, status) {
            // No job here is ever paused by the user.
            ("resume", _) => Err(Error::generic("Can't resume a job that was not paused")),
            ("dismiss", JobStatus::Concluded) => {
                st.jobs.remove(i);
                drop(st);
                self.events.emit(&JobStatusChange {
                    id: id.to_owned(),
                    status: JobStatus::Null,
                });
                Ok(Empty)
            }
            ("dismiss", _) | (_, JobStatus::Concluded) => Err(wrong_state()),
            _ => Err(not_modelled(format!("job-{verb} of a running job"))),
        }
    }

    /// `blockdev-create`: a `create` job. For the `file` driver it
    /// creates the file (as QSD does); the job's status changes are
    /// QSD's: `created`, `running`, then `aborting` and `concluded` before
    /// the reply when creation fails, or `waiting`, `pending`,
    /// `concluded` after it.
    async fn blockdev_create(self: Arc<Self>, a: BlockdevCreate) -> Result<Empty> {
        let file = match a.options.driver {
            BlockdevCreateOptionsBranch::NullCo | BlockdevCreateOptionsBranch::NullAio => {
                return Err(Error::generic("Driver does not support blockdev-create"));
            }
            BlockdevCreateOptionsBranch::File(f) => f,
            _ => return Err(not_modelled("blockdev-create for this driver")),
        };
        if file.preallocation == Some(PreallocMode::Metadata) {
            return Err(not_modelled(
                "blockdev-create with preallocation 'metadata'",
            ));
        }
        let id = a.job_id;
        {
            let mut st = self.state();
            if !id_wellformed(&id) {
                return Err(Error::generic(format!("Invalid job ID '{id}'")));
            }
            if st.jobs.iter().any(|j| j.id == id) {
                return Err(Error::generic(format!("Job ID '{id}' already in use")));
            }
            st.jobs.insert(
                0,
                Job {
                    id: id.clone(),
                    status: JobStatus::Created,
                    error: None,
                },
            );
        }
        self.events.emit(&JobStatusChange {
            id: id.clone(),
            status: JobStatus::Created,
        });
        self.set_job_status(&id, JobStatus::Running);
        match create_file(&file.filename, file.size.0) {
            Err(e) => {
                if let Some(j) = self.state().jobs.iter_mut().find(|j| j.id == id) {
                    j.error = Some(e);
                }
                self.set_job_status(&id, JobStatus::Aborting);
                self.set_job_status(&id, JobStatus::Concluded);
            }
            Ok(()) => {
                let q = Arc::clone(&self);
                tokio::spawn(async move {
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    for s in [JobStatus::Waiting, JobStatus::Pending, JobStatus::Concluded] {
                        q.set_job_status(&id, s);
                    }
                });
            }
        }
        Ok(Empty)
    }

    // ---- chardevs

    fn chardev_info(&self) -> Vec<ChardevInfo> {
        vec![ChardevInfo {
            label: MONITOR_ID.to_owned(),
            filename: self.monitor.filename(),
            frontend_open: true,
        }]
    }
}

fn zero_stats() -> BlockDeviceStats {
    BlockDeviceStats {
        rd_bytes: 0,
        wr_bytes: 0,
        zone_append_bytes: 0,
        unmap_bytes: 0,
        rd_operations: 0,
        wr_operations: 0,
        zone_append_operations: 0,
        flush_operations: 0,
        unmap_operations: 0,
        rd_total_time_ns: 0,
        wr_total_time_ns: 0,
        zone_append_total_time_ns: 0,
        flush_total_time_ns: 0,
        unmap_total_time_ns: 0,
        wr_highest_offset: 0,
        rd_merged: 0,
        wr_merged: 0,
        zone_append_merged: 0,
        unmap_merged: 0,
        idle_time_ns: None,
        failed_rd_operations: 0,
        failed_wr_operations: 0,
        failed_zone_append_operations: 0,
        failed_flush_operations: 0,
        failed_unmap_operations: 0,
        invalid_rd_operations: 0,
        invalid_wr_operations: 0,
        invalid_zone_append_operations: 0,
        invalid_flush_operations: 0,
        invalid_unmap_operations: 0,
        account_invalid: false,
        account_failed: false,
        timed_stats: Vec::new(),
        rd_latency_histogram: None,
        wr_latency_histogram: None,
        zone_append_latency_histogram: None,
        flush_latency_histogram: None,
    }
}

const IOTHREAD_PROPS: &[(&str, &str)] = &[
    ("type", "string"),
    ("thread-pool-min", "int"),
    ("aio-max-batch", "int"),
    ("thread-pool-max", "int"),
    ("poll-max-ns", "int"),
    ("poll-grow", "int"),
    ("poll-shrink", "int"),
];

const SECRET_PROPS: &[(&str, &str)] = &[
    ("type", "string"),
    ("iv", "string"),
    ("keyid", "string"),
    ("format", "QCryptoSecretFormat"),
    ("file", "string"),
    ("data", "string"),
];

/// The concrete types implementing the only interface, `user-creatable`,
/// in `qom-list-types` order.
const USER_CREATABLE: &[&str] = &[
    "authz-simple",
    "tls-creds-anon",
    "pr-manager-helper",
    "iothread",
    "secret",
    "tls-creds-psk",
    "main-loop",
    "authz-list-file",
    "authz-list",
    "tls-creds-x509",
    "thread-context",
    "secret_keyring",
    "throttle-group",
];

/// Every QOM type of the fresh daemon, as `qom-list-types` with
/// `abstract: true` lists them (captured from qemu-storage-daemon
/// 10.0.2).
fn qom_types() -> &'static [ObjectTypeInfo] {
    static TYPES: std::sync::OnceLock<Vec<ObjectTypeInfo>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        let v: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("qom-types.json")).expect("qom-types.json");
        v.iter()
            .map(|t| ObjectTypeInfo {
                name: t["name"].as_str().unwrap_or_default().to_owned(),
                r#abstract: t["abstract"].as_bool(),
                parent: t["parent"].as_str().map(str::to_owned),
            })
            .collect()
    })
}

fn qom_list_types(implements: Option<&str>, with_abstract: bool) -> Result<Vec<ObjectTypeInfo>> {
    let all = qom_types();
    let is_a = |t: &ObjectTypeInfo, ancestor: &str| {
        let mut cur = Some(t);
        while let Some(c) = cur {
            if c.name == ancestor {
                return true;
            }
            cur = c
                .parent
                .as_deref()
                .and_then(|p| all.iter().find(|x| x.name == p));
        }
        false
    };
    match implements {
        Some("user-creatable") if !with_abstract => Ok(all
            .iter()
            .filter(|t| USER_CREATABLE.contains(&t.name.as_str()))
            .cloned()
            .collect()),
        Some("user-creatable" | "interface") => Err(not_modelled(
            "qom-list-types of an interface's implementations",
        )),
        _ => Ok(all
            .iter()
            .filter(|t| with_abstract || t.r#abstract != Some(true))
            .filter(|t| implements.is_none_or(|i| is_a(t, i)))
            .cloned()
            .collect()),
    }
}

/// A C library error text (`strerror`), as QEMU prints it: Rust's
/// text without its ` (os error N)` suffix.
fn strerror(e: &std::io::Error) -> String {
    let t = e.to_string();
    match t.rfind(" (os error ") {
        Some(i) => t[..i].to_owned(),
        None => t,
    }
}

/// `file`'s `bdrv_co_create`: open (creating) and resize.
fn create_file(path: &str, size: u64) -> std::result::Result<(), String> {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| format!("Could not create '{path}': {}", strerror(&e)))?;
    f.set_len(size)
        .map_err(|e| format!("Could not resize file: {}", strerror(&e)))
}

fn job_not_found() -> Error {
    Error::generic("Job not found")
}

fn block_job_not_found(id: &str) -> Error {
    Error::device_not_active(format!("Block job '{id}' not found"))
}

/// The registry: every QSD command and event in QSD's order, with the
/// handlers of this model.
pub fn registry(version: VersionInfo) -> Registry<Qsd> {
    let mut r = qsd::registry::<Qsd>();
    r.set_version(version);

    // Stateless or modelled queries.
    r.command::<QueryBlockExports, _>(|_, _| Ok(Vec::new()));
    r.command::<QueryBlock, _>(|_, _| Ok(Vec::new()));
    r.command::<QueryBlockJobs, _>(|_, _| Ok(Vec::new()));
    r.command::<QueryJobs, _>(|q, _| Ok(q.query_jobs()));
    r.command::<QueryNamedBlockNodes, _>(|q, _| Ok(q.named_block_nodes()));
    r.command::<QueryBlockstats, _>(|q, a| Ok(q.blockstats(a.query_nodes.unwrap_or(false))));
    r.command::<XDebugQueryBlockGraph, _>(|q, _| Ok(q.block_graph()));
    r.command::<QueryChardev, _>(|q, _| Ok(q.chardev_info()));
    r.command::<QueryChardevBackends, _>(|_, _| {
        Ok([
            "hub", "serial", "mux", "pipe", "parallel", "null", "ringbuf", "socket", "stdio",
            "memory", "udp", "file", "pty",
        ]
        .iter()
        .map(|n| ChardevBackendInfo {
            name: (*n).to_owned(),
        })
        .collect())
    });

    // Block nodes.
    r.command::<BlockdevAdd, _>(|q, a| q.blockdev_add(a.0));
    r.command::<BlockdevDel, _>(|q, a| q.blockdev_del(&a.node_name));
    r.command::<BlockSetWriteThreshold, _>(|q, a| {
        q.set_write_threshold(&a.node_name, a.write_threshold)
    });
    r.command::<BlockResize, _>(|q, a| {
        // No block backends: only node names can be found.
        let node = a.node_name.as_deref().and_then(|n| {
            q.state()
                .nodes
                .iter()
                .find(|x| x.name == n)
                .map(|x| (x.read_only, x.active))
        });
        if let Some((read_only, active)) = node {
            if a.size < 0 {
                Err(Error::generic("Parameter 'size' expects a >0 size"))
            } else if read_only || !active {
                Err(not_modelled("block_resize of a read-only or inactive node"))
            } else {
                Err(Error::generic(
                    "Image format driver does not support resize",
                ))
            }
        } else {
            Err(Qsd::cannot_find(
                a.device.as_deref(),
                a.node_name.as_deref(),
            ))
        }
    });
    r.command_async::<BlockdevCreate, _, _>(|q, a| q.blockdev_create(a));

    // Dirty bitmaps: none exist.
    r.command::<BlockDirtyBitmapAddCmd, _>(|q, a| {
        if q.has_node(&a.0.node) {
            Err(not_modelled("block-dirty-bitmap-add on an existing node"))
        } else {
            Err(Qsd::cannot_find(Some(&a.0.node), Some(&a.0.node)))
        }
    });
    r.command::<BlockDirtyBitmapRemove, _>(|q, a| Err(q.bitmap_lookup(&a.0.node, &a.0.name)));
    r.command::<BlockDirtyBitmapClear, _>(|q, a| Err(q.bitmap_lookup(&a.0.node, &a.0.name)));
    r.command::<BlockDirtyBitmapEnable, _>(|q, a| Err(q.bitmap_lookup(&a.0.node, &a.0.name)));
    r.command::<BlockDirtyBitmapDisable, _>(|q, a| Err(q.bitmap_lookup(&a.0.node, &a.0.name)));
    r.command::<BlockDirtyBitmapMergeCmd, _>(|q, a| Err(q.bitmap_lookup(&a.0.node, &a.0.target)));

    // Jobs: create jobs (not block jobs).
    r.command::<JobPause, _>(|q, a| q.job_verb(&a.id, "pause"));
    r.command::<JobResume, _>(|q, a| q.job_verb(&a.id, "resume"));
    r.command::<JobCancel, _>(|q, a| q.job_verb(&a.id, "cancel"));
    r.command::<JobComplete, _>(|q, a| q.job_verb(&a.id, "complete"));
    r.command::<JobDismiss, _>(|q, a| q.job_verb(&a.id, "dismiss"));
    r.command::<JobFinalize, _>(|q, a| q.job_verb(&a.id, "finalize"));
    r.command::<BlockJobSetSpeed, _>(|_, a| Err(block_job_not_found(&a.device)));
    r.command::<BlockJobCancel, _>(|_, a| Err(block_job_not_found(&a.device)));
    r.command::<BlockJobPause, _>(|_, a| Err(block_job_not_found(&a.device)));
    r.command::<BlockJobResume, _>(|_, a| Err(block_job_not_found(&a.device)));
    r.command::<BlockJobComplete, _>(|_, a| Err(block_job_not_found(&a.device)));
    r.command::<BlockJobDismiss, _>(|_, a| Err(block_job_not_found(&a.id)));
    r.command::<BlockJobFinalize, _>(|_, a| Err(block_job_not_found(&a.id)));
    r.command::<BlockJobChange, _>(|_, a| Err(block_job_not_found(&a.0.id)));

    // Exports and NBD: none, and no NBD server.
    r.command::<BlockExportAdd, _>(|q, a| q.block_export_add(a.0));
    r.command::<BlockExportDel, _>(|_, a| {
        Err(Error::generic(format!("Export '{}' is not found", a.id)))
    });
    r.command::<NbdServerRemove, _>(|_, a| {
        Err(Error::generic(format!("Export '{}' is not found", a.name)))
    });
    r.command::<NbdServerStop, _>(|_, _| Err(Error::generic("NBD server not running")));
    r.command::<NbdServerAdd, _>(|q, a| {
        if q.has_node(&a.0.device) {
            Err(Error::generic("NBD server not running"))
        } else {
            Err(Qsd::cannot_find(Some(&a.0.device), Some(&a.0.device)))
        }
    });

    // QOM.
    r.command::<QomList, _>(|q, a| q.qom_list(&a.path));
    r.command::<QomGet, _>(|q, a| q.qom_get(&a.path, &a.property));
    r.command::<QomSet, _>(|q, a| q.qom_set(&a.path, &a.property, &a.value));
    r.command::<ObjectAdd, _>(|q, a| q.object_add(a.0));
    r.command::<ObjectDel, _>(|q, a| q.object_del(&a.id));

    // The monitor's chardev.
    r.command::<ChardevRemove, _>(|_, a| {
        Err(Error::generic(if a.id == MONITOR_ID {
            format!("Chardev '{}' is busy", a.id)
        } else {
            format!("Chardev '{}' not found", a.id)
        }))
    });
    r.command::<ChardevSendBreak, _>(|_, a| {
        if a.id == MONITOR_ID {
            Ok(Empty)
        } else {
            Err(Error::generic(format!("Chardev '{}' not found", a.id)))
        }
    });
    r.command::<ChardevChange, _>(|_, a| {
        if a.id == MONITOR_ID {
            Err(not_modelled("chardev-change of the monitor"))
        } else {
            Err(Error::generic(format!("Chardev '{}' does not exist", a.id)))
        }
    });
    r.command::<RingbufRead, _>(|_, a| {
        Err(Error::generic(if a.device == MONITOR_ID {
            format!("{} is not a ringbuf device", a.device)
        } else {
            format!("Device '{}' not found", a.device)
        }))
    });
    r.command::<RingbufWrite, _>(|_, a| {
        Err(Error::generic(if a.device == MONITOR_ID {
            format!("{} is not a ringbuf device", a.device)
        } else {
            format!("Device '{}' not found", a.device)
        }))
    });

    // Commands on nodes, when the node is missing (and a few answers
    // for existing null nodes).
    r.command::<BlockdevSnapshotSyncCmd, _>(|q, a| {
        let a = a.0;
        if a.node_name.as_deref().is_some_and(|n| q.has_node(n)) {
            return Err(match a.snapshot_node_name {
                None => Error::generic("New overlay node-name missing"),
                Some(_) => not_modelled("blockdev-snapshot-sync on an existing node"),
            });
        }
        Err(Qsd::cannot_find(
            a.device.as_deref(),
            a.node_name.as_deref(),
        ))
    });
    r.command::<BlockdevSnapshotCmd, _>(|q, a| {
        let a = a.0;
        if !q.has_node(&a.node) {
            return Err(Qsd::cannot_find(Some(&a.node), Some(&a.node)));
        }
        if !q.has_node(&a.overlay) {
            return Err(Qsd::cannot_find(Some(&a.overlay), Some(&a.overlay)));
        }
        Err(not_modelled("blockdev-snapshot of existing nodes"))
    });
    r.command::<ChangeBackingFile, _>(|q, a| {
        if !q.has_node(&a.device) {
            return Err(Qsd::cannot_find(Some(&a.device), Some(&a.device)));
        }
        if !q.has_node(&a.image_node_name) {
            return Err(Qsd::cannot_find(None, Some(&a.image_node_name)));
        }
        Err(not_modelled("change-backing-file of existing nodes"))
    });
    r.command::<BlockCommit, _>(|q, a| {
        if q.has_node(&a.device) {
            Err(not_modelled("block-commit of an existing node"))
        } else {
            Err(Error::device_not_found(format!(
                "Device '{}' not found",
                a.device
            )))
        }
    });
    r.command::<BlockStream, _>(|q, a| {
        if !q.has_node(&a.device) {
            return Err(Qsd::cannot_find(Some(&a.device), Some(&a.device)));
        }
        Err(not_modelled("block-stream of an existing node"))
    });
    r.command::<BlockdevMirror, _>(|q, a| {
        for n in [&a.device, &a.target] {
            if !q.has_node(n) {
                return Err(Qsd::cannot_find(Some(n), Some(n)));
            }
        }
        Err(not_modelled("blockdev-mirror of existing nodes"))
    });
    r.command::<DriveMirrorCmd, _>(|q, a| {
        if !q.has_node(&a.0.device) {
            return Err(Qsd::cannot_find(Some(&a.0.device), Some(&a.0.device)));
        }
        Err(not_modelled("drive-mirror of an existing node"))
    });
    r.command::<BlockdevBackupCmd, _>(|q, a| {
        for n in [&a.0.base.device, &a.0.target] {
            if !q.has_node(n) {
                return Err(Qsd::cannot_find(Some(n), Some(n)));
            }
        }
        Err(not_modelled("blockdev-backup of existing nodes"))
    });
    r.command::<DriveBackupCmd, _>(|q, a| {
        let d = &a.0.base.device;
        if !q.has_node(d) {
            return Err(Qsd::cannot_find(Some(d), Some(d)));
        }
        Err(not_modelled("drive-backup of an existing node"))
    });
    r.command::<BlockdevSnapshotInternalSync, _>(|q, a| {
        let d = &a.0.device;
        if !q.has_node(d) {
            return Err(Qsd::cannot_find(Some(d), Some(d)));
        }
        let driver = q
            .state()
            .nodes
            .iter()
            .find(|n| &n.name == d)
            .map(|n| n.driver.name());
        Err(Error::generic(format!(
            "Block format '{}' used by device '{d}' does not support internal snapshots",
            driver.unwrap_or_default()
        )))
    });
    r.command::<BlockdevSnapshotDeleteInternalSync, _>(|q, a| {
        if !q.has_node(&a.device) {
            return Err(Qsd::cannot_find(Some(&a.device), Some(&a.device)));
        }
        Err(not_modelled(
            "blockdev-snapshot-delete-internal-sync of an existing node",
        ))
    });
    r.command::<XBlockdevSetIothread, _>(|q, a| {
        if !q.has_node(&a.node_name) {
            return Err(Error::generic(format!(
                "Failed to find node with node-name='{}'",
                a.node_name
            )));
        }
        match &a.iothread {
            StrOrNull::S(id) if !q.state().objects.contains_key(id) => {
                Err(Error::generic(format!("Cannot find iothread {id}")))
            }
            _ => Err(not_modelled("x-blockdev-set-iothread of an existing node")),
        }
    });
    r.command::<XBlockdevChange, _>(|q, a| {
        if !q.has_node(&a.parent) {
            return Err(Qsd::cannot_find(Some(&a.parent), Some(&a.parent)));
        }
        if a.child.is_none() && a.node.is_none() {
            return Err(Error::generic("Either child or node must be specified"));
        }
        Err(not_modelled("x-blockdev-change of an existing node"))
    });
    r.command::<XBlockdevAmend, _>(|q, a| {
        if !q.has_node(&a.node_name) {
            return Err(Qsd::cannot_find(None, Some(&a.node_name)));
        }
        Err(not_modelled("x-blockdev-amend of an existing node"))
    });
    r.command::<BlockdevSetActive, _>(|q, a| match &a.node_name {
        None => {
            for n in q.state().nodes.iter_mut() {
                n.active = a.active;
            }
            Ok(Empty)
        }
        Some(name) => {
            let mut st = q.state();
            match st.nodes.iter_mut().find(|n| &n.name == name) {
                Some(n) => {
                    n.active = a.active;
                    Ok(Empty)
                }
                None => Err(Error::generic(format!(
                    "Failed to find node with node-name='{name}'"
                ))),
            }
        }
    });
    r.command::<XDebugBlockDirtyBitmapSha256, _>(|q, a| Err(q.bitmap_lookup(&a.0.node, &a.0.name)));

    // QOM types: the fresh daemon's.
    r.command::<QomListTypes, _>(|_, a| {
        qom_list_types(a.implements.as_deref(), a.r#abstract.unwrap_or(false))
    });
    r.command::<QomListProperties, _>(|_, a| {
        let props: &[(&str, &str)] = match a.typename.as_str() {
            "iothread" => IOTHREAD_PROPS,
            "secret" => SECRET_PROPS,
            "secret_common" => &SECRET_PROPS[..4],
            "main-loop" => &IOTHREAD_PROPS[..4],
            "object" | "container" => &IOTHREAD_PROPS[..1],
            t if t.starts_with("chardev-") && qom_types().iter().any(|x| x.name == t) => {
                &IOTHREAD_PROPS[..1]
            }
            t if !qom_types().iter().any(|x| x.name == t) => {
                return Err(Error::device_not_found(format!("Class '{t}' not found")));
            }
            _ => return Err(not_modelled("qom-list-properties of this type")),
        };
        Ok(props
            .iter()
            .map(|(n, t)| ObjectPropertyInfo {
                name: (*n).to_owned(),
                r#type: (*t).to_owned(),
                description: None,
                default_value: None,
            })
            .collect())
    });
    r.command::<ChardevAdd, _>(|_, a| {
        if a.id == MONITOR_ID {
            Err(Error::generic(format!(
                "Chardev with id '{}' already exists",
                a.id
            )))
        } else {
            Err(not_modelled("chardev-add"))
        }
    });

    r.command::<Transaction, _>(|_, a| {
        if a.actions.is_empty() {
            Ok(Empty)
        } else {
            Err(not_modelled("transaction with actions"))
        }
    });
    r
}
