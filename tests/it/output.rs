//! The output folder: machine-readable files, only changed files rewritten,
//! only rapport's own files pruned, foreign files never touched, unsafe
//! folders refused, and a failed build leaves the previous output as it was.

use crate::support::{assert_same_tree, rapport_in, snapshot, SiteTest};
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
    let manifest =
        t.assert_contains("public/.rapport-manifest", &["\tindex.html", "\tguide/index.html", "\tsitemap.xml"]);
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
    t.assert_absent("public/previews/gone/index.json");
    t.assert_absent("public/gone/index.html").assert_absent("public/gone/asset.txt");
    t.assert_absent("public/gone");
    t.assert_lacks("public/sitemap.xml", &["/gone/"]);
    t.assert_lacks("public/.rapport-manifest", &["gone/"]);
    t.assert_exists("public/keep/index.html");
}

#[test]
fn files_rapport_did_not_write_survive_pruning() {
    let t = SiteTest::from_fixture("output/foreign_files");
    t.build().ok();
    t.write("public/CNAME", "example.org\n");
    t.write("public/.well-known/security.txt", "Contact: x\n");
    t.write("public/notes/page/notes.txt", "mine\n");
    t.remove("content/notes/page.md");
    t.build().ok();
    t.assert_absent("public/notes/page/index.html");
    assert_eq!(t.read("public/CNAME"), "example.org\n");
    assert_eq!(t.read("public/.well-known/security.txt"), "Contact: x\n");
    assert_eq!(t.read("public/notes/page/notes.txt"), "mine\n", "a folder holding a foreign file is kept");
}

#[test]
fn a_file_rapport_did_not_write_is_never_overwritten() {
    let t = SiteTest::from_fixture("output/refuse_overwrite");
    let before = snapshot(&t.path("public"));
    t.build()
        .fails(1)
        .stderr_has("refusing to overwrite")
        .stderr_has("robots.txt")
        .stderr_has("rapport did not write it");
    assert_same_tree(&before, &snapshot(&t.path("public")), "nothing may be written when refusing");
}

#[test]
fn a_hand_written_page_in_the_output_is_never_overwritten() {
    let t = SiteTest::from_fixture("output/refuse_overwrite_page");
    let before = snapshot(&t.path("public"));
    t.build().fails(1).stderr_has("refusing to overwrite").stderr_has("about/index.html");
    assert_same_tree(&before, &snapshot(&t.path("public")), "files changed");
}

#[test]
fn unsafe_output_folders_are_refused_before_anything_is_written() {
    let t = SiteTest::from_fixture("output/refuse_folders");
    let home = t.outer().join("home");
    std::fs::create_dir(&home).unwrap();
    let before = snapshot(t.outer());
    let home_arg = home.to_string_lossy().into_owned();
    for out in [".", "content", "content/x", "content/new", "themes", "templates", "static", "..", home_arg.as_str()] {
        let run = rapport_in(t.root(), &["build", "--output", out], &[("HOME", home.as_path())]);
        run.fails(1).stderr_has("refusing to use");
        assert_same_tree(&before, &snapshot(t.outer()), &format!("`--output {out}` changed files"));
    }
    // The same through --root from another folder: `..` is relative to where rapport runs.
    rapport_in(t.outer(), &["--root", "site", "build", "--output", "site/content"], &[])
        .fails(1)
        .stderr_has("refusing to use");
    assert_same_tree(&before, &snapshot(t.outer()), "files changed");
}

#[test]
fn unsafe_output_dir_in_site_toml_is_refused() {
    for case in ["output_dir_content", "output_dir_root", "output_dir_parent"] {
        let t = SiteTest::from_fixture(&format!("output/{case}"));
        let before = snapshot(t.outer());
        t.build().fails(1).stderr_has("refusing to use");
        assert_same_tree(&before, &snapshot(t.outer()), &format!("{case} changed files"));
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_unchanged() {
    let t = SiteTest::from_fixture("output/failed_build");
    t.build().ok();
    let good = snapshot(&t.path("public"));
    let page = t.read("content/page.md");

    t.write("content/page.md", "+++\ntitle = 42\n+++\nBroken body.\n");
    t.build().fails(1).stderr_has("content/page.md:2:1");
    assert_same_tree(&good, &snapshot(&t.path("public")), "broken front matter touched the output");

    t.write("content/page.md", &page);
    t.write("templates/page.html", "{{ page.nope }}");
    t.build().fails(1).stderr_has("templates/page.html");
    assert_same_tree(&good, &snapshot(&t.path("public")), "a template error touched the output");

    t.write("content/new.md", "+++\ntitle = \"New\"\nslug = \"..\"\n+++\n");
    t.remove("templates/page.html");
    t.build().fails(1).stderr_has("content/new.md:3:1");
    assert_same_tree(&good, &snapshot(&t.path("public")), "an unsafe slug touched the output");

    t.remove("content/new.md");
    t.build().ok();
    t.assert_contains("public/page/index.html", &["Good body."]);
}

#[test]
fn a_tampered_manifest_cannot_delete_files_outside_the_output() {
    let t = SiteTest::from_fixture("output/manifest_escape");
    t.build().ok();
    let manifest = t.read("public/.rapport-manifest");
    t.write(
        "public/.rapport-manifest",
        format!("{manifest}0000\t../victim.txt\n0000\t../content/_index.md\n0000\t/etc/hostname\n"),
    );
    t.build().ok();
    assert_eq!(t.read("victim.txt"), "must survive\n");
    t.assert_exists("content/_index.md");
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
