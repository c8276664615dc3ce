//! The dev server's connections: hyper's HTTP/1.1 on a small tokio runtime,
//! with every resource a client can hold bounded. A request line and headers
//! are capped in size and count, a client must send its headers within
//! [`HEADER_TIMEOUT`], a connection that moves no bytes for [`IDLE_TIMEOUT`]
//! is closed (the reload stream sends a comment every 15 s, so listening
//! browsers stay), bodies are never read, and at most [`MAX_CONNECTIONS`] are
//! served at once, so no client, slow or greedy, can starve a normal request.

use super::http::Server;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::io;
use std::net::TcpListener;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

/// Connections served at once; more wait in the kernel's backlog. Far above
/// what browsers open (six per origin), well under common descriptor limits.
pub(super) const MAX_CONNECTIONS: usize = 768;
/// A request's line and headers must arrive within this (slowloris).
pub(super) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection that neither reads nor writes for this long is closed.
pub(super) const IDLE_TIMEOUT: Duration = Duration::from_secs(40);
/// The request line and headers, in bytes (hyper answers 431 past this).
const MAX_HEADER_BYTES: usize = 32 * 1024;
/// What hyper buffers per connection, reading or writing.
const MAX_BUFFER: usize = 64 * 1024;
/// Header fields per request (hyper answers 431 past this).
const MAX_HEADERS: usize = 64;

/// Binds the address now, so a port in use is an error before the watch
/// loop starts; returns the port actually bound.
pub(super) fn bind(address: &str) -> io::Result<(TcpListener, u16)> {
    let listener = TcpListener::bind(address)?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    Ok((listener, port))
}

/// Serves on its own threads until the process ends.
pub(super) fn spawn(listener: TcpListener, server: Arc<Server>) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("rapport-http")
        .enable_all()
        .build()?;
    std::thread::Builder::new().name("rapport-accept".into()).spawn(move || {
        runtime.block_on(async move {
            match tokio::net::TcpListener::from_std(listener) {
                Ok(listener) => accept_loop(listener, server).await,
                Err(e) => eprintln!("the dev server cannot listen: {e}"),
            }
        });
    })?;
    Ok(())
}

async fn accept_loop(listener: tokio::net::TcpListener, server: Arc<Server>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else { return };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors or a connection reset before accept: wait a
            // little instead of spinning, and keep serving.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let server = server.clone();
        tokio::spawn(async move {
            serve_connection(stream, server).await;
            drop(slot);
        });
    }
}

async fn serve_connection(stream: TcpStream, server: Arc<Server>) {
    let _ = stream.set_nodelay(true);
    let (io, last_active) = Watched::new(stream);
    let service = service_fn(move |request| {
        let response = server.handle(&request);
        async move { Ok::<_, Infallible>(response) }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_header_size(MAX_HEADER_BYTES)
        .max_buf_size(MAX_BUFFER)
        .max_headers(MAX_HEADERS);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::select! {
        _ = connection => {}
        _ = idle(last_active) => {}
    }
}

/// Resolves once the connection has moved no bytes for [`IDLE_TIMEOUT`].
async fn idle(last_active: Arc<AtomicU64>) {
    let start = Instant::now();
    loop {
        let since = Duration::from_millis(last_active.load(Ordering::Relaxed));
        let deadline = start + since + IDLE_TIMEOUT;
        if Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep_until(deadline.into()).await;
    }
}

/// A stream that notes when it last moved bytes, in milliseconds since it
/// was accepted, for the idle timeout.
struct Watched {
    inner: TcpStream,
    start: Instant,
    last_active: Arc<AtomicU64>,
}

impl Watched {
    fn new(inner: TcpStream) -> (Watched, Arc<AtomicU64>) {
        let last_active = Arc::new(AtomicU64::new(0));
        (Watched { inner, start: Instant::now(), last_active: last_active.clone() }, last_active)
    }

    fn touch(&self) {
        let millis = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_active.store(millis, Ordering::Relaxed);
    }
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
