//! CSL-JSON bibliographies (Zotero's export): the same works as the BibLaTeX
//! fixture format the same, and a file that is not CSL-JSON, or an item
//! without an id, is an error at its line and column.

use crate::support::{fixtures, SiteTest};

/// The citations fixture with its `.bib` swapped for the same works in CSL-JSON.
fn csl_site() -> SiteTest {
    let t = SiteTest::from_fixture("citations/basic");
    let json = std::fs::read_to_string(fixtures().join("citations/csl-json/references.json")).unwrap();
    t.write("references.json", json);
    t.remove_file("references.bib");
    t.write("site.toml", t.read("site.toml").replace("references.bib", "references.json"));
    t
}

fn reference_list(html: &str) -> &str {
    let start = html.find("<li id=\"ref-fluckiger2018\">").expect("a reference list");
    &html[start..start + html[start..].find("</ul>").unwrap()]
}

#[test]
fn csl_json_works_format_as_their_biblatex_twins() {
    let bib = SiteTest::from_fixture("citations/basic");
    bib.build().ok();
    let csl = csl_site();
    csl.build().ok();
    let (from_bib, from_json) =
        (bib.read("public/guides/alliance/index.html"), csl.read("public/guides/alliance/index.html"));
    let first = |list: &str| list.split("</li>").next().unwrap().to_string();
    assert_eq!(first(reference_list(&from_json)), first(reference_list(&from_bib)));
    assert!(from_json.contains("<a href=\"https://doi.org/10.1037/pst0000161\">"), "{from_json}");
    // CSL-JSON names its name parts, so a compound family name stays whole.
    assert!(reference_list(&from_json).contains("Welmers-van de Poll, M. J."));
    assert!(csl.read("public/references/horvath1991/index.html").contains("Journal of Counseling Psychology"));
}

#[test]
fn csl_json_unused_entries_are_noted_at_their_line() {
    let t = csl_site();
    t.check().ok().stderr_has("references.json:14:");
}

#[test]
fn csl_json_that_does_not_parse_is_located() {
    let t = csl_site();
    t.write("references.json", "[\n  {\"id\": \"a\", \"title\": \"x\",}\n]\n");
    t.build().fails(1).stderr_has("references.json:2:").stderr_has("the bibliography is not CSL-JSON");
}

#[test]
fn csl_json_item_without_an_id_is_located() {
    let t = csl_site();
    let json = t.read("references.json").replacen("{\"id\": \"bordin-unused\", ", "{", 1);
    t.write("references.json", json);
    t.build().fails(1).stderr_has("references.json:14:").stderr_has("item 4 of the bibliography has no `id`");
}
