//! Symbolic links in and around the output folder (issue 12, item 4): a
//! repository can commit links and a forged manifest; no build may
//! write or delete anything outside the output folder through them. Every
//! test points `HOME` at a private folder and checks it byte for byte.

use crate::support::{assert_same_tree, rapport_in, snapshot, Run, SiteTest};
use std::os::unix::fs::symlink;
use std::path::PathBuf;

/// A built site, and a fake home folder holding a `.bashrc` and `.config/autostart/`.
fn site_and_home() -> (SiteTest, PathBuf) {
    let t = SiteTest::from_fixture("basic/site");
    let home = t.outer().join("home");
    std::fs::create_dir_all(home.join(".config/autostart")).unwrap();
    std::fs::write(home.join(".bashrc"), "export PS1='$ '\n").unwrap();
    build(&t, &home).ok();
    (t, home)
}

fn build(t: &SiteTest, home: &std::path::Path) -> Run {
    let root = t.root().to_string_lossy().into_owned();
    rapport_in(t.root(), &["--root", &root, "build"], &[("HOME", home)])
}

fn forge_manifest(t: &SiteTest, lines: &str) {
    crate::manifest::forge(t, lines);
}

fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

#[test]
fn a_forged_manifest_cannot_prune_through_a_symlinked_folder() {
    let (t, home) = site_and_home();
    symlink(&home, t.path("public/h")).unwrap();
    // Even with the right hash of the victim: the link alone rules it out.
    forge_manifest(&t, &format!("{}\th/.bashrc\n", hash(b"export PS1='$ '\n")));
    let before = snapshot(&home);
    build(&t, &home).ok().stderr_has("public/h/.bashrc: not pruned:").stderr_has("is a symbolic link");
    assert_same_tree(&before, &snapshot(&home), "pruning went through public/h");
}

#[test]
fn a_forged_manifest_entry_prunes_only_a_file_with_the_recorded_hash() {
    let (t, home) = site_and_home();
    t.write("public/mine.txt", "hand-written\n");
    t.write("public/stale.txt", "old output\n");
    std::fs::create_dir(t.path("public/folder")).unwrap();
    let zero = "0".repeat(64);
    forge_manifest(&t, &format!("{zero}\tmine.txt\n{}\tstale.txt\n{zero}\tfolder\n", hash(b"old output\n")));
    let run = build(&t, &home);
    run.ok().stderr_has("public/mine.txt: not pruned: its bytes differ").stderr_has("public/folder: not pruned");
    assert_eq!(run.summary().removed, 1);
    assert_eq!(t.read("public/mine.txt"), "hand-written\n");
    t.assert_absent("public/stale.txt");
}

#[test]
fn a_symlinked_folder_where_a_page_goes_is_refused_before_anything_is_written() {
    let (t, home) = site_and_home();
    symlink(home.join(".config/autostart"), t.path("public/autostart")).unwrap();
    t.write("content/autostart/evil.md", "+++\ntitle = \"Evil\"\n+++\nx\n");
    let (before_home, before_out) = (snapshot(&home), snapshot(&t.path("public")));
    build(&t, &home)
        .fails(1)
        .stderr_has(&format!("refusing to write through {}", t.path("public/autostart").display()))
        .stderr_has("it is a symbolic link");
    assert_same_tree(&before_home, &snapshot(&home), "a page was written through public/autostart");
    assert_same_tree(&before_out, &snapshot(&t.path("public")), "a refused build wrote to the output");
}

#[test]
fn a_symlinked_parent_two_levels_up_is_refused_too() {
    let (t, home) = site_and_home();
    let elsewhere = t.outer().join("x");
    std::fs::create_dir(&elsewhere).unwrap();
    symlink(&elsewhere, t.path("public/a")).unwrap();
    t.write("content/a/b.md", "+++\ntitle = \"B\"\n+++\nx\n");
    build(&t, &home).fails(1).stderr_has("public/a: it is a symbolic link");
    assert!(snapshot(&elsewhere).len() == 1, "files appeared in {}", elsewhere.display());
}

#[test]
fn a_page_or_manifest_that_is_a_symlink_is_refused() {
    for which in ["page", "record"] {
        let (t, home) = site_and_home();
        let file =
            if which == "page" { "public/index.html".to_string() } else { crate::manifest::record_of(&t, "public") };
        std::fs::remove_file(t.path(&file)).unwrap();
        symlink(home.join(".bashrc"), t.path(&file)).unwrap();
        t.write("content/_index.md", "+++\ntitle = \"Changed\"\n+++\nNew.\n");
        let before = snapshot(&home);
        build(&t, &home).fails(1).stderr_has(&format!("refusing to write through {}", t.path(&file).display()));
        assert_same_tree(&before, &snapshot(&home), &format!("{file} was written through"));
        assert!(std::fs::symlink_metadata(t.path(&file)).unwrap().file_type().is_symlink(), "the link is kept");
    }
}

/// A repository can commit `.rapport -> ~/.config`: the records are never
/// written there, and the build that would is refused before the output changes.
#[test]
fn a_symlinked_state_folder_is_refused() {
    let (t, home) = site_and_home();
    std::fs::remove_dir_all(t.path(".rapport")).unwrap();
    symlink(home.join(".config"), t.path(".rapport")).unwrap();
    t.write("content/_index.md", "+++\ntitle = \"Changed\"\n+++\nNew.\n");
    let (before_home, before_out) = (snapshot(&home), snapshot(&t.path("public")));
    build(&t, &home).fails(1).stderr_has(&format!("refusing to write through {}", t.path(".rapport").display()));
    assert_same_tree(&before_home, &snapshot(&home), ".rapport/ was written through");
    assert_same_tree(&before_out, &snapshot(&t.path("public")), "a refused build wrote to the output");
}

/// The temporary name a file is written to first is a fixed sibling; a link
/// planted there must not be written through.
#[test]
fn a_planted_temporary_file_link_is_not_written_through() {
    let (t, home) = site_and_home();
    symlink(home.join(".bashrc"), t.path("public/.index.html.rapport-tmp")).unwrap();
    t.write("content/_index.md", "+++\ntitle = \"Changed\"\n+++\nNew body.\n");
    let before = snapshot(&home);
    build(&t, &home).ok();
    assert_same_tree(&before, &snapshot(&home), "the write followed the temporary link");
    t.assert_contains("public/index.html", &["New body."]);
}

#[test]
fn a_symlinked_output_folder_is_refused() {
    let t = SiteTest::from_fixture("basic/site");
    let home = t.outer().join("home");
    let elsewhere = t.outer().join("elsewhere");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir(&elsewhere).unwrap();
    symlink(&elsewhere, t.path("public")).unwrap();
    symlink(&elsewhere, t.path("build")).unwrap();
    let before = snapshot(t.outer());
    build(&t, &home).fails(1).stderr_has("public is a symbolic link (pass the folder it points to with --output");
    let root = t.root().to_string_lossy().into_owned();
    rapport_in(t.root(), &["--root", &root, "build", "--output", "build/public"], &[("HOME", home.as_path())])
        .fails(1)
        .stderr_has("build is a symbolic link");
    assert_same_tree(&before, &snapshot(t.outer()), "a symlinked output folder was written through");
    // The folder it points to, named directly, is the user's explicit choice.
    rapport_in(t.root(), &["build", "--output", &elsewhere.to_string_lossy()], &[("HOME", home.as_path())]).ok();
    assert!(elsewhere.join("index.html").is_file());
}
