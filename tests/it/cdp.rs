//! Headless Chromium driven over the DevTools protocol (a websocket speaking
//! JSON), for tests that type into real pages. Debian's `chromium` package is
//! required: without it these tests fail and say how to install it.

use serde_json::{json, Value};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

pub struct Browser {
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

/// One tab, attached over the browser's socket with its own session id.
pub struct Page<'b> {
    browser: &'b mut Browser,
    session: String,
}

fn chromium() -> PathBuf {
    let candidates = [std::env::var("CHROMIUM").unwrap_or_default(), "/usr/bin/chromium".into()];
    let found = candidates.iter().filter(|c| !c.is_empty()).map(PathBuf::from).find(|p| p.is_file());
    found.unwrap_or_else(|| {
        panic!("headless Chromium is needed for the browser tests and was not found: apt-get install -y chromium")
    })
}

impl Browser {
    pub fn launch() -> Browser {
        let profile = tempfile::tempdir().expect("temp dir");
        let mut cmd = Command::new(chromium());
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start chromium ({e}): apt-get install -y chromium"));
        let endpoint = wait_for_endpoint(&profile.path().join("DevToolsActivePort"));
        let (ws, _) = tungstenite::connect(&endpoint).expect("connect to chromium's DevTools socket");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        }
        Browser { child, ws, next_id: 0, _profile: profile }
    }

    /// Sends one command and waits for its answer (events in between are dropped).
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).expect("send to chromium");
        loop {
            let reply = self.ws.read().unwrap_or_else(|e| panic!("no answer from chromium to {method}: {e}"));
            let Message::Text(text) = reply else { continue };
            let v: Value = serde_json::from_str(&text).expect("DevTools sends JSON");
            if v["id"] == json!(id) {
                assert!(v.get("error").is_none(), "{method} failed: {}", v["error"]);
                return v["result"].clone();
            }
        }
    }

    pub fn open(&mut self, url: &str) -> Page<'_> {
        let target = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let attached =
            self.call(None, "Target.attachToTarget", json!({ "targetId": target["targetId"], "flatten": true }));
        let session = attached["sessionId"].as_str().expect("session id").to_string();
        let mut page = Page { browser: self, session };
        page.goto(url);
        page
    }
}

fn wait_for_endpoint(file: &std::path::Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(file) {
            let mut lines = text.lines();
            if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                return format!("ws://127.0.0.1:{port}{path}");
            }
        }
        assert!(start.elapsed() < Duration::from_secs(30), "chromium did not open its DevTools port");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.ws.send(Message::text(json!({ "id": 0, "method": "Browser.close" }).to_string()));
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Chromium's helpers share its process group (set at spawn): end them all.
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.child.id())]).status();
        let _ = self.child.wait();
    }
}

impl Page<'_> {
    fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.browser.call(Some(&session), method, params)
    }

    /// Navigates and waits until the new document has loaded.
    pub fn goto(&mut self, url: &str) {
        self.expect_navigation();
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_navigation();
    }

    /// Runs `source` at the start of every document this tab loads from now on.
    pub fn on_new_document(&mut self, source: &str) {
        self.call("Page.enable", json!({}));
        self.call("Page.addScriptToEvaluateOnNewDocument", json!({ "source": source }));
    }

    /// Marks the current document, so [`Page::wait_navigation`] can tell it from the next.
    pub fn expect_navigation(&mut self) {
        self.eval("window.__rapportOldDocument = true");
    }

    pub fn wait_navigation(&mut self) {
        self.wait_for("!window.__rapportOldDocument && document.readyState === 'complete'", "the next page to load");
    }

    /// Evaluates an expression (awaiting promises) and returns its JSON value.
    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expr, "awaitPromise": true, "returnByValue": true, "userGesture": true }),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expr} threw: {}", r["exceptionDetails"]);
        r["result"]["value"].clone()
    }

    /// Polls `expr` until it is truthy and returns its value (30 s is a
    /// watchdog for loaded machines, not a timing goal).
    pub fn wait_for(&mut self, expr: &str, what: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.eval(expr);
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {what} ({expr})");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Presses a named key (`/`, `ArrowDown`, `Enter`, `Escape`).
    pub fn press(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "/" => ("Slash", 191, "/"),
            "ArrowDown" => ("ArrowDown", 40, ""),
            "ArrowUp" => ("ArrowUp", 38, ""),
            "Enter" => ("Enter", 13, "\r"),
            "Escape" => ("Escape", 27, ""),
            other => panic!("no key code for {other}"),
        };
        let mut down = json!({ "type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk });
        if !text.is_empty() {
            down["text"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", down);
        self.call(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk }),
        );
    }

    /// Types text character by character, as a keyboard would.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let s = c.to_string();
            self.call("Input.dispatchKeyEvent", json!({ "type": "keyDown", "key": s, "text": s }));
            self.call("Input.dispatchKeyEvent", json!({ "type": "keyUp", "key": s }));
        }
    }
}
