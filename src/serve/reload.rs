//! The live-reload channel: a version counter that rebuilds bump, and
//! server-sent event streams that wait on it. Messages carry no file paths.

use bytes::Bytes;
use hyper::body::{Body, Frame};
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub version: u64,
    /// Set while the last rebuild failed: the overlay text (`file:line:col: message`).
    pub error: Option<String>,
    /// True when only stylesheets changed, so pages can swap CSS without reloading.
    pub css_only: bool,
}

/// The rebuild state, published by the watch loop (a plain thread) and
/// awaited by the event streams (tasks on the server's runtime); a watch
/// channel keeps only the newest state, which is all a browser needs.
pub struct Hub {
    state: watch::Sender<State>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub { state: watch::Sender::new(State::default()) }
    }
}

impl Hub {
    pub fn publish(&self, error: Option<String>, css_only: bool) {
        self.state.send_modify(|s| {
            s.version += 1;
            s.error = error;
            s.css_only = css_only;
        });
    }

    pub fn current(&self) -> State {
        self.state.borrow().clone()
    }

    /// An endless SSE body: one event per rebuild, a comment as keep-alive.
    /// Must be called on the server's runtime (it spawns the task that feeds it).
    pub fn events(&self) -> EventBody {
        let mut changes = self.state.subscribe();
        let (tx, rx) = mpsc::channel(4);
        tokio::spawn(async move {
            let mut first = b"retry: 500\n\n".to_vec();
            if let Some(e) = &changes.borrow_and_update().error {
                first.extend(error_event(e));
            }
            let mut next = Bytes::from(first);
            loop {
                if tx.send(next).await.is_err() {
                    return; // the browser went away
                }
                next = match tokio::time::timeout(KEEP_ALIVE, changes.changed()).await {
                    Err(_) => Bytes::from_static(b": keep-alive\n\n"),
                    Ok(Err(_)) => return, // the server is shutting down
                    Ok(Ok(())) => Bytes::from(event(&changes.borrow_and_update())),
                };
            }
        });
        EventBody(rx)
    }
}

/// A comment is sent this often on an idle stream, so the server's idle
/// timeout never closes a browser that is only listening.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

fn event(state: &State) -> Vec<u8> {
    match (&state.error, state.css_only) {
        (Some(e), _) => error_event(e),
        (None, true) => b"event: css\ndata: {}\n\n".to_vec(),
        (None, false) => b"event: reload\ndata: {}\n\n".to_vec(),
    }
}

fn error_event(message: &str) -> Vec<u8> {
    let json = serde_json::to_string(message).expect("a string serialises");
    format!("event: error\ndata: {json}\n\n").into_bytes()
}

/// The response body of one event stream: each event is its own frame, so
/// hyper flushes it at once.
pub struct EventBody(mpsc::Receiver<Bytes>);

impl Body for EventBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|next| next.map(|bytes| Ok(Frame::data(bytes))))
    }
}

/// The script injected into served HTML (never into `build` output).
pub const CLIENT: &str = r#"<script>
(function () {
  var overlay;
  function show(msg) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.id = "rapport-error";
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;z-index:99999;background:#3b0d0c;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem;white-space:pre-wrap;border-top:4px solid #ff6b6b";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "rapport: the last change did not build; showing the last good version.\n\n" + msg;
  }
  var es = new EventSource("/__rapport/events");
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("error", function (e) { if (e.data) show(JSON.parse(e.data)); });
  es.addEventListener("css", function () {
    if (overlay) { overlay.remove(); overlay = null; }
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href); u.searchParams.set("v", Date.now()); l.href = u.toString();
    });
  });
})();
</script>"#;
