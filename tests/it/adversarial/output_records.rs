//! rapport's record of what it wrote lives in the site's `.rapport/`, never
//! in the output folder: the published site holds no bookkeeping file, and an
//! output folder copied or moved elsewhere brings no record, so a build into
//! it prunes nothing. A missing, damaged or foreign record prunes nothing
//! either, and says so.

use crate::manifest::{manifest, record_of};
use crate::support::{assert_same_tree, copy_dir, snapshot, SiteTest};
use std::collections::BTreeSet;

/// Every file the build published, relative to `public/`.
fn published(t: &SiteTest) -> BTreeSet<String> {
    t.files_under("public").into_iter().collect()
}

/// The paths rapport's record of `public/` lists.
fn recorded(t: &SiteTest) -> BTreeSet<String> {
    let text = manifest(t);
    text.lines().filter(|l| !l.starts_with('#') && !l.starts_with("output\t")).map(|l| l[65..].to_string()).collect()
}

#[test]
fn the_published_folder_holds_only_the_site() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    t.write("content/guides/first.md", "+++\ntitle = \"First, again\"\n+++\nEdited.\n");
    t.build().ok();
    let files = published(&t);
    assert!(files.contains("index.html") && files.contains("guides/first/index.html"), "{files:?}");
    // Every published file is one the build meant to publish: none is rapport's own.
    assert_eq!(files, recorded(&t), "the output holds files that are not outputs");
    assert!(!files.iter().any(|f| f.contains("rapport-")), "{files:?}");
    assert!(t.read(".rapport/.gitignore").lines().any(|l| l == "*"), "the state folder ignores itself in git");
}

/// A site with a static file, built; removing that file later leaves a
/// stale output without changing any page.
fn built_with_extra() -> SiteTest {
    let t = SiteTest::from_fixture("basic/site");
    t.write("static/extra.txt", "extra\n");
    t.build().ok();
    t
}

#[test]
fn a_copied_output_folder_prunes_nothing() {
    let t = built_with_extra();
    let www = t.outer().join("www");
    copy_dir(&t.path("public"), &www);
    t.remove("static/extra.txt");
    let before = snapshot(&www);
    let run = t.run(&["build", "--output", &www.to_string_lossy()]);
    run.ok().stderr_has("nothing pruned: rapport has no record of writing here");
    assert_eq!(run.summary().removed, 0);
    let after = snapshot(&www);
    let lost: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(lost.is_empty(), "the copy lost {lost:?}");
    // The folder rapport did write keeps its own record and is pruned as before.
    let run = t.build();
    run.ok().stderr_lacks("nothing pruned");
    assert_eq!(run.summary().removed, 1);
    t.assert_absent("public/extra.txt");
}

/// A page whose bytes changed, in a folder rapport has no record of, is
/// refused with what to do, and nothing is written.
#[test]
fn a_copied_output_folder_is_never_overwritten() {
    let t = built_with_extra();
    let www = t.outer().join("www");
    copy_dir(&t.path("public"), &www);
    t.write("content/guides/first.md", "+++\ntitle = \"First, again\"\n+++\nEdited.\n");
    let before = snapshot(&www);
    t.run(&["build", "--output", &www.to_string_lossy()])
        .fails(1)
        .stderr_has("rapport did not write it (rapport has no record of this folder: if it is an old build, delete it");
    assert_same_tree(&before, &snapshot(&www), "a refused build changed the copy");
    std::fs::remove_dir_all(&www).unwrap();
    t.run(&["build", "--output", &www.to_string_lossy()]).ok();
    assert!(std::fs::read_to_string(www.join("guides/first/index.html")).unwrap().contains("Edited."));
}

#[test]
fn a_moved_output_folder_prunes_nothing_and_keeps_foreign_files() {
    let t = built_with_extra();
    std::fs::rename(t.path("public"), t.path("moved")).unwrap();
    t.write("moved/CNAME", "example.org\n");
    t.remove("static/extra.txt");
    let run = t.run(&["build", "--output", "moved"]);
    run.ok().stderr_has("nothing pruned");
    assert_eq!(run.summary().removed, 0);
    t.assert_exists("moved/extra.txt");
    // From now on the build has a record of what it wrote there, and prunes that only.
    t.remove("content/guides/second.md");
    let run = t.run(&["build", "--output", "moved"]);
    run.ok().stderr_lacks("nothing pruned");
    t.assert_absent("moved/guides/second/index.html").assert_exists("moved/extra.txt");
    assert_eq!(t.read("moved/CNAME"), "example.org\n");
}

/// The record names its folder relative to the site root, so moving the
/// whole site (output and `.rapport/` together) keeps it valid.
#[test]
fn moving_the_whole_site_keeps_its_record() {
    let t = built_with_extra();
    let moved = SiteTest::empty();
    copy_dir(t.root(), moved.root());
    moved.remove("content/guides/second.md").remove("static/extra.txt");
    let run = moved.build();
    run.ok().stderr_lacks("nothing pruned");
    assert!(run.summary().removed >= 2);
    moved.assert_absent("public/guides/second/index.html").assert_absent("public/extra.txt");
}

#[test]
fn a_damaged_or_foreign_record_prunes_nothing() {
    let t = built_with_extra();
    t.run(&["build", "--output", "other"]).ok();
    let (public, other) = (record_of(&t, "public"), record_of(&t, "other"));
    let (public_text, other_text) = (t.read(&public), t.read(&other));
    t.write(&public, &other_text);
    t.write(&other, &public_text);
    t.remove("static/extra.txt");
    let run = t.build();
    run.ok().stderr_has("nothing pruned").stderr_has("records another folder (other)");
    assert_eq!(run.summary().removed, 0);
    t.assert_exists("public/extra.txt");

    // `other`'s record still claims `public/`; only the one the build rewrote may.
    t.remove_file(&other);
    t.write("static/extra.txt", "extra\n").build().ok();
    t.remove("static/extra.txt");
    let text = manifest(&t);
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "not a record line");
    t.write(&record_of(&t, "public"), lines.join("\n") + "\n");
    let run = t.build();
    run.ok().stderr_has("nothing pruned").stderr_has("is damaged (line 3)");
    assert_eq!(run.summary().removed, 0);
    t.assert_exists("public/extra.txt");
}

/// Builds before `.rapport/` kept the record in `public/.rapport-manifest`.
/// An upgrade overwrites the files that record vouches for (their bytes still
/// hash to it), prunes nothing, and takes the file out of the published site.
#[test]
fn a_record_left_in_the_output_by_an_older_build_is_taken_out() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    let legacy: String =
        manifest(&t).lines().filter(|l| !l.starts_with("output\t")).map(|l| format!("{l}\n")).collect();
    std::fs::remove_dir_all(t.path(".rapport")).unwrap();
    t.write("public/.rapport-manifest", legacy);
    t.write("public/mine.html", "hand-written\n");
    t.write("content/guides/first.md", "+++\ntitle = \"First, again\"\n+++\nEdited.\n");
    t.remove("content/guides/second.md");
    t.build().ok().stderr_has("nothing pruned: its record moved from .rapport-manifest to .rapport/");
    t.assert_contains("public/guides/first/index.html", &["Edited."]);
    t.assert_absent("public/.rapport-manifest").assert_exists("public/guides/second/index.html");
    assert_eq!(t.read("public/mine.html"), "hand-written\n");
    record_of(&t, "public");
}
