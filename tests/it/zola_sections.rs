//! Zola's section settings that change what a site writes: section feeds
//! (`generate_feeds`), per-term feeds (a taxonomy's `feed = true`),
//! `transparent` sections lifting their pages into the parent's listing, and
//! `insert_anchor_links`; each followed by a live rebuild exactly as a full
//! build would write it.

use crate::support::SiteTest;
use crate::zola_fields::listed;
use rapport::build::BuildOptions;
use rapport::changes::{Batch, ChangeKind};
use rapport::incremental::LiveSite;
use std::path::Path;

/// A blog section `posts/` with `front` in its `_index.md`, two dated posts,
/// and an undated page elsewhere.
fn blog(front: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\nbase_url = \"https://e.org/\"\n");
    t.write("content/posts/_index.md", format!("+++\ntitle = \"Posts\"\nsort_by = \"date\"\n{front}+++\n"));
    t.write("content/posts/one.md", "+++\ntitle = \"One & only\"\ndate = 2024-01-05\ntags = [\"care\"]\n+++\nFirst.\n");
    t.write("content/posts/two.md", "+++\ntitle = \"Two\"\ndate = 2024-03-01\n+++\nSecond.\n");
    t.write("content/about.md", "+++\ntitle = \"About\"\ndate = 2023-01-01\n+++\nAbout.\n");
    t
}

/// The `<title>` of each entry of an Atom feed, in order.
fn entries(xml: &str) -> Vec<String> {
    xml.split("<entry>")
        .skip(1)
        .filter_map(|e| e.split("<title>").nth(1)?.split("</title>").next())
        .map(String::from)
        .collect()
}

fn served(live: &LiveSite, path: &str) -> String {
    String::from_utf8_lossy(&live.outputs[Path::new(path)]).into_owned()
}

fn edit(live: &mut LiveSite, root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::write(&path, text).unwrap();
    live.apply(&Batch { changes: vec![(path, ChangeKind::Content)], rescan: false }).unwrap();
}

#[test]
fn generate_feeds_writes_a_section_feed_of_its_pages_newest_first_and_links_it() {
    let t = blog("generate_feeds = true\n");
    t.build().ok().stderr_lacks("not supported");
    let xml = t.read("public/posts/atom.xml");
    assert!(xml.contains("<title>Posts</title>"), "{xml}");
    assert_eq!(entries(&xml), ["Two", "One &amp; only"], "newest first");
    assert!(xml.contains("<link rel=\"self\" href=\"https://e.org/posts/atom.xml\"/>"), "{xml}");
    assert!(xml.contains("<id>https://e.org/posts/</id>"), "{xml}");
    assert!(!xml.contains("About"), "a page outside the section is not in its feed");
    t.assert_contains(
        "public/posts/index.html",
        &["<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Posts\" href=\"/posts/atom.xml\">"],
    );
    // The site feed is still the whole site's.
    assert_eq!(entries(&t.read("public/atom.xml")), ["Two", "One &amp; only", "About"]);
}

#[test]
fn a_section_without_generate_feeds_writes_no_feed() {
    let t = blog("generate_feeds = false\n");
    t.build().ok();
    t.assert_absent("public/posts/atom.xml");
    t.assert_lacks("public/posts/index.html", &["href=\"/posts/atom.xml\""]);
}

#[test]
fn a_taxonomy_with_feed_true_writes_a_feed_per_term() {
    let t = blog("");
    t.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\n\n[[taxonomies]]\nname = \"tags\"\nfeed = true\n",
    );
    t.build().ok();
    let xml = t.read("public/tags/care/atom.xml");
    assert!(xml.contains("<title>tags: care</title>"), "{xml}");
    assert_eq!(entries(&xml), ["One &amp; only"]);
    t.assert_contains("public/tags/care/index.html", &["href=\"/tags/care/atom.xml\""]);
}

#[test]
fn a_taxonomy_without_feed_writes_no_term_feeds() {
    let t = blog("");
    t.build().ok();
    t.assert_exists("public/tags/care/index.html");
    t.assert_absent("public/tags/care/atom.xml");
}

#[test]
fn section_and_term_feeds_follow_live_edits_as_a_full_build_writes_them() {
    let t = blog("generate_feeds = true\n");
    t.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org/\"\n\n[[taxonomies]]\nname = \"tags\"\nfeed = true\n",
    );
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    edit(
        &mut live,
        &root,
        "content/posts/two.md",
        "+++\ntitle = \"Second post\"\ndate = 2024-03-01\ntags = [\"care\"]\n+++\nB.\n",
    );
    assert_eq!(entries(&served(&live, "posts/atom.xml")), ["Second post", "One &amp; only"]);
    assert_eq!(entries(&served(&live, "tags/care/atom.xml")), ["Second post", "One &amp; only"]);
    edit(&mut live, &root, "content/posts/three.md", "+++\ntitle = \"Three\"\ndate = 2024-06-01\n+++\nC.\n");
    assert_eq!(entries(&served(&live, "posts/atom.xml"))[0], "Three", "a new page heads the feed");
    let differing = crate::incremental::differing_from_full_build(&live, &root);
    assert!(differing.is_empty(), "differs from a full build in {differing:?}");
}

/// `guides/` holds `basics/` (transparent) and `advanced/` (not).
fn nested(transparent: bool) -> SiteTest {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\n");
    t.write("content/guides/_index.md", "+++\ntitle = \"Guides\"\nsort_by = \"weight\"\n+++\n");
    t.write("content/guides/intro.md", "+++\ntitle = \"Intro\"\nweight = 2\n+++\nI.\n");
    t.write("content/guides/basics/_index.md", format!("+++\ntitle = \"Basics\"\ntransparent = {transparent}\n+++\n"));
    t.write("content/guides/basics/first.md", "+++\ntitle = \"First steps\"\nweight = 1\n+++\nF.\n");
    t.write("content/guides/basics/later.md", "+++\ntitle = \"Later steps\"\nweight = 3\n+++\nL.\n");
    t.write("content/guides/advanced/_index.md", "+++\ntitle = \"Advanced\"\n+++\n");
    t.write("content/guides/advanced/deep.md", "+++\ntitle = \"Deep\"\nweight = 0\n+++\nD.\n");
    t
}

#[test]
fn a_transparent_sections_pages_are_listed_in_its_parent_in_the_parents_order() {
    let t = nested(true);
    t.build().ok().stderr_lacks("not supported");
    let guides = t.read("public/guides/index.html");
    assert_eq!(listed(&guides), ["First steps", "Intro", "Later steps"], "by weight, Deep stays in Advanced");
    // The transparent section is still a section of its own, and counts are not doubled.
    assert_eq!(listed(&t.read("public/guides/basics/index.html")), ["First steps", "Later steps"]);
    t.assert_contains("public/index.html", &["4 pages"]);
    // A lifted page keeps its own section in its breadcrumbs.
    t.assert_contains("public/guides/basics/first/index.html", &["href=\"/guides/basics/\""]);
}

#[test]
fn without_transparent_the_parent_lists_only_its_own_pages() {
    let t = nested(false);
    t.build().ok();
    assert_eq!(listed(&t.read("public/guides/index.html")), ["Intro"]);
}

#[test]
fn turning_transparent_on_in_a_live_rebuild_lists_the_pages_in_the_parent() {
    let t = nested(false);
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    edit(&mut live, &root, "content/guides/basics/_index.md", "+++\ntitle = \"Basics\"\ntransparent = true\n+++\n");
    assert_eq!(listed(&served(&live, "guides/index.html")), ["First steps", "Intro", "Later steps"]);
    edit(&mut live, &root, "content/guides/basics/later.md", "+++\ntitle = \"Renamed\"\nweight = 3\n+++\nL.\n");
    assert_eq!(listed(&served(&live, "guides/index.html")), ["First steps", "Intro", "Renamed"]);
    let differing = crate::incremental::differing_from_full_build(&live, &root);
    assert!(differing.is_empty(), "differs from a full build in {differing:?}");
}

#[test]
fn insert_anchor_links_applies_to_the_section_and_its_pages() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\n");
    t.write("content/a/_index.md", "+++\ntitle = \"A\"\ninsert_anchor_links = \"none\"\n+++\n## In A\n");
    t.write("content/a/page.md", "+++\ntitle = \"P\"\n+++\n## Heading\n");
    t.write("content/b/_index.md", "+++\ntitle = \"B\"\ninsert_anchor_links = \"heading\"\n+++\n");
    t.write("content/b/page.md", "+++\ntitle = \"Q\"\n+++\n## Heading\n");
    t.write("content/c/page.md", "+++\ntitle = \"R\"\n+++\n## Heading\n");
    t.build().ok().stderr_lacks("not supported");
    t.assert_contains("public/a/index.html", &["<div class=\"content\" data-anchors=\"none\">"]);
    t.assert_contains("public/a/page/index.html", &["<div class=\"content\" data-anchors=\"none\">"]);
    t.assert_contains("public/b/page/index.html", &["<div class=\"content\" data-anchors=\"heading\">"]);
    // Unset, the theme places the anchors itself.
    t.assert_contains("public/c/page/index.html", &["<div class=\"content\">", "class=\"anchor\""]);
}

#[test]
fn an_unknown_insert_anchor_links_value_is_an_error_at_its_line() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\n");
    t.write("content/a/_index.md", "+++\ntitle = \"A\"\ninsert_anchor_links = \"top\"\n+++\n");
    t.build().fails(1).stderr_has("content/a/_index.md:3:").stderr_has("left");
}

#[test]
fn changing_a_sections_anchor_links_live_re_renders_its_pages() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\n");
    t.write("content/a/_index.md", "+++\ntitle = \"A\"\n+++\n");
    t.write("content/a/page.md", "+++\ntitle = \"P\"\n+++\n## Heading\n");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    edit(&mut live, &root, "content/a/_index.md", "+++\ntitle = \"A\"\ninsert_anchor_links = \"left\"\n+++\n");
    assert!(served(&live, "a/page/index.html").contains("data-anchors=\"left\""));
    let differing = crate::incremental::differing_from_full_build(&live, &root);
    assert!(differing.is_empty(), "differs from a full build in {differing:?}");
}

/// Five notes tagged `grief` (one also `care`), and `taxonomies` as given.
fn tagged(taxonomies: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.write("site.toml", format!("title = \"T\"\nbase_url = \"https://e.org/\"\n\n{taxonomies}"));
    for i in 1..=5 {
        let tags = if i == 1 { "[\"grief\", \"care\"]" } else { "[\"grief\"]" };
        t.write(&format!("content/notes/n{i}.md"), format!("+++\ntitle = \"Note {i}\"\ntags = {tags}\n+++\nBody.\n"));
    }
    t
}

#[test]
fn a_taxonomy_with_paginate_by_cuts_each_terms_page_into_pagers() {
    let t = tagged("[[taxonomies]]\nname = \"tags\"\npaginate_by = 2\npaginate_path = \"p\"\n");
    t.build().ok();
    let first = t.read("public/tags/grief/index.html");
    assert_eq!(listed(&first), ["Note 1", "Note 2"], "pager 1 shows the first two");
    assert_eq!(listed(&t.read("public/tags/grief/p/2/index.html")), ["Note 3", "Note 4"]);
    assert_eq!(listed(&t.read("public/tags/grief/p/3/index.html")), ["Note 5"]);
    t.assert_absent("public/tags/grief/p/4/index.html");
    t.assert_contains(
        "public/tags/grief/p/2/index.html",
        &[
            "<link rel=\"canonical\" href=\"https://e.org/tags/grief/p/2/\">",
            "<link rel=\"prev\" href=\"/tags/grief/\">",
            "<link rel=\"next\" href=\"/tags/grief/p/3/\">",
            "<title>grief (2/3) · Tags · T</title>",
        ],
    );
    assert!(first.contains("<link rel=\"canonical\" href=\"https://e.org/tags/grief/\">"), "{first}");
    t.assert_contains("public/tags/grief/p/1/index.html", &["/tags/grief/"]);
    // A term with fewer pages than a pager holds has only its own page.
    assert_eq!(listed(&t.read("public/tags/care/index.html")), ["Note 1"]);
    t.assert_absent("public/tags/care/p/2/index.html");
    let sitemap = t.read("public/sitemap.xml");
    for url in ["https://e.org/tags/grief/p/2/", "https://e.org/tags/grief/p/3/"] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url} in {sitemap}");
    }
    assert!(!sitemap.contains("tags/grief/p/1/"), "the redirect is not a page: {sitemap}");
}

#[test]
fn a_taxonomy_without_paginate_by_writes_one_page_per_term() {
    let t = tagged("[[taxonomies]]\nname = \"tags\"\n");
    t.build().ok();
    assert_eq!(listed(&t.read("public/tags/grief/index.html")).len(), 5);
    t.assert_absent("public/tags/grief/page/2/index.html");
}

#[test]
fn term_pagers_follow_live_edits_as_a_full_build_writes_them() {
    let t = tagged("[[taxonomies]]\nname = \"tags\"\npaginate_by = 2\n");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    assert!(!live.outputs.contains_key(Path::new("tags/care/page/2/index.html")));
    for (i, text) in [(6, "[\"grief\", \"care\"]"), (7, "[\"care\"]")] {
        let page = format!("+++\ntitle = \"Note {i}\"\ntags = {text}\n+++\nBody.\n");
        edit(&mut live, &root, &format!("content/notes/n{i}.md"), &page);
    }
    assert_eq!(listed(&served(&live, "tags/grief/page/3/index.html")), ["Note 5", "Note 6"]);
    assert_eq!(listed(&served(&live, "tags/care/page/2/index.html")), ["Note 7"], "a third care note: a second pager");
    edit(&mut live, &root, "content/notes/n1.md", "+++\ntitle = \"Note 1\"\n+++\nUntagged now.\n");
    assert_eq!(listed(&served(&live, "tags/care/index.html")), ["Note 6", "Note 7"]);
    // Three to a pager in site.toml: grief's five notes (2 to 6) now make two pagers.
    let config = root.join("site.toml");
    std::fs::write(
        &config,
        "title = \"T\"\nbase_url = \"https://e.org/\"\n\n[[taxonomies]]\nname = \"tags\"\npaginate_by = 3\n",
    )
    .unwrap();
    live.apply(&Batch { changes: vec![(config, ChangeKind::Config)], rescan: false }).unwrap();
    assert_eq!(listed(&served(&live, "tags/grief/page/2/index.html")), ["Note 5", "Note 6"]);
    assert!(!live.outputs.contains_key(Path::new("tags/grief/page/3/index.html")), "the third pager is gone");
    let differing = crate::incremental::differing_from_full_build(&live, &root);
    assert!(differing.is_empty(), "differs from a full build in {differing:?}");
}
