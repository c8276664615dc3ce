//! The search client's contract (DESIGN.md, README "Search"): what
//! `search(query, {limit, tags})` resolves to. `highlights` are `[start, end)`
//! offsets in JavaScript string units (UTF-16) into the `excerpt` returned,
//! `titleHighlights` the same into `title`; `section` is the heading the
//! excerpt is under and `url` carries its anchor; `limit` caps the results,
//! best first; `tags` keeps pages with every tag; a word too far from every
//! indexed word finds nothing; query words are stemmed. The built client
//! runs in Node (tests/search/query.mjs) over `tests/fixtures/search/contract`.

use crate::support::SiteTest;
use serde_json::{json, Value};
use std::process::Command;
use std::sync::OnceLock;

fn site() -> &'static SiteTest {
    static SITE: OnceLock<SiteTest> = OnceLock::new();
    SITE.get_or_init(|| {
        let t = SiteTest::from_fixture("search/contract");
        t.build().ok();
        t
    })
}

/// Results of each query: a plain query string, or `{"query", "limit", "tags"}`.
fn search(queries: &[Value]) -> Vec<Vec<Value>> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/query.mjs");
    let args: Vec<String> = queries.iter().map(|q| q.as_str().map_or_else(|| q.to_string(), str::to_string)).collect();
    let out = Command::new("node").arg(script).arg(site().path("public")).args(&args).output().expect("node runs");
    assert!(out.status.success(), "query.mjs failed: {}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Vec<Value>> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), queries.len());
    lines
}

fn one(query: Value) -> Vec<Value> {
    search(&[query]).remove(0)
}

fn titles(results: &[Value]) -> Vec<&str> {
    results.iter().map(|r| r["title"].as_str().unwrap()).collect()
}

/// The pieces of `text` that `[start, end)` pairs (UTF-16 offsets) point at,
/// after checking they are in order, apart and in bounds.
fn marked(text: &str, spans: &Value) -> Vec<String> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut last = 0;
    let spans = spans.as_array().unwrap_or_else(|| panic!("no highlight list: {spans}"));
    spans
        .iter()
        .map(|s| {
            let (start, end) = (s[0].as_u64().unwrap() as usize, s[1].as_u64().unwrap() as usize);
            assert!(last <= start && start < end && end <= units.len(), "bad span {s} in {text:?} ({spans:?})");
            last = end;
            String::from_utf16(&units[start..end]).expect("a span never splits a character")
        })
        .collect()
}

#[test]
fn highlights_point_at_the_matched_words_of_the_excerpt_and_title() {
    let r = one(json!("rupture repaired "));
    assert_eq!(titles(&r), ["Café meetings"]);
    assert_eq!(marked(r[0]["excerpt"].as_str().unwrap(), &r[0]["highlights"]), ["rupture", "repaired"]);
    // Accents before the match, and folded matches: offsets count UTF-16 units.
    let r = one(json!("zoe senor "));
    assert_eq!(marked(r[0]["excerpt"].as_str().unwrap(), &r[0]["highlights"]), ["señor", "Zoë"]);
    let r = one(json!("equipe cafe "));
    assert_eq!(r[0]["title"], "Café meetings");
    assert_eq!(marked(r[0]["excerpt"].as_str().unwrap(), &r[0]["highlights"]), ["Équipe", "café"]);
    assert_eq!(marked(r[0]["title"].as_str().unwrap(), &r[0]["titleHighlights"]), ["Café"]);
}

#[test]
fn section_is_the_heading_the_excerpt_is_under_and_the_url_points_at_it() {
    let r = search(&[json!("rupture "), json!("agenda "), json!("clinic ")]);
    assert_eq!((&r[0][0]["section"], &r[0][0]["url"]), (&json!("Closing"), &json!("/guides/cafe/#closing")));
    assert_eq!((&r[1][0]["section"], &r[1][0]["url"]), (&json!("Opening"), &json!("/guides/cafe/#opening")));
    // No heading: no section and no anchor.
    assert_eq!((&r[2][0]["section"], &r[2][0]["url"]), (&json!(""), &json!("/guides/morning/")));
    assert_eq!(r[0][0]["group"], "Guides", "group is the site section of the page");
    assert_eq!(r[0][0]["tags"], json!(["habits", "supervision"]));
}

#[test]
fn limit_caps_the_results_best_first() {
    let r =
        search(&[json!("ledger "), json!({"query": "ledger ", "limit": 2}), json!({"query": "ledger ", "limit": 0})]);
    assert_eq!(r[0].len(), 5, "every note says ledger: {:?}", titles(&r[0]));
    assert_eq!(titles(&r[1]), titles(&r[0])[..2], "the first two of the same ranking");
    assert!(r[2].is_empty());
}

#[test]
fn tag_filters_keep_pages_with_every_tag() {
    let r = search(&[
        json!({"query": "ledger ", "tags": ["supervision"]}),
        json!({"query": "ledger ", "tags": ["Supervision "]}),
        json!({"query": "ledger ", "tags": ["habits"]}),
        json!({"query": "rupture ", "tags": ["habits", "supervision"]}),
        json!({"query": "run ", "tags": ["habits", "supervision"]}),
        json!({"query": "ledger ", "tags": ["no-such-tag"]}),
    ]);
    let mut supervised = titles(&r[0]);
    supervised.sort();
    assert_eq!(supervised, ["Note 1", "Note 2"]);
    assert_eq!(titles(&r[1]).len(), 2, "tags are folded and trimmed like words");
    assert!(r[2].is_empty(), "no note is tagged habits: {:?}", titles(&r[2]));
    assert_eq!(titles(&r[3]), ["Café meetings"]);
    assert!(r[4].is_empty(), "Morning routine lacks supervision: {:?}", titles(&r[4]));
    assert!(r[5].is_empty(), "an unknown tag matches nothing");
}

#[test]
fn a_word_too_far_from_every_indexed_word_finds_nothing() {
    // Control: one typo away is found.
    assert_eq!(titles(&one(json!("ledgr "))).len(), 5);
    // A word that merely starts like an indexed stem ("rupt…") is not enough.
    let r = search(&[json!("lxdgzr "), json!("qwzxv "), json!("ruptqzxw ")]);
    assert!(r.iter().all(Vec::is_empty), "{r:?}");
}

#[test]
fn query_words_are_stemmed_running_finds_a_page_that_says_run() {
    let page = site().read("content/guides/morning.md");
    assert!(page.contains("run ") && !page.contains("running") && !page.contains("runs"), "{page}");
    let r = search(&[json!("running "), json!("runs "), json!("running")]);
    for (query, results) in ["running ", "runs ", "running"].iter().zip(&r) {
        assert_eq!(titles(results), ["Morning routine"], "{query:?}");
        assert_eq!(marked(results[0]["excerpt"].as_str().unwrap(), &results[0]["highlights"]), ["run"], "{query:?}");
    }
}
