//! Guest-agent helpers: what qemu-ga's `guest-info` lists.

use qapi_derive::Qapi;

use crate::registry::Registry;

/// One command as `guest-info` lists it (qga's `GuestAgentCommandInfo`).
#[derive(Clone, Debug, PartialEq, Eq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct GuestAgentCommandInfo {
    pub name: String,
    pub enabled: bool,
    pub success_response: bool,
}

/// What `guest-info` returns (qga's `GuestAgentInfo`).
#[derive(Clone, Debug, PartialEq, Eq, Qapi)]
#[qapi(crate = "crate", struct)]
pub struct GuestAgentInfo {
    pub version: String,
    #[qapi(name = "supported_commands")]
    pub supported_commands: Vec<GuestAgentCommandInfo>,
}

/// Every registered command, disabled ones included, most recently
/// registered first, as qemu-ga's `guest-info` lists them.
pub fn guest_agent_commands<S: Send + Sync + 'static>(
    registry: &Registry<S>,
) -> Vec<GuestAgentCommandInfo> {
    let names: Vec<&'static str> = registry.command_names().collect();
    names
        .into_iter()
        .rev()
        .filter_map(|name| {
            let info = registry.command_info(name)?;
            Some(GuestAgentCommandInfo {
                name: name.to_owned(),
                enabled: registry.is_enabled(name),
                success_response: info.success_response,
            })
        })
        .collect()
}
