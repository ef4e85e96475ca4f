//! The schema of the demo monitor, written with the derives. Names and
//! shapes are QEMU's (qapi/run-state.json, misc.json, machine.json,
//! yank.json, block-core.json of QEMU 10.0), so QMP clients that know
//! QEMU recognise them; `blockdev-add` takes a subset of QEMU's members.
//! QMP's own commands (`qmp_capabilities`, `query-version`,
//! `query-commands`, `quit`, `query-qmp-schema`) come with the registry.

use qapi::Qapi;

// ------------------------------------------------------------ run state

/// The run state of the virtual machine (QEMU's `RunState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum RunState {
    Debug,
    Inmigrate,
    InternalError,
    IoError,
    Paused,
    Postmigrate,
    Prelaunch,
    FinishMigrate,
    RestoreVm,
    Running,
    SaveVm,
    Shutdown,
    Suspended,
    Watchdog,
    GuestPanicked,
    Colo,
}

/// Why the machine shut down or reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum ShutdownCause {
    None,
    HostError,
    HostQmpQuit,
    HostQmpSystemReset,
    HostSignal,
    HostUi,
    GuestShutdown,
    GuestReset,
    GuestPanic,
    SubsystemReset,
    SnapshotLoad,
}

/// What `query-status` answers.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct StatusInfo {
    pub running: bool,
    pub status: RunState,
}

/// The run state.
#[derive(Debug, Qapi)]
#[qapi(command = "query-status", returns = StatusInfo, allow_preconfig)]
pub struct QueryStatus {}

/// Pause the guest.
#[derive(Debug, Qapi)]
#[qapi(command = "stop")]
pub struct Stop {}

/// Resume the guest.
#[derive(Debug, Qapi)]
#[qapi(command = "cont")]
pub struct Cont {}

/// Hard reset.
#[derive(Debug, Qapi)]
#[qapi(command = "system_reset")]
pub struct SystemReset {}

/// Ask the guest to power down (ACPI); it shuts down a moment later.
#[derive(Debug, Qapi)]
#[qapi(command = "system_powerdown")]
pub struct SystemPowerdown {}

/// The machine shut down.
#[derive(Debug, Clone, Qapi)]
#[qapi(event = "SHUTDOWN")]
pub struct ShutdownEvent {
    pub guest: bool,
    pub reason: ShutdownCause,
}

/// A powerdown was requested.
#[derive(Debug, Clone, Qapi)]
#[qapi(event = "POWERDOWN")]
pub struct Powerdown {}

/// The machine was reset.
#[derive(Debug, Clone, Qapi)]
#[qapi(event = "RESET")]
pub struct ResetEvent {
    pub guest: bool,
    pub reason: ShutdownCause,
}

/// The guest stopped running.
#[derive(Debug, Clone, Qapi)]
#[qapi(event = "STOP")]
pub struct StopEvent {}

/// The guest runs again.
#[derive(Debug, Clone, Qapi)]
#[qapi(event = "RESUME")]
pub struct Resume {}

// ------------------------------------------------------------ misc

/// What `query-name` answers.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct NameInfo {
    pub name: Option<String>,
}

/// The guest's name (`--name`).
#[derive(Debug, Qapi)]
#[qapi(command = "query-name", returns = NameInfo, allow_preconfig)]
pub struct QueryName {}

/// Not in QEMU: takes `seconds` to answer, without blocking the monitor
/// (an asynchronous handler). Shows OOB requests overtaking it.
#[derive(Debug, Qapi)]
#[qapi(command = "x-sleep", feature = "unstable")]
pub struct XSleep {
    pub seconds: f64,
}

// ------------------------------------------------------------ yank (OOB)

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum YankInstanceType {
    BlockNode,
    Chardev,
    Migration,
}

#[derive(Debug, Clone, PartialEq, Eq, Qapi)]
#[qapi(struct)]
pub struct YankInstanceBlockNode {
    pub node_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Qapi)]
#[qapi(struct)]
pub struct YankInstanceChardev {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Qapi)]
#[qapi(branches(tag = YankInstanceType))]
pub enum YankInstanceBranch {
    BlockNode(YankInstanceBlockNode),
    Chardev(YankInstanceChardev),
    Migration,
}

/// Something whose connections can be yanked (a flat union).
#[derive(Debug, Clone, PartialEq, Eq, Qapi)]
#[qapi(union, discriminator = "type")]
pub struct YankInstance {
    pub r#type: YankInstanceBranch,
}

/// Drop the connections of these instances; allowed out of band, so it
/// works while the monitor is busy.
#[derive(Debug, Qapi)]
#[qapi(command = "yank", allow_oob)]
pub struct Yank {
    pub instances: Vec<YankInstance>,
}

/// The instances `yank` knows.
#[derive(Debug, Qapi)]
#[qapi(command = "query-yank", returns = Vec<YankInstance>, allow_oob)]
pub struct QueryYank {}

// ------------------------------------------------------------ block devices

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum BlockdevDriver {
    File,
    NullAio,
    NullCo,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevOptionsFile {
    pub filename: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevOptionsNull {
    pub size: Option<i64>,
    pub latency_ns: Option<u64>,
    pub read_zeroes: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = BlockdevDriver))]
pub enum BlockdevBranch {
    File(BlockdevOptionsFile),
    NullAio(BlockdevOptionsNull),
    NullCo(BlockdevOptionsNull),
}

/// A block node's options: base members plus the driver's (a flat
/// union, as QEMU's, with fewer drivers and members).
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "driver")]
pub struct BlockdevOptions {
    pub driver: BlockdevBranch,
    pub node_name: Option<String>,
    pub read_only: Option<bool>,
}

/// Add a block node; the arguments are the union itself (`boxed`).
#[derive(Debug, Qapi)]
#[qapi(command = "blockdev-add", boxed, allow_preconfig)]
pub struct BlockdevAdd(pub BlockdevOptions);

/// Remove a block node.
#[derive(Debug, Qapi)]
#[qapi(command = "blockdev-del", allow_preconfig)]
pub struct BlockdevDel {
    pub node_name: String,
}
