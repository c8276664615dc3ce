//! `rapport serve`, scripted: start on a free port, change files, assert over HTTP.

use crate::support::SiteTest;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) struct Server {
    child: Child,
    pub port: u16,
    log: PathBuf,
}

impl Server {
    /// What the server has printed to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub(crate) fn start(t: &SiteTest) -> Server {
    start_with(t, &[])
}

/// Starts `rapport serve` with `extra` arguments; stderr goes to a log file.
pub(crate) fn start_with(t: &SiteTest, extra: &[&str]) -> Server {
    start_with_status(t, extra, 200)
}

/// Starts `rapport serve` and waits until `/` answers with `status`.
pub(crate) fn start_with_status(t: &SiteTest, extra: &[&str], status: u16) -> Server {
    start_in_env(t, extra, status, &[])
}

/// [`start_with_status`] with extra environment variables.
pub(crate) fn start_in_env(t: &SiteTest, extra: &[&str], status: u16, env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let log = t.outer().join(format!("serve-{port}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["--root", &t.root().to_string_lossy(), "serve", "--port", &port.to_string()])
        .args(extra)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let server = Server { child, port, log };
    wait_for(&server, "/", |got, _| got == status);
    server
}

/// Raw HTTP/1.1 GET with optional extra headers: (status, body).
pub(crate) fn get(port: u16, path: &str, headers: &str) -> (u16, String) {
    let text = get_raw(port, path, headers);
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// Raw HTTP/1.1 GET: the whole response, status line and headers included.
pub(crate) fn get_raw(port: u16, path: &str, headers: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return String::new() };
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Connection: close\r\n\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Polls until `ok` holds (the server rebuilds asynchronously); a 30 s watchdog, not a timing goal.
pub(crate) fn wait_for(server: &Server, path: &str, ok: impl Fn(u16, &str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (status, body) = get(server.port, path, "");
        if ok(status, &body) {
            return body;
        }
        let log = server.log();
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting on {path}: last status {status}\nserver log:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn serves_pages_with_reload_script_and_404_page() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let body = wait_for(&s, "/guides/first/", |st, _| st == 200);
    assert!(body.contains("First guide") && body.contains("/__rapport/events"));
    let (status, css) = get(s.port, "/style.css", "");
    assert_eq!(status, 200);
    assert!(!css.contains("__rapport"), "only HTML gets the script");
    let (status, body) = get(s.port, "/nope/", "");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
    assert_eq!(get(s.port, "/guides/first", "").0, 301);
    assert!(!t.exists("public"), "serve builds in memory");
}

#[test]
fn edits_creates_deletes_and_broken_front_matter() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    t.write("content/guides/second.md", t.read("content/guides/second.md").replace("Second body", "Edited body"));
    wait_for(&s, "/guides/second/", |_, b| b.contains("Edited body"));
    t.write("content/guides/third.md", "+++\ntitle = \"Third\"\n+++\nNew page.\n");
    wait_for(&s, "/guides/third/", |st, b| st == 200 && b.contains("New page."));
    wait_for(&s, "/guides/", |_, b| b.contains("Third"));
    t.remove("content/guides/third.md");
    wait_for(&s, "/guides/third/", |st, _| st == 404);
    // Broken front matter: the last good site stays served; fixing it recovers.
    // The error event proves serve saw the save before the page is read.
    let mut events = open_events(s.port);
    let mut seen = String::new();
    events_until(&mut events, &mut seen, "retry:");
    t.write("content/guides/second.md", "+++\ntitle = 42\n+++\nBroken.\n");
    events_until(&mut events, &mut seen, "event: error");
    events_until(&mut events, &mut seen, "\n\n");
    assert!(seen.contains("content/guides/second.md:2:1"), "{seen}");
    let (status, body) = get(s.port, "/guides/second/", "");
    assert_eq!(status, 200);
    assert!(body.contains("Edited body"), "last good version stays served");
    t.write("content/guides/second.md", "+++\ntitle = \"Fixed\"\n+++\nFixed body.\n");
    wait_for(&s, "/guides/second/", |_, b| b.contains("Fixed body."));
}

#[test]
fn template_and_static_edits_are_served() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("static/extra.css", "body { color: red }");
    let s = start(&t);
    wait_for(&s, "/guides/first/", |st, _| st == 200);
    // templates/ does not exist yet: it is watched once created.
    std::fs::create_dir(t.root().join("templates")).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    t.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}OVERRIDDEN {{ page.title }}{% endblock content %}",
    );
    wait_for(&s, "/guides/first/", |_, b| b.contains("OVERRIDDEN First guide"));
    wait_for(&s, "/guides/second/", |_, b| b.contains("OVERRIDDEN Second guide"));
    t.write("static/extra.css", "body { color: blue }");
    wait_for(&s, "/extra.css", |_, b| b.contains("blue"));
    t.remove("templates/page.html");
    wait_for(&s, "/guides/first/", |_, b| !b.contains("OVERRIDDEN") && b.contains("First guide"));
}

/// The search index is rebuilt on its own thread once edits pause; edits
/// made meanwhile are served at once, and the index catches up.
#[test]
fn search_index_catches_up_without_holding_up_edits() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let docs = |s: &Server| -> u64 {
        let (_, body) = get(s.port, "/search/index.json", "");
        serde_json::from_str::<serde_json::Value>(&body).map_or(0, |v| v["docs"].as_u64().unwrap_or(0))
    };
    let before = docs(&s);
    assert!(before > 0);
    t.write("content/guides/third.md", "+++\ntitle = \"Third\"\n+++\nNew page.\n");
    wait_for(&s, "/guides/third/", |st, _| st == 200);
    wait_for(&s, "/search/index.json", |_, b| b.contains(&format!("\"docs\":{}", before + 1)));
    t.write("content/guides/fourth.md", "+++\ntitle = \"Fourth\"\n+++\nAnother.\n");
    wait_for(&s, "/guides/fourth/", |st, _| st == 200);
    wait_for(&s, "/search/index.json", |_, b| b.contains(&format!("\"docs\":{}", before + 2)));
    assert!(s.log().contains("search index"), "{}", s.log());
}

/// A word saved into a page is soon searchable, and the index files served
/// after incremental updates are byte for byte those a full build writes.
#[test]
fn a_saved_word_is_indexed_incrementally_as_a_full_build_indexes_it() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let edited = t.read("content/guides/second.md").replace("Second body", "Second body quillwortian");
    t.write("content/guides/second.md", edited);
    wait_for(&s, "/guides/second/", |_, b| b.contains("quillwortian"));
    t.write("content/guides/fifth.md", "+++\ntitle = \"Fifth\"\n+++\nA zebrafinch page.\n");
    wait_for(&s, "/guides/fifth/", |st, _| st == 200);
    t.write("content/guides/sixth.md", "+++\ntitle = \"Sixth\"\n+++\nA short-lived page.\n");
    wait_for(&s, "/guides/sixth/", |st, _| st == 200);
    t.remove("content/guides/sixth.md");
    wait_for(&s, "/guides/sixth/", |st, _| st == 404);
    let full = t.outer().join("full");
    t.run(&["build", "--output", &full.to_string_lossy()]).ok();
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(full.join("search")).into_iter().filter_map(|e| e.ok()) {
        // The search page is HTML, which serve gives its live-reload script.
        if entry.file_type().is_file() && entry.path().extension().is_none_or(|e| e != "html") {
            let rel = entry.path().strip_prefix(&full).unwrap().to_string_lossy().replace('\\', "/");
            files.push((rel, String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned()));
        }
    }
    assert!(files.len() > 3, "{files:?}");
    for (rel, bytes) in &files {
        wait_for(&s, &format!("/{rel}"), |st, b| st == 200 && b == bytes);
    }
    assert!(s.log().contains("search index updated"), "{}", s.log());
}

/// At the system's inotify watch limit serve says so and polls: an edit is
/// still served. Only the poller can see it: the native watcher watches nothing.
#[test]
fn at_the_watch_limit_serve_polls_and_still_serves_edits() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start_in_env(&t, &[], 200, &[("RAPPORT_TEST_INOTIFY_LIMIT", "1")]);
    let start = Instant::now();
    while !s.log().contains("file watch limit is reached (fs.inotify.max_user_watches); polling") {
        assert!(start.elapsed() < Duration::from_secs(30), "no warning about the limit:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(25));
    }
    t.write("content/guides/second.md", t.read("content/guides/second.md").replace("Second body", "Polled body"));
    wait_for(&s, "/guides/second/", |_, b| b.contains("Polled body"));
    t.write("content/guides/third.md", "+++\ntitle = \"Third\"\n+++\nNew page.\n");
    wait_for(&s, "/guides/third/", |st, b| st == 200 && b.contains("New page."));
}

/// Reads the live-reload stream until `needle` has arrived; returns all read so far.
pub(crate) fn events_until(stream: &mut TcpStream, seen: &mut String, needle: &str) {
    let start = std::time::Instant::now();
    let mut buf = [0u8; 4096];
    while !seen.contains(needle) {
        assert!(start.elapsed() < Duration::from_secs(30), "no {needle:?} on the reload channel:\n{seen}");
        if let Ok(n) = stream.read(&mut buf) {
            assert!(n > 0, "the reload channel closed:\n{seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
}

/// Opens the live-reload stream as a page of this server would.
pub(crate) fn open_events(port: u16) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let req =
        format!("GET /__rapport/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s
}
