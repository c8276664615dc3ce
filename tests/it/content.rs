//! Content discovery and URLs: pretty URLs, sections, drafts, slug/path,
//! aliases, assets and ignored files. Unsafe paths, duplicate URLs and
//! symlinks are in `adversarial::bad_content`.

use crate::support::SiteTest;

#[test]
fn content_paths_become_pretty_urls() {
    let t = SiteTest::from_fixture("content/pretty_urls");
    t.build().ok();
    for file in [
        "public/index.html",
        "public/a/index.html",
        "public/a/b/index.html",
        "public/a/bundle/index.html",
        "public/some-note/index.html",
        "public/deep/er/page/index.html",
        // Folders without `_index.md` are sections too.
        "public/deep/index.html",
        "public/deep/er/index.html",
    ] {
        t.assert_exists(file);
    }
    t.assert_contains("public/a/b/index.html", &["Page B"]);
    t.assert_contains("public/a/index.html", &["Section A", "href=\"/a/b/\"", "href=\"/a/bundle/\""]);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let t = SiteTest::from_fixture("content/drafts");
    t.build().ok();
    t.assert_exists("public/published/index.html").assert_absent("public/wip/index.html");
    t.assert_lacks("public/sitemap.xml", &["/wip/"]);
    t.assert_lacks("public/atom.xml", &["Work in progress"]);
    t.assert_lacks("public/index.html", &["Work in progress"]);

    t.run(&["build", "--drafts"]).ok();
    t.assert_contains("public/wip/index.html", &["WIP."]);
    t.assert_contains("public/sitemap.xml", &["/wip/"]);

    // Dropping the flag again prunes the draft.
    t.build().ok();
    t.assert_absent("public/wip/index.html");
}

#[test]
fn slug_and_path_override_the_url() {
    let t = SiteTest::from_fixture("content/slug_and_path");
    t.build().ok();
    t.assert_contains("public/a/custom/index.html", &["Slugged"]);
    t.assert_absent("public/a/page/index.html");
    t.assert_contains("public/elsewhere/deep/index.html", &["Pathed"]);
    t.assert_absent("public/a/other/index.html");
    t.assert_contains("public/renamed/index.html", &["Section B"]);
}

#[test]
fn path_aliases_become_redirect_pages() {
    let t = SiteTest::from_fixture("content/aliases");
    t.build().ok();
    for alias in ["public/old/url/index.html", "public/legacy/page.html"] {
        t.assert_contains(
            alias,
            &["http-equiv=\"refresh\" content=\"0; url=/guide/\"", "rel=\"canonical\" href=\"/guide/\"", "noindex"],
        );
    }
    // Obsidian aliases are alternative names, not paths: no redirect page.
    assert_eq!(t.files_under("public").iter().filter(|f| f.to_lowercase().contains("other")).count(), 0);
}

#[test]
fn assets_beside_pages_are_copied_and_their_links_rewritten() {
    let t = SiteTest::from_fixture("content/assets");
    t.build().ok();
    assert_eq!(t.read_bytes("public/a/img.png"), t.read_bytes("content/a/img.png"));
    assert_eq!(t.read_bytes("public/a/files/handout.pdf"), t.read_bytes("content/a/files/handout.pdf"));
    assert_eq!(t.read_bytes("public/b/pic.png"), b"PIC");
    t.assert_contains(
        "public/a/page/index.html",
        &["src=\"/a/img.png\"", "href=\"/a/files/handout.pdf\"", "src=\"/b/pic.png\""],
    );
    t.assert_contains("public/b/index.html", &["src=\"/b/pic.png\""]);
}

#[test]
fn hidden_editor_and_vcs_files_are_skipped() {
    let t = SiteTest::from_fixture("content/ignored_files");
    // Git cannot store a `.git` folder inside a fixture: make it here.
    t.write("content/.git/HEAD", "ref: refs/heads/main\n");
    t.build().ok();
    t.assert_exists("public/note/index.html");
    for file in t.files_under("public") {
        for junk in ["hidden", "~", ".swp", "4913", "#", ".bak", ".obsidian", ".git", "app.json", "HEAD"] {
            assert!(!file.contains(junk), "{file} should have been skipped");
        }
    }
}

#[test]
fn sections_sort_their_pages_and_list_subsections() {
    let t = SiteTest::from_fixture("content/sections");
    t.build().ok();
    t.assert_contains("public/by-weight/index.html", &["SECTION By weight: Alpha;Beta;Gamma; SUBS: Nested;"]);
    t.assert_contains("public/by-date/index.html", &["SECTION By date: New;Mid;Old;"]);
    t.assert_contains("public/by-weight/b/index.html", &["PAGE Beta PREV=Alpha NEXT=Gamma"]);
}

#[test]
fn tags_get_a_listing_and_a_page_per_term() {
    let t = SiteTest::from_fixture("content/taxonomies");
    t.build().ok();
    t.assert_contains("public/tags/index.html", &["/tags/anxiety-care/", "/tags/basics/"]);
    t.assert_contains("public/tags/basics/index.html", &["href=\"/one/\"", "href=\"/two/\""]);
    let term = t.assert_contains("public/tags/anxiety-care/index.html", &["href=\"/one/\""]);
    assert!(!term.contains("href=\"/two/\""), "{term}");
}
