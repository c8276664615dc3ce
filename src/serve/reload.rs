//! The live-reload channel: a version counter that rebuilds bump, and
//! server-sent event streams that wait on it. Messages carry no file paths.

use std::io::Read;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub version: u64,
    /// Set while the last rebuild failed: the overlay text (`file:line:col: message`).
    pub error: Option<String>,
    /// True when only stylesheets changed, so pages can swap CSS without reloading.
    pub css_only: bool,
}

#[derive(Default)]
pub struct Hub {
    state: Mutex<State>,
    changed: Condvar,
}

impl Hub {
    pub fn publish(&self, error: Option<String>, css_only: bool) {
        let mut s = self.state.lock().expect("reload state lock");
        s.version += 1;
        s.error = error;
        s.css_only = css_only;
        self.changed.notify_all();
    }

    pub fn current(&self) -> State {
        self.state.lock().expect("reload state lock").clone()
    }

    /// Waits up to `timeout` for a version newer than `seen`.
    fn wait_newer(&self, seen: u64, timeout: Duration) -> State {
        let guard = self.state.lock().expect("reload state lock");
        let (guard, _) =
            self.changed.wait_timeout_while(guard, timeout, |s| s.version <= seen).expect("reload state lock");
        guard.clone()
    }
}

/// An endless SSE body: one event per rebuild, a comment as keep-alive.
pub struct EventStream {
    hub: Arc<Hub>,
    seen: u64,
    pending: Vec<u8>,
}

impl EventStream {
    pub fn new(hub: Arc<Hub>) -> Self {
        let state = hub.current();
        let mut pending = b"retry: 500\n\n".to_vec();
        if let Some(e) = &state.error {
            pending.extend(error_event(e));
        }
        EventStream { seen: state.version, hub, pending }
    }
}

fn error_event(message: &str) -> Vec<u8> {
    let json = serde_json::to_string(message).expect("a string serialises");
    format!("event: error\ndata: {json}\n\n").into_bytes()
}

impl Read for EventStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            let state = self.hub.wait_newer(self.seen, Duration::from_secs(15));
            if state.version == self.seen {
                self.pending.extend(b": keep-alive\n\n");
                break;
            }
            self.seen = state.version;
            self.pending = match (&state.error, state.css_only) {
                (Some(e), _) => error_event(e),
                (None, true) => b"event: css\ndata: {}\n\n".to_vec(),
                (None, false) => b"event: reload\ndata: {}\n\n".to_vec(),
            };
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
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
