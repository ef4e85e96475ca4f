//! The guest-agent commands the client tests use.

use qapi::Qapi;

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-ping")]
pub struct GuestPing {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-sync", returns = i64, returns_exception)]
pub struct GuestSync {
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct GuestAgentCommandInfo {
    pub name: String,
    pub enabled: bool,
    #[qapi(name = "success-response")]
    pub success_response: bool,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct GuestAgentInfo {
    pub version: String,
    #[qapi(name = "supported_commands")]
    pub supported_commands: Vec<GuestAgentCommandInfo>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-info", returns = GuestAgentInfo)]
pub struct GuestInfo {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-get-time", returns = i64, returns_exception)]
pub struct GuestGetTime {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-exec")]
pub struct GuestExec {
    pub path: String,
    pub arg: Option<Vec<String>>,
}

/// `guest-shutdown` (no reply on success) with a member it does not
/// have: the agent rejects it before the handler runs, so the tests can
/// never shut anything down.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "guest-shutdown", success_response = false)]
pub struct GuestShutdownBogus {
    pub bogus: i64,
}
