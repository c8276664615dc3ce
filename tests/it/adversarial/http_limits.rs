//! The dev server under hostile clients (issue 12, item 1): a request that
//! announces a huge body, slowloris, hundreds of idle connections, oversized
//! and too many headers, malformed request lines. After each, and while the
//! attackers still hold their sockets, a normal request must be answered.
//! The socket timeouts here are watchdogs, not timing goals
//! (`benches/serve_attack.py` measures the latency).

use crate::serve::{get, start, Server};
use crate::support::SiteTest;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("the server accepts connections");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream
}

/// Sends `raw` and returns the status line of the answer ("" if the server closed without one).
fn exchange(port: u16, raw: &[u8]) -> String {
    let mut stream = connect(port);
    // The server may answer and close before reading everything: a broken pipe is fine.
    let _ = stream.write_all(raw);
    let mut buf = Vec::new();
    let _ = stream.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).lines().next().unwrap_or_default().to_string()
}

fn assert_answers(s: &Server, after: &str) {
    let (status, body) = get(s.port, "/", "");
    assert_eq!(status, 200, "no normal answer after {after}");
    assert!(body.contains("</html>"), "a truncated page after {after}");
}

#[test]
fn a_huge_content_length_is_refused_or_ignored_and_the_server_lives() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    for host in ["localhost", "evil.example"] {
        let raw = format!("GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 99999999999\r\n\r\n");
        let mut stream = connect(s.port);
        stream.write_all(raw.as_bytes()).unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).expect("an answer to a request announcing a huge body");
        let expected = if host == "localhost" { "HTTP/1.1 200" } else { "HTTP/1.1 403" };
        assert_eq!(String::from_utf8_lossy(&head), expected);
        assert_answers(&s, "a request announcing 99,999,999,999 body bytes");
    }
    // A body that is actually sent is never read or buffered.
    let mut post = b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4000000\r\n\r\n".to_vec();
    post.extend(std::iter::repeat_n(b'x', 4_000_000));
    assert_eq!(exchange(s.port, &post), "HTTP/1.1 405 Method Not Allowed");
    assert_answers(&s, "a 4 MB POST body");
}

#[test]
fn oversized_headers_and_malformed_request_lines_get_4xx_and_the_server_lives() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let huge_header = format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n", "a".repeat(200_000));
    let many_headers = format!("GET / HTTP/1.1\r\nHost: localhost\r\n{}\r\n", "X-Many: a\r\n".repeat(500));
    let long_path = format!("GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n", "a".repeat(100_000));
    for (what, raw, status) in [
        ("a 200 kB header", huge_header.as_str(), "431"),
        ("500 headers", many_headers.as_str(), "431"),
        ("a 100 kB path", long_path.as_str(), "431"),
    ] {
        let line = exchange(s.port, raw.as_bytes());
        assert!(line.starts_with(&format!("HTTP/1.1 {status}")), "{what}: {line:?}");
        assert_answers(&s, what);
    }
    for raw in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: localhost\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost localhost\r\n\r\n",
        b"\x00\xff\xfe binary\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
    ] {
        let line = exchange(s.port, raw);
        assert!(line.is_empty() || line.starts_with("HTTP/1.1 4"), "{:?}: {line:?}", String::from_utf8_lossy(raw));
        assert_answers(&s, &format!("{:?}", String::from_utf8_lossy(raw)));
    }
}

#[test]
fn slowloris_clients_are_cut_off_and_never_starve_a_normal_request() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    // Each sends half a request line and then nothing more.
    let mut slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut c = connect(s.port);
            c.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
            c
        })
        .collect();
    assert_answers(&s, "200 slowloris connections");
    // The server closes them once the header timeout passes (10 s).
    let started = Instant::now();
    for c in &mut slow {
        let mut buf = [0u8; 64];
        match c.read(&mut buf) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
            Err(e) => panic!("a slowloris connection was still open after {:?}: {e}", started.elapsed()),
        }
    }
    assert_answers(&s, "the slowloris connections were cut off");
}

#[test]
fn five_hundred_idle_clients_never_starve_a_normal_request() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let idle: Vec<TcpStream> = (0..500).map(|_| connect(s.port)).collect();
    // And a client that asks for pages and never reads the answers.
    let mut greedy = connect(s.port);
    for _ in 0..200 {
        let _ = greedy.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }
    assert_answers(&s, "500 idle connections and a client that does not read");
    let events = crate::serve::get_raw(s.port, "/__rapport/nothing-here", "");
    assert!(events.starts_with("HTTP/1.1 404"), "{events}");
    drop(idle);
    assert_answers(&s, "500 connections closing at once");
}
