//! Dev server (RELIABILITY.md): path traversal in every spelling, a foreign
//! Host or Origin, editor save patterns and bursts, many clients while files
//! change, symlinks, error recovery and what the reload channel carries.

use crate::serve::{get, start, wait_for};
use crate::support::SiteTest;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

#[test]
fn traversal_foreign_host_and_foreign_origin_are_refused() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/..%2fsite.toml",
        "/%252e%252e/site.toml",
        "/..\\site.toml",
        "/a%00.html",
        "/content/_index.md",
    ] {
        let (status, body) = get(s.port, path, "");
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("base_url"), "{path} leaked a file");
    }
    let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n").unwrap();
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    assert!(text.starts_with("HTTP/1.1 403"), "{text}");
    let (status, _) = get(s.port, "/__rapport/events", "Origin: http://evil.example\r\n");
    assert_eq!(status, 403);
}

#[test]
fn editor_save_patterns_and_bursts_coalesce_correctly() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let page = t.root().join("content/guides/second.md");
    let original = std::fs::read_to_string(&page).unwrap();
    // vim: probe file 4913, swap file, backup by rename, write new, drop backup.
    t.write("content/guides/4913", "");
    t.remove("content/guides/4913");
    t.write("content/guides/.second.md.swp", "swap");
    std::fs::rename(&page, t.root().join("content/guides/second.md~")).unwrap();
    std::fs::write(&page, original.replace("Second body", "Vim body")).unwrap();
    t.remove("content/guides/second.md~");
    t.remove("content/guides/.second.md.swp");
    wait_for(&s, "/guides/second/", |_, b| b.contains("Vim body"));
    // Write-to-temp then rename over (many editors and `sed -i`).
    t.write("content/guides/.tmp-second", original.replace("Second body", "Renamed body"));
    std::fs::rename(t.root().join("content/guides/.tmp-second"), &page).unwrap();
    wait_for(&s, "/guides/second/", |_, b| b.contains("Renamed body"));
    // A burst like `git checkout`: many files at once, one correct result.
    for i in 0..150 {
        t.write(&format!("content/burst/p{i}.md"), format!("+++\ntitle = \"Burst {i}\"\n+++\nBody {i}.\n"));
    }
    wait_for(&s, "/burst/p149/", |st, b| st == 200 && b.contains("Body 149."));
    wait_for(&s, "/burst/", |_, b| b.contains("Burst 0") && b.contains("Burst 149"));
}

#[test]
fn many_concurrent_clients_while_files_change() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let port = s.port;
    let clients: Vec<_> = (0..200)
        .map(|i| {
            std::thread::spawn(move || {
                let path = ["/", "/guides/first/", "/style.css", "/nope/"][i % 4];
                get(port, path, "").0
            })
        })
        .collect();
    for i in 0..5 {
        t.write("content/guides/second.md", format!("+++\ntitle = \"Second\"\n+++\nChurn {i}.\n"));
        std::thread::sleep(Duration::from_millis(20));
    }
    for (i, c) in clients.into_iter().enumerate() {
        let status = c.join().unwrap();
        let expected = if i % 4 == 3 { 404 } else { 200 };
        assert_eq!(status, expected, "client {i}");
    }
    wait_for(&s, "/guides/second/", |_, b| b.contains("Churn 4."));
}
