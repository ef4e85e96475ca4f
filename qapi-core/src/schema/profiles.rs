//! Condition sets of real QEMU builds, for evaluating QEMU's own schemas
//! the way a given binary does (`CondSet::only(PROFILE)`).
//!
//! Conditions in QEMU's schemas are of two kinds: host-wide
//! (`config-host.h`: `CONFIG_LINUX`, `CONFIG_BLKIO`, …; they are the
//! same for every program of one build) and per-target
//! (`config-target.h`: `TARGET_I386`, `CONFIG_KVM`, …; only
//! `qemu-system-<target>` sees them). qemu-storage-daemon has no
//! target, and its schema uses host-wide conditions only, so a
//! per-target profile also evaluates its schema correctly.

/// Host-wide conditions set in Debian's QEMU 10.0.2
/// (`1:10.0.2+ds-2+deb13u1~bpo12+1`, x86_64) — enough for the
/// qemu-storage-daemon and qemu-ga schemas.
///
/// Derived by evaluating the v10.0.0 generator's conditional output
/// (every `#if` kept) of the storage-daemon and qemu-system schemas
/// under candidate sets and comparing with the live `query-qmp-schema`
/// dumps of that build (`qsd-10.0.2.schema.json`, 513 entries, and
/// `qemu-system-x86_64-10.0.2.schema.json`, 1172 entries): exactly this
/// set reproduces both dumps. Set: everything listed. Not set (each one
/// checked against the dumps): `CONFIG_BLKIO`, `CONFIG_WIN32`,
/// `CONFIG_AF_XDP`, `CONFIG_AUDIO_COREAUDIO`, `CONFIG_AUDIO_DSOUND`,
/// `CONFIG_AUDIO_SNDIO`, `CONFIG_COCOA`, `CONFIG_QATZIP`, `CONFIG_QPL`,
/// `CONFIG_UADK`, `CONFIG_VMNET`. `CONFIG_BLKIO_VHOST_VDPA_FD` only
/// appears under `CONFIG_BLKIO`, so the dumps cannot tell; it is left
/// out (it cannot be set without libblkio).
///
/// The guest-agent names (`CONFIG_FSFREEZE`, `CONFIG_FSTRIM`,
/// `CONFIG_GETLOADAVG`, `CONFIG_LIBUDEV`, `HAVE_GETIFADDRS`,
/// `HAVE_UTMPX`) come from `guest-info` of that build's qemu-ga: it
/// lists 43 commands, every command of the v10.0.2 QGA schema except
/// `guest-get-devices` (`CONFIG_WIN32`). `CONFIG_FREEBSD` only appears
/// in `||` with `CONFIG_LINUX` and is not set on Linux.
///
/// Note `HAVE_CHARDEV_SERIAL` / `HAVE_CHARDEV_PARALLEL`: QEMU defines
/// them in a C header rather than by configure, yet the dumps show the
/// `serial` and `parallel` chardev branches, so they count as set.
pub const DEBIAN_10_0_2_HOST: &[&str] = &[
    "CONFIG_AUDIO_ALSA",
    "CONFIG_AUDIO_JACK",
    "CONFIG_AUDIO_OSS",
    "CONFIG_AUDIO_PA",
    "CONFIG_AUDIO_PIPEWIRE",
    "CONFIG_AUDIO_SDL",
    "CONFIG_BRLAPI",
    "CONFIG_CURSES",
    "CONFIG_DBUS_DISPLAY",
    "CONFIG_EBPF",
    "CONFIG_FDT",
    "CONFIG_FSFREEZE",
    "CONFIG_FSTRIM",
    "CONFIG_FUSE",
    "CONFIG_GETLOADAVG",
    "CONFIG_GTK",
    "CONFIG_LIBPMEM",
    "CONFIG_LIBUDEV",
    "CONFIG_LINUX",
    "CONFIG_LINUX_IO_URING",
    "CONFIG_OPENGL",
    "CONFIG_PIXMAN",
    "CONFIG_POSIX",
    "CONFIG_REPLICATION",
    "CONFIG_SDL",
    "CONFIG_SECRET_KEYRING",
    "CONFIG_SPICE",
    "CONFIG_SPICE_PROTOCOL",
    "CONFIG_TPM",
    "CONFIG_VDUSE_BLK_EXPORT",
    "CONFIG_VHOST_CRYPTO",
    "CONFIG_VHOST_USER_BLK_SERVER",
    "CONFIG_VNC",
    "CONFIG_ZSTD",
    "HAVE_CHARDEV_PARALLEL",
    "HAVE_CHARDEV_SERIAL",
    "HAVE_GETIFADDRS",
    "HAVE_HOST_BLOCK_DEVICE",
    "HAVE_IPPROTO_MPTCP",
    "HAVE_UTMPX",
];

/// [`DEBIAN_10_0_2_HOST`] plus the conditions of the x86_64 target
/// (`qemu-system-x86_64`): `TARGET_I386` and `TARGET_X86_64` (QEMU's
/// x86_64 target defines both), `CONFIG_KVM`, `CONFIG_TCG`.
///
/// From the dumps: `TARGET_I386` and `CONFIG_TCG` are set,
/// `TARGET_ARM` and `TARGET_S390X` are not. The dumps cannot tell the
/// other `TARGET_*` names (they appear only in `||` with `TARGET_I386`)
/// nor `CONFIG_KVM` (it appears only together with `TARGET_S390X`);
/// those follow from the target: no other `TARGET_*`, and KVM is
/// enabled for x86_64 in Debian's build. This list is also correct for
/// the storage daemon's and the guest agent's schemas, which have no
/// target-specific conditions.
pub const DEBIAN_10_0_2_X86_64: &[&str] = &[
    "CONFIG_AUDIO_ALSA",
    "CONFIG_AUDIO_JACK",
    "CONFIG_AUDIO_OSS",
    "CONFIG_AUDIO_PA",
    "CONFIG_AUDIO_PIPEWIRE",
    "CONFIG_AUDIO_SDL",
    "CONFIG_BRLAPI",
    "CONFIG_CURSES",
    "CONFIG_DBUS_DISPLAY",
    "CONFIG_EBPF",
    "CONFIG_FDT",
    "CONFIG_FSFREEZE",
    "CONFIG_FSTRIM",
    "CONFIG_FUSE",
    "CONFIG_GETLOADAVG",
    "CONFIG_GTK",
    "CONFIG_KVM",
    "CONFIG_LIBPMEM",
    "CONFIG_LIBUDEV",
    "CONFIG_LINUX",
    "CONFIG_LINUX_IO_URING",
    "CONFIG_OPENGL",
    "CONFIG_PIXMAN",
    "CONFIG_POSIX",
    "CONFIG_REPLICATION",
    "CONFIG_SDL",
    "CONFIG_SECRET_KEYRING",
    "CONFIG_SPICE",
    "CONFIG_SPICE_PROTOCOL",
    "CONFIG_TCG",
    "CONFIG_TPM",
    "CONFIG_VDUSE_BLK_EXPORT",
    "CONFIG_VHOST_CRYPTO",
    "CONFIG_VHOST_USER_BLK_SERVER",
    "CONFIG_VNC",
    "CONFIG_ZSTD",
    "HAVE_CHARDEV_PARALLEL",
    "HAVE_CHARDEV_SERIAL",
    "HAVE_GETIFADDRS",
    "HAVE_HOST_BLOCK_DEVICE",
    "HAVE_IPPROTO_MPTCP",
    "HAVE_UTMPX",
    "TARGET_I386",
    "TARGET_X86_64",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x86_64_is_host_plus_target() {
        let target = ["CONFIG_KVM", "CONFIG_TCG", "TARGET_I386", "TARGET_X86_64"];
        let mut want: Vec<&str> = DEBIAN_10_0_2_HOST.iter().copied().chain(target).collect();
        want.sort_unstable();
        let mut got = DEBIAN_10_0_2_X86_64.to_vec();
        got.sort_unstable();
        assert_eq!(got, want);
    }
}
