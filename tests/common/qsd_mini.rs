//! A slice of qemu-storage-daemon 10.0.2's schema, written by hand with
//! the derives: enough commands and types to replay the argument
//! validation cases of the live QSD transcript (REFERENCE.md 4.3).
#![allow(dead_code)]

use qapi::{Qapi, Size};

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "query-version")]
pub struct QueryVersion {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "block-job-cancel")]
pub struct BlockJobCancel {
    pub device: String,
    pub force: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "block-job-set-speed")]
pub struct BlockJobSetSpeed {
    pub device: String,
    pub speed: i64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "block-set-write-threshold")]
pub struct BlockSetWriteThreshold {
    pub node_name: String,
    pub write_threshold: u64,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "query-named-block-nodes")]
pub struct QueryNamedBlockNodes {
    pub flat: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockDirtyBitmapAdd {
    pub node: String,
    pub name: String,
    pub granularity: Option<u32>,
    pub persistent: Option<bool>,
    pub disabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "block-dirty-bitmap-add")]
pub struct BlockDirtyBitmapAddCmd(pub BlockDirtyBitmapAdd);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum BlockdevDriver {
    Blkdebug,
    File,
    NullCo,
    Qcow2,
    Raw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum BlockdevAioOptions {
    Threads,
    Native,
    #[qapi(name = "io_uring")]
    IoUring,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevOptionsBlkdebug {
    pub image: BlockdevRef,
    pub config: Option<String>,
    pub align: Option<i64>,
    pub max_transfer: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevOptionsFile {
    pub filename: String,
    pub aio: Option<BlockdevAioOptions>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevOptionsNull {
    pub size: Option<i64>,
    pub latency_ns: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevOptionsGenericFormat {
    pub file: BlockdevRef,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevOptionsGenericCOWFormat {
    #[qapi(base)]
    pub base: BlockdevOptionsGenericFormat,
    pub backing: Option<BlockdevRefOrNull>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevOptionsQcow2 {
    #[qapi(base)]
    pub base: BlockdevOptionsGenericCOWFormat,
    pub lazy_refcounts: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockdevOptionsRaw {
    #[qapi(base)]
    pub base: BlockdevOptionsGenericFormat,
    pub offset: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = BlockdevDriver))]
pub enum BlockdevOptionsBranch {
    Blkdebug(BlockdevOptionsBlkdebug),
    File(BlockdevOptionsFile),
    NullCo(BlockdevOptionsNull),
    Qcow2(BlockdevOptionsQcow2),
    Raw(BlockdevOptionsRaw),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "driver")]
pub struct BlockdevOptions {
    pub driver: BlockdevOptionsBranch,
    pub node_name: Option<String>,
    pub discard: Option<String>,
    pub read_only: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum BlockdevRef {
    Definition(Box<BlockdevOptions>),
    Reference(String),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum BlockdevRefOrNull {
    Definition(Box<BlockdevOptions>),
    Reference(String),
    Null(qapi::Null),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "blockdev-add", boxed)]
pub struct BlockdevAdd(pub BlockdevOptions);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct InetSocketAddress {
    pub host: String,
    pub port: String,
    pub numeric: Option<bool>,
    pub to: Option<u16>,
    pub ipv4: Option<bool>,
    pub ipv6: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UnixSocketAddress {
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct InetSocketAddressWrapper {
    pub data: InetSocketAddress,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct UnixSocketAddressWrapper {
    pub data: UnixSocketAddress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum SocketAddressType {
    Inet,
    Unix,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = SocketAddressType))]
pub enum SocketAddressLegacyBranch {
    Inet(InetSocketAddressWrapper),
    Unix(UnixSocketAddressWrapper),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "type")]
pub struct SocketAddressLegacy {
    pub r#type: SocketAddressLegacyBranch,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "nbd-server-start")]
pub struct NbdServerStart {
    pub addr: SocketAddressLegacy,
    pub tls_creds: Option<String>,
    pub max_connections: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum ObjectType {
    ThreadContext,
    Iothread,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct ThreadContextProperties {
    pub cpu_affinity: Option<Vec<u16>>,
    pub node_affinity: Option<Vec<u16>>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct IothreadProperties {
    pub poll_max_ns: Option<i64>,
    pub aio_max_batch: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = ObjectType))]
pub enum ObjectOptionsBranch {
    ThreadContext(ThreadContextProperties),
    Iothread(IothreadProperties),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "qom-type")]
pub struct ObjectOptions {
    pub qom_type: ObjectOptionsBranch,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "object-add", boxed)]
pub struct ObjectAdd(pub ObjectOptions);

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct Abort {}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct AbortWrapper {
    pub data: Abort,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockDirtyBitmapAddWrapper {
    pub data: BlockDirtyBitmapAdd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Qapi)]
#[qapi(enum)]
pub enum TransactionActionKind {
    Abort,
    BlockDirtyBitmapAdd,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(branches(tag = TransactionActionKind))]
pub enum TransactionActionBranch {
    Abort(AbortWrapper),
    BlockDirtyBitmapAdd(BlockDirtyBitmapAddWrapper),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(union, discriminator = "type")]
pub struct TransactionAction {
    pub r#type: TransactionActionBranch,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "transaction")]
pub struct Transaction {
    pub actions: Vec<TransactionAction>,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct BlockDirtyBitmap {
    pub node: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(alternate)]
pub enum BlockDirtyBitmapOrStr {
    Local(String),
    External(BlockDirtyBitmap),
}

#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(command = "block-dirty-bitmap-merge")]
pub struct BlockDirtyBitmapMerge {
    pub node: String,
    pub target: String,
    pub bitmaps: Vec<BlockDirtyBitmapOrStr>,
}

/// `size`, kept distinct from `uint64` in the schema.
#[derive(Debug, Clone, PartialEq, Qapi)]
#[qapi(struct)]
pub struct WithSize {
    pub size: Size,
}
