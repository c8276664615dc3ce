//! `site.toml` validation.

use crate::support::SiteTest;

#[test]
fn unknown_key_is_located_and_lists_expected_keys() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("site.toml", "title = \"x\"\nbase_url = \"https://e.org/\"\ntheme_colour = \"red\"\n");
    t.build().fails(1).stderr_has("site.toml:3:1").stderr_has("unknown field `theme_colour`").stderr_has("`base_url`");
}

#[test]
fn bad_base_url_and_unknown_highlight_theme() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("site.toml", "title = \"x\"\nbase_url = \"example.org\"\n");
    t.build().fails(1).stderr_has("site.toml:2:1").stderr_has("base_url must start with");
    t.write("site.toml", "title = \"x\"\n[markdown]\nhighlight_theme = \"Nope\"\n");
    t.build().fails(1).stderr_has("site.toml:3:1").stderr_has("unknown highlight theme `Nope`");
}

#[test]
fn base_url_path_prefixes_every_link() {
    let t = SiteTest::from_fixture("basic/site");
    t.run(&["build", "--base-url", "https://example.org/kb/"]).ok();
    let html = t.read("public/guides/first/index.html");
    assert!(html.contains("href=\"/kb/guides/second/#details\""), "{html}");
}
