//! The command registry: typed handlers behind QMP dispatch, the schema
//! they make up, `query-commands` and `query-qmp-schema`.
//!
//! ```
//! use std::sync::Arc;
//! use qapi_core::{Registry, qmp::VersionInfo};
//! # #[derive(Default)] struct Vm;
//! let mut qmp = Registry::<Vm>::new();           // QMP's control commands included
//! qmp.set_version(VersionInfo::default());
//! // qmp.command::<MyCommand>(|vm, args| Ok(...));
//! let intro = qmp.introspect(false);
//! assert_eq!(intro.entries[0].name, "qmp_capabilities");
//! ```
//!
//! What introspection lists: every registered command (with a handler,
//! declared with [`Registry::declare`], enabled or not) and every
//! registered event, in registration order, plus the types they use.
//! Commands that were never registered do not appear: register the
//! whole schema (a port does) to get the whole schema.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::FxHashMap;

use crate::command::{Command, CommandInfo, Event};
use crate::decode::Decoder;
use crate::describe::SchemaBuilder;
use crate::error::{Error, Result};
use crate::json::WriteOptions;
use crate::policy::CompatPolicy;
use crate::qmp;
use crate::schema::Schema;
use crate::schema::introspect::{IntrospectOptions, Introspection, introspect};
use crate::value::{Map, Value};

/// A boxed future, as async handlers return.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// How replies are written: JSON layout and output compat policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplyFormat {
    pub write: WriteOptions,
    pub policy: CompatPolicy,
}

/// A handler's result: the return value as JSON text.
pub(crate) type Reply = Result<Vec<u8>>;

type SyncHandler<S> = dyn Fn(&Arc<S>, Map, &mut Decoder, &ReplyFormat) -> Reply + Send + Sync;
type AsyncHandler<S> =
    dyn Fn(&Arc<S>, Map, &mut Decoder, ReplyFormat) -> Result<BoxFuture<Reply>> + Send + Sync;

pub(crate) enum Handler<S> {
    Sync(Box<SyncHandler<S>>),
    Async(Box<AsyncHandler<S>>),
    /// A QMP control command answered by the session itself.
    Control(Control),
    /// In the schema, but this server does not implement it.
    Declared(fn(Map, &mut Decoder) -> Result<()>),
}

/// The control commands the session implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Control {
    Capabilities,
    QueryVersion,
    QueryCommands,
    QueryQmpSchema,
    Quit,
}

pub(crate) struct CommandEntry<S> {
    pub info: CommandInfo,
    pub handler: Handler<S>,
}

#[derive(Clone, Copy)]
enum EntryPoint {
    Command(usize),
    Event(fn(&mut SchemaBuilder)),
}

/// Serializes a typed return value.
pub(crate) fn encode<T: serde::Serialize>(value: &T, format: &ReplyFormat) -> Reply {
    crate::policy::with_output_policy(format.policy, || crate::json::to_vec(value, &format.write))
        .map_err(|e| Error::generic(format!("cannot encode the reply: {}", e.message())))
}

/// Commands, events and their handlers.
pub struct Registry<S> {
    pub(crate) commands: Vec<CommandEntry<S>>,
    describers: Vec<fn(&mut SchemaBuilder)>,
    extra_types: Vec<fn(&mut SchemaBuilder)>,
    /// Names are looked up, never inserted, from client input: the
    /// table's probe lengths are the registrant's, so an unkeyed hash
    /// is safe here.
    by_name: FxHashMap<&'static str, usize>,
    entries: Vec<EntryPoint>,
    disabled: RwLock<HashMap<String, Option<String>>>,
    pub(crate) policy: CompatPolicy,
    pub(crate) version: qmp::VersionInfo,
    preconfig: AtomicBool,
    schema_cache: Mutex<SchemaCache>,
    type_order: Option<&'static [&'static str]>,
    crash_hook: Option<Box<CrashHook>>,
}

/// `query-qmp-schema` replies by (unmasked, deprecated hidden, format).
type SchemaCache = HashMap<(bool, bool, WriteOptions), Arc<Vec<u8>>>;

/// Called with the command name when a `crash` compat policy triggers.
type CrashHook = dyn Fn(&str) + Send + Sync;

impl<S: Send + Sync + 'static> Default for Registry<S> {
    fn default() -> Self {
        Registry::new()
    }
}

impl<S: Send + Sync + 'static> Registry<S> {
    /// A registry with QMP's control commands (`qmp_capabilities`,
    /// `query-version`, `query-commands`, `quit`, `query-qmp-schema`)
    /// registered in QEMU's order.
    pub fn new() -> Registry<S> {
        let mut r = Registry::empty();
        r.control::<qmp::QmpCapabilities>(Control::Capabilities);
        r.control::<qmp::QueryVersion>(Control::QueryVersion);
        r.control::<qmp::QueryCommands>(Control::QueryCommands);
        r.control::<qmp::Quit>(Control::Quit);
        r.control::<qmp::QueryQmpSchema>(Control::QueryQmpSchema);
        r
    }

    /// A registry with no commands at all (the guest agent has no
    /// control commands; ports that define them in their own order start
    /// here too and add them with [`Registry::control_command`]).
    pub fn empty() -> Registry<S> {
        Registry {
            commands: Vec::new(),
            describers: Vec::new(),
            extra_types: Vec::new(),
            by_name: FxHashMap::default(),
            entries: Vec::new(),
            disabled: RwLock::new(HashMap::new()),
            policy: CompatPolicy::default(),
            version: qmp::VersionInfo::default(),
            preconfig: AtomicBool::new(false),
            schema_cache: Mutex::new(HashMap::new()),
            type_order: None,
            crash_hook: None,
        }
    }

    fn insert<C: Command>(&mut self, handler: Handler<S>) -> &mut Self {
        let entry = CommandEntry {
            info: C::INFO,
            handler,
        };
        match self.by_name.get(C::NAME) {
            Some(&i) => {
                // Registering again replaces the handler, keeping the position.
                self.commands[i] = entry;
            }
            None => {
                let i = self.commands.len();
                self.by_name.insert(C::NAME, i);
                self.commands.push(entry);
                self.describers.push(C::describe_command);
                self.entries.push(EntryPoint::Command(i));
            }
        }
        self.schema_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self
    }

    fn control<C: Command>(&mut self, which: Control) -> &mut Self {
        self.insert::<C>(Handler::Control(which))
    }

    /// Registers one of QMP's control commands at this position (for
    /// registries built with [`Registry::empty`] in a schema's order).
    /// `name` is `qmp_capabilities`, `query-version`, `query-commands`,
    /// `quit` or `query-qmp-schema`; anything else is ignored.
    pub fn control_command(&mut self, name: &str) -> &mut Self {
        match name {
            "qmp_capabilities" => self.control::<qmp::QmpCapabilities>(Control::Capabilities),
            "query-version" => self.control::<qmp::QueryVersion>(Control::QueryVersion),
            "query-commands" => self.control::<qmp::QueryCommands>(Control::QueryCommands),
            "quit" => self.control::<qmp::Quit>(Control::Quit),
            "query-qmp-schema" => self.control::<qmp::QueryQmpSchema>(Control::QueryQmpSchema),
            _ => self,
        }
    }

    /// Registers a command with a synchronous handler.
    pub fn command<C, F>(&mut self, handler: F) -> &mut Self
    where
        C: Command,
        F: Fn(&S, C) -> Result<C::Returns> + Send + Sync + 'static,
    {
        self.insert::<C>(Handler::Sync(Box::new(move |state, args, dec, format| {
            let cmd = C::decode_args(args, dec)?;
            let ret = handler(state, cmd)?;
            encode(&ret, format)
        })))
    }

    /// Registers a command with an asynchronous handler. Arguments are
    /// decoded (and rejected) before the handler is called.
    pub fn command_async<C, F, Fut>(&mut self, handler: F) -> &mut Self
    where
        C: Command,
        F: Fn(Arc<S>, C) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<C::Returns>> + Send + 'static,
    {
        self.insert::<C>(Handler::Async(Box::new(move |state, args, dec, format| {
            let cmd = C::decode_args(args, dec)?;
            let fut = handler(Arc::clone(state), cmd);
            Ok(Box::pin(async move {
                let ret = fut.await?;
                encode(&ret, &format)
            }) as BoxFuture<Reply>)
        })))
    }

    /// Registers a command whose handler takes the raw arguments object
    /// (QAPI's `'gen': false`, e.g. QEMU's `device_add`). `C` still
    /// describes the command for introspection.
    pub fn command_raw<C, F>(&mut self, handler: F) -> &mut Self
    where
        C: Command,
        F: Fn(&S, Map) -> Result<Value> + Send + Sync + 'static,
    {
        self.insert::<C>(Handler::Sync(Box::new(move |state, args, _dec, format| {
            let ret = handler(state, args)?;
            encode(&ret, format)
        })))
    }

    /// Registers a command this server does not implement: it is listed
    /// by `query-commands` and introspection, its arguments are validated
    /// as QEMU would, and then it fails with `Command 'x' is not
    /// implemented`.
    pub fn declare<C: Command>(&mut self) -> &mut Self {
        fn validate<C: Command>(args: Map, d: &mut Decoder) -> Result<()> {
            C::decode_args(args, d).map(|_| ())
        }
        self.insert::<C>(Handler::Declared(validate::<C>))
    }

    /// Registers an event (for introspection; emit it through a server).
    pub fn event<E: Event>(&mut self) -> &mut Self {
        self.entries.push(EntryPoint::Event(E::describe_event));
        self.schema_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self
    }

    /// Adds types to the schema beyond those the registered commands and
    /// events use: `describe` describes them (e.g. a port's function that
    /// describes all of its types). With [`Registry::set_type_order`],
    /// introspection lists those QEMU lists although nothing compiled in
    /// reaches them.
    pub fn types(&mut self, describe: fn(&mut SchemaBuilder)) -> &mut Self {
        self.extra_types.push(describe);
        self.schema_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self
    }

    /// Disables a command: calls fail with `Command x has been disabled`
    /// (and `: reason` if given). It stays in introspection; it leaves
    /// `query-commands`.
    pub fn disable(&self, name: &str, reason: Option<&str>) {
        self.disabled
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_owned(), reason.map(str::to_owned));
    }

    /// Enables a command again.
    pub fn enable(&self, name: &str) {
        self.disabled
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name);
    }

    /// Whether the command exists and is enabled.
    pub fn is_enabled(&self, name: &str) -> bool {
        self.by_name.contains_key(name) && !self.is_disabled(name)
    }

    fn is_disabled(&self, name: &str) -> bool {
        let d = self.disabled.read().unwrap_or_else(|e| e.into_inner());
        !d.is_empty() && d.contains_key(name)
    }

    pub(crate) fn disabled_reason(&self, name: &str) -> Option<Option<String>> {
        let d = self.disabled.read().unwrap_or_else(|e| e.into_inner());
        if d.is_empty() {
            None
        } else {
            d.get(name).cloned()
        }
    }

    /// Sets QEMU's `-compat` policy.
    pub fn set_policy(&mut self, policy: CompatPolicy) -> &mut Self {
        self.policy = policy;
        self.schema_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self
    }

    pub fn policy(&self) -> CompatPolicy {
        self.policy
    }

    /// Called when a `crash` compat policy triggers (QEMU aborts); the
    /// request fails with the reject error either way.
    pub fn set_crash_hook(&mut self, hook: impl Fn(&str) + Send + Sync + 'static) -> &mut Self {
        self.crash_hook = Some(Box::new(hook));
        self
    }

    pub(crate) fn crashed(&self, what: &str) {
        if let Some(h) = &self.crash_hook {
            h(what);
        }
    }

    /// Sets what `query-version` and the greeting report.
    pub fn set_version(&mut self, version: qmp::VersionInfo) -> &mut Self {
        self.version = version;
        self
    }

    pub fn version(&self) -> &qmp::VersionInfo {
        &self.version
    }

    /// Enters or leaves the preconfig phase (qemu-system `--preconfig`):
    /// while in it, commands without `allow-preconfig` fail.
    pub fn set_preconfig(&self, on: bool) {
        self.preconfig.store(on, Ordering::Relaxed);
    }

    pub(crate) fn in_preconfig(&self) -> bool {
        self.preconfig.load(Ordering::Relaxed)
    }

    /// Numbers types in introspection by this list (type names in the
    /// full schema's discovery order), so that types compiled out with
    /// `#[cfg]` leave the same gaps as in QEMU. See
    /// [`IntrospectOptions::type_order`].
    pub fn set_type_order(&mut self, order: &'static [&'static str]) -> &mut Self {
        self.type_order = Some(order);
        self.schema_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<&CommandEntry<S>> {
        self.by_name.get(name).map(|&i| &self.commands[i])
    }

    /// The schema of everything registered, commands and events in
    /// registration order.
    pub fn schema(&self) -> Schema {
        let mut b = SchemaBuilder::new();
        for e in &self.entries {
            match e {
                EntryPoint::Command(i) => (self.describers[*i])(&mut b),
                EntryPoint::Event(f) => f(&mut b),
            }
        }
        for f in &self.extra_types {
            f(&mut b);
        }
        b.finish()
    }

    /// The `query-qmp-schema` answer (`unmask` keeps real type names).
    /// Deprecated things are hidden when the output policy says so.
    pub fn introspect(&self, unmask: bool) -> Introspection {
        let schema = self.schema();
        let mut opts = IntrospectOptions::new()
            .unmask(unmask)
            .hide_deprecated(self.policy.deprecated_output == crate::policy::OutputPolicy::Hide);
        if let Some(order) = self.type_order {
            opts = opts.type_order(order);
        }
        introspect(&schema, &opts).unwrap_or_default()
    }

    /// The `query-qmp-schema` reply value as JSON text, computed once
    /// per format.
    pub(crate) fn schema_reply(&self, format: &ReplyFormat) -> Arc<Vec<u8>> {
        let hide = format.policy.deprecated_output == crate::policy::OutputPolicy::Hide;
        let key = (false, hide, format.write);
        let mut cache = self.schema_cache.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(cache.entry(key).or_insert_with(|| {
            let schema = self.schema();
            let mut opts = IntrospectOptions::new().hide_deprecated(hide);
            if let Some(order) = self.type_order {
                opts = opts.type_order(order);
            }
            let intro = introspect(&schema, &opts).unwrap_or_default();
            Arc::new(crate::json::value_to_vec(&intro.to_value(), &format.write))
        }))
    }

    /// `query-commands`: enabled commands, most recently registered
    /// first (QEMU's order).
    pub fn query_commands(&self) -> Vec<qmp::CommandInfo> {
        self.commands
            .iter()
            .rev()
            .filter(|c| !self.is_disabled(c.info.name))
            .map(|c| qmp::CommandInfo {
                name: c.info.name.to_owned(),
            })
            .collect()
    }

    /// Names of all registered commands, in registration order.
    pub fn command_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.commands.iter().map(|c| c.info.name)
    }

    /// The options of a registered command.
    pub fn command_info(&self, name: &str) -> Option<CommandInfo> {
        self.lookup(name).map(|c| c.info)
    }
}
