//! QEMU 10.0.2's own schemas as Rust: QMP (`qemu-system`), the storage
//! daemon and the guest agent, generated with `qapi import` (without
//! documentation) and committed; the test `ports_drift` regenerates them
//! from QEMU's `.json` files and fails on any difference
//! ([`crate::portgen`] says how to regenerate).
//!
//! | feature | module | what |
//! |---|---|---|
//! | `qemu-qmp` | [`qmp`] | every type, command and event of `qapi/qapi-schema.json` |
//! | `qemu-qsd` | [`qsd`] (types in [`qmp`]) | `storage-daemon/qapi/qapi-schema.json`: its modules of QMP's, its own order |
//! | `qemu-qga` | [`qga`] | `qga/qapi-schema.json` |
//!
//! All three are default features of `qapi-schema`. The storage daemon
//! shares QMP's types (its schema is a subset of QMP's modules, and the
//! import of either gives the same Rust for them): with `qemu-qsd` but
//! not `qemu-qmp`, [`qmp`] holds only those modules.
//!
//! Each port has `describe` / `describe_types` / `schema` / `TYPE_ORDER`
//! (see [`crate::import`]) and
//!
//! * `register(&mut Registry)`: every command and event in QEMU's
//!   definition order, commands declared (listed and validated, failing
//!   with `Command 'x' is not implemented`) until you attach a handler
//!   with `Registry::command`, which replaces the entry in place; QMP's
//!   control commands at their place; the types and `TYPE_ORDER`, so
//!   `query-qmp-schema` keeps QEMU's numbering gaps;
//! * `registry()`: the same into `Registry::empty()`.
//!
//! ```
//! # #[cfg(feature = "qemu-qsd")] {
//! use qapi_schema::ports::qsd;
//! struct Daemon;
//! let mut qmp = qsd::registry::<Daemon>();
//! qmp.command::<qapi_schema::ports::qmp::QueryJobs, _>(|_, _| Ok(Vec::new()));
//! let intro = qmp.introspect(false);
//! assert_eq!(intro.entries.len(), 513); // == the live qemu-storage-daemon 10.0.2
//! # }
//! ```
//!
//! # Conditions
//!
//! QEMU's `'if'` conditions are `#[cfg(NAME)]`s over bare names
//! (`CONFIG_LINUX`, `TARGET_I386`, …), set by this crate's build script
//! from the environment variable `QAPI_QEMU_CFG` (read at build time;
//! changing it rebuilds this crate only):
//!
//! * unset, or `debian-10.0.2-x86_64`: what Debian's 10.0.2 x86_64 build
//!   sets ([`qapi_core::schema::profiles::DEBIAN_10_0_2_X86_64`]), so
//!   introspection equals the live `qemu-system-x86_64`,
//!   `qemu-storage-daemon` and `qemu-ga` of that build;
//! * `debian-10.0.2-host`: its host-wide conditions only;
//! * `all` (every name of [`cfg_names`]) or `none`;
//! * `NAME,NAME,…`: exactly those names; `+NAME,…`: the default plus those.
//!
//! ```sh
//! QAPI_QEMU_CFG=all cargo build -p qapi-schema
//! ```
//!
//! A cfg set is the same for the whole crate, so it is one choice per
//! build (unlike cargo features, it is not unified across the
//! workspace). [`CFG_PROFILE`] and [`CFG_SET`] tell what the build
//! chose.
//!
//! "Every condition true" (QEMU's introspection oracles) is `all`,
//! except for one enum value of the guest agent: `merged` of
//! `GuestExecCaptureOutputMode` is `if: {not: CONFIG_WIN32}`, so a build
//! with every name has no `merged` (and one with no `CONFIG_WIN32` has
//! no Windows-only parts) — no real build has both.

include!(concat!(env!("OUT_DIR"), "/ports_cfg.rs"));

/// The QMP schema: every module of `qapi/qapi-schema.json`.
#[cfg(any(feature = "qemu-qmp", feature = "qemu-qsd"))]
#[rustfmt::skip]
// A module whose definitions are all compiled out leaves its `pub use`
// unused (e.g. `ebpf` with `QAPI_QEMU_CFG=none`).
#[allow(missing_docs, unused_imports)]
pub mod qmp;

/// The storage daemon's schema (types in [`qmp`]).
#[cfg(feature = "qemu-qsd")]
#[rustfmt::skip]
pub mod qsd;

/// The guest agent's schema.
#[cfg(feature = "qemu-qga")]
#[rustfmt::skip]
#[allow(unused_imports)]
pub mod qga;

/// Every condition name of the three schemas, sorted.
pub fn cfg_names() -> Vec<&'static str> {
    include_str!("cfg-names.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Whether this build has every condition name set (`QAPI_QEMU_CFG=all`).
pub fn all_cfg() -> bool {
    cfg_names().iter().all(|n| CFG_SET.contains(n))
}

/// One of the ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Port {
    Qmp,
    Qsd,
    Qga,
}

impl Port {
    /// `qmp`, `qsd` or `qga`.
    pub fn parse(word: &str) -> Option<Port> {
        match word {
            "qmp" => Some(Port::Qmp),
            "qsd" => Some(Port::Qsd),
            "qga" => Some(Port::Qga),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Port::Qmp => "qmp",
            Port::Qsd => "qsd",
            Port::Qga => "qga",
        }
    }

    /// The cargo feature that compiles it.
    pub fn feature(self) -> &'static str {
        match self {
            Port::Qmp => "qemu-qmp",
            Port::Qsd => "qemu-qsd",
            Port::Qga => "qemu-qga",
        }
    }

    /// The condition names its schema uses (empty when it is not
    /// compiled in).
    pub fn cfg_names(self) -> &'static [&'static str] {
        match self {
            #[cfg(any(feature = "qemu-qmp", feature = "qemu-qsd"))]
            Port::Qmp => qmp::CFG_NAMES,
            #[cfg(feature = "qemu-qsd")]
            Port::Qsd => qsd::CFG_NAMES,
            #[cfg(feature = "qemu-qga")]
            Port::Qga => qga::CFG_NAMES,
            #[allow(unreachable_patterns)]
            _ => &[],
        }
    }

    /// The names of [`Port::cfg_names`] set in this build: what decides
    /// its introspection.
    pub fn cfg_set(self) -> Vec<&'static str> {
        self.cfg_names()
            .iter()
            .copied()
            .filter(|n| CFG_SET.contains(n))
            .collect()
    }

    /// Whether it is compiled in.
    pub fn compiled(self) -> bool {
        match self {
            Port::Qmp => cfg!(feature = "qemu-qmp"),
            Port::Qsd => cfg!(feature = "qemu-qsd"),
            Port::Qga => cfg!(feature = "qemu-qga"),
        }
    }

    /// The introspection (`query-qmp-schema`) of the port's registry, as
    /// compiled (its cfg set), `None` when the port is not compiled in.
    pub fn introspect(self, unmask: bool) -> Option<qapi_core::schema::introspect::Introspection> {
        self.introspect_with(unmask, false)
    }

    /// [`Port::introspect`], optionally hiding what is deprecated (as
    /// with `-compat deprecated-output=hide`).
    pub fn introspect_with(
        self,
        unmask: bool,
        hide_deprecated: bool,
    ) -> Option<qapi_core::schema::introspect::Introspection> {
        #[allow(unused_mut)]
        let mut policy = qapi_core::CompatPolicy::default();
        if hide_deprecated {
            policy.deprecated_output = qapi_core::policy::OutputPolicy::Hide;
        }
        match self {
            #[cfg(feature = "qemu-qmp")]
            Port::Qmp => Some(qmp::registry::<()>().set_policy(policy).introspect(unmask)),
            #[cfg(feature = "qemu-qsd")]
            Port::Qsd => Some(qsd::registry::<()>().set_policy(policy).introspect(unmask)),
            #[cfg(feature = "qemu-qga")]
            Port::Qga => Some(qga::registry::<()>().set_policy(policy).introspect(unmask)),
            #[allow(unreachable_patterns)]
            _ => {
                let _ = (unmask, policy);
                None
            }
        }
    }
}
