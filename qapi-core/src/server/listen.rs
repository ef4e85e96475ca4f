//! The async server: listeners, one task per connection.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
#[cfg(unix)]
use tokio::net::unix::pipe;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Closed, EventSender, ServerConfig, Shutdown, serve_connection, serve_split};
use crate::registry::Registry;

/// How long a stopping server waits for its connections to write what
/// they have before dropping them.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// A QMP (or guest-agent) server: a registry, the state its handlers
/// see, and the settings. Each `serve_*` method runs until the server is
/// shut down: by `quit` (with [`QuitAction::StopServer`](super::QuitAction)),
/// or through [`Server::shutdown_token`].
pub struct Server<S> {
    registry: Arc<Registry<S>>,
    state: Arc<S>,
    config: ServerConfig,
}

impl<S> Clone for Server<S> {
    fn clone(&self) -> Self {
        Server {
            registry: Arc::clone(&self.registry),
            state: Arc::clone(&self.state),
            config: self.config.clone(),
        }
    }
}

impl<S: Send + Sync + 'static> Server<S> {
    pub fn new(registry: Arc<Registry<S>>, state: Arc<S>, config: ServerConfig) -> Server<S> {
        config.events.set_policy(registry.policy());
        Server {
            registry,
            state,
            config,
        }
    }

    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    pub fn registry(&self) -> &Arc<Registry<S>> {
        &self.registry
    }

    pub fn state(&self) -> &Arc<S> {
        &self.state
    }

    /// The sender whose events this server's connections receive.
    pub fn events(&self) -> &EventSender {
        &self.config.events
    }

    /// Stops the server (and its connections) when triggered.
    pub fn shutdown_token(&self) -> &Shutdown {
        &self.config.shutdown
    }

    /// Listens on a unix socket at `path` (created with mode 0600; a
    /// stale socket left there is replaced) and removes it when the
    /// server stops.
    #[cfg(unix)]
    pub async fn serve_unix(&self, path: impl AsRef<Path>) -> io::Result<()> {
        let path = path.as_ref();
        let listener = bind_unix(path)?;
        let _remove = RemoveSocket::new(path);
        listener.set_nonblocking(true)?;
        self.serve_unix_listener(tokio::net::UnixListener::from_std(listener)?)
            .await
    }

    /// Serves connections accepted from `listener`.
    #[cfg(unix)]
    pub async fn serve_unix_listener(&self, listener: tokio::net::UnixListener) -> io::Result<()> {
        let l = &listener;
        self.accept_loop(move || async move { l.accept().await.map(|(s, _)| s) })
            .await
    }

    /// Listens on TCP. Only loopback addresses are accepted unless
    /// [`ServerConfig::allow_non_loopback`] is set: QMP has no
    /// authentication, whoever reaches the port controls the machine.
    pub async fn serve_tcp(&self, addr: impl tokio::net::ToSocketAddrs) -> io::Result<()> {
        let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host(addr).await?.collect();
        for a in &addrs {
            check_tcp_addr(a, &self.config)?;
        }
        let listener = tokio::net::TcpListener::bind(&addrs[..]).await?;
        self.serve_tcp_listener(listener).await
    }

    /// Serves connections accepted from `listener` (the same address
    /// check as [`serve_tcp`](Self::serve_tcp)).
    pub async fn serve_tcp_listener(&self, listener: tokio::net::TcpListener) -> io::Result<()> {
        check_tcp_addr(&listener.local_addr()?, &self.config)?;
        let l = &listener;
        self.accept_loop(move || async move {
            let (s, _) = l.accept().await?;
            s.set_nodelay(true)?;
            Ok(s)
        })
        .await
    }

    /// Speaks the protocol on stdin/stdout (one connection).
    ///
    /// When both are pipes (as when a management program spawns this one),
    /// they are served from the runtime's event loop like a socket: they
    /// are put in non-blocking mode for the time of the connection (as
    /// QEMU does with its stdio chardev) and back in blocking mode when
    /// it ends. Do not write to stdout meanwhile, nor to stderr if it
    /// shares stdout's pipe; and if this future is dropped before it
    /// ends, the pipes stay non-blocking.
    ///
    /// Otherwise (a terminal, a file) tokio's stdin and stdout are used:
    /// they read and write on its blocking threads, which costs two thread
    /// hand-offs per request, and a read of stdin cannot be cancelled, so
    /// a program that returns from here while stdin is still open should
    /// exit the process rather than wait for its runtime to shut down.
    pub async fn serve_stdio(&self) -> io::Result<Closed> {
        #[cfg(unix)]
        if let Some((mut input, mut output)) = stdio_pipes() {
            let r = serve_split(
                Arc::clone(&self.registry),
                Arc::clone(&self.state),
                &mut input,
                &mut output,
                self.config.clone(),
            )
            .await;
            // Each end is a duplicate: this closes only the duplicate.
            drop(input.into_blocking_fd());
            drop(output.into_blocking_fd());
            return r;
        }
        serve_split(
            Arc::clone(&self.registry),
            Arc::clone(&self.state),
            tokio::io::stdin(),
            tokio::io::stdout(),
            self.config.clone(),
        )
        .await
    }

    /// Serves one connection (see [`serve_connection`]).
    pub async fn serve_connection<IO: AsyncRead + AsyncWrite>(&self, io: IO) -> io::Result<Closed> {
        serve_connection(
            Arc::clone(&self.registry),
            Arc::clone(&self.state),
            io,
            self.config.clone(),
        )
        .await
    }

    async fn accept_loop<A, F, IO>(&self, mut accept: A) -> io::Result<()>
    where
        A: FnMut() -> F,
        F: Future<Output = io::Result<IO>>,
        IO: AsyncRead + AsyncWrite + Send + 'static,
    {
        let shutdown = self.config.shutdown.clone();
        let mut tasks = JoinSet::new();
        let slots = Arc::new(Semaphore::new(self.config.max_connections));
        loop {
            // A place among `max_connections` first: until one is free,
            // further clients wait in the listen backlog.
            let slot = tokio::select! {
                biased;
                () = shutdown.wait() => break,
                Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
                slot = Arc::clone(&slots).acquire_owned() => match slot {
                    Ok(slot) => slot,
                    Err(_) => break,
                },
            };
            tokio::select! {
                biased;
                () = shutdown.wait() => break,
                accepted = accept() => match accepted {
                    Ok(io) => {
                        let conn = serve_connection(
                            Arc::clone(&self.registry),
                            Arc::clone(&self.state),
                            io,
                            self.config.clone(),
                        );
                        tasks.spawn(async move {
                            let _slot = slot;
                            conn.await
                        });
                    }
                    // Out of file descriptors and the like: wait, go on.
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                },
            }
            // Reap finished connections.
            while tasks.try_join_next().is_some() {}
        }
        let _ = tokio::time::timeout(DRAIN_TIMEOUT, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        Ok(())
    }
}

/// Binds a unix socket at `path`, owner-only (0600) from the moment it
/// appears there. A socket file already there that nobody listens on is
/// replaced; a live one gives `AddrInUse`, any other file
/// `AlreadyExists`.
///
/// Binding creates the socket file with the permissions the umask
/// leaves, so the socket is bound inside a fresh private directory (mode
/// 0700) next to `path`, made 0600 there, and then linked (or renamed)
/// into place; the directory is removed. Nobody else can connect in
/// between. (The listener's `local_addr` reports that temporary path.)
///
/// The temporary path is 9 bytes longer than `path`. When that exceeds
/// the 107 bytes a unix socket path may have, the socket is bound at
/// `path` directly if the directory it is in lets nobody else through
/// (no search permission for group and others), and otherwise the call
/// fails with `InvalidInput`.
#[cfg(unix)]
pub fn bind_unix(path: impl AsRef<Path>) -> io::Result<std::os::unix::net::UnixListener> {
    use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
    let path = path.as_ref();
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_socket() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a socket", path.display()),
            ));
        }
        if std::os::unix::net::UnixStream::connect(path).is_ok() {
            return Err(in_use(path));
        }
        std::fs::remove_file(path)?;
    }
    let Some(name) = path.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} does not name a file", path.display()),
        ));
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if parent.as_os_str().len() + PRIVATE_DIR_LEN + 2 + name.len() > SOCKET_PATH_MAX {
        let mode = std::fs::metadata(parent)?.permissions().mode();
        if mode & 0o011 != 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is too long to bind the socket privately first (at most {} bytes \
                     in a directory others can enter)",
                    path.display(),
                    SOCKET_PATH_MAX - PRIVATE_DIR_LEN - 1
                ),
            ));
        }
        // Nobody else gets through the directory: binding in place is
        // just as private.
        let listener = std::os::unix::net::UnixListener::bind(path)?;
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
        return Ok(listener);
    }
    // The private directory: a name nobody else uses, created 0700 (the
    // umask can only take permissions away).
    let mut attempt = 0u32;
    let dir = loop {
        let dir = parent.join(format!(".q{:06x}", private_suffix(attempt) & 0xFF_FFFF));
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => break PrivateDir(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 16 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let tmp = dir.0.join(name);
    let listener = std::os::unix::net::UnixListener::bind(&tmp).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "binding {} (next to {}): {e}",
                tmp.display(),
                path.display()
            ),
        )
    })?;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    // A hard link never replaces a file that appeared meanwhile; where
    // links are not possible, rename.
    match std::fs::hard_link(&tmp, path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(in_use(path)),
        Err(_) => std::fs::rename(&tmp, path)?,
    }
    drop(dir);
    Ok(listener)
}

/// The longest path a unix socket may be bound to (`sun_path` less its
/// terminating NUL).
#[cfg(unix)]
const SOCKET_PATH_MAX: usize = 107;

/// Length of the private directory's name, `.qXXXXXX`.
#[cfg(unix)]
const PRIVATE_DIR_LEN: usize = 8;

#[cfg(unix)]
fn in_use(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AddrInUse,
        format!("a server is listening on {}", path.display()),
    )
}

/// Varies per process, call and attempt (collisions only cost a retry).
#[cfg(unix)]
fn private_suffix(attempt: u32) -> u32 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU32, Ordering};
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u32(CALLS.fetch_add(1, Ordering::Relaxed));
    h.write_u32(attempt);
    h.finish() as u32
}

/// The private directory of [`bind_unix`], removed with what is left in
/// it.
#[cfg(unix)]
struct PrivateDir(PathBuf);

#[cfg(unix)]
impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The path clients use for a listener [`bind_unix`] made, given the
/// path it was bound to (`dir/.qXXXXXX/name` → `dir/name`); any
/// other path as it is.
#[cfg(unix)]
pub(crate) fn public_path(bound: &Path) -> PathBuf {
    let private = bound.parent().filter(|d| {
        d.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix(".q"))
            .is_some_and(|hex| hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    match (private.and_then(Path::parent), bound.file_name()) {
        (Some(dir), Some(name)) if !bound.exists() => dir.join(name),
        _ => bound.to_owned(),
    }
}

/// Refuses TCP addresses that are not loopback unless the configuration
/// allows them.
pub(crate) fn check_tcp_addr(addr: &std::net::SocketAddr, config: &ServerConfig) -> io::Result<()> {
    if config.non_loopback || addr.ip().to_canonical().is_loopback() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "refusing to serve QMP on {addr}, which is not a loopback address: QMP has no \
             authentication (ServerConfig::allow_non_loopback allows it)"
        ),
    ))
}

/// Removes the socket file it was made for, if it is still that file.
#[cfg(unix)]
pub(crate) struct RemoveSocket {
    path: PathBuf,
    id: Option<(u64, u64)>,
}

#[cfg(unix)]
impl RemoveSocket {
    pub(crate) fn new(path: &Path) -> RemoveSocket {
        RemoveSocket {
            path: path.to_owned(),
            id: file_id(path),
        }
    }
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| (m.dev(), m.ino()))
}

#[cfg(unix)]
impl Drop for RemoveSocket {
    fn drop(&mut self) {
        if self.id.is_some() && file_id(&self.path) == self.id {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Duplicates of stdin and stdout as pipe ends on the runtime's event
/// loop, if both are pipes (`None` leaves both as they were).
#[cfg(unix)]
fn stdio_pipes() -> Option<(pipe::Receiver, pipe::Sender)> {
    use std::os::fd::{AsFd, OwnedFd};
    use std::os::unix::fs::FileTypeExt;
    let dup = |fd: std::os::fd::BorrowedFd<'_>| -> Option<OwnedFd> {
        let fd = fd.try_clone_to_owned().ok()?;
        let file = std::fs::File::from(fd);
        let fifo = file.metadata().ok()?.file_type().is_fifo();
        fifo.then(|| OwnedFd::from(file))
    };
    let input = dup(io::stdin().as_fd())?;
    let output = dup(io::stdout().as_fd())?;
    let input = pipe::Receiver::from_owned_fd(input).ok()?;
    match pipe::Sender::from_owned_fd(output) {
        Ok(output) => Some((input, output)),
        Err(_) => {
            drop(input.into_blocking_fd());
            None
        }
    }
}
