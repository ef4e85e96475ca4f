//! The async (tokio) driver of one connection.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::task::JoinSet;

use super::events::{Out, Outbox};
use super::proto::{Core, Finished, Pumped, Started};
use super::{Closed, QUIT_OOB_WAIT, ServerConfig, Shutdown};
use crate::dispatch::{Dispatched, Response, Session};
use crate::registry::{BoxFuture, Registry};

/// Serves one connection over any byte stream until the client closes
/// it, `quit`, or shutdown ([`ServerConfig::shutdown`]).
///
/// Needs a tokio runtime (OOB handlers that are asynchronous run as
/// tasks of their own). Errors are I/O errors reading from the client;
/// a client that stops reading ends with [`Closed::WriteFailed`] or
/// [`Closed::EventBacklogFull`].
pub async fn serve_connection<S, IO>(
    registry: Arc<Registry<S>>,
    state: Arc<S>,
    io: IO,
    config: ServerConfig,
) -> io::Result<Closed>
where
    S: Send + Sync + 'static,
    IO: AsyncRead + AsyncWrite,
{
    let (r, w) = tokio::io::split(io);
    serve_split(registry, state, r, w, config).await
}

/// [`serve_connection`] with separate input and output (e.g. stdin and
/// stdout).
pub async fn serve_split<S, R, W>(
    registry: Arc<Registry<S>>,
    state: Arc<S>,
    mut input: R,
    output: W,
    config: ServerConfig,
) -> io::Result<Closed>
where
    S: Send + Sync + 'static,
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let shutdown = config.shutdown.clone();
    let mut core = Core::new(registry, state, config);
    let mut out = Writer {
        w: output,
        buf: Vec::new(),
        outbox: None,
    };
    if shutdown.is_shutdown() {
        return Ok(Closed::Shutdown);
    }
    if let Some(greeting) = core.greeting() {
        out.buf.extend_from_slice(&greeting);
    }
    let mut rbuf = vec![0u8; core.config.read_buffer];
    let output_max = core.config.output_buffer;
    let mut inband: Option<InFlight> = None;
    let mut oob: JoinSet<Option<Response>> = JoinSet::new();
    // What each running OOB handler counts against the connection's
    // request memory (given back when it ends, even by a panic).
    let mut oob_cost: HashMap<tokio::task::Id, usize> = HashMap::new();
    loop {
        // Everything that can be done without waiting, until the output
        // grows beyond its bound: then write first.
        let mut more = false;
        loop {
            if out.buf.len() >= output_max {
                more = true;
                break;
            }
            if inband.is_none()
                && let Some(job) = core.next_job()
            {
                let Started {
                    session,
                    dispatched,
                    delimit,
                } = job.run();
                match dispatched {
                    Dispatched::Pending(future) => {
                        inband = Some(InFlight {
                            session,
                            future,
                            delimit,
                        })
                    }
                    done => {
                        let f = core.finish(session, done.into_reply(), delimit);
                        if f.quit
                            && let Err(end) =
                                drain_oob(&mut core, &mut out, &mut oob, &mut oob_cost).await
                        {
                            return out.close(&core, end).await;
                        }
                        if let Some(end) = out.finished(&core, f) {
                            return out.close(&core, end).await;
                        }
                    }
                }
                continue;
            }
            match core.pump() {
                Pumped::Nothing => break,
                Pumped::Progress => {}
                Pumped::Write(bytes) => {
                    if let Err(end) = out.reply(&core, bytes) {
                        return out.close(&core, end).await;
                    }
                }
                Pumped::Oob(job) => {
                    let id = oob.spawn(job.future).id();
                    oob_cost.insert(id, job.cost);
                }
            }
        }
        // Write what is ready, events first. A flush may consume the
        // outbox's wake-up, so look again until nothing is left.
        loop {
            if let Err(end) = out.events(&core) {
                return out.close(&core, end).await;
            }
            if out.buf.is_empty() {
                break;
            }
            if let Err(end) = out.flush(&shutdown).await {
                return out.close(&core, end).await;
            }
        }
        if more {
            continue;
        }
        if core.eof() && core.is_idle() && inband.is_none() && oob.is_empty() {
            return Ok(Closed::Eof);
        }
        let reading = core.wants_input();
        tokio::select! {
            biased;
            () = shutdown.wait() => {
                let _ = out.events(&core);
                return out.close(&core, Closed::Shutdown).await;
            }
            response = in_flight(&mut inband), if inband.is_some() => {
                let done = inband.take().expect("in flight");
                let f = core.finish(done.session, response, done.delimit);
                if f.quit
                    && let Err(end) = drain_oob(&mut core, &mut out, &mut oob, &mut oob_cost).await
                {
                    return out.close(&core, end).await;
                }
                if let Some(end) = out.finished(&core, f) {
                    return out.close(&core, end).await;
                }
            }
            Some(joined) = oob.join_next_with_id(), if !oob.is_empty() => {
                if let Err(end) = oob_joined(&mut core, &mut out, &mut oob_cost, joined) {
                    return out.close(&core, end).await;
                }
            }
            // Written at the top of the loop.
            () = notified(&out.outbox), if out.outbox.is_some() => {}
            n = input.read(&mut rbuf), if reading => {
                match n {
                    Ok(0) => core.set_eof(),
                    Ok(n) => core.feed(&rbuf[..n]),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) if is_disconnect(&e) => core.set_eof(),
                    Err(e) => return Err(e),
                }
            }
        }
    }
}

type Joined = Result<(tokio::task::Id, Option<Response>), tokio::task::JoinError>;

/// An asynchronous OOB handler ended: gives its cost back and writes its
/// reply.
fn oob_joined<S, W>(
    core: &mut Core<S>,
    out: &mut Writer<W>,
    oob_cost: &mut HashMap<tokio::task::Id, usize>,
    joined: Joined,
) -> Result<(), Closed>
where
    S: Send + Sync + 'static,
    W: AsyncWrite + Unpin,
{
    let (id, response) = match joined {
        Ok((id, r)) => (id, r),
        // Handler panics are replies already (dispatch catches them);
        // this is a panic while dropping one.
        Err(e) => (e.id(), None),
    };
    core.oob_done(oob_cost.remove(&id).unwrap_or(0));
    match response {
        Some(response) => out.reply(core, core.encode(&response, false)),
        None => Ok(()),
    }
}

/// Before the reply to `quit`: waits up to [`QUIT_OOB_WAIT`] for the
/// asynchronous OOB handlers still running and writes their replies.
async fn drain_oob<S, W>(
    core: &mut Core<S>,
    out: &mut Writer<W>,
    oob: &mut JoinSet<Option<Response>>,
    oob_cost: &mut HashMap<tokio::task::Id, usize>,
) -> Result<(), Closed>
where
    S: Send + Sync + 'static,
    W: AsyncWrite + Unpin,
{
    let drain = async {
        while let Some(joined) = oob.join_next_with_id().await {
            oob_joined(core, out, oob_cost, joined)?;
        }
        Ok(())
    };
    tokio::time::timeout(QUIT_OOB_WAIT, drain)
        .await
        .unwrap_or(Ok(()))
}

pub(crate) fn is_disconnect(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    )
}

struct InFlight {
    session: Session,
    future: BoxFuture<Option<Response>>,
    delimit: bool,
}

fn in_flight(slot: &mut Option<InFlight>) -> impl Future<Output = Option<Response>> + '_ {
    std::future::poll_fn(move |cx| match slot.as_mut() {
        Some(f) => Pin::new(&mut f.future).poll(cx),
        None => std::task::Poll::Pending,
    })
}

async fn notified(outbox: &Option<Arc<Outbox>>) {
    match outbox {
        Some(o) => o.notify.notified().await,
        None => std::future::pending().await,
    }
}

/// The output side: replies and events collected into one buffer and
/// written together.
struct Writer<W> {
    w: W,
    buf: Vec<u8>,
    /// Events for this connection, once negotiated.
    outbox: Option<Arc<Outbox>>,
}

impl<W: AsyncWrite + Unpin> Writer<W> {
    /// Appends the events waiting (they were emitted before whatever is
    /// appended next).
    fn events<S: Send + Sync + 'static>(&mut self, core: &Core<S>) -> Result<(), Closed> {
        let Some(outbox) = &self.outbox else {
            return Ok(());
        };
        let items = {
            let mut st = outbox.lock();
            if st.overflowed {
                return Err(Closed::EventBacklogFull);
            }
            Outbox::take(&mut st)
        };
        for item in items {
            match item {
                Out::Event(msg) => self.buf.extend_from_slice(&core.encode_event(&msg)),
                Out::Bytes(b) => self.buf.extend_from_slice(&b),
            }
        }
        Ok(())
    }

    fn reply<S: Send + Sync + 'static>(
        &mut self,
        core: &Core<S>,
        bytes: Vec<u8>,
    ) -> Result<(), Closed> {
        self.events(core)?;
        if self.buf.is_empty() {
            self.buf = bytes;
        } else {
            self.buf.extend_from_slice(&bytes);
        }
        Ok(())
    }

    /// Handles the end of an in-band request; `Some` when the connection
    /// must close.
    fn finished<S: Send + Sync + 'static>(
        &mut self,
        core: &Core<S>,
        f: Finished,
    ) -> Option<Closed> {
        if f.negotiated {
            let outbox = Outbox::new(core.config.event_backlog, core.config.event_overflow);
            core.config.events.subscribe(&outbox);
            self.outbox = Some(outbox);
        }
        if let Err(end) = self.events(core) {
            return Some(end);
        }
        if let Some(reply) = f.reply {
            self.buf.extend_from_slice(&reply);
        }
        f.quit.then_some(Closed::Quit)
    }

    /// Writes the buffer. Gives up when the client's event backlog
    /// overflows or the server shuts down meanwhile (a client that does
    /// not read must not hold the connection forever).
    async fn flush(&mut self, shutdown: &Shutdown) -> Result<(), Closed> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let Writer { w, buf, outbox } = self;
        let write = async {
            w.write_all(buf).await?;
            w.flush().await
        };
        let r = tokio::select! {
            r = write => r.map_err(|_| Closed::WriteFailed),
            () = overflowed(outbox.as_deref()) => Err(Closed::EventBacklogFull),
            () = shutdown.wait() => Err(Closed::Shutdown),
        };
        buf.clear();
        if buf.capacity() > 1 << 16 {
            *buf = Vec::new();
        }
        r
    }

    /// Writes what is left (unless the connection broke) and closes the
    /// output.
    async fn close<S: Send + Sync + 'static>(
        &mut self,
        core: &Core<S>,
        end: Closed,
    ) -> io::Result<Closed> {
        let quit = end == Closed::Quit;
        let mut end = end;
        if matches!(end, Closed::Quit | Closed::Eof | Closed::Shutdown) {
            // A stopping server still lets the quit reply and pending
            // events out, but does not wait for a client that never reads.
            let stop = if end == Closed::Shutdown {
                Shutdown::new()
            } else {
                core.config.shutdown.clone()
            };
            let timeout = tokio::time::sleep(std::time::Duration::from_secs(1));
            tokio::select! {
                r = self.flush(&stop) => if let Err(e) = r && e != Closed::Shutdown { end = e },
                () = timeout => {}
            }
            let _ = tokio::time::timeout(std::time::Duration::from_millis(100), self.w.shutdown())
                .await;
        }
        if let Some(outbox) = self.outbox.take() {
            outbox.close();
        }
        if quit {
            core.after_quit();
        }
        Ok(end)
    }
}

/// Completes when the outbox's backlog has overflowed.
async fn overflowed(outbox: Option<&Outbox>) {
    let Some(outbox) = outbox else {
        return std::future::pending().await;
    };
    loop {
        let notified = outbox.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if outbox.lock().overflowed {
            return;
        }
        notified.await;
    }
}
