//! Hugo front matter: `url`, `lastmod`, `summary`, `aliases` (one equal to the page's
//! own URL writes no redirect over it), headless `_build` pages, `cascade`, and unknown
//! keys (`alias:` as text, `reference:` tables) kept as properties; the
//! Hugo-docs-like fixture builds.

use crate::support::SiteTest;
use rapport::build::BuildOptions;
use rapport::changes::{Batch, ChangeKind};
use rapport::incremental::LiveSite;

#[test]
fn the_hugo_docs_like_fixture_builds_with_hugo_fields_honoured() {
    let t = SiteTest::from_fixture("hugo-docs-like");
    let run = t.build();
    run.ok();
    // `url:` sets the URL; an alias equal to it is the page, not a redirect.
    let trim = t.assert_contains("public/functions/strings/trim/index.html", &["Trim removes the characters"]);
    assert!(!trim.contains("http-equiv=\"refresh\""), "the page is not overwritten by its own alias");
    t.assert_contains("public/functions/trim/index.html", &["http-equiv=\"refresh\"", "url=/functions/strings/trim/"]);
    // `lastmod` is the page's `updated` date.
    t.assert_contains("public/functions/strings/trim/index.html", &["2024-03-01"]);
    // `slug` is followed; `alias:` with text that is no path is a property, not a redirect.
    t.assert_contains("public/functions/strings/split/index.html", &["Split cuts a string"]);
    run.stderr_lacks("alias: ");
    // `reference:` tables are the page's own properties, with no did-you-mean.
    run.stderr_lacks("did you mean `references`");
    // Drafts are left out.
    t.assert_absent("public/quick-reference/draft-page/index.html");
    // Hugo shortcodes stay as written (no wikilink, no smart quotes); definition lists are `<dl>`.
    let config = t.read("public/quick-reference/configuration/index.html");
    assert!(config.contains("title = \"My [[site]]\"\n[params]\n  \"quoted\" = 'single'"), "{config}");
    assert!(config.contains("{{% note %}}\nRestart the server after a **configuration** change.\n{{% /note %}}"));
    assert!(config.contains("<dt>baseURL</dt>\n<dd>The absolute URL of the published site.</dd>"), "{config}");
}

#[test]
fn headless_build_pages_are_neither_rendered_nor_listed() {
    let t = SiteTest::from_fixture("hugo-docs-like");
    t.build().ok();
    t.assert_absent("public/_common/index.html");
    t.assert_absent("public/_common/installation/index.html");
    for listing in ["public/index.html", "public/quick-reference/index.html", "public/sitemap.xml"] {
        t.assert_lacks(listing, &["_common", "installation"]);
    }
}

#[test]
fn check_refuses_a_link_to_a_headless_page_at_the_link() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\n");
    t.write("content/hidden.md", "---\ntitle: Hidden\n_build:\n  render: never\n---\nHidden.\n");
    t.write("content/shown.md", "---\ntitle: Shown\n---\nSee [the hidden one](hidden.md) and [[hidden]].\n");
    t.check()
        .fails(1)
        .stderr_has("content/shown.md:4:5")
        .stderr_has("content/shown.md:4:37")
        .stderr_has("`content/hidden.md` has `render = false` (Hugo: headless `_build`), so it has no page");
    // A page linking only to shown pages passes.
    t.write("content/shown.md", "---\ntitle: Shown\n---\nNothing hidden.\n");
    t.check().ok();
}

#[test]
fn build_render_false_and_always_are_read_as_render() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\n");
    t.write("content/shown.md", "---\ntitle: Shown\nbuild:\n  render: always\n---\nShown.\n");
    t.write("content/hidden.md", "---\ntitle: Hidden\nbuild:\n  render: false\n---\nHidden.\n");
    t.build().ok();
    t.assert_exists("public/shown/index.html");
    t.assert_absent("public/hidden/index.html");
}

#[test]
fn the_fixtures_cascade_reaches_the_pages_below_as_their_params() {
    let t = SiteTest::from_fixture("hugo-docs-like");
    t.build().ok().stderr_lacks("cascade");
    // `params: {searchable: true}` from functions/_index.md is each function page's property.
    t.assert_contains("public/functions/strings/trim/index.html", &["searchable"]);
    t.assert_lacks("public/quick-reference/glossary/index.html", &["searchable"]);
}

/// A blog whose section cascades `front` to the pages below it.
fn cascading(front: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\n");
    t.write("content/docs/_index.md", format!("---\ntitle: Docs\n{front}---\n"));
    t.write("content/docs/a.md", "---\ntitle: A\n---\nA body.\n");
    t.write("content/docs/b.md", "---\ntitle: B\ndescription: Bee own\n---\nB body.\n");
    t.write("content/docs/deep/c.md", "C body.\n");
    t.write("content/other.md", "---\ntitle: Other\n---\nOther.\n");
    t
}

#[test]
fn cascaded_values_fill_in_what_each_page_below_does_not_set() {
    let t = cascading("cascade:\n  description: Cascaded words\n");
    t.build().ok();
    t.assert_contains("public/docs/a/index.html", &["<meta name=\"description\" content=\"Cascaded words\">"]);
    t.assert_contains("public/docs/deep/c/index.html", &["content=\"Cascaded words\""]);
    t.assert_contains("public/docs/b/index.html", &["content=\"Bee own\""]);
    t.assert_lacks("public/other/index.html", &["Cascaded words"]);
    t.assert_lacks("public/docs/index.html", &["<p class=\"lede\">Cascaded words"]);
}

#[test]
fn a_cascaded_build_option_makes_the_pages_below_headless() {
    let t = cascading("cascade:\n  - _build:\n      render: never\n    _target:\n      path: /docs/deep/**\n");
    t.build().ok();
    t.assert_absent("public/docs/deep/c/index.html");
    t.assert_exists("public/docs/a/index.html");
}

#[test]
fn a_cascaded_value_of_the_wrong_type_is_an_error_at_the_cascade() {
    let t = cascading("cascade:\n  weight: heavy\n");
    t.build().fails(1).stderr_has("content/docs/_index.md:3:1").stderr_has("cascade:").stderr_has("weight");
    let t = cascading("cascade:\n  target:\n    kind: taxonomy\n  weight: 1\n");
    t.build().fails(1).stderr_has("content/docs/_index.md:3:1").stderr_has("`taxonomy`");
}

#[test]
fn an_environment_target_is_warned_and_not_applied() {
    let t = cascading("cascade:\n  description: Staging only\n  _target:\n    environment: staging\n");
    t.build().ok().stderr_has("content/docs/_index.md:3:1").stderr_has("environment `staging` is not applied");
    t.assert_lacks("public/docs/a/index.html", &["Staging only"]);
}

#[test]
fn a_lang_target_is_warned_and_applied() {
    let t = cascading("cascade:\n  description: English words\n  _target:\n    lang: en\n");
    t.build().ok().stderr_has("content/docs/_index.md:3:1").stderr_has("`lang = \"en\"` is not checked");
    t.assert_contains("public/docs/a/index.html", &["English words"]);
}

/// Editing the cascade re-renders the pages below; editing a page below
/// keeps what reaches it; both as a full build writes them.
#[test]
fn cascade_edits_follow_in_a_live_rebuild() {
    let t = cascading("cascade:\n  description: First words\n");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let edit = |live: &mut LiveSite, rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::write(&path, text).unwrap();
        live.apply(&Batch { changes: vec![(path, ChangeKind::Content)], rescan: false }).unwrap();
    };
    let page =
        |live: &LiveSite, rel: &str| String::from_utf8_lossy(&live.outputs[std::path::Path::new(rel)]).into_owned();
    edit(&mut live, "content/docs/_index.md", "---\ntitle: Docs\ncascade:\n  description: Second words\n---\n");
    assert!(page(&live, "docs/deep/c/index.html").contains("Second words"));
    edit(&mut live, "content/docs/a.md", "---\ntitle: A again\n---\nA body.\n");
    let a = page(&live, "docs/a/index.html");
    assert!(a.contains("A again") && a.contains("Second words"), "{a}");
    edit(&mut live, "content/docs/_index.md", "---\ntitle: Docs\n---\n");
    assert!(!page(&live, "docs/a/index.html").contains("Second words"), "a cascade removed is undone");
    let differing = crate::incremental::differing_from_full_build(&live, &root);
    assert!(differing.is_empty(), "differs from a full build in {differing:?}");
}

#[test]
fn a_url_that_is_no_site_path_is_a_property() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\n");
    t.write("content/note.md", "---\ntitle: Note\nurl: https://example.org/source\n---\nBody.\n");
    t.build().ok();
    t.assert_exists("public/note/index.html");
}

/// Hugo's `summary` is the listing summary templates see, in place of the
/// first paragraph, and a live edit to it re-renders the listing.
#[test]
fn a_front_matter_summary_is_the_listing_summary_and_follows_edits() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\nbase_url = \"https://e.org/\"\n");
    t.write("content/guides/_index.md", "+++\ntitle = \"Guides\"\ntemplate = \"listing.html\"\n+++\n");
    t.write("templates/listing.html", "{% for p in section.pages %}[{{ p.summary | safe }}]{% endfor %}");
    let page = |summary: &str| format!("---\ntitle: One\nsummary: {summary}\n---\nFirst paragraph.\n");
    t.write("content/guides/one.md", page("Set *once*, shown in lists."));
    t.write("content/guides/two.md", "---\ntitle: Two\n---\nIts own first paragraph.\n");
    let run = t.build();
    run.ok().stderr_lacks("`summary` is not supported");
    let listing = t.read("public/guides/index.html");
    assert!(listing.contains("[<p>Set <em>once</em>, shown in lists.</p>\n]"), "{listing}");
    assert!(listing.contains("[<p>Its own first paragraph.</p>\n]"), "{listing}");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let file = root.join("content/guides/one.md");
    std::fs::write(&file, page("Edited.")).unwrap();
    live.apply(&Batch { changes: vec![(file, ChangeKind::Content)], rescan: false }).unwrap();
    while live.has_pending() {
        live.render_pending(256).unwrap();
    }
    let served = String::from_utf8_lossy(&live.outputs[std::path::Path::new("guides/index.html")]).into_owned();
    assert!(served.contains("[<p>Edited.</p>\n]") && !served.contains("once"), "{served}");
}
