//! Snapshots of the formats others depend on, for one tiny site
//! (`tests/fixtures/snapshots/site`): one page per template, and every file of
//! the search index. A change to any of them fails here until it is accepted
//! on purpose:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test --test it snapshots   # rewrite tests/snapshots/*.snap
//! git diff tests/snapshots                              # and review what changed
//! ```
//!
//! insta (rather than hand-rolled golden files) shows a line diff on failure,
//! writes `.snap.new` files beside the old ones for review (`cargo insta
//! review`, if cargo-insta is installed), and never rewrites a snapshot in CI.
//! Pages are cut to their `<main>` (the part each template owns), plus the
//! frame `base.html` wraps around every page, once. The site has fixed dates
//! and no build time, so the bytes are the same on every run.

use crate::support::SiteTest;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

fn site() -> &'static SiteTest {
    static SITE: OnceLock<SiteTest> = OnceLock::new();
    SITE.get_or_init(|| {
        let t = SiteTest::from_fixture("snapshots/site");
        t.build().ok();
        t
    })
}

/// Compares `value` with `tests/snapshots/<name>.snap`.
fn check(name: &str, value: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, value));
}

/// The `<main>…</main>` element of a built page.
fn main_of(rel: &str) -> String {
    let html = site().read(&format!("public/{rel}"));
    let start = html.find("<main").unwrap_or_else(|| panic!("{rel} has no <main>"));
    let end = html[start..].find("</main>").map(|e| start + e + "</main>".len()).expect("<main> is closed");
    html[start..end].to_string()
}

#[test]
fn snapshots_page_templates() {
    for (name, rel) in [
        ("page", "guides/repair/index.html"),
        ("section", "guides/index.html"),
        ("home", "index.html"),
        ("taxonomy_list", "tags/index.html"),
        ("taxonomy_term", "tags/alliance/index.html"),
        ("404", "404.html"),
        ("search_page", "search/index.html"),
    ] {
        check(&format!("template_{name}"), &main_of(rel));
    }
}

/// What `base.html` puts around every page: the page with its `<main>` left out.
#[test]
fn snapshots_the_frame_around_every_page() {
    let html = site().read("public/guides/repair/index.html");
    let main = main_of("guides/repair/index.html");
    check("template_base_frame", &html.replacen(&main, "<main>…</main>", 1));
}

/// Every file under `public/search/` but the client's code and the results
/// page: gzip-compressed files unpacked, JSON on one line, fragments as text,
/// binary postings hex-dumped.
#[test]
fn snapshots_the_search_index_format() {
    let dir = site().path("public/search");
    let mut files: Vec<String> = site().files_under("public/search");
    files.retain(|f| f != "search.js" && f != "index.html");
    files.sort();
    let mut out = String::new();
    for rel in &files {
        let bytes = std::fs::read(dir.join(rel)).unwrap();
        out.push_str(&format!("== {rel} ({} bytes)\n{}\n", bytes.len(), readable(&dir.join(rel), &bytes)));
    }
    assert!(files.iter().any(|f| f == "index.json") && files.len() > 5, "{files:?}");
    check("search_index", &out);
}

fn readable(path: &Path, bytes: &[u8]) -> String {
    let mut plain = Vec::new();
    let bytes = match flate2::read::GzDecoder::new(bytes).read_to_end(&mut plain) {
        Ok(_) => plain.as_slice(),
        Err(_) => bytes,
    };
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(bytes) {
        return serde_json::to_string(&json).unwrap();
    }
    if path.extension().is_some_and(|e| e == "frag") {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return text.to_string();
        }
    }
    bytes
        .chunks(16)
        .enumerate()
        .map(|(i, row)| {
            let hex: Vec<String> = row.iter().map(|b| format!("{b:02x}")).collect();
            let text: String = row.iter().map(|&b| if b.is_ascii_graphic() { b as char } else { '.' }).collect();
            format!("{:04x}  {:47}  {text}", i * 16, hex.join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
