//! The output folder: machine-readable files, only changed files rewritten,
//! removed pages pruned, deterministic builds. Refusals, foreign files and
//! failed builds are in `adversarial::output_safety`.

use crate::support::{assert_same_tree, snapshot, SiteTest};
use std::time::Duration;

#[test]
fn sitemap_feed_robots_and_404_are_written() {
    let t = SiteTest::from_fixture("output/machine_files");
    t.build().ok();
    t.assert_contains(
        "public/sitemap.xml",
        &[
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
            "<loc>https://example.org/</loc>",
            "<loc>https://example.org/guide/</loc><lastmod>2024-03-04</lastmod>",
            "<loc>https://example.org/undated/</loc>",
        ],
    );
    let atom = t.assert_contains(
        "public/atom.xml",
        &[
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"",
            "<title>Guide</title>",
            "<link href=\"https://example.org/guide/\"/>",
            "<published>2024-02-03T00:00:00Z</published>",
            "<updated>2024-03-04T00:00:00Z</updated>",
        ],
    );
    assert!(!atom.contains("Undated"), "undated pages stay out of the feed: {atom}");
    t.assert_contains("public/robots.txt", &["User-agent: *", "Sitemap: https://example.org/sitemap.xml"]);
    t.assert_contains("public/404.html", &["Page not found"]);
    t.assert_exists("public/highlight.css").assert_exists("public/style.css");
    let manifest = t.assert_contains(
        &crate::manifest::record_of(&t, "public"),
        &["\tindex.html", "\tguide/index.html", "\tsitemap.xml"],
    );
    assert!(!manifest.contains("rapport-tmp"), "{manifest}");
    for file in t.files_under("public") {
        assert!(!file.contains(".rapport-tmp"), "temporary file left behind: {file}");
    }
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let t = SiteTest::from_fixture("output/incremental");
    let first = t.build();
    first.ok();
    let total = first.summary().written;
    let before = snapshot(&t.path("public"));
    // Long enough for coarse file system clocks to tick.
    std::thread::sleep(Duration::from_millis(1100));

    let second = t.build();
    second.ok();
    assert_eq!(second.summary(), crate::support::WriteSummary { written: 0, unchanged: total, removed: 0 });
    assert_same_tree(&before, &snapshot(&t.path("public")), "a no-op build touched files");

    t.write("content/change.md", t.read("content/change.md").replace("Original body.", "Edited body."));
    let third = t.build();
    third.ok();
    let s = third.summary();
    assert!(s.written >= 1 && s.written < total, "only what changed is written: {s:?}");
    t.assert_contains("public/change/index.html", &["Edited body."]);
    assert_eq!(t.mtime("public/keep/index.html"), before[std::path::Path::new("keep/index.html")].1);
    assert_eq!(t.mtime("public/style.css"), before[std::path::Path::new("style.css")].1);
}

#[test]
fn removed_pages_and_assets_are_pruned() {
    let t = SiteTest::from_fixture("output/incremental");
    t.build().ok();
    t.assert_exists("public/gone/index.html").assert_exists("public/gone/asset.txt");
    t.remove("content/gone.md").remove("content/gone/asset.txt");
    let run = t.build();
    run.ok();
    // The page, its asset, its link-preview file and the search files that held it.
    assert!(run.summary().removed >= 3, "{}", run.stderr);
    assert!(!crate::theme::preview_records(&t).contains_key("gone/index.html"));
    t.assert_absent("public/gone/index.html").assert_absent("public/gone/asset.txt");
    t.assert_absent("public/gone");
    t.assert_lacks("public/sitemap.xml", &["/gone/"]);
    t.assert_lacks(&crate::manifest::record_of(&t, "public"), &["gone/"]);
    t.assert_exists("public/keep/index.html");
}

#[test]
fn builds_are_deterministic() {
    let t = SiteTest::from_fixture("output/incremental");
    t.run_here(&["build", "--output", "one"]).ok();
    t.run_here(&["build", "--output", "two"]).ok();
    let bytes = |dir: &str| snapshot(&t.path(dir)).into_iter().map(|(p, (b, _))| (p, b)).collect::<Vec<_>>();
    let (one, two) = (bytes("one"), bytes("two"));
    assert!(one.len() > 5);
    assert_eq!(one, two, "two builds of the same site differ");
}
