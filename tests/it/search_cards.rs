//! Result cards (src/search/cards.rs) answer one-word queries exactly as the
//! postings and fragments would: the same results, sections, excerpts and
//! scores, on the bundled site and on a vault written elsewhere. The built
//! client runs in Node (tests/search/cards.mjs) with the cards and as if
//! they were absent.

use crate::support::SiteTest;
use serde_json::Value;
use std::process::Command;

/// The repository's own site, built.
fn bundled() -> SiteTest {
    let t = SiteTest::bundled();
    t.build().ok();
    t
}

/// Every `every`-th one-word query with a card, both ways, `limit` results each.
fn compare(t: &SiteTest, limit: usize, every: usize) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/cards.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(t.path("public"))
        .args([limit.to_string(), every.to_string()])
        .output()
        .expect("node runs");
    assert!(out.status.success(), "cards.mjs failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_same(report: &Value, min_carded: u64, what: &str) {
    let differ = report["differ"].as_array().unwrap();
    assert!(
        differ.is_empty(),
        "{what}: {} of {} queries differ, first: {:#}",
        differ.len(),
        report["queries"],
        differ[0]
    );
    assert!(report["carded"].as_u64() >= Some(min_carded), "{what}: cards answered too few queries: {report}");
}

#[test]
fn cards_answer_one_word_queries_as_the_fragments_would_on_the_bundled_site() {
    let t = bundled();
    assert!(t.files_under("public/search/c").len() > 100, "common stems have cards");
    assert_same(&compare(&t, 10, 4), 200, "bundled site, 10 results");
    // A box showing three results still ranks the first five candidates, as without cards.
    assert_same(&compare(&t, 3, 9), 100, "bundled site, 3 results");
}

#[test]
fn cards_answer_one_word_queries_as_the_fragments_would_on_an_obsidian_vault() {
    let t =
        SiteTest::from_corpus("obsidian-tasks-docs/docs", "title = \"Tasks\"\nbase_url = \"https://example.org/\"\n");
    t.build().ok();
    assert_same(&compare(&t, 8, 4), 200, "obsidian-tasks-docs, 8 results");
}
