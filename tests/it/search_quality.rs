//! What search finds for the queries readers type: compound and split words,
//! stop words, typos, synonyms, ranking, include fragments and redirects,
//! the section a result belongs to, and Chinese and Japanese text. The
//! built client runs in Node (tests/search/query.mjs) over the built index;
//! the fixture (tests/fixtures/search/quality) has one page per case.

use crate::cdp::Browser;
use crate::serve::start;
use crate::support::SiteTest;
use serde_json::Value;
use std::process::Command;
use std::sync::OnceLock;

/// The fixture, built once for every test here.
fn site() -> &'static SiteTest {
    static SITE: OnceLock<SiteTest> = OnceLock::new();
    SITE.get_or_init(|| {
        let t = SiteTest::from_fixture("search/quality");
        t.build().ok();
        t
    })
}

/// Results of each query, as the client's `search()` returns them.
fn search(queries: &[&str]) -> Vec<Vec<Value>> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/query.mjs");
    let out = Command::new("node").arg(script).arg(site().path("public")).args(queries).output().expect("node runs");
    assert!(out.status.success(), "query.mjs failed: {}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Vec<Value>> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), queries.len());
    lines
}

fn titles(results: &[Value]) -> Vec<&str> {
    results.iter().map(|r| r["title"].as_str().unwrap()).collect()
}

/// The first title for each query.
fn firsts(queries: &[&str]) -> Vec<String> {
    search(queries).iter().map(|r| titles(r).first().map_or("(none)".into(), |t| t.to_string())).collect()
}

#[test]
fn compound_and_split_words_find_each_other() {
    let got = firsts(&["autosave", "auto save ", "site map ", "getPage", "get page ", "extra author "]);
    assert_eq!(
        got,
        [
            "Auto-Save and backups",
            "Auto-Save and backups",
            "Sitemap",
            "Template functions",
            "Template functions",
            "Template functions"
        ]
    );
    let map = search(&["site map "]).remove(0);
    assert!(titles(&map).contains(&"Services near the clinic"), "the two words apart still count: {map:?}");
}

#[test]
fn stop_words_can_be_the_whole_query_or_a_heading() {
    let r = search(&["with ", "and or not "]);
    assert_eq!(r[0][0]["title"], "Template functions", "{:?}", r[0]);
    assert_eq!(r[0][0]["section"], "with", "the heading named `with` is the section shown");
    assert_eq!(r[1][0]["section"], "Boolean operators", "{:?}", r[1]);
}

#[test]
fn typos_within_one_edit_from_four_letters_and_two_from_eight() {
    let got = firsts(&["sytax", "breadcumbs", "acomodation", "trasnference", "accesibility"]);
    assert_eq!(got, ["Syntax highlighting", "Breadcrumbs", "Accommodation requests", "Transference", "Accessibility"]);
    // Too many edits for the length: two from a four-letter word, one from a three-letter one.
    let none = search(&["sntx ", "brx "]);
    assert!(none.iter().all(Vec::is_empty), "{none:?}");
}

#[test]
fn declared_synonyms_find_each_other_both_ways() {
    let r = search(&["a11y", "wai ", "working alliance inventory "]);
    assert_eq!(titles(&r[0]), ["Accessibility"]);
    let mut wai = titles(&r[1]);
    wai.sort();
    assert_eq!(wai, ["Measuring the alliance", "Supervision log"], "the abbreviation finds the spelled-out phrase");
    assert!(titles(&r[2]).contains(&"Supervision log"), "the phrase finds the abbreviation: {:?}", r[2]);
}

#[test]
fn a_synonym_group_of_one_is_an_error_at_its_line() {
    let t = SiteTest::from_fixture("search/quality");
    let toml = t.read("site.toml").replace(r#"["WAI", "working alliance inventory"]"#, r#"["WAI"]"#);
    t.write("site.toml", toml);
    t.build().fails(1).stderr_has("site.toml:7:41").stderr_has("two or more");
}

#[test]
fn a_page_named_by_the_query_outranks_pages_that_contain_it() {
    let r = search(&["transference ", "transference reaction ", "therapeutic frame ", "rupture repair "]);
    assert_eq!(titles(&r[0])[..2], ["Transference", "Transference in CBT and humanistic work"], "title");
    assert_eq!(titles(&r[1])[0], "Transference", "alias");
    assert_eq!(titles(&r[2])[..2], ["Frame", "Keeping time"], "alias over repeated body text");
    assert_eq!(
        titles(&r[3])[..2],
        ["When sessions go wrong", "Alliance over time"],
        "heading in order over scattered words"
    );
    assert_eq!(r[3][0]["url"], "/guides/ruptures/#rupture-and-repair-sequence");
}

#[test]
fn include_fragments_and_redirects_never_rank() {
    let r = search(&["zanzibarite", "quokka"]);
    assert_eq!(titles(&r[0]), ["Ethics basics"], "the page that embeds the fragment, not the fragment");
    assert_eq!(r[1], Vec::<Value>::new(), "a redirecting section is not indexed");
}

#[test]
fn results_name_their_site_section() {
    let r = search(&["transference "]);
    let groups: Vec<&str> = r[0].iter().map(|x| x["group"].as_str().unwrap()).collect();
    assert_eq!(groups, ["Glossary", "Guides"]);
}

#[test]
fn chinese_and_japanese_pages_are_found_by_two_characters_from_inside() {
    let r = search(&["移情", "治疗", "逆転", "関係", "情移", "移"]);
    for (q, results) in ["移情", "治疗"].iter().zip(&r) {
        assert_eq!(titles(results), ["心理治疗中的移情"], "{q}");
    }
    for (q, results) in ["逆転", "関係"].iter().zip(&r[2..]) {
        assert_eq!(titles(results), ["転移と逆転移"], "{q}");
    }
    assert!(r[4].is_empty(), "characters that are not next to each other find nothing: {:?}", r[4]);
    let mut one = titles(&r[5]);
    one.sort();
    assert_eq!(
        one,
        ["心理治疗中的移情", "転移と逆転移"],
        "one character, still being typed, finds the pairs it starts"
    );
    let excerpt = r[3][0]["excerpt"].as_str().unwrap();
    let [start, end] = [0, 1].map(|i| r[3][0]["highlights"][0][i].as_u64().unwrap() as usize);
    let marked: String =
        excerpt.encode_utf16().skip(start).take(end - start).map(|u| char::from_u32(u.into()).unwrap()).collect();
    assert_eq!(marked, "関係", "the excerpt highlights the pair");
}

#[test]
fn the_search_box_shows_each_results_section() {
    let t = SiteTest::from_fixture("search/quality");
    let server = start(&t);
    let mut b = Browser::launch();
    let mut p = b.open(&format!("http://127.0.0.1:{}/guides/sitemap/", server.port));
    let r = crate::search_browser::box_query(&mut p, "transference ");
    assert_eq!(crate::search_browser::titles(&r)[0], "Transference");
    let shown =
        p.eval("[...document.querySelectorAll('#site-search-listbox .site-search-group')].map(g => g.textContent)");
    assert_eq!(shown, serde_json::json!(["Glossary", "Guides"]));
}
