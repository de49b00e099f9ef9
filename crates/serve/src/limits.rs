//! The bounds every request that reads the store runs under: one of the
//! server's evaluation slots, the time limit (after which the work's
//! [`CancellationToken`] is cancelled and the client answered 503), and a
//! bounded buffer between the work and the client, so that a large answer is
//! streamed instead of held whole in memory.
//!
//! Work derived once per store generation (VoID, the dumps) is computed by
//! one background task at a time ([`Derived`]); requests wait for it without
//! holding a thread, up to the time limit.

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::sparql::CancellationToken;
use tokio::sync::{mpsc, oneshot, Notify, OwnedSemaphorePermit};
use tokio::time::Instant;

use crate::{AppState, HttpError};

/// Bytes held before an answer is committed to a status and streamed.
const FIRST_CHUNK: usize = 256 * 1024;
/// Bytes in each later chunk sent to the client.
const CHUNK: usize = 64 * 1024;
/// Chunks waiting for a slow client before the work waits too.
const CHUNKS_IN_FLIGHT: usize = 8;

/// Waits, up to `deadline`, for one of the server's evaluation slots.
async fn acquire_slot(
    state: &Arc<AppState>,
    deadline: Instant,
) -> Result<OwnedSemaphorePermit, HttpError> {
    match tokio::time::timeout_at(deadline, state.evaluations.clone().acquire_owned()).await {
        Ok(Ok(slot)) => Ok(slot),
        Ok(Err(_)) => Err(HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        )),
        Err(_) => Err(HttpError::busy(format!(
            "all {} evaluation slots stayed busy for the time limit of {} s",
            state.evaluation_slots(),
            state.options.timeout.as_secs_f32()
        ))),
    }
}

fn cut_after(limit: Duration) -> HttpError {
    HttpError::busy(format!(
        "the request was cut after the time limit of {} s",
        limit.as_secs_f32()
    ))
}

/// Runs `work` on a blocking thread under the server's time limit, once one
/// of the server's evaluation slots is free. Past the limit the token is
/// cancelled, so the evaluation stops, and the client is answered 503 at once;
/// other requests are served all along. The slot is given back only when the
/// work has returned, so cut evaluations still count against the bound.
pub(crate) async fn with_time_limit<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(CancellationToken) -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    let limit = state.options.timeout;
    let deadline = Instant::now() + limit;
    let slot = acquire_slot(state, deadline).await?;
    let token = CancellationToken::new();
    let worker_token = token.clone();
    let task = tokio::task::spawn_blocking(move || {
        let result = work(worker_token);
        drop(slot);
        result
    });
    match tokio::time::timeout_at(deadline, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(HttpError::internal(format!(
            "the request's task failed: {join}"
        ))),
        Err(_) => {
            token.cancel();
            Err(cut_after(limit))
        }
    }
}

/// How long an evaluation runs at normal priority before it is demoted.
pub const DEMOTE_AFTER: Duration = Duration::from_millis(200);

/// Runs an evaluation on a thread of its own and answers with its result.
///
/// An evaluation that is still running after [`DEMOTE_AFTER`] gets the
/// lowest CPU priority (Linux: nice 19 for its thread alone), so the cores go
/// to short requests first: a page or a lookup is answered in milliseconds
/// while long queries share what is left, each still cut at the time limit.
/// The thread ends with its evaluation, so its priority never carries over to
/// another request (an unprivileged thread cannot raise it back).
fn spawn_evaluation<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> oneshot::Receiver<T> {
    let (result_sender, result) = oneshot::channel();
    let (thread_sender, thread_id) = oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("evaluation".into())
        .spawn(move || {
            let _ = thread_sender.send(current_thread_id());
            let _ = result_sender.send(work());
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start an evaluation thread");
        return result;
    }
    tokio::spawn(async move {
        tokio::time::sleep(DEMOTE_AFTER).await;
        if let Ok(Some(id)) = thread_id.await {
            lower_priority(id);
        }
    });
    result
}

#[cfg(target_os = "linux")]
fn current_thread_id() -> Option<libc::pid_t> {
    // SAFETY: gettid has no preconditions and cannot fail.
    Some(unsafe { libc::gettid() })
}

#[cfg(not(target_os = "linux"))]
fn current_thread_id() -> Option<i32> {
    None
}

/// Gives a thread the lowest CPU priority. The thread may have ended (and
/// its id been reused by another thread of this process only after that):
/// the call then affects nothing or fails, both harmless.
#[cfg(target_os = "linux")]
fn lower_priority(thread: libc::pid_t) {
    // SAFETY: setpriority takes plain integers; on Linux PRIO_PROCESS with a
    // thread id applies to that thread only.
    let failed = unsafe { libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 19) } != 0;
    if failed {
        tracing::debug!(thread, "could not lower an evaluation's priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority(_thread: i32) {}

/// How a streamed answer begins: whole (it fitted in the first chunk, or
/// failed before it), or as a stream of chunks with this content type.
enum Head {
    Whole(Response),
    Stream {
        content_type: HeaderValue,
        chunks: mpsc::Receiver<io::Result<Bytes>>,
    },
}

/// Where streamed work writes its answer: an [`io::Write`] that holds the
/// first [`FIRST_CHUNK`] bytes (so an answer that fails early still gets its
/// own status), then hands chunks to the client through a bounded channel.
/// A client that stops reading makes the writes fail at the deadline; one
/// that goes away makes them fail at once; either way the work ends.
pub(crate) struct AnswerWriter {
    content_type: HeaderValue,
    buffer: Vec<u8>,
    head: Option<oneshot::Sender<Head>>,
    sender: mpsc::Sender<io::Result<Bytes>>,
    receiver: Option<mpsc::Receiver<io::Result<Bytes>>>,
    deadline: std::time::Instant,
}

impl AnswerWriter {
    /// The media type of what is written next (set before the first byte).
    pub(crate) fn set_content_type(&mut self, media: &str) {
        if let Ok(value) = HeaderValue::from_str(media) {
            self.content_type = value;
        }
    }

    fn streaming(&self) -> bool {
        self.head.is_none()
    }

    /// Sends a chunk, waiting for room while the deadline allows.
    fn send(&mut self, chunk: io::Result<Bytes>) -> io::Result<()> {
        let mut chunk = chunk;
        loop {
            match self.sender.try_send(chunk) {
                Ok(()) => return Ok(()),
                Err(mpsc::error::TrySendError::Closed(_)) => {
                    return Err(io::Error::new(
                        io::ErrorKind::BrokenPipe,
                        "the client went away",
                    ))
                }
                Err(mpsc::error::TrySendError::Full(back)) => {
                    if std::time::Instant::now() >= self.deadline {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "the client did not read the answer within the time limit",
                        ));
                    }
                    chunk = back;
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        }
    }

    fn flush_buffer(&mut self) -> io::Result<()> {
        if let Some(head) = self.head.take() {
            let chunks = self
                .receiver
                .take()
                .expect("the receiver goes with the head");
            let content_type = self.content_type.clone();
            if head
                .send(Head::Stream {
                    content_type,
                    chunks,
                })
                .is_err()
            {
                return Err(io::Error::new(
                    io::ErrorKind::BrokenPipe,
                    "the request was abandoned",
                ));
            }
        }
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.send(Ok(chunk))
    }

    /// Ends the answer: the whole response when nothing was streamed yet,
    /// else the last chunk (or an error that aborts the transfer).
    fn finish(mut self, outcome: Result<(), HttpError>) {
        match (self.head.take(), outcome) {
            (Some(head), Ok(())) => {
                let body = std::mem::take(&mut self.buffer);
                let response =
                    ([(header::CONTENT_TYPE, self.content_type.clone())], body).into_response();
                let _ = head.send(Head::Whole(response));
            }
            (Some(head), Err(error)) => {
                let _ = head.send(Head::Whole(error.into_response()));
            }
            (None, Ok(())) => {
                let _ = self.flush_buffer();
            }
            (None, Err(error)) => {
                // The status is sent: abort the transfer so the client sees
                // an incomplete answer, never a short one that looks whole.
                let _ = self.send(Err(io::Error::other(error.message)));
            }
        }
    }
}

impl Write for AnswerWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        let threshold = if self.streaming() { CHUNK } else { FIRST_CHUNK };
        if self.buffer.len() >= threshold {
            self.flush_buffer()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Like [`with_time_limit`], for work that writes an answer which can be
/// large: the answer is streamed to the client as it is written, with at most
/// a few chunks in memory. The token is cancelled at the deadline whether or
/// not the answer has begun; a cut that comes after the first chunk aborts
/// the transfer (the status line is already sent).
pub(crate) async fn streamed(
    state: &Arc<AppState>,
    work: impl FnOnce(CancellationToken, &mut AnswerWriter) -> Result<(), HttpError> + Send + 'static,
) -> Response {
    let limit = state.options.timeout;
    let deadline = Instant::now() + limit;
    let slot = match acquire_slot(state, deadline).await {
        Ok(slot) => slot,
        Err(e) => return e.into_response(),
    };
    let token = CancellationToken::new();
    let (head_sender, head) = oneshot::channel();
    let (sender, receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let mut writer = AnswerWriter {
        content_type: HeaderValue::from_static("application/octet-stream"),
        buffer: Vec::new(),
        head: Some(head_sender),
        sender,
        receiver: Some(receiver),
        deadline: deadline.into_std(),
    };
    let worker_token = token.clone();
    drop(spawn_evaluation(move || {
        let outcome = work(worker_token, &mut writer);
        writer.finish(outcome);
        drop(slot);
    }));
    let canceller = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep_until(deadline).await;
        canceller.cancel();
    });
    match tokio::time::timeout_at(deadline, head).await {
        Ok(Ok(Head::Whole(response))) => response,
        Ok(Ok(Head::Stream {
            content_type,
            chunks,
        })) => {
            let stream = futures_util::stream::unfold(chunks, |mut chunks| async move {
                chunks.recv().await.map(|chunk| (chunk, chunks))
            });
            let mut response = Body::from_stream(stream).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, content_type);
            response
        }
        Ok(Err(_)) => HttpError::internal("the request's evaluation failed").into_response(),
        Err(_) => {
            token.cancel();
            cut_after(limit).into_response()
        }
    }
}

/// Why a [`Derived`] product could not be computed (its cause, as text: the
/// product is shared by every request that waits for it).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub(crate) struct DerivedError(pub(crate) String);

/// A product computed from the whole store once per store generation (VoID,
/// the dumps): one background computation at a time, never on a request's
/// thread; requests wait for it asynchronously, up to the time limit, and
/// are answered 503 with `Retry-After` past it.
pub(crate) struct Derived<T> {
    slot: Mutex<DerivedSlot<T>>,
    ready: Notify,
}

struct DerivedSlot<T> {
    latest: Option<(u64, Result<Arc<T>, DerivedError>)>,
    computing: Option<u64>,
}

impl<T> Default for Derived<T> {
    fn default() -> Self {
        Self {
            slot: Mutex::new(DerivedSlot {
                latest: None,
                computing: None,
            }),
            ready: Notify::new(),
        }
    }
}

impl<T: Send + Sync + 'static> Derived<T> {
    /// The product of `generation` if it is there; else starts `compute` for
    /// it unless a computation (of any generation: they write the same files)
    /// is running, and gives `compute` back when it could not start it.
    fn ready_or_start<F>(self: &Arc<Self>, generation: u64, compute: Option<F>) -> Lookup<T, F>
    where
        F: FnOnce() -> Result<T, DerivedError> + Send + 'static,
    {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((g, product)) = &slot.latest {
            if *g == generation {
                return Lookup::Ready(product.clone());
            }
        }
        let Some(compute) = compute else {
            return Lookup::Waiting(None);
        };
        if slot.computing.is_some() {
            return Lookup::Waiting(Some(compute));
        }
        slot.computing = Some(generation);
        let this = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let product = compute().map(Arc::new);
            let mut slot = this.slot.lock().unwrap_or_else(PoisonError::into_inner);
            slot.computing = None;
            if slot.latest.as_ref().is_none_or(|(g, _)| *g <= generation) {
                slot.latest = Some((generation, product));
            }
            drop(slot);
            this.ready.notify_waiters();
        });
        Lookup::Waiting(None)
    }

    /// Starts the computation for `generation` in the background unless one
    /// is running or its product is there.
    pub(crate) fn warm(
        self: &Arc<Self>,
        generation: u64,
        compute: impl FnOnce() -> Result<T, DerivedError> + Send + 'static,
    ) {
        let _ = self.ready_or_start(generation, Some(compute));
    }

    /// The product of `generation`, computing it if needed; 503 with
    /// `Retry-After` when it is not ready within `limit`.
    pub(crate) async fn get(
        self: &Arc<Self>,
        generation: u64,
        limit: Duration,
        compute: impl FnOnce() -> Result<T, DerivedError> + Send + 'static,
    ) -> Result<Arc<T>, HttpError> {
        let deadline = Instant::now() + limit;
        let mut compute = Some(compute);
        loop {
            let ready = self.ready.notified();
            tokio::pin!(ready);
            ready.as_mut().enable();
            match self.ready_or_start(generation, compute.take()) {
                Lookup::Ready(Ok(product)) => return Ok(product),
                Lookup::Ready(Err(error)) => return Err(HttpError::internal(error)),
                Lookup::Waiting(back) => compute = back,
            }
            if tokio::time::timeout_at(deadline, ready).await.is_err() {
                return Err(HttpError::busy(format!(
                    "still being prepared after {} s; try again shortly",
                    limit.as_secs_f32()
                )));
            }
        }
    }
}

/// What [`Derived`] has for a generation.
enum Lookup<T, F> {
    /// The product (or why computing it failed).
    Ready(Result<Arc<T>, DerivedError>),
    /// Not yet; the computation given back if it could not start.
    Waiting(Option<F>),
}
