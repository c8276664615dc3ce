//! `rapport init` into a folder that already holds files (issue 12, item 6):
//! it never overwrites one, and says which it kept.

use crate::support::SiteTest;

/// `init` into a cloned repository replaced its `.gitignore`.
#[test]
fn init_keeps_files_that_already_exist() {
    let t = SiteTest::empty();
    t.write(".gitignore", "target/\n");
    t.write("static/.keep", "mine\n");
    t.run_here(&["init", "."])
        .ok()
        .stderr_has("kept the existing ./.gitignore (init never overwrites a file); add `/public` to it")
        .stderr_has("kept the existing ./static/.keep")
        .stderr_has("created a site in .");
    assert_eq!(t.read(".gitignore"), "target/\n");
    assert_eq!(t.read("static/.keep"), "mine\n");
    t.assert_exists("site.toml").assert_exists("content/guides/getting-started.md");
}

/// A `.gitignore` that is a link (even a dangling one) is kept, not written through.
#[cfg(unix)]
#[test]
fn init_does_not_write_through_a_linked_gitignore() {
    let t = SiteTest::empty();
    let target = t.outer().join("elsewhere");
    std::os::unix::fs::symlink(&target, t.path(".gitignore")).unwrap();
    t.run_here(&["init", "."]).ok().stderr_has("kept the existing ./.gitignore");
    assert!(!target.exists(), "init created the link's target");
}
