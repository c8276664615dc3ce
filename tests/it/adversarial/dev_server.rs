//! Dev server (RELIABILITY.md): path traversal in every spelling, a foreign
//! Host or Origin, editor save patterns and bursts, many clients while files
//! change, symlinks, error recovery and what the reload channel carries.

use crate::serve::{events_until, get, open_events, start, wait_for};
use crate::support::SiteTest;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Traversal in every spelling, aimed at files an attacker would want and
/// that exist: the site root's own files, a file beside the site, a stale
/// output folder, and symlinks from `static/` and `content/` to outside.
/// serve answers from its in-memory map, so none of them may come back.
#[test]
#[cfg(unix)]
fn traversal_foreign_host_and_foreign_origin_are_refused() {
    let t = SiteTest::from_fixture("basic/site");
    std::fs::write(t.outer().join("beside.txt"), "SECRET beside the site").unwrap();
    std::fs::write(t.outer().join("outside.md"), "# Outside\n\nSECRET markdown outside").unwrap();
    t.write("secret.txt", "SECRET in the site root");
    t.write("public/index.html", "SECRET stale output");
    t.write("public/old.html", "SECRET stale output");
    t.write("static/plain.txt", "served");
    let link = |target: &std::path::Path, at: &str| std::os::unix::fs::symlink(target, t.path(at)).unwrap();
    link(&t.outer().join("beside.txt"), "static/leak.txt");
    link(t.root(), "static/up");
    link(&t.outer().join("outside.md"), "content/guides/linked.md");
    link(&t.outer().join("beside.txt"), "content/notes/asset.txt");
    let s = start(&t);
    assert_eq!(get(s.port, "/plain.txt", "").1, "served", "the server serves real files");
    let targets = [
        "site.toml",
        "secret.txt",
        "beside.txt",
        "outside.md",
        "leak.txt",
        "up/site.toml",
        "up/secret.txt",
        "guides/linked/",
        "notes/asset.txt",
        "public/index.html",
        "public/old.html",
        "old.html",
        "content/_index.md",
    ];
    let spellings = [
        "/",
        "/../",
        "/%2e%2e/",
        "/..%2f",
        "/%252e%252e/",
        "/..\\",
        "/..%252f",
        "/%2e%2e%5c",
        "/guides/%2e%2e/%2e%2e/",
        "/../../",
    ];
    for target in targets {
        for prefix in spellings {
            let path = format!("{prefix}{target}");
            let (status, body) = get(s.port, &path, "");
            assert_eq!(status, 404, "{path}: {body}");
            assert!(!body.contains("SECRET") && !body.contains("base_url"), "{path} leaked a file: {body}");
        }
    }
    assert_eq!(get(s.port, "/a%00.html", "").0, 404);
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

#[test]
fn a_broken_save_shows_a_located_error_and_the_next_good_save_recovers() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let mut events = open_events(s.port);
    let mut seen = String::new();
    events_until(&mut events, &mut seen, "retry:");
    t.write("content/guides/second.md", "+++\ntitle = \"Broken\"\ntags = 5\n+++\nBroken body.\n");
    events_until(&mut events, &mut seen, "event: error");
    events_until(&mut events, &mut seen, "\n\n");
    assert!(seen.contains("content/guides/second.md:3:1"), "the overlay names file:line:col:\n{seen}");
    // The channel names site-relative files only, never where the site lives.
    let root = t.root().canonicalize().unwrap();
    assert!(!seen.contains(&*root.to_string_lossy()), "an absolute path went out on the channel:\n{seen}");
    let (status, body) = get(s.port, "/guides/second/", "");
    assert!(status == 200 && body.contains("Second body"), "the last good page stays served");
    t.write("content/guides/second.md", "+++\ntitle = \"Second\"\n+++\nRecovered body.\n");
    events_until(&mut events, &mut seen, "event: reload");
    wait_for(&s, "/guides/second/", |_, b| b.contains("Recovered body."));
}

#[test]
fn binds_loopback_and_sends_no_cors_headers() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    assert!(s.log().contains(&format!("at http://127.0.0.1:{}/", s.port)), "{}", s.log());
    for path in ["/", "/style.css", "/search/search.js", "/nope/"] {
        let text = crate::serve::get_raw(s.port, path, "Origin: http://evil.example\r\n");
        let head = text.split("\r\n\r\n").next().unwrap().to_lowercase();
        assert!(head.starts_with("http/1.1 "), "{path}: {head}");
        assert!(!head.contains("access-control-allow-origin"), "{path} sends CORS headers:\n{head}");
    }
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_never_served() {
    use std::os::unix::fs::symlink;
    let t = SiteTest::from_fixture("basic/site");
    std::fs::write(t.outer().join("secret.txt"), "TOP SECRET\n").unwrap();
    t.write("static/real.txt", "public text\n");
    symlink(t.outer().join("secret.txt"), t.path("static/leak.txt")).unwrap();
    symlink(t.outer(), t.path("static/up")).unwrap();
    symlink(t.path("static"), t.path("static/loop")).unwrap();
    let s = start(&t);
    assert_eq!(get(s.port, "/real.txt", "").0, 200);
    for path in ["/leak.txt", "/up/secret.txt", "/loop/real.txt", "/loop/loop/leak.txt"] {
        let (status, body) = get(s.port, path, "");
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("TOP SECRET"), "{path} leaked a file outside the site");
    }
    assert!(s.log().contains("static/leak.txt: skipped"), "serve warns at start too:\n{}", s.log());
    t.build().ok().stderr_has("static/leak.txt");
    t.assert_absent("public/leak.txt").assert_absent("public/up").assert_exists("public/real.txt");
}

#[test]
fn writes_into_the_output_folder_never_trigger_a_rebuild() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    let s = start(&t);
    for i in 0..20 {
        t.write(&format!("public/junk/{i}.html"), "x");
        t.write("public/index.html", format!("overwritten {i}"));
    }
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(rebuilds(&s.log()), 0, "a write into the output was taken for an edit:\n{}", s.log());
    // The same kind of write into the sources is seen, so the check above can fail.
    t.write("content/guides/second.md", "+++\ntitle = \"Second\"\n+++\nSeen body.\n");
    wait_for(&s, "/guides/second/", |_, b| b.contains("Seen body."));
    assert_eq!(rebuilds(&s.log()), 1, "{}", s.log());
}

/// How many edits the server rebuilt for, by their summary lines. The search
/// index's own update line, which follows an edit once edits pause, is not one.
fn rebuilds(log: &str) -> usize {
    log.lines().filter(|l| l.contains(" rewritten in ") && !l.starts_with("search index")).count()
}

#[test]
fn files_deleted_and_renamed_mid_rebuild_end_in_the_right_site() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    for round in 0..5 {
        for i in 0..40 {
            t.write(&format!("content/churn/p{i}.md"), format!("+++\ntitle = \"Churn {i}\"\n+++\nRound {round}.\n"));
        }
        for i in 0..40 {
            let from = t.path(&format!("content/churn/p{i}.md"));
            match i % 3 {
                0 => std::fs::remove_file(&from).unwrap(),
                1 => std::fs::rename(&from, t.path(&format!("content/churn/r{i}.md"))).unwrap(),
                _ => {}
            }
        }
        std::thread::sleep(Duration::from_millis(15));
        if round < 4 {
            std::fs::remove_dir_all(t.path("content/churn")).unwrap();
        }
    }
    wait_for(&s, "/churn/", |_, b| b.contains("Churn 2") && b.contains("Churn 1"));
    for i in 0..40 {
        let (page, renamed) = (format!("/churn/p{i}/"), format!("/churn/r{i}/"));
        let want = match i % 3 {
            0 => (404, 404),
            1 => (404, 200),
            _ => (200, 404),
        };
        wait_for(&s, &page, |st, _| st == want.0);
        wait_for(&s, &renamed, |st, _| st == want.1);
    }
    wait_for(&s, "/churn/p2/", |_, b| b.contains("Round 4."));
    assert!(!s.log().contains("panicked"), "{}", s.log());
}

#[test]
fn polling_picks_up_edits_creates_and_deletes() {
    let t = SiteTest::from_fixture("basic/site");
    let s = crate::serve::start_with(&t, &["--poll"]);
    t.write("content/guides/second.md", "+++\ntitle = \"Second\"\n+++\nPolled body.\n");
    wait_for(&s, "/guides/second/", |_, b| b.contains("Polled body."));
    t.write("content/guides/third.md", "+++\ntitle = \"Third\"\n+++\nNew.\n");
    wait_for(&s, "/guides/third/", |st, _| st == 200);
    t.remove("content/guides/third.md");
    wait_for(&s, "/guides/third/", |st, _| st == 404);
}

/// What serve does after the watcher lost events: files changed with no
/// event at all are picked up by the full rebuild a rescan batch asks for.
#[test]
fn a_rescan_after_lost_events_rebuilds_what_changed_unseen() {
    use rapport::build::BuildOptions;
    use rapport::incremental::LiveSite;
    use rapport::serve::watch::Batch;
    let t = SiteTest::from_fixture("basic/site");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    t.write("content/guides/second.md", "+++\ntitle = \"Second\"\n+++\nUnseen edit.\n");
    t.write("content/guides/third.md", "+++\ntitle = \"Third\"\n+++\nUnseen page.\n");
    t.remove("content/guides/first.md");
    let update = live.apply(&Batch { changes: vec![], rescan: true }).unwrap();
    assert_eq!(update.how, "full reload");
    let fresh = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    assert!(fresh.outputs == live.outputs, "the rescan left the served site different from a fresh build");
    let page = |p: &str| String::from_utf8_lossy(&live.outputs[std::path::Path::new(p)]).into_owned();
    assert!(page("guides/second/index.html").contains("Unseen edit."));
    assert!(page("guides/third/index.html").contains("Unseen page."));
    assert!(!live.outputs.contains_key(std::path::Path::new("guides/first/index.html")));
}

#[test]
fn a_site_that_does_not_build_at_start_shows_the_error_and_recovers() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/bad.md", "+++\ntitle = \"<b>x</b>\"\ntags = 5\n+++\n");
    let s = crate::serve::start_with_status(&t, &[], 503);
    let (status, body) = get(s.port, "/guides/first/", "");
    assert_eq!(status, 503);
    assert!(body.contains("content/bad.md:3:1") && body.contains("/__rapport/events"), "{body}");
    assert!(!body.contains("<b>x</b>"), "the error is escaped: {body}");
    let mut events = open_events(s.port);
    let mut seen = String::new();
    events_until(&mut events, &mut seen, "event: error");
    t.remove("content/bad.md");
    events_until(&mut events, &mut seen, "event: reload");
    wait_for(&s, "/guides/first/", |st, b| st == 200 && b.contains("First guide"));
}

#[test]
fn a_broken_site_toml_keeps_the_site_served_until_it_is_fixed() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let good = t.read("site.toml");
    let mut events = open_events(s.port);
    let mut seen = String::new();
    events_until(&mut events, &mut seen, "retry:");
    t.write("site.toml", format!("{good}\nextra = {{ a = \n"));
    events_until(&mut events, &mut seen, "site.toml:");
    let (status, body) = get(s.port, "/guides/first/", "");
    assert!(status == 200 && body.contains("First guide"), "the last good site stays served");
    t.write("site.toml", good.replace("Fixture site", "Renamed site"));
    events_until(&mut events, &mut seen, "event: reload");
    wait_for(&s, "/", |_, b| b.contains("Renamed site"));
}

/// A template that breaks only on pages nobody is viewing fails in the
/// background queue; the error still reaches the browser overlay.
#[test]
fn a_template_error_in_a_queued_page_reaches_the_overlay() {
    let t = SiteTest::from_fixture("basic/site");
    t.write(
        "content/guides/first.md",
        t.read("content/guides/first.md").replace("+++\n\n", "[extra]\nonly = \"here\"\n+++\n\n"),
    );
    t.write("templates/.keep", "");
    let s = start(&t);
    wait_for(&s, "/guides/first/", |st, _| st == 200);
    let mut events = open_events(s.port);
    let mut seen = String::new();
    events_until(&mut events, &mut seen, "retry:");
    t.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}ONLY {{ page.extra.only }}{% endblock content %}",
    );
    events_until(&mut events, &mut seen, "event: error");
    events_until(&mut events, &mut seen, "templates/page.html");
    wait_for(&s, "/guides/first/", |_, b| b.contains("ONLY here"));
}

/// DNS rebinding needs a host name: any name but localhost is refused, while
/// an IP address (a phone on the LAN, with `--bind 0.0.0.0`) is answered.
#[test]
fn host_names_are_refused_but_ip_addresses_are_answered() {
    let t = SiteTest::from_fixture("basic/site");
    let s = start(&t);
    let status = |host: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        write!(stream, "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut text = String::new();
        let _ = stream.read_to_string(&mut text);
        text.split(' ').nth(1).unwrap_or("").to_string()
    };
    for host in ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example:80", "[::1].evil"] {
        assert_eq!(status(host), "403", "{host}");
    }
    for host in ["192.168.1.20:8080", "10.0.0.5", "[::1]", "[fe80::1]:1111", "localhost:1111", "docs.localhost"] {
        assert_eq!(status(host), "200", "{host}");
    }
    // The reload channel takes a page from this server, under the name it used.
    let events = |host: String, origin: String| {
        let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        write!(stream, "GET /__rapport/events HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n\r\n").unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).unwrap();
        String::from_utf8_lossy(&head[9..12]).into_owned()
    };
    let lan = format!("192.168.1.20:{}", s.port);
    assert_eq!(events(lan.clone(), format!("http://{lan}")), "200");
    assert_eq!(events(format!("127.0.0.1:{}", s.port), format!("http://{lan}")), "403");
    assert_eq!(events(lan.clone(), format!("http://192.168.1.20:{}", s.port.wrapping_add(1))), "403");
    assert_eq!(events(lan, format!("http://evil.example:{}", s.port)), "403");
}
