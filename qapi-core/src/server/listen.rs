//! The async server: listeners, one task per connection.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
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

    /// Listens on TCP. Bind a loopback address unless you mean to expose
    /// the monitor (QMP has no authentication).
    pub async fn serve_tcp(&self, addr: impl tokio::net::ToSocketAddrs) -> io::Result<()> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        self.serve_tcp_listener(listener).await
    }

    /// Serves connections accepted from `listener`.
    pub async fn serve_tcp_listener(&self, listener: tokio::net::TcpListener) -> io::Result<()> {
        let l = &listener;
        self.accept_loop(move || async move {
            let (s, _) = l.accept().await?;
            s.set_nodelay(true)?;
            Ok(s)
        })
        .await
    }

    /// Speaks the protocol on stdin/stdout (one connection). Note that
    /// tokio reads stdin on a blocking thread that cannot be cancelled:
    /// a program that returns from here while stdin is still open should
    /// exit the process rather than wait for its runtime to shut down.
    pub async fn serve_stdio(&self) -> io::Result<Closed> {
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
        loop {
            tokio::select! {
                biased;
                () = shutdown.wait() => break,
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                accepted = accept() => match accepted {
                    Ok(io) => {
                        tasks.spawn(serve_connection(
                            Arc::clone(&self.registry),
                            Arc::clone(&self.state),
                            io,
                            self.config.clone(),
                        ));
                    }
                    // Out of file descriptors and the like: wait, go on.
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                },
            }
        }
        let _ = tokio::time::timeout(DRAIN_TIMEOUT, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        Ok(())
    }
}

/// Binds a unix socket at `path` and makes it owner-only (0600) right
/// away. A socket file already there that nobody listens on is replaced;
/// a live one gives `AddrInUse`, any other file `AlreadyExists`.
#[cfg(unix)]
pub fn bind_unix(path: impl AsRef<Path>) -> io::Result<std::os::unix::net::UnixListener> {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let path = path.as_ref();
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_socket() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a socket", path.display()),
            ));
        }
        if std::os::unix::net::UnixStream::connect(path).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                format!("a server is listening on {}", path.display()),
            ));
        }
        std::fs::remove_file(path)?;
    }
    let listener = std::os::unix::net::UnixListener::bind(path)?;
    if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(listener)
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
