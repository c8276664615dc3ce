//! Output folder rules: only changed files are written, only rapport's files pruned, unsafe folders refused.

use crate::support::SiteTest;

#[test]
fn unchanged_files_are_not_rewritten() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    let file = t.root().join("public/guides/first/index.html");
    let before = std::fs::metadata(&file).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    let run = t.build();
    run.ok().stderr_has(" 0 written");
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), before);
    t.write("content/guides/second.md", t.read("content/guides/second.md").replace("Second body", "Changed body"));
    t.build().ok();
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), before, "first is unaffected");
    assert!(t.read("public/guides/second/index.html").contains("Changed body"));
}

#[test]
fn stale_files_are_pruned_but_foreign_files_survive() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    t.write("public/CNAME", "example.org");
    t.write("public/.well-known/keep", "x");
    t.remove("content/notes/Obsidian note.md");
    t.build().ok();
    assert!(!t.exists("public/notes/obsidian-note/index.html"));
    assert_eq!(t.read("public/CNAME"), "example.org");
    assert!(t.exists("public/.well-known/keep"));
}

#[test]
fn a_file_rapport_did_not_write_is_never_overwritten() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("public/robots.txt", "mine");
    t.build().fails(1).stderr_has("refusing to overwrite");
    assert_eq!(t.read("public/robots.txt"), "mine");
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    let before = t.read("public/guides/first/index.html");
    t.write("content/guides/first.md", "+++\ntitle = 1\n+++\n");
    t.build().fails(1);
    assert_eq!(t.read("public/guides/first/index.html"), before);
}

#[test]
fn dangerous_output_folders_are_refused_before_anything_is_written() {
    let t = SiteTest::from_fixture("basic/site");
    let root = t.root().to_string_lossy().into_owned();
    let parent = t.root().parent().unwrap().to_string_lossy().into_owned();
    for out in [
        root.clone(),
        format!("{root}/content"),
        format!("{root}/content/x"),
        format!("{root}/themes"),
        parent,
        "/".into(),
    ] {
        t.run(&["build", "--output", &out]).fails(1).stderr_has("refusing to use");
    }
    assert!(!t.exists("content/x") && !t.exists("content/index.html"));
}
