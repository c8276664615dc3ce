//! A build killed mid-way (issue 12, item 8) leaves its
//! `.public.rapport-staging-PID` folder behind; the next build removes those
//! of dead processes, never one of a live process, never through a link.

use crate::support::{assert_same_tree, snapshot, SiteTest};
use std::os::unix::fs::symlink;
use std::path::PathBuf;

/// The PID of a process that has exited (and been reaped).
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().expect("`true` runs");
    let pid = child.id();
    child.wait().unwrap();
    assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists(), "pid {pid} was reused already");
    pid
}

/// A leftover staging folder of `pid` holding a page and a link to `victim`.
fn leftover(t: &SiteTest, pid: u32, victim: &std::path::Path) -> PathBuf {
    let stage = t.path(&format!(".public.rapport-staging-{pid}"));
    std::fs::create_dir_all(stage.join("guides")).unwrap();
    std::fs::write(stage.join("guides/index.html"), "half a site").unwrap();
    symlink(victim, stage.join("guides/link")).unwrap();
    stage
}

fn outside(t: &SiteTest) -> PathBuf {
    let dir = t.outer().join("outside");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keep.txt"), "keep me\n").unwrap();
    dir
}

#[test]
fn staging_folders_of_dead_processes_are_removed_and_live_ones_kept() {
    for first_build in [true, false] {
        let t = SiteTest::from_fixture("basic/site");
        if !first_build {
            t.build().ok();
        }
        let victim = outside(&t);
        let before = snapshot(&victim);
        let dead = leftover(&t, dead_pid(), &victim);
        let live = leftover(&t, std::process::id(), &victim);
        t.build().ok().stderr_has("removed the staging folder of a build").stderr_has(&dead.display().to_string());
        assert!(!dead.exists(), "{} is left (first build: {first_build})", dead.display());
        assert_eq!(std::fs::read(live.join("guides/index.html")).unwrap(), b"half a site", "a live build's folder");
        assert_same_tree(&before, &snapshot(&victim), "removal followed a link");
        t.assert_exists("public/index.html");
    }
}

#[test]
fn a_link_with_a_staging_name_is_left_alone() {
    let t = SiteTest::from_fixture("basic/site");
    let victim = outside(&t);
    let before = snapshot(&victim);
    let name = t.path(&format!(".public.rapport-staging-{}", dead_pid()));
    symlink(&victim, &name).unwrap();
    t.build().ok();
    assert!(std::fs::symlink_metadata(&name).unwrap().file_type().is_symlink());
    assert_same_tree(&before, &snapshot(&victim), "a staging-named link was followed");
}
