//! The few qemu-storage-daemon 10.0.2 commands and events the client
//! tests use, written with the derive (a client only needs the members
//! it uses: replies are decoded leniently).

use qapi::{Qapi, Size};

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "block-job-cancel")]
pub struct BlockJobCancel {
    pub device: String,
    pub force: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum BlockdevDriver {
    File,
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
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = BlockdevDriver))]
pub enum BlockdevOptionsBranch {
    File(BlockdevOptionsFile),
    NullCo(BlockdevOptionsNull),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "driver")]
pub struct BlockdevOptions {
    pub driver: BlockdevOptionsBranch,
    pub node_name: Option<String>,
    pub read_only: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "blockdev-add", boxed)]
pub struct BlockdevAdd(pub BlockdevOptions);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "blockdev-del")]
pub struct BlockdevDel {
    pub node_name: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevCreateOptionsFile {
    pub filename: String,
    pub size: Size,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = BlockdevDriver))]
pub enum BlockdevCreateBranch {
    File(BlockdevCreateOptionsFile),
    NullCo,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "driver")]
pub struct BlockdevCreateOptions {
    pub driver: BlockdevCreateBranch,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "blockdev-create")]
pub struct BlockdevCreate {
    pub job_id: String,
    pub options: BlockdevCreateOptions,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "job-dismiss")]
pub struct JobDismiss {
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum JobStatus {
    Undefined,
    Created,
    Running,
    Paused,
    Ready,
    Standby,
    Waiting,
    Pending,
    Aborting,
    Concluded,
    Null,
}

/// Only two of `JobInfo`'s members: the others are ignored.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct JobInfo {
    pub id: String,
    pub status: JobStatus,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "query-jobs", returns = Vec<JobInfo>)]
pub struct QueryJobs {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "JOB_STATUS_CHANGE")]
pub struct JobStatusChange {
    pub id: String,
    pub status: JobStatus,
}

/// What a client written for an older QEMU might know of job states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum OldJobStatus {
    Created,
    Running,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(event = "JOB_STATUS_CHANGE")]
pub struct OldJobStatusChange {
    pub id: String,
    pub status: OldJobStatus,
}

/// Two of `BlockDeviceInfo`'s many members.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockDeviceInfo {
    pub node_name: Option<String>,
    pub drv: String,
    pub ro: bool,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "query-named-block-nodes", returns = Vec<BlockDeviceInfo>)]
pub struct QueryNamedBlockNodes {
    pub flat: Option<bool>,
}

/// `query-version` as a client that only cares about the package sees it.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct PackageOnly {
    pub package: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "query-version", returns = PackageOnly)]
pub struct QueryVersionPackage {}

/// `query-version` decoded with a wrong idea of its shape.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct WrongVersion {
    pub qemu: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "query-version", returns = WrongVersion)]
pub struct QueryVersionWrong {}
