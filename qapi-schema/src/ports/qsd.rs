//! The storage daemon's entry points: its commands and events in
//! QEMU's order, over the types of the QMP port (QSD's schema is a
//! subset of QMP's modules).
//!
//! Generated from `storage-daemon/qapi/qapi-schema.json` (main file `qapi-schema.json`) by
//! `qapi_schema::portgen`; do not edit.

#[allow(unused_imports)]
use super::qmp::*;

/// Registers every command and event, in QEMU's definition order.
pub fn describe(b: &mut ::qapi::SchemaBuilder) {
    <JobStatusChange as ::qapi::Event>::describe_event(b);
    <JobPause as ::qapi::Command>::describe_command(b);
    <JobResume as ::qapi::Command>::describe_command(b);
    <JobCancel as ::qapi::Command>::describe_command(b);
    <JobComplete as ::qapi::Command>::describe_command(b);
    <JobDismiss as ::qapi::Command>::describe_command(b);
    <JobFinalize as ::qapi::Command>::describe_command(b);
    <QueryJobs as ::qapi::Command>::describe_command(b);
    <QueryBlock as ::qapi::Command>::describe_command(b);
    <QueryBlockstats as ::qapi::Command>::describe_command(b);
    <QueryBlockJobs as ::qapi::Command>::describe_command(b);
    <BlockResize as ::qapi::Command>::describe_command(b);
    <BlockdevSnapshotSyncCmd as ::qapi::Command>::describe_command(b);
    <BlockdevSnapshotCmd as ::qapi::Command>::describe_command(b);
    <ChangeBackingFile as ::qapi::Command>::describe_command(b);
    <BlockCommit as ::qapi::Command>::describe_command(b);
    <DriveBackupCmd as ::qapi::Command>::describe_command(b);
    <BlockdevBackupCmd as ::qapi::Command>::describe_command(b);
    <QueryNamedBlockNodes as ::qapi::Command>::describe_command(b);
    <XDebugQueryBlockGraph as ::qapi::Command>::describe_command(b);
    <DriveMirrorCmd as ::qapi::Command>::describe_command(b);
    <BlockDirtyBitmapAddCmd as ::qapi::Command>::describe_command(b);
    <BlockDirtyBitmapRemove as ::qapi::Command>::describe_command(b);
    <BlockDirtyBitmapClear as ::qapi::Command>::describe_command(b);
    <BlockDirtyBitmapEnable as ::qapi::Command>::describe_command(b);
    <BlockDirtyBitmapDisable as ::qapi::Command>::describe_command(b);
    <BlockDirtyBitmapMergeCmd as ::qapi::Command>::describe_command(b);
    <XDebugBlockDirtyBitmapSha256 as ::qapi::Command>::describe_command(b);
    <BlockdevMirror as ::qapi::Command>::describe_command(b);
    <BlockStream as ::qapi::Command>::describe_command(b);
    <BlockJobSetSpeed as ::qapi::Command>::describe_command(b);
    <BlockJobCancel as ::qapi::Command>::describe_command(b);
    <BlockJobPause as ::qapi::Command>::describe_command(b);
    <BlockJobResume as ::qapi::Command>::describe_command(b);
    <BlockJobComplete as ::qapi::Command>::describe_command(b);
    <BlockJobDismiss as ::qapi::Command>::describe_command(b);
    <BlockJobFinalize as ::qapi::Command>::describe_command(b);
    <BlockJobChange as ::qapi::Command>::describe_command(b);
    <BlockdevAdd as ::qapi::Command>::describe_command(b);
    <BlockdevReopen as ::qapi::Command>::describe_command(b);
    <BlockdevDel as ::qapi::Command>::describe_command(b);
    <BlockdevSetActive as ::qapi::Command>::describe_command(b);
    <BlockdevCreate as ::qapi::Command>::describe_command(b);
    <XBlockdevAmend as ::qapi::Command>::describe_command(b);
    <BlockImageCorrupted as ::qapi::Event>::describe_event(b);
    <BlockIoError as ::qapi::Event>::describe_event(b);
    <BlockJobCompleted as ::qapi::Event>::describe_event(b);
    <BlockJobCancelled as ::qapi::Event>::describe_event(b);
    <BlockJobError as ::qapi::Event>::describe_event(b);
    <BlockJobReady as ::qapi::Event>::describe_event(b);
    <BlockJobPending as ::qapi::Event>::describe_event(b);
    <BlockWriteThreshold as ::qapi::Event>::describe_event(b);
    <BlockSetWriteThreshold as ::qapi::Command>::describe_command(b);
    <XBlockdevChange as ::qapi::Command>::describe_command(b);
    <XBlockdevSetIothread as ::qapi::Command>::describe_command(b);
    <QuorumFailure as ::qapi::Event>::describe_event(b);
    <QuorumReportBad as ::qapi::Event>::describe_event(b);
    <BlockdevSnapshotInternalSync as ::qapi::Command>::describe_command(b);
    <BlockdevSnapshotDeleteInternalSync as ::qapi::Command>::describe_command(b);
    <NbdServerStart as ::qapi::Command>::describe_command(b);
    <NbdServerAdd as ::qapi::Command>::describe_command(b);
    <NbdServerRemove as ::qapi::Command>::describe_command(b);
    <NbdServerStop as ::qapi::Command>::describe_command(b);
    <BlockExportAdd as ::qapi::Command>::describe_command(b);
    <BlockExportDel as ::qapi::Command>::describe_command(b);
    <BlockExportDeleted as ::qapi::Event>::describe_event(b);
    <QueryBlockExports as ::qapi::Command>::describe_command(b);
    <QueryChardev as ::qapi::Command>::describe_command(b);
    <QueryChardevBackends as ::qapi::Command>::describe_command(b);
    <RingbufWrite as ::qapi::Command>::describe_command(b);
    <RingbufRead as ::qapi::Command>::describe_command(b);
    <ChardevAdd as ::qapi::Command>::describe_command(b);
    <ChardevChange as ::qapi::Command>::describe_command(b);
    <ChardevRemove as ::qapi::Command>::describe_command(b);
    <ChardevSendBreak as ::qapi::Command>::describe_command(b);
    <VserportChange as ::qapi::Event>::describe_event(b);
    <Transaction as ::qapi::Command>::describe_command(b);
    <QmpCapabilities as ::qapi::Command>::describe_command(b);
    <QueryVersion as ::qapi::Command>::describe_command(b);
    <QueryCommands as ::qapi::Command>::describe_command(b);
    <Quit as ::qapi::Command>::describe_command(b);
    <QueryQmpSchema as ::qapi::Command>::describe_command(b);
    <QomList as ::qapi::Command>::describe_command(b);
    <QomGet as ::qapi::Command>::describe_command(b);
    <QomSet as ::qapi::Command>::describe_command(b);
    <QomListTypes as ::qapi::Command>::describe_command(b);
    <QomListProperties as ::qapi::Command>::describe_command(b);
    <ObjectAdd as ::qapi::Command>::describe_command(b);
    <ObjectDel as ::qapi::Command>::describe_command(b);
}

/// Describes every type of this build, also those no command or event
/// of this build reaches: QEMU lists types whose only users are
/// compiled out (introspection with [`TYPE_ORDER`] shows them).
pub fn describe_types(b: &mut ::qapi::SchemaBuilder) {
    let _ = <IoOperationType as ::qapi::Qapi>::describe(b);
    let _ = <OnOffAuto as ::qapi::Qapi>::describe(b);
    let _ = <OnOffSplit as ::qapi::Qapi>::describe(b);
    let _ = <StrOrNull as ::qapi::Qapi>::describe(b);
    let _ = <OffAutoPCIBAR as ::qapi::Qapi>::describe(b);
    let _ = <PCIELinkSpeed as ::qapi::Qapi>::describe(b);
    let _ = <PCIELinkWidth as ::qapi::Qapi>::describe(b);
    let _ = <HostMemPolicy as ::qapi::Qapi>::describe(b);
    let _ = <NetFilterDirection as ::qapi::Qapi>::describe(b);
    let _ = <GrabToggleKeys as ::qapi::Qapi>::describe(b);
    let _ = <HumanReadableText as ::qapi::Qapi>::describe(b);
    let _ = <EndianMode as ::qapi::Qapi>::describe(b);
    let _ = <NetworkAddressFamily as ::qapi::Qapi>::describe(b);
    let _ = <InetSocketAddressBase as ::qapi::Qapi>::describe(b);
    let _ = <InetSocketAddress as ::qapi::Qapi>::describe(b);
    let _ = <UnixSocketAddress as ::qapi::Qapi>::describe(b);
    let _ = <VsockSocketAddress as ::qapi::Qapi>::describe(b);
    let _ = <FdSocketAddress as ::qapi::Qapi>::describe(b);
    let _ = <InetSocketAddressWrapper as ::qapi::Qapi>::describe(b);
    let _ = <UnixSocketAddressWrapper as ::qapi::Qapi>::describe(b);
    let _ = <VsockSocketAddressWrapper as ::qapi::Qapi>::describe(b);
    let _ = <FdSocketAddressWrapper as ::qapi::Qapi>::describe(b);
    let _ = <SocketAddressLegacy as ::qapi::Qapi>::describe(b);
    let _ = <SocketAddressType as ::qapi::Qapi>::describe(b);
    let _ = <SocketAddress as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoTLSCredsEndpoint as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoSecretFormat as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoHashAlgo as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoCipherAlgo as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoCipherMode as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoIVGenAlgo as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockFormat as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockOptionsBase as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockOptionsQCow as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockOptionsLUKS as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockCreateOptionsLUKS as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockOpenOptions as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockCreateOptions as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockInfoBase as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockInfoLUKSSlot as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockInfoLUKS as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockInfo as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockLUKSKeyslotState as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockAmendOptionsLUKS as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoBlockAmendOptions as ::qapi::Qapi>::describe(b);
    let _ = <SecretCommonProperties as ::qapi::Qapi>::describe(b);
    let _ = <SecretProperties as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_SECRET_KEYRING)]
    let _ = <SecretKeyringProperties as ::qapi::Qapi>::describe(b);
    let _ = <TlsCredsProperties as ::qapi::Qapi>::describe(b);
    let _ = <TlsCredsAnonProperties as ::qapi::Qapi>::describe(b);
    let _ = <TlsCredsPskProperties as ::qapi::Qapi>::describe(b);
    let _ = <TlsCredsX509Properties as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoAkCipherAlgo as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoAkCipherKeyType as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoRSAPaddingAlgo as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoAkCipherOptionsRSA as ::qapi::Qapi>::describe(b);
    let _ = <QCryptoAkCipherOptions as ::qapi::Qapi>::describe(b);
    let _ = <JobType as ::qapi::Qapi>::describe(b);
    let _ = <JobStatus as ::qapi::Qapi>::describe(b);
    let _ = <JobVerb as ::qapi::Qapi>::describe(b);
    let _ = <JobInfo as ::qapi::Qapi>::describe(b);
    let _ = <SnapshotInfo as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificQCow2EncryptionBase as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificQCow2Encryption as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificQCow2 as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificVmdk as ::qapi::Qapi>::describe(b);
    let _ = <VmdkExtentInfo as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificRbd as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificFile as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificKind as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificQCow2Wrapper as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificVmdkWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificLUKSWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificRbdWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecificFileWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfoSpecific as ::qapi::Qapi>::describe(b);
    let _ = <BlockNodeInfo as ::qapi::Qapi>::describe(b);
    let _ = <ImageInfo as ::qapi::Qapi>::describe(b);
    let _ = <BlockChildInfo as ::qapi::Qapi>::describe(b);
    let _ = <BlockGraphInfo as ::qapi::Qapi>::describe(b);
    let _ = <ImageCheck as ::qapi::Qapi>::describe(b);
    let _ = <MapEntry as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCacheInfo as ::qapi::Qapi>::describe(b);
    let _ = <BlockDeviceInfo as ::qapi::Qapi>::describe(b);
    let _ = <BlockDeviceIoStatus as ::qapi::Qapi>::describe(b);
    let _ = <BlockDirtyInfo as ::qapi::Qapi>::describe(b);
    let _ = <Qcow2BitmapInfoFlags as ::qapi::Qapi>::describe(b);
    let _ = <Qcow2BitmapInfo as ::qapi::Qapi>::describe(b);
    let _ = <BlockLatencyHistogramInfo as ::qapi::Qapi>::describe(b);
    let _ = <BlockInfo as ::qapi::Qapi>::describe(b);
    let _ = <BlockMeasureInfo as ::qapi::Qapi>::describe(b);
    let _ = <BlockDeviceTimedStats as ::qapi::Qapi>::describe(b);
    let _ = <BlockDeviceStats as ::qapi::Qapi>::describe(b);
    let _ = <BlockStatsSpecificFile as ::qapi::Qapi>::describe(b);
    let _ = <BlockStatsSpecificNvme as ::qapi::Qapi>::describe(b);
    let _ = <BlockStatsSpecific as ::qapi::Qapi>::describe(b);
    let _ = <BlockStats as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOnError as ::qapi::Qapi>::describe(b);
    let _ = <MirrorSyncMode as ::qapi::Qapi>::describe(b);
    let _ = <BitmapSyncMode as ::qapi::Qapi>::describe(b);
    let _ = <MirrorCopyMode as ::qapi::Qapi>::describe(b);
    let _ = <BlockJobInfoMirror as ::qapi::Qapi>::describe(b);
    let _ = <BlockJobInfo as ::qapi::Qapi>::describe(b);
    let _ = <NewImageMode as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevSnapshotSync as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevSnapshot as ::qapi::Qapi>::describe(b);
    let _ = <BackupPerf as ::qapi::Qapi>::describe(b);
    let _ = <BackupCommon as ::qapi::Qapi>::describe(b);
    let _ = <DriveBackup as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevBackup as ::qapi::Qapi>::describe(b);
    let _ = <XDbgBlockGraphNodeType as ::qapi::Qapi>::describe(b);
    let _ = <XDbgBlockGraphNode as ::qapi::Qapi>::describe(b);
    let _ = <BlockPermission as ::qapi::Qapi>::describe(b);
    let _ = <XDbgBlockGraphEdge as ::qapi::Qapi>::describe(b);
    let _ = <XDbgBlockGraph as ::qapi::Qapi>::describe(b);
    let _ = <DriveMirror as ::qapi::Qapi>::describe(b);
    let _ = <BlockDirtyBitmap as ::qapi::Qapi>::describe(b);
    let _ = <BlockDirtyBitmapAdd as ::qapi::Qapi>::describe(b);
    let _ = <BlockDirtyBitmapOrStr as ::qapi::Qapi>::describe(b);
    let _ = <BlockDirtyBitmapMerge as ::qapi::Qapi>::describe(b);
    let _ = <BlockDirtyBitmapSha256 as ::qapi::Qapi>::describe(b);
    let _ = <BlockIOThrottle as ::qapi::Qapi>::describe(b);
    let _ = <ThrottleLimits as ::qapi::Qapi>::describe(b);
    let _ = <ThrottleGroupProperties as ::qapi::Qapi>::describe(b);
    let _ = <BlockJobChangeOptionsMirror as ::qapi::Qapi>::describe(b);
    let _ = <BlockJobChangeOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevDiscardOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevDetectZeroesOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevAioOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCacheOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevDriver as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsFile as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsNull as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsNVMe as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsVVFAT as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsGenericFormat as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsLUKS as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsGenericCOWFormat as ::qapi::Qapi>::describe(b);
    let _ = <Qcow2OverlapCheckMode as ::qapi::Qapi>::describe(b);
    let _ = <Qcow2OverlapCheckFlags as ::qapi::Qapi>::describe(b);
    let _ = <Qcow2OverlapChecks as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevQcowEncryptionFormat as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevQcowEncryption as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsQcow as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevQcow2EncryptionFormat as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevQcow2Encryption as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsPreallocate as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsQcow2 as ::qapi::Qapi>::describe(b);
    let _ = <SshHostKeyCheckMode as ::qapi::Qapi>::describe(b);
    let _ = <SshHostKeyCheckHashType as ::qapi::Qapi>::describe(b);
    let _ = <SshHostKeyHash as ::qapi::Qapi>::describe(b);
    let _ = <SshHostKeyCheck as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsSsh as ::qapi::Qapi>::describe(b);
    let _ = <BlkdebugEvent as ::qapi::Qapi>::describe(b);
    let _ = <BlkdebugIOType as ::qapi::Qapi>::describe(b);
    let _ = <BlkdebugInjectErrorOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlkdebugSetStateOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsBlkdebug as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsBlklogwrites as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsBlkverify as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsBlkreplay as ::qapi::Qapi>::describe(b);
    let _ = <QuorumReadPattern as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsQuorum as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsGluster as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_BLKIO)]
    let _ = <BlockdevOptionsIoUring as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_BLKIO)]
    let _ = <BlockdevOptionsNvmeIoUring as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_BLKIO)]
    let _ = <BlockdevOptionsVirtioBlkVfioPci as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_BLKIO)]
    let _ = <BlockdevOptionsVirtioBlkVhostUser as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_BLKIO)]
    let _ = <BlockdevOptionsVirtioBlkVhostVdpa as ::qapi::Qapi>::describe(b);
    let _ = <IscsiTransport as ::qapi::Qapi>::describe(b);
    let _ = <IscsiHeaderDigest as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsIscsi as ::qapi::Qapi>::describe(b);
    let _ = <RbdAuthMode as ::qapi::Qapi>::describe(b);
    let _ = <RbdImageEncryptionFormat as ::qapi::Qapi>::describe(b);
    let _ = <RbdEncryptionOptionsLUKSBase as ::qapi::Qapi>::describe(b);
    let _ = <RbdEncryptionCreateOptionsLUKSBase as ::qapi::Qapi>::describe(b);
    let _ = <RbdEncryptionOptionsLUKS as ::qapi::Qapi>::describe(b);
    let _ = <RbdEncryptionOptionsLUKS2 as ::qapi::Qapi>::describe(b);
    let _ = <RbdEncryptionOptionsLUKSAny as ::qapi::Qapi>::describe(b);
    let _ = <RbdEncryptionCreateOptionsLUKS as ::qapi::Qapi>::describe(b);
    let _ = <RbdEncryptionCreateOptionsLUKS2 as ::qapi::Qapi>::describe(b);
    let _ = <RbdEncryptionOptions as ::qapi::Qapi>::describe(b);
    let _ = <RbdEncryptionCreateOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsRbd as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_REPLICATION)]
    let _ = <ReplicationMode as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_REPLICATION)]
    let _ = <BlockdevOptionsReplication as ::qapi::Qapi>::describe(b);
    let _ = <NFSTransport as ::qapi::Qapi>::describe(b);
    let _ = <NFSServer as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsNfs as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsCurlBase as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsCurlHttp as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsCurlHttps as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsCurlFtp as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsCurlFtps as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsNbd as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsRaw as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsThrottle as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsCor as ::qapi::Qapi>::describe(b);
    let _ = <OnCbwError as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptionsCbw as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevRef as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevRefOrNull as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsFile as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsGluster as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsLUKS as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsNfs as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsParallels as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsQcow as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevQcow2Version as ::qapi::Qapi>::describe(b);
    let _ = <Qcow2CompressionType as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsQcow2 as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsQed as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsRbd as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevVmdkSubformat as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevVmdkAdapterType as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsVmdk as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsSsh as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsVdi as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevVhdxSubformat as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsVhdx as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevVpcSubformat as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptionsVpc as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevCreateOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevAmendOptionsLUKS as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevAmendOptionsQcow2 as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevAmendOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockErrorAction as ::qapi::Qapi>::describe(b);
    let _ = <PreallocMode as ::qapi::Qapi>::describe(b);
    let _ = <QuorumOpType as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevSnapshotInternal as ::qapi::Qapi>::describe(b);
    let _ = <DummyBlockCoreForceArrays as ::qapi::Qapi>::describe(b);
    let _ = <NbdServerOptionsBase as ::qapi::Qapi>::describe(b);
    let _ = <NbdServerOptions as ::qapi::Qapi>::describe(b);
    let _ = <NbdServerOptionsLegacy as ::qapi::Qapi>::describe(b);
    let _ = <BlockExportOptionsNbdBase as ::qapi::Qapi>::describe(b);
    let _ = <BlockExportOptionsNbd as ::qapi::Qapi>::describe(b);
    let _ = <BlockExportOptionsVhostUserBlk as ::qapi::Qapi>::describe(b);
    let _ = <FuseExportAllowOther as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_FUSE)]
    let _ = <BlockExportOptionsFuse as ::qapi::Qapi>::describe(b);
    let _ = <BlockExportOptionsVduseBlk as ::qapi::Qapi>::describe(b);
    let _ = <NbdServerAddOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockExportRemoveMode as ::qapi::Qapi>::describe(b);
    let _ = <BlockExportType as ::qapi::Qapi>::describe(b);
    let _ = <BlockExportOptions as ::qapi::Qapi>::describe(b);
    let _ = <BlockExportInfo as ::qapi::Qapi>::describe(b);
    let _ = <ChardevInfo as ::qapi::Qapi>::describe(b);
    let _ = <ChardevBackendInfo as ::qapi::Qapi>::describe(b);
    let _ = <DataFormat as ::qapi::Qapi>::describe(b);
    let _ = <ChardevCommon as ::qapi::Qapi>::describe(b);
    let _ = <ChardevFile as ::qapi::Qapi>::describe(b);
    let _ = <ChardevHostdev as ::qapi::Qapi>::describe(b);
    let _ = <ChardevSocket as ::qapi::Qapi>::describe(b);
    let _ = <ChardevUdp as ::qapi::Qapi>::describe(b);
    let _ = <ChardevMux as ::qapi::Qapi>::describe(b);
    let _ = <ChardevHub as ::qapi::Qapi>::describe(b);
    let _ = <ChardevStdio as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_SPICE)]
    let _ = <ChardevSpiceChannel as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_SPICE)]
    let _ = <ChardevSpicePort as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_DBUS_DISPLAY)]
    let _ = <ChardevDBus as ::qapi::Qapi>::describe(b);
    let _ = <ChardevVC as ::qapi::Qapi>::describe(b);
    let _ = <ChardevRingbuf as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_SPICE_PROTOCOL)]
    let _ = <ChardevQemuVDAgent as ::qapi::Qapi>::describe(b);
    let _ = <ChardevPty as ::qapi::Qapi>::describe(b);
    let _ = <ChardevBackendKind as ::qapi::Qapi>::describe(b);
    let _ = <ChardevFileWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevHostdevWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevSocketWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevUdpWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevCommonWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevMuxWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevHubWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevStdioWrapper as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_SPICE)]
    let _ = <ChardevSpiceChannelWrapper as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_SPICE)]
    let _ = <ChardevSpicePortWrapper as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_SPICE_PROTOCOL)]
    let _ = <ChardevQemuVDAgentWrapper as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_DBUS_DISPLAY)]
    let _ = <ChardevDBusWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevVCWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevRingbufWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevPtyWrapper as ::qapi::Qapi>::describe(b);
    let _ = <ChardevBackend as ::qapi::Qapi>::describe(b);
    let _ = <ChardevReturn as ::qapi::Qapi>::describe(b);
    let _ = <QAuthZListPolicy as ::qapi::Qapi>::describe(b);
    let _ = <QAuthZListFormat as ::qapi::Qapi>::describe(b);
    let _ = <QAuthZListRule as ::qapi::Qapi>::describe(b);
    let _ = <AuthZListProperties as ::qapi::Qapi>::describe(b);
    let _ = <AuthZListFileProperties as ::qapi::Qapi>::describe(b);
    let _ = <AuthZPAMProperties as ::qapi::Qapi>::describe(b);
    let _ = <AuthZSimpleProperties as ::qapi::Qapi>::describe(b);
    let _ = <Abort as ::qapi::Qapi>::describe(b);
    let _ = <ActionCompletionMode as ::qapi::Qapi>::describe(b);
    let _ = <TransactionActionKind as ::qapi::Qapi>::describe(b);
    let _ = <AbortWrapper as ::qapi::Qapi>::describe(b);
    let _ = <BlockDirtyBitmapAddWrapper as ::qapi::Qapi>::describe(b);
    let _ = <BlockDirtyBitmapWrapper as ::qapi::Qapi>::describe(b);
    let _ = <BlockDirtyBitmapMergeWrapper as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevBackupWrapper as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevSnapshotWrapper as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevSnapshotInternalWrapper as ::qapi::Qapi>::describe(b);
    let _ = <BlockdevSnapshotSyncWrapper as ::qapi::Qapi>::describe(b);
    let _ = <DriveBackupWrapper as ::qapi::Qapi>::describe(b);
    let _ = <TransactionAction as ::qapi::Qapi>::describe(b);
    let _ = <TransactionProperties as ::qapi::Qapi>::describe(b);
    let _ = <QMPCapability as ::qapi::Qapi>::describe(b);
    let _ = <VersionTriple as ::qapi::Qapi>::describe(b);
    let _ = <VersionInfo as ::qapi::Qapi>::describe(b);
    let _ = <CommandInfo as ::qapi::Qapi>::describe(b);
    let _ = <MonitorMode as ::qapi::Qapi>::describe(b);
    let _ = <MonitorOptions as ::qapi::Qapi>::describe(b);
    let _ = <SchemaMetaType as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfo as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoBuiltin as ::qapi::Qapi>::describe(b);
    let _ = <JSONType as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoEnum as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoEnumMember as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoArray as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoObject as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoObjectMember as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoObjectVariant as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoAlternate as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoAlternateMember as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoCommand as ::qapi::Qapi>::describe(b);
    let _ = <SchemaInfoEvent as ::qapi::Qapi>::describe(b);
    let _ = <ObjectPropertyInfo as ::qapi::Qapi>::describe(b);
    let _ = <ObjectTypeInfo as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_LINUX)]
    let _ = <CanHostSocketcanProperties as ::qapi::Qapi>::describe(b);
    let _ = <ColoCompareProperties as ::qapi::Qapi>::describe(b);
    let _ = <CryptodevBackendProperties as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_VHOST_CRYPTO)]
    let _ = <CryptodevVhostUserProperties as ::qapi::Qapi>::describe(b);
    let _ = <DBusVMStateProperties as ::qapi::Qapi>::describe(b);
    let _ = <NetfilterInsert as ::qapi::Qapi>::describe(b);
    let _ = <NetfilterProperties as ::qapi::Qapi>::describe(b);
    let _ = <FilterBufferProperties as ::qapi::Qapi>::describe(b);
    let _ = <FilterDumpProperties as ::qapi::Qapi>::describe(b);
    let _ = <FilterMirrorProperties as ::qapi::Qapi>::describe(b);
    let _ = <FilterRedirectorProperties as ::qapi::Qapi>::describe(b);
    let _ = <FilterRewriterProperties as ::qapi::Qapi>::describe(b);
    let _ = <InputBarrierProperties as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_LINUX)]
    let _ = <InputLinuxProperties as ::qapi::Qapi>::describe(b);
    let _ = <EventLoopBaseProperties as ::qapi::Qapi>::describe(b);
    let _ = <IothreadProperties as ::qapi::Qapi>::describe(b);
    let _ = <MainLoopProperties as ::qapi::Qapi>::describe(b);
    let _ = <MemoryBackendProperties as ::qapi::Qapi>::describe(b);
    let _ = <MemoryBackendFileProperties as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_LINUX)]
    let _ = <MemoryBackendMemfdProperties as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_POSIX)]
    let _ = <MemoryBackendShmProperties as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_LINUX)]
    let _ = <MemoryBackendEpcProperties as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_LINUX)]
    let _ = <PrManagerHelperProperties as ::qapi::Qapi>::describe(b);
    let _ = <QtestProperties as ::qapi::Qapi>::describe(b);
    let _ = <RemoteObjectProperties as ::qapi::Qapi>::describe(b);
    let _ = <VfioUserServerProperties as ::qapi::Qapi>::describe(b);
    let _ = <IOMMUFDProperties as ::qapi::Qapi>::describe(b);
    let _ = <AcpiGenericInitiatorProperties as ::qapi::Qapi>::describe(b);
    let _ = <AcpiGenericPortProperties as ::qapi::Qapi>::describe(b);
    let _ = <RngProperties as ::qapi::Qapi>::describe(b);
    let _ = <RngEgdProperties as ::qapi::Qapi>::describe(b);
    #[cfg(CONFIG_POSIX)]
    let _ = <RngRandomProperties as ::qapi::Qapi>::describe(b);
    let _ = <SevCommonProperties as ::qapi::Qapi>::describe(b);
    let _ = <SevGuestProperties as ::qapi::Qapi>::describe(b);
    let _ = <SevSnpGuestProperties as ::qapi::Qapi>::describe(b);
    let _ = <ThreadContextProperties as ::qapi::Qapi>::describe(b);
    let _ = <ObjectType as ::qapi::Qapi>::describe(b);
    let _ = <ObjectOptions as ::qapi::Qapi>::describe(b);
}

/// The schema of this build: [`describe`] and [`describe_types`] into a
/// new builder.
pub fn schema() -> ::qapi::schema::Schema {
    let mut b = ::qapi::SchemaBuilder::new();
    describe(&mut b);
    describe_types(&mut b);
    b.finish()
}

/// Every type of the full schema (every condition true) in QEMU's
/// discovery order: pass it as `IntrospectOptions::type_order` to get
/// QEMU's masked numbers, with their gaps, in any configuration.
pub const TYPE_ORDER: &[&str] = &[
    "q_obj_JOB_STATUS_CHANGE-arg",
    "q_obj_job-pause-arg",
    "q_empty",
    "q_obj_job-resume-arg",
    "q_obj_job-cancel-arg",
    "q_obj_job-complete-arg",
    "q_obj_job-dismiss-arg",
    "q_obj_job-finalize-arg",
    "[JobInfo]",
    "JobInfo",
    "[BlockInfo]",
    "BlockInfo",
    "q_obj_query-blockstats-arg",
    "[BlockStats]",
    "BlockStats",
    "[BlockJobInfo]",
    "BlockJobInfo",
    "q_obj_block_resize-arg",
    "BlockdevSnapshotSync",
    "BlockdevSnapshot",
    "q_obj_change-backing-file-arg",
    "q_obj_block-commit-arg",
    "DriveBackup",
    "BlockdevBackup",
    "q_obj_query-named-block-nodes-arg",
    "[BlockDeviceInfo]",
    "BlockDeviceInfo",
    "XDbgBlockGraph",
    "DriveMirror",
    "BlockDirtyBitmapAdd",
    "BlockDirtyBitmap",
    "BlockDirtyBitmapMerge",
    "BlockDirtyBitmapSha256",
    "q_obj_blockdev-mirror-arg",
    "q_obj_block-stream-arg",
    "q_obj_block-job-set-speed-arg",
    "q_obj_block-job-cancel-arg",
    "q_obj_block-job-pause-arg",
    "q_obj_block-job-resume-arg",
    "q_obj_block-job-complete-arg",
    "q_obj_block-job-dismiss-arg",
    "q_obj_block-job-finalize-arg",
    "BlockJobChangeOptions",
    "BlockdevOptions",
    "q_obj_blockdev-reopen-arg",
    "q_obj_blockdev-del-arg",
    "q_obj_blockdev-set-active-arg",
    "q_obj_blockdev-create-arg",
    "q_obj_x-blockdev-amend-arg",
    "q_obj_BLOCK_IMAGE_CORRUPTED-arg",
    "q_obj_BLOCK_IO_ERROR-arg",
    "q_obj_BLOCK_JOB_COMPLETED-arg",
    "q_obj_BLOCK_JOB_CANCELLED-arg",
    "q_obj_BLOCK_JOB_ERROR-arg",
    "q_obj_BLOCK_JOB_READY-arg",
    "q_obj_BLOCK_JOB_PENDING-arg",
    "q_obj_BLOCK_WRITE_THRESHOLD-arg",
    "q_obj_block-set-write-threshold-arg",
    "q_obj_x-blockdev-change-arg",
    "q_obj_x-blockdev-set-iothread-arg",
    "q_obj_QUORUM_FAILURE-arg",
    "q_obj_QUORUM_REPORT_BAD-arg",
    "BlockdevSnapshotInternal",
    "q_obj_blockdev-snapshot-delete-internal-sync-arg",
    "SnapshotInfo",
    "NbdServerOptionsLegacy",
    "NbdServerAddOptions",
    "q_obj_nbd-server-remove-arg",
    "BlockExportOptions",
    "q_obj_block-export-del-arg",
    "q_obj_BLOCK_EXPORT_DELETED-arg",
    "[BlockExportInfo]",
    "BlockExportInfo",
    "[ChardevInfo]",
    "ChardevInfo",
    "[ChardevBackendInfo]",
    "ChardevBackendInfo",
    "q_obj_ringbuf-write-arg",
    "q_obj_ringbuf-read-arg",
    "str",
    "q_obj_chardev-add-arg",
    "ChardevReturn",
    "q_obj_chardev-change-arg",
    "q_obj_chardev-remove-arg",
    "q_obj_chardev-send-break-arg",
    "q_obj_VSERPORT_CHANGE-arg",
    "q_obj_transaction-arg",
    "q_obj_qmp_capabilities-arg",
    "VersionInfo",
    "[CommandInfo]",
    "CommandInfo",
    "[SchemaInfo]",
    "SchemaInfo",
    "q_obj_qom-list-arg",
    "[ObjectPropertyInfo]",
    "ObjectPropertyInfo",
    "q_obj_qom-get-arg",
    "any",
    "q_obj_qom-set-arg",
    "q_obj_qom-list-types-arg",
    "[ObjectTypeInfo]",
    "ObjectTypeInfo",
    "q_obj_qom-list-properties-arg",
    "ObjectOptions",
    "q_obj_object-del-arg",
    "JobStatus",
    "JobType",
    "int",
    "bool",
    "BlockDeviceIoStatus",
    "BlockDeviceStats",
    "BlockStatsSpecific",
    "BlockJobInfoMirror",
    "NewImageMode",
    "BlockdevOnError",
    "MirrorSyncMode",
    "BitmapSyncMode",
    "BackupPerf",
    "BlockdevDetectZeroesOptions",
    "ImageInfo",
    "BlockdevCacheInfo",
    "[BlockDirtyInfo]",
    "BlockDirtyInfo",
    "[XDbgBlockGraphNode]",
    "XDbgBlockGraphNode",
    "[XDbgBlockGraphEdge]",
    "XDbgBlockGraphEdge",
    "MirrorCopyMode",
    "[BlockDirtyBitmapOrStr]",
    "BlockDirtyBitmapOrStr",
    "BlockJobChangeOptionsMirror",
    "BlockdevDriver",
    "BlockdevDiscardOptions",
    "BlockdevCacheOptions",
    "BlockdevOptionsBlkdebug",
    "BlockdevOptionsBlklogwrites",
    "BlockdevOptionsBlkverify",
    "BlockdevOptionsBlkreplay",
    "BlockdevOptionsGenericFormat",
    "BlockdevOptionsCbw",
    "BlockdevOptionsCor",
    "BlockdevOptionsFile",
    "BlockdevOptionsCurlFtp",
    "BlockdevOptionsCurlFtps",
    "BlockdevOptionsGluster",
    "BlockdevOptionsCurlHttp",
    "BlockdevOptionsCurlHttps",
    "BlockdevOptionsIoUring",
    "BlockdevOptionsIscsi",
    "BlockdevOptionsLUKS",
    "BlockdevOptionsNbd",
    "BlockdevOptionsNfs",
    "BlockdevOptionsNull",
    "BlockdevOptionsNVMe",
    "BlockdevOptionsNvmeIoUring",
    "BlockdevOptionsPreallocate",
    "BlockdevOptionsQcow2",
    "BlockdevOptionsQcow",
    "BlockdevOptionsGenericCOWFormat",
    "BlockdevOptionsQuorum",
    "BlockdevOptionsRaw",
    "BlockdevOptionsRbd",
    "BlockdevOptionsReplication",
    "BlockdevOptionsSsh",
    "BlockdevOptionsThrottle",
    "BlockdevOptionsVirtioBlkVfioPci",
    "BlockdevOptionsVirtioBlkVhostUser",
    "BlockdevOptionsVirtioBlkVhostVdpa",
    "BlockdevOptionsVVFAT",
    "[BlockdevOptions]",
    "BlockdevCreateOptions",
    "BlockdevAmendOptions",
    "IoOperationType",
    "BlockErrorAction",
    "StrOrNull",
    "QuorumOpType",
    "SocketAddressLegacy",
    "BlockExportRemoveMode",
    "BlockExportType",
    "BlockExportOptionsNbd",
    "BlockExportOptionsVhostUserBlk",
    "BlockExportOptionsFuse",
    "BlockExportOptionsVduseBlk",
    "DataFormat",
    "ChardevBackend",
    "[TransactionAction]",
    "TransactionAction",
    "TransactionProperties",
    "[QMPCapability]",
    "QMPCapability",
    "VersionTriple",
    "SchemaMetaType",
    "[str]",
    "SchemaInfoBuiltin",
    "SchemaInfoEnum",
    "SchemaInfoArray",
    "SchemaInfoObject",
    "SchemaInfoAlternate",
    "SchemaInfoCommand",
    "SchemaInfoEvent",
    "ObjectType",
    "AcpiGenericInitiatorProperties",
    "AcpiGenericPortProperties",
    "AuthZListProperties",
    "AuthZListFileProperties",
    "AuthZPAMProperties",
    "AuthZSimpleProperties",
    "CanHostSocketcanProperties",
    "ColoCompareProperties",
    "CryptodevBackendProperties",
    "CryptodevVhostUserProperties",
    "DBusVMStateProperties",
    "FilterBufferProperties",
    "FilterDumpProperties",
    "FilterMirrorProperties",
    "FilterRedirectorProperties",
    "NetfilterProperties",
    "FilterRewriterProperties",
    "InputBarrierProperties",
    "InputLinuxProperties",
    "IOMMUFDProperties",
    "IothreadProperties",
    "MainLoopProperties",
    "MemoryBackendEpcProperties",
    "MemoryBackendFileProperties",
    "MemoryBackendMemfdProperties",
    "MemoryBackendProperties",
    "MemoryBackendShmProperties",
    "PrManagerHelperProperties",
    "QtestProperties",
    "RngProperties",
    "RngEgdProperties",
    "RngRandomProperties",
    "SecretProperties",
    "SecretKeyringProperties",
    "SevGuestProperties",
    "SevSnpGuestProperties",
    "ThreadContextProperties",
    "ThrottleGroupProperties",
    "TlsCredsAnonProperties",
    "TlsCredsPskProperties",
    "TlsCredsX509Properties",
    "TlsCredsProperties",
    "RemoteObjectProperties",
    "VfioUserServerProperties",
    "[BlockDeviceTimedStats]",
    "BlockDeviceTimedStats",
    "BlockLatencyHistogramInfo",
    "BlockStatsSpecificFile",
    "BlockStatsSpecificNvme",
    "[SnapshotInfo]",
    "ImageInfoSpecific",
    "XDbgBlockGraphNodeType",
    "[BlockPermission]",
    "BlockPermission",
    "BlockdevRef",
    "[BlkdebugInjectErrorOptions]",
    "BlkdebugInjectErrorOptions",
    "[BlkdebugSetStateOptions]",
    "BlkdebugSetStateOptions",
    "OnCbwError",
    "OnOffAuto",
    "BlockdevAioOptions",
    "[SocketAddress]",
    "SocketAddress",
    "IscsiTransport",
    "IscsiHeaderDigest",
    "NFSServer",
    "BlockdevRefOrNull",
    "Qcow2OverlapChecks",
    "BlockdevQcow2Encryption",
    "BlockdevQcowEncryption",
    "[BlockdevRef]",
    "QuorumReadPattern",
    "RbdEncryptionOptions",
    "[RbdAuthMode]",
    "RbdAuthMode",
    "[InetSocketAddressBase]",
    "InetSocketAddressBase",
    "ReplicationMode",
    "InetSocketAddress",
    "SshHostKeyCheck",
    "BlockdevCreateOptionsFile",
    "BlockdevCreateOptionsGluster",
    "BlockdevCreateOptionsLUKS",
    "BlockdevCreateOptionsNfs",
    "BlockdevCreateOptionsParallels",
    "BlockdevCreateOptionsQcow",
    "BlockdevCreateOptionsQcow2",
    "BlockdevCreateOptionsQed",
    "BlockdevCreateOptionsRbd",
    "BlockdevCreateOptionsSsh",
    "BlockdevCreateOptionsVdi",
    "BlockdevCreateOptionsVhdx",
    "BlockdevCreateOptionsVmdk",
    "BlockdevCreateOptionsVpc",
    "BlockdevAmendOptionsLUKS",
    "BlockdevAmendOptionsQcow2",
    "null",
    "SocketAddressType",
    "InetSocketAddressWrapper",
    "UnixSocketAddressWrapper",
    "VsockSocketAddressWrapper",
    "FdSocketAddressWrapper",
    "FuseExportAllowOther",
    "ChardevBackendKind",
    "ChardevFileWrapper",
    "ChardevHostdevWrapper",
    "ChardevSocketWrapper",
    "ChardevUdpWrapper",
    "ChardevPtyWrapper",
    "ChardevCommonWrapper",
    "ChardevMuxWrapper",
    "ChardevHubWrapper",
    "ChardevStdioWrapper",
    "ChardevSpiceChannelWrapper",
    "ChardevSpicePortWrapper",
    "ChardevQemuVDAgentWrapper",
    "ChardevDBusWrapper",
    "ChardevVCWrapper",
    "ChardevRingbufWrapper",
    "TransactionActionKind",
    "AbortWrapper",
    "BlockDirtyBitmapAddWrapper",
    "BlockDirtyBitmapWrapper",
    "BlockDirtyBitmapMergeWrapper",
    "BlockdevBackupWrapper",
    "BlockdevSnapshotWrapper",
    "BlockdevSnapshotInternalWrapper",
    "BlockdevSnapshotSyncWrapper",
    "DriveBackupWrapper",
    "ActionCompletionMode",
    "JSONType",
    "[SchemaInfoEnumMember]",
    "SchemaInfoEnumMember",
    "[SchemaInfoObjectMember]",
    "SchemaInfoObjectMember",
    "[SchemaInfoObjectVariant]",
    "SchemaInfoObjectVariant",
    "[SchemaInfoAlternateMember]",
    "SchemaInfoAlternateMember",
    "QAuthZListPolicy",
    "[QAuthZListRule]",
    "QAuthZListRule",
    "NetFilterDirection",
    "NetfilterInsert",
    "GrabToggleKeys",
    "[int]",
    "HostMemPolicy",
    "QCryptoSecretFormat",
    "ThrottleLimits",
    "QCryptoTLSCredsEndpoint",
    "number",
    "ImageInfoSpecificKind",
    "ImageInfoSpecificQCow2Wrapper",
    "ImageInfoSpecificVmdkWrapper",
    "ImageInfoSpecificLUKSWrapper",
    "ImageInfoSpecificRbdWrapper",
    "ImageInfoSpecificFileWrapper",
    "BlkdebugEvent",
    "BlkdebugIOType",
    "UnixSocketAddress",
    "VsockSocketAddress",
    "FdSocketAddress",
    "NFSTransport",
    "Qcow2OverlapCheckFlags",
    "Qcow2OverlapCheckMode",
    "BlockdevQcow2EncryptionFormat",
    "QCryptoBlockOptionsQCow",
    "QCryptoBlockOptionsLUKS",
    "BlockdevQcowEncryptionFormat",
    "RbdImageEncryptionFormat",
    "RbdEncryptionOptionsLUKS",
    "RbdEncryptionOptionsLUKS2",
    "RbdEncryptionOptionsLUKSAny",
    "SshHostKeyCheckMode",
    "SshHostKeyHash",
    "PreallocMode",
    "QCryptoCipherAlgo",
    "QCryptoCipherMode",
    "QCryptoIVGenAlgo",
    "QCryptoHashAlgo",
    "QCryptoBlockCreateOptions",
    "BlockdevQcow2Version",
    "Qcow2CompressionType",
    "RbdEncryptionCreateOptions",
    "BlockdevVhdxSubformat",
    "BlockdevVmdkSubformat",
    "BlockdevVmdkAdapterType",
    "BlockdevVpcSubformat",
    "QCryptoBlockLUKSKeyslotState",
    "QCryptoBlockAmendOptions",
    "ChardevFile",
    "ChardevHostdev",
    "ChardevSocket",
    "ChardevUdp",
    "ChardevPty",
    "ChardevCommon",
    "ChardevMux",
    "ChardevHub",
    "ChardevStdio",
    "ChardevSpiceChannel",
    "ChardevSpicePort",
    "ChardevQemuVDAgent",
    "ChardevDBus",
    "ChardevVC",
    "ChardevRingbuf",
    "Abort",
    "QAuthZListFormat",
    "ImageInfoSpecificQCow2",
    "ImageInfoSpecificVmdk",
    "QCryptoBlockInfoLUKS",
    "ImageInfoSpecificRbd",
    "ImageInfoSpecificFile",
    "SshHostKeyCheckHashType",
    "QCryptoBlockFormat",
    "QCryptoBlockCreateOptionsLUKS",
    "RbdEncryptionCreateOptionsLUKS",
    "RbdEncryptionCreateOptionsLUKS2",
    "QCryptoBlockAmendOptionsLUKS",
    "ImageInfoSpecificQCow2Encryption",
    "[Qcow2BitmapInfo]",
    "Qcow2BitmapInfo",
    "[VmdkExtentInfo]",
    "VmdkExtentInfo",
    "[QCryptoBlockInfoLUKSSlot]",
    "QCryptoBlockInfoLUKSSlot",
    "[Qcow2BitmapInfoFlags]",
    "Qcow2BitmapInfoFlags",
];

/// Registers every command and event in QEMU's definition order into
/// `r` (normally [`::qapi::Registry::empty`]): commands are declared
/// ([`::qapi::Registry::declare`]: listed, arguments validated, then
/// `Command 'x' is not implemented`) until a handler replaces them in
/// place ([`::qapi::Registry::command`]), with QMP's control commands answered by the registry itself ([`::qapi::Registry::control_command`], at their place in QEMU's order).
/// Also describes every type ([`describe_types`]) and numbers them by
/// [`TYPE_ORDER`], so introspection shows QEMU's numbering gaps.
pub fn register<S: Send + Sync + 'static>(r: &mut ::qapi::Registry<S>) {
    r.event::<JobStatusChange>();
    r.declare::<JobPause>();
    r.declare::<JobResume>();
    r.declare::<JobCancel>();
    r.declare::<JobComplete>();
    r.declare::<JobDismiss>();
    r.declare::<JobFinalize>();
    r.declare::<QueryJobs>();
    r.declare::<QueryBlock>();
    r.declare::<QueryBlockstats>();
    r.declare::<QueryBlockJobs>();
    r.declare::<BlockResize>();
    r.declare::<BlockdevSnapshotSyncCmd>();
    r.declare::<BlockdevSnapshotCmd>();
    r.declare::<ChangeBackingFile>();
    r.declare::<BlockCommit>();
    r.declare::<DriveBackupCmd>();
    r.declare::<BlockdevBackupCmd>();
    r.declare::<QueryNamedBlockNodes>();
    r.declare::<XDebugQueryBlockGraph>();
    r.declare::<DriveMirrorCmd>();
    r.declare::<BlockDirtyBitmapAddCmd>();
    r.declare::<BlockDirtyBitmapRemove>();
    r.declare::<BlockDirtyBitmapClear>();
    r.declare::<BlockDirtyBitmapEnable>();
    r.declare::<BlockDirtyBitmapDisable>();
    r.declare::<BlockDirtyBitmapMergeCmd>();
    r.declare::<XDebugBlockDirtyBitmapSha256>();
    r.declare::<BlockdevMirror>();
    r.declare::<BlockStream>();
    r.declare::<BlockJobSetSpeed>();
    r.declare::<BlockJobCancel>();
    r.declare::<BlockJobPause>();
    r.declare::<BlockJobResume>();
    r.declare::<BlockJobComplete>();
    r.declare::<BlockJobDismiss>();
    r.declare::<BlockJobFinalize>();
    r.declare::<BlockJobChange>();
    r.declare::<BlockdevAdd>();
    r.declare::<BlockdevReopen>();
    r.declare::<BlockdevDel>();
    r.declare::<BlockdevSetActive>();
    r.declare::<BlockdevCreate>();
    r.declare::<XBlockdevAmend>();
    r.event::<BlockImageCorrupted>();
    r.event::<BlockIoError>();
    r.event::<BlockJobCompleted>();
    r.event::<BlockJobCancelled>();
    r.event::<BlockJobError>();
    r.event::<BlockJobReady>();
    r.event::<BlockJobPending>();
    r.event::<BlockWriteThreshold>();
    r.declare::<BlockSetWriteThreshold>();
    r.declare::<XBlockdevChange>();
    r.declare::<XBlockdevSetIothread>();
    r.event::<QuorumFailure>();
    r.event::<QuorumReportBad>();
    r.declare::<BlockdevSnapshotInternalSync>();
    r.declare::<BlockdevSnapshotDeleteInternalSync>();
    r.declare::<NbdServerStart>();
    r.declare::<NbdServerAdd>();
    r.declare::<NbdServerRemove>();
    r.declare::<NbdServerStop>();
    r.declare::<BlockExportAdd>();
    r.declare::<BlockExportDel>();
    r.event::<BlockExportDeleted>();
    r.declare::<QueryBlockExports>();
    r.declare::<QueryChardev>();
    r.declare::<QueryChardevBackends>();
    r.declare::<RingbufWrite>();
    r.declare::<RingbufRead>();
    r.declare::<ChardevAdd>();
    r.declare::<ChardevChange>();
    r.declare::<ChardevRemove>();
    r.declare::<ChardevSendBreak>();
    r.event::<VserportChange>();
    r.declare::<Transaction>();
    r.control_command("qmp_capabilities");
    r.control_command("query-version");
    r.control_command("query-commands");
    r.control_command("quit");
    r.control_command("query-qmp-schema");
    r.declare::<QomList>();
    r.declare::<QomGet>();
    r.declare::<QomSet>();
    r.declare::<QomListTypes>();
    r.declare::<QomListProperties>();
    r.declare::<ObjectAdd>();
    r.declare::<ObjectDel>();
    r.types(describe_types);
    r.set_type_order(TYPE_ORDER);
}

/// A registry of the whole schema ([`register`] into
/// [`::qapi::Registry::empty`]), ready for handlers.
pub fn registry<S: Send + Sync + 'static>() -> ::qapi::Registry<S> {
    let mut r = ::qapi::Registry::empty();
    register(&mut r);
    r
}

/// The condition names this schema uses (its `#[cfg]`s), sorted.
pub const CFG_NAMES: &[&str] = &[
    "CONFIG_BLKIO",
    "CONFIG_BLKIO_VHOST_VDPA_FD",
    "CONFIG_BRLAPI",
    "CONFIG_DBUS_DISPLAY",
    "CONFIG_FUSE",
    "CONFIG_LIBPMEM",
    "CONFIG_LINUX",
    "CONFIG_LINUX_IO_URING",
    "CONFIG_POSIX",
    "CONFIG_REPLICATION",
    "CONFIG_SECRET_KEYRING",
    "CONFIG_SPICE",
    "CONFIG_SPICE_PROTOCOL",
    "CONFIG_VDUSE_BLK_EXPORT",
    "CONFIG_VHOST_CRYPTO",
    "CONFIG_VHOST_USER_BLK_SERVER",
    "CONFIG_WIN32",
    "CONFIG_ZSTD",
    "HAVE_CHARDEV_PARALLEL",
    "HAVE_CHARDEV_SERIAL",
    "HAVE_HOST_BLOCK_DEVICE",
    "HAVE_IPPROTO_MPTCP",
];
