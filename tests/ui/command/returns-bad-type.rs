use qapi::Qapi;

// QEMU: command's 'returns' cannot take array type ['int']
// The first three are allowed, as QEMU's 'command-returns-exceptions'
// pragma allows them.
#[derive(Qapi)]
#[qapi(command = "human-monitor-command", returns = String, returns_exception)]
struct HumanMonitorCommand {
    command_line: String,
    cpu_index: Option<i64>,
}

#[derive(Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
enum TpmModel {
    TpmTis,
}

#[derive(Qapi)]
#[qapi(command = "query-tpm-models", returns = Vec<TpmModel>, returns_exception)]
struct QueryTpmModels {}

#[derive(Qapi)]
#[qapi(command = "guest-get-time", returns = i64, returns_exception)]
struct GuestGetTime {}

#[derive(Qapi)]
#[qapi(command = "no-way-this-will-get-whitelisted", returns = Vec<i64>)]
struct NoWay {}

fn main() {}
