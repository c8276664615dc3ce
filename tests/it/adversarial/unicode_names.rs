//! File names in decomposed Unicode, as macOS writes them (`cafe\u{301}.md`):
//! URLs are made from the NFC form, wikilinks typed either way resolve, and
//! two sources that normalise to one URL are a duplicate-URL error naming
//! both. Names are created here, not in fixtures, as git may normalise them.

use crate::support::SiteTest;

const DECOMPOSED: &str = "cafe\u{301}";
const COMPOSED: &str = "caf\u{e9}";

fn site() -> SiteTest {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"Unicode\"\nbase_url = \"https://example.org/\"\n");
    t.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n\nHome.\n");
    t
}

#[test]
fn a_decomposed_file_name_gets_the_composed_url() {
    let t = site();
    t.write(&format!("content/{DECOMPOSED}.md"), "+++\ntitle = \"Cafe\"\n+++\n\nCoffee.\n");
    t.write("content/Cre\u{300}me Bru\u{302}le\u{301}e/_index.md", "+++\ntitle = \"Dessert\"\n+++\n");
    t.build().ok();
    t.assert_contains(&format!("public/{COMPOSED}/index.html"), &["Coffee."]);
    t.assert_exists("public/cr\u{e8}me-br\u{fb}l\u{e9}e/index.html");
    t.assert_absent("public/cafe/index.html");
    assert!(!t.exists(&format!("public/{DECOMPOSED}/index.html")), "a decomposed output folder was written");
}

#[test]
fn wikilinks_and_links_typed_either_way_resolve() {
    let t = site();
    t.write(&format!("content/{DECOMPOSED}.md"), "+++\ntitle = \"Cafe\"\n+++\n\n## Menu\n\nCoffee.\n");
    let body = format!(
        "+++\ntitle = \"Links\"\n+++\n\n[[{COMPOSED}]], [[{DECOMPOSED}]], [[{COMPOSED}#Menu]], [md]({COMPOSED}.md).\n"
    );
    t.write("content/links.md", body);
    let run = t.check();
    run.ok().stderr_lacks("broken");
    t.build().ok();
    let html = t.read("public/links/index.html");
    assert_eq!(html.matches("href=\"/caf%C3%A9/\"").count(), 3, "{html}");
    assert!(html.contains("href=\"/caf%C3%A9/#menu\""), "{html}");
}

#[test]
fn composed_and_decomposed_names_of_one_url_are_a_duplicate() {
    let t = site();
    t.write(&format!("content/{COMPOSED}.md"), "+++\ntitle = \"Composed\"\n+++\n");
    t.write(&format!("content/{DECOMPOSED}.md"), "+++\ntitle = \"Decomposed\"\n+++\n");
    let run = t.build();
    run.fails(1)
        .stderr_has(&format!("2 sources map to the same URL /{COMPOSED}/: "))
        .stderr_has(&format!("content/{COMPOSED}.md:1:1 (as /{COMPOSED}/)"))
        .stderr_has(&format!("content/{DECOMPOSED}.md:1:1 (as /{COMPOSED}/)"))
        .stderr_has("1 error found")
        .stderr_lacks("two outputs would be written");
    t.assert_absent("public");
    t.check().fails(1).stderr_has("map to the same URL");
}
