//! The state of the modelled machine and the command handlers.
//!
//! Run state transitions follow QEMU: `stop` pauses a running guest
//! (STOP), `cont` resumes it (RESUME) unless a reset is needed first,
//! `system_reset` resets (RESET; a guest that was not running goes to
//! `prelaunch`), `system_powerdown` asks the guest, which shuts down
//! shortly after (POWERDOWN, then SHUTDOWN and STOP; the machine then stays in
//! `shutdown` as with QEMU's `-no-shutdown`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use qapi::qmp::{VersionInfo, VersionTriple};
use qapi::server::EventSender;
use qapi::{Empty, Error, ErrorClass, Registry, Result};

use crate::schema::*;

pub struct Vm {
    events: EventSender,
    name: Option<String>,
    state: Mutex<State>,
}

struct State {
    status: RunState,
    /// Block nodes by node name.
    nodes: BTreeMap<String, BlockdevOptions>,
}

impl Vm {
    pub fn new(events: EventSender, name: Option<String>, paused: bool) -> Vm {
        let status = if paused {
            RunState::Prelaunch
        } else {
            RunState::Running
        };
        Vm {
            events,
            name,
            state: Mutex::new(State {
                status,
                nodes: BTreeMap::new(),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn query_status(&self) -> StatusInfo {
        let status = self.state().status;
        StatusInfo {
            running: status == RunState::Running,
            status,
        }
    }

    pub fn stop(&self) {
        let mut st = self.state();
        if st.status == RunState::Running {
            st.status = RunState::Paused;
            self.events.emit(&StopEvent {});
        }
    }

    pub fn cont(&self) -> Result<()> {
        let mut st = self.state();
        match st.status {
            RunState::InternalError | RunState::Shutdown | RunState::GuestPanicked => {
                Err(Error::generic("Resetting the Virtual Machine is required"))
            }
            RunState::Running | RunState::Suspended => Ok(()),
            _ => {
                st.status = RunState::Running;
                self.events.emit(&Resume {});
                Ok(())
            }
        }
    }

    pub fn system_reset(&self) {
        let mut st = self.state();
        self.events.emit(&ResetEvent {
            guest: false,
            reason: ShutdownCause::HostQmpSystemReset,
        });
        if st.status != RunState::Running {
            st.status = RunState::Prelaunch;
        }
    }

    /// The guest reacts to the ACPI request half a second later, if it
    /// is running then.
    pub fn system_powerdown(self: &Arc<Self>) {
        self.events.emit(&Powerdown {});
        let vm = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let mut st = vm.state();
            if st.status == RunState::Running {
                vm.events.emit(&ShutdownEvent {
                    guest: true,
                    reason: ShutdownCause::GuestShutdown,
                });
                st.status = RunState::Shutdown;
                vm.events.emit(&StopEvent {});
            }
        });
    }

    /// `quit`, before its reply: qemu-system sends SHUTDOWN.
    pub fn quit(&self) {
        self.events.emit(&ShutdownEvent {
            guest: false,
            reason: ShutdownCause::HostQmpQuit,
        });
    }

    pub fn query_name(&self) -> NameInfo {
        NameInfo {
            name: self.name.clone(),
        }
    }

    pub fn blockdev_add(&self, opts: BlockdevOptions) -> Result<()> {
        let Some(name) = opts.node_name.clone() else {
            return Err(Error::generic(
                "'node-name' must be specified for the root node",
            ));
        };
        if let BlockdevBranch::File(f) = &opts.driver
            && let Err(e) = std::fs::metadata(&f.filename)
        {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "No such file or directory".to_owned(),
                std::io::ErrorKind::PermissionDenied => "Permission denied".to_owned(),
                _ => e.to_string(),
            };
            return Err(Error::generic(format!(
                "Could not open '{}': {why}",
                f.filename
            )));
        }
        let mut st = self.state();
        if st.nodes.contains_key(&name) {
            return Err(Error::generic(format!(
                "Duplicate nodes with node-name='{name}'"
            )));
        }
        st.nodes.insert(name, opts);
        Ok(())
    }

    pub fn blockdev_del(&self, node_name: &str) -> Result<()> {
        match self.state().nodes.remove(node_name) {
            Some(_) => Ok(()),
            None => Err(Error::generic(format!(
                "Failed to find node with node-name='{node_name}'"
            ))),
        }
    }

    /// The monitor's chardev, and every block node.
    pub fn query_yank(&self) -> Vec<YankInstance> {
        let chardev = YankInstanceBranch::Chardev(YankInstanceChardev {
            id: "monitor".into(),
        });
        std::iter::once(YankInstance { r#type: chardev })
            .chain(self.state().nodes.keys().map(|n| YankInstance {
                r#type: YankInstanceBranch::BlockNode(YankInstanceBlockNode {
                    node_name: n.clone(),
                }),
            }))
            .collect()
    }

    /// Checks every instance first, then "yanks" them (nothing to do in
    /// this model).
    pub fn yank(&self, instances: &[YankInstance]) -> Result<()> {
        let known = self.query_yank();
        if instances.iter().any(|i| !known.contains(i)) {
            return Err(Error::new(ErrorClass::DeviceNotFound, "Instance not found"));
        }
        Ok(())
    }
}

/// The commands and events, with their handlers, in schema order.
pub fn registry() -> Registry<Vm> {
    let mut r = Registry::<Vm>::new();
    r.set_version(VersionInfo {
        qemu: VersionTriple {
            major: 0,
            minor: 1,
            micro: 0,
        },
        package: concat!("qapi qmp-server example ", env!("CARGO_PKG_VERSION")).into(),
    });
    r.command::<QueryStatus, _>(|vm, _| Ok(vm.query_status()));
    r.event::<ShutdownEvent>();
    r.event::<Powerdown>();
    r.event::<ResetEvent>();
    r.event::<StopEvent>();
    r.event::<Resume>();
    r.command::<QueryName, _>(|vm, _| Ok(vm.query_name()));
    r.command::<Stop, _>(|vm, _| {
        vm.stop();
        Ok(Empty)
    });
    r.command::<Cont, _>(|vm, _| vm.cont().map(|()| Empty));
    r.command::<SystemReset, _>(|vm, _| {
        vm.system_reset();
        Ok(Empty)
    });
    r.command_async::<SystemPowerdown, _, _>(|vm, _| async move {
        vm.system_powerdown();
        Ok(Empty)
    });
    r.command_async::<XSleep, _, _>(|_, c| async move {
        if !(0.0..=3600.0).contains(&c.seconds) {
            return Err(Error::generic(
                "Parameter 'seconds' expects a value between 0 and 3600",
            ));
        }
        tokio::time::sleep(Duration::from_secs_f64(c.seconds)).await;
        Ok(Empty)
    });
    r.command::<Yank, _>(|vm, c| vm.yank(&c.instances).map(|()| Empty));
    r.command::<QueryYank, _>(|vm, _| Ok(vm.query_yank()));
    r.command::<BlockdevAdd, _>(|vm, c| vm.blockdev_add(c.0).map(|()| Empty));
    r.command::<BlockdevDel, _>(|vm, c| vm.blockdev_del(&c.node_name).map(|()| Empty));
    r
}
