//! The build cache: a warm `rapport build` writes exactly what a cold one
//! does, whatever changed in between, answers from the cache only when
//! nothing it depends on did, and after edits to content or static files
//! renders again only what they reached; a damaged or foreign record or
//! state is never trusted.

use crate::incremental::{apply_edit, cases, edit, make_site, page_path, Edit};
use crate::support::SiteTest;
use proptest::prelude::*;
use rapport::build::{self, BuildOptions, BuildSummary};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir` (bytes only: modification times differ between builds).
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let walk = walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file());
    walk.map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap())).collect()
}

fn warm(root: &Path) -> rapport::error::Result<BuildSummary> {
    build::build(root, &BuildOptions::default())
}

/// A cold build of `root` into a fresh folder beside it, compared with the warm output.
#[track_caller]
fn assert_as_cold(root: &Path, history: &[Step]) {
    let root = &root.canonicalize().unwrap();
    let beside = tempfile::tempdir().unwrap();
    let cold = beside.path().join("cold");
    let opts = BuildOptions { output: Some(cold.clone()), no_cache: true, ..BuildOptions::default() };
    build::build(root, &opts).expect("cold build");
    let (warm, cold) = (files(&root.join("public")), files(&cold));
    let differing: Vec<&PathBuf> = warm.keys().chain(cold.keys()).filter(|p| warm.get(*p) != cold.get(*p)).collect();
    assert!(differing.is_empty(), "after {history:?}\nthe warm build differs from a cold one in {differing:?}");
}

/// One step between builds: an edit of the site, or of what the cache checks.
#[derive(Debug, Clone)]
enum Step {
    Site(Edit),
    /// Nothing at all: the cache must answer.
    Nothing,
    /// A file the site ignores (an editor's swap file): the cache must answer.
    Ignored(String),
    /// An output file grows, or goes.
    Tamper(usize),
    Remove(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => edit().prop_map(Step::Site),
        1 => Just(Step::Nothing),
        1 => "[a-z]{1,6}".prop_map(Step::Ignored),
        1 => (0usize..64).prop_map(Step::Tamper),
        1 => (0usize..64).prop_map(Step::Remove),
    ]
}

/// The `n`th output file (by path, wrapping), relative to the output folder.
fn nth_output(root: &Path, n: usize) -> PathBuf {
    let all: Vec<PathBuf> = files(&root.join("public")).into_keys().collect();
    all[n % all.len()].clone()
}

/// Whether the next build after `s` must be warm (it renders only what the
/// edit reached): an edit of one page's text or front matter, outputs untouched.
fn must_be_warm(s: &Step) -> bool {
    use Edit::*;
    matches!(
        s,
        Step::Site(
            Body(..) | Link(..) | Title(..) | Weight(..) | Tags(..) | Description(..) | Date(..) | SectionBody(..)
        )
    )
}

/// Takes a step; says whether the next build must come from the cache
/// (false: it may, when the edit changed nothing).
fn take(root: &Path, s: &Step) -> bool {
    let out = root.join("public");
    match s {
        Step::Site(Edit::Break(p)) => {
            let path = page_path(root, *p);
            let Ok(good) = std::fs::read_to_string(&path) else { return false };
            apply_edit(root, &Edit::Break(*p));
            assert!(warm(root).is_err(), "broken front matter built");
            std::fs::write(&path, good).unwrap();
            false
        }
        Step::Site(e) => {
            apply_edit(root, e);
            false
        }
        Step::Nothing => true,
        Step::Ignored(w) => {
            std::fs::write(root.join(format!("content/.{w}.md.swp")), w).unwrap();
            true
        }
        Step::Tamper(n) => {
            let path = out.join(nth_output(root, *n));
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend(b"<!-- edited -->");
            std::fs::write(&path, bytes).unwrap();
            false
        }
        Step::Remove(n) => {
            std::fs::remove_file(out.join(nth_output(root, *n))).unwrap();
            false
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 4, failure_persistence: None, ..ProptestConfig::default() })]

    /// After any run of edits (content, structure, templates, static files,
    /// syntaxes, site.toml, broken front matter) and of tampering with the
    /// output, each warm build leaves the output exactly as a cold build
    /// writes it; and when nothing it reads changed, the cache answers.
    #[test]
    fn a_warm_build_writes_what_a_cold_build_writes(steps in proptest::collection::vec(step(), 1..6)) {
        let dir = make_site();
        let root = dir.path().canonicalize().unwrap();
        warm(&root).expect("first build");
        for (k, s) in steps.iter().enumerate() {
            let unchanged = take(&root, s);
            let summary = warm(&root).expect("warm build");
            // Site edits may change nothing (removing a page that is not
            // there); the cold build below is what proves a cached answer right.
            prop_assert!(summary.cached || !unchanged, "not cached after {:?}", &steps[..=k]);
            let followed = summary.cached || summary.rendered_again.is_some();
            prop_assert!(followed || !must_be_warm(s), "a full build after {:?}", &steps[..=k]);
            assert_as_cold(&root, &steps[..=k]);
        }
    }
}

/// The cache's record of `site`'s build into `public/`, or its warm state
/// (`ext`): named by a hash of the output folder as the site sees it.
fn cache_file(site: &SiteTest, ext: &str) -> PathBuf {
    let file = site.path(&format!(".rapport/cache/{}.{ext}", &blake3::hash(b"public").to_hex()[..16]));
    assert!(file.is_file(), "no {}", file.display());
    file
}

/// The warm state the record names: the one `<name>.<hash>.warm` beside it.
fn state_file(site: &SiteTest) -> PathBuf {
    let record = record(site);
    let stem = format!("{}.", record.file_stem().unwrap().to_str().unwrap());
    let states: Vec<PathBuf> = std::fs::read_dir(record.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().is_some_and(|n| n.starts_with(&stem) && n.ends_with(".warm")))
        .collect();
    assert_eq!(states.len(), 1, "one warm state beside the record: {states:?}");
    states[0].clone()
}

fn record(site: &SiteTest) -> PathBuf {
    cache_file(site, "json")
}

/// "rendered again: N of M" from a build's summary line.
fn rendered_again(stderr: &str) -> Option<(usize, usize)> {
    let (_, rest) = stderr.split_once("rendered again: ")?;
    let (n, rest) = rest.split_once(" of ")?;
    let m = rest.split_whitespace().next()?;
    Some((n.parse().ok()?, m.parse().ok()?))
}

/// The basic site, built once, with the path and text of the page the tests edit.
fn built_site() -> (SiteTest, PathBuf, String) {
    let site = SiteTest::from_fixture("basic/site");
    site.build().ok();
    let page = site.path("content/guides/first.md");
    let text = std::fs::read_to_string(&page).unwrap();
    (site, page, text)
}

#[test]
fn an_edited_page_renders_again_only_what_reads_it() {
    let (site, page, text) = built_site();
    std::fs::write(&page, format!("{text}\nA new closing line.\n")).unwrap();
    let run = site.build();
    run.ok();
    let (again, all) = rendered_again(&run.stderr).expect("a warm build says what it rendered again");
    assert!(again >= 1 && again < all / 2, "a body edit rendered {again} of {all}");
    assert!(std::fs::read_to_string(site.path("public/guides/first/index.html"))
        .unwrap()
        .contains("A new closing line."));
    assert_as_cold(site.root(), &[]);
    // A template edit is not followed: everything is rendered.
    let template = site.path("templates/page.html");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    let base = std::fs::read_to_string(site.root().join("templates/page.html")).unwrap_or_default();
    std::fs::write(&template, format!("{base}\n<!-- a template edit -->\n")).unwrap();
    let run = site.build();
    run.ok().stderr_lacks("rendered again");
}

/// The outputs are checked while a warm build runs: one deleted or edited
/// with the same edit to the content makes the build a full one.
#[test]
fn an_output_deleted_or_edited_beside_a_content_edit_makes_a_full_build() {
    let (site, page, text) = built_site();
    let other = site.path("public/index.html");
    for (k, damage) in ["remove", "edit"].into_iter().enumerate() {
        std::fs::write(&page, format!("{text}\nEdit number {k}.\n")).unwrap();
        match damage {
            "remove" => std::fs::remove_file(&other).unwrap(),
            _ => std::fs::write(&other, "<p>edited by hand</p>").unwrap(),
        }
        let run = site.build();
        run.ok().stderr_lacks("rendered again");
        assert_as_cold(site.root(), &[]);
        std::fs::write(&page, format!("{text}\nEdit number {k}, again.\n")).unwrap();
        assert!(rendered_again(&site.build().stderr).is_some(), "{damage}: the next build is warm again");
    }
}

#[test]
fn a_damaged_or_missing_warm_state_is_noted_and_ignored() {
    let (site, page, text) = built_site();
    for (k, damage) in ["flip", "truncate", "remove"].into_iter().enumerate() {
        let state = state_file(&site);
        let bytes = std::fs::read(&state).unwrap();
        match damage {
            "flip" => std::fs::write(&state, bytes.iter().map(|b| b ^ 1).collect::<Vec<u8>>()).unwrap(),
            "truncate" => std::fs::write(&state, &bytes[..bytes.len() / 2]).unwrap(),
            _ => std::fs::remove_file(&state).unwrap(),
        }
        std::fs::write(&page, format!("{text}\nEdit number {k}.\n")).unwrap();
        let run = site.build();
        run.ok().stderr_has("build cache state is damaged or missing").stderr_lacks("rendered again");
        assert_as_cold(site.root(), &[]);
        std::fs::write(&page, format!("{text}\nEdit number {k}, again.\n")).unwrap();
        assert!(rendered_again(&site.build().stderr).is_some(), "{damage}: the next build is warm again");
    }
}

#[test]
fn damaged_or_missing_saved_renderings_are_noted_and_their_pages_render_again() {
    let site = SiteTest::from_fixture("basic/site");
    site.build().ok();
    let folder = cache_file(&site, "json").with_extension("md");
    let page = site.path("content/guides/first.md");
    let text = std::fs::read_to_string(&page).unwrap();
    for (k, damage) in ["flip", "truncate", "remove"].into_iter().enumerate() {
        let mut saved: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
        saved.sort();
        assert!(!saved.is_empty(), "a build saves its renderings in {}", folder.display());
        for file in &saved {
            let bytes = std::fs::read(file).unwrap();
            match damage {
                "flip" => std::fs::write(file, bytes.iter().map(|b| b ^ 1).collect::<Vec<u8>>()).unwrap(),
                "truncate" => std::fs::write(file, &bytes[..bytes.len() / 2]).unwrap(),
                _ => std::fs::remove_file(file).unwrap(),
            }
        }
        std::fs::write(&page, format!("{text}\nEdit number {k}.\n")).unwrap();
        let run = site.build();
        run.ok().stderr_has("saved renderings are damaged or missing");
        assert!(rendered_again(&run.stderr).is_some(), "{damage}: the build is still warm");
        assert!(std::fs::read_to_string(site.path("public/guides/first/index.html"))
            .unwrap()
            .contains(&format!("Edit number {k}.")));
        assert_as_cold(site.root(), &[]);
        // The note is not repeated by a build the cache answers.
        site.build().ok().stderr_has("nothing changed").stderr_lacks("saved renderings");
        std::fs::write(&page, format!("{text}\nEdit number {k}, again.\n")).unwrap();
        site.build().ok().stderr_lacks("saved renderings");
        assert_as_cold(site.root(), &[]);
    }
}

#[test]
fn the_cache_of_an_output_folder_that_is_gone_is_removed_by_the_next_build() {
    let site = SiteTest::from_fixture("basic/site");
    let cache = site.path(".rapport/cache");
    let entries = || {
        let mut names: Vec<String> =
            std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    site.run(&["build", "--output", "preview"]).ok();
    let preview = entries();
    assert!(preview.iter().any(|n| n.ends_with(".md")) && preview.iter().any(|n| n.ends_with(".warm")), "{preview:?}");
    site.build().ok();
    let both = entries();
    assert_eq!(both.len(), preview.len() * 2, "{both:?}");
    // The published folder stays; a build of it leaves the preview's cache while the preview is there.
    site.build().ok();
    assert_eq!(entries(), both);
    std::fs::remove_dir_all(site.path("preview")).unwrap();
    let page = site.path("content/guides/first.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nOne more line.\n")).unwrap();
    site.build().ok();
    let left = entries();
    assert_eq!(left.len(), preview.len(), "{left:?}");
    assert!(left.iter().all(|n| !preview.contains(n)), "the preview's cache is gone: {left:?}");
}

#[test]
fn an_unchanged_build_answers_from_the_cache_and_touches_nothing() {
    let site = SiteTest::from_fixture("basic/site");
    site.build().ok().stderr_lacks("nothing changed");
    let before = crate::support::snapshot(&site.path("public"));
    let again = site.build();
    again.ok().stderr_has("(nothing changed since the last build)");
    assert_eq!(again.summary().written, 0);
    assert_eq!(again.summary().unchanged, before.values().filter(|(b, _)| !b.is_empty()).count());
    crate::support::assert_same_tree(&before, &crate::support::snapshot(&site.path("public")), "a cached build");
    site.run(&["build", "--no-cache"]).ok().stderr_lacks("nothing changed");
    // Other options are another build: the cache does not answer for them.
    site.run(&["build", "--drafts"]).ok().stderr_lacks("nothing changed");
    site.run(&["build", "--base-url", "https://other.example/"]).ok().stderr_lacks("nothing changed");
}

#[test]
fn warnings_of_the_build_are_repeated_from_the_cache() {
    let site = SiteTest::from_fixture("basic/site");
    site.write("content/broken-link.md", "+++\ntitle = \"B\"\n+++\nSee [missing](nowhere.md).\n");
    let first = site.build();
    first.ok().stderr_has("nowhere.md");
    let again = site.build();
    again.ok().stderr_has("nothing changed").stderr_has("nowhere.md");
}

#[test]
fn a_damaged_truncated_or_foreign_record_is_noted_and_ignored() {
    let site = SiteTest::from_fixture("basic/site");
    site.build().ok();
    let file = record(&site);
    let good = std::fs::read(&file).unwrap();
    for (what, bytes) in [
        ("truncated", good[..good.len() / 2].to_vec()),
        ("damaged", good.iter().map(|&b| if b == b'1' { b'2' } else { b }).collect()),
        ("empty", Vec::new()),
    ] {
        std::fs::write(&file, &bytes).unwrap();
        let run = site.build();
        run.ok().stderr_lacks("nothing changed");
        run.stderr_has("build cache is damaged");
        assert!(site.build().stderr.contains("nothing changed"), "{what}: the next build is warm again");
    }
    // A whole site copied elsewhere brings its record along: it names the old site.
    let copy = tempfile::tempdir().unwrap();
    crate::support::copy_dir(site.root(), copy.path());
    let moved = crate::support::rapport_in(copy.path(), &["build"], &[]);
    moved.ok().stderr_has("written for another site").stderr_lacks("nothing changed");
}

#[test]
fn an_edited_ignored_or_missing_input_decides_the_next_build() {
    let site = SiteTest::from_fixture("basic/site");
    site.build().ok();
    site.write("content/.draft.md.swp", "editor state");
    site.write("notes.txt", "not part of the site");
    site.build().ok().stderr_has("nothing changed");
    let page = site.path("content/guides/first.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nA new closing line.\n")).unwrap();
    let run = site.build();
    run.ok().stderr_lacks("nothing changed");
    assert!(run.summary().written > 0);
    std::fs::write(&page, &text).unwrap();
    site.build().ok().stderr_lacks("nothing changed");
    site.build().ok().stderr_has("nothing changed");
}

#[test]
fn a_cache_folder_that_is_a_link_is_not_written_through() {
    let site = SiteTest::from_fixture("basic/site");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path(".rapport")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.path(".rapport/cache")).unwrap();
    site.build().ok().stderr_has("build cache is not written").stderr_has("symbolic link");
    assert!(std::fs::read_dir(elsewhere.path()).unwrap().next().is_none(), "nothing written through the link");
    site.build().ok().stderr_lacks("nothing changed");
}

#[test]
fn a_linked_input_is_compared_by_what_it_points_at() {
    let site = SiteTest::from_fixture("basic/site");
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("linked.md");
    std::fs::write(&target, "+++\ntitle = \"Linked\"\n+++\nFirst words.\n").unwrap();
    std::os::unix::fs::symlink(&target, site.path("content/guides/linked.md")).unwrap();
    let first = site.build();
    first.ok();
    site.build().ok().stderr_has("nothing changed");
    std::fs::write(&target, "+++\ntitle = \"Linked\"\n+++\nOther words.\n").unwrap();
    site.build().ok().stderr_lacks("nothing changed");
}

/// An edit that moves the average page length past a step of its quantised
/// value makes every impact the warm state kept stale: the warm build then
/// analyses every page again, and still writes what a cold build writes.
#[test]
fn a_warm_build_after_the_average_length_moved_writes_what_a_cold_build_writes() {
    let dir = make_site();
    let root = dir.path().canonicalize().unwrap();
    warm(&root).expect("first build");
    let page = page_path(&root, 0);
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text + &"\nRupture and repair of the working alliance, told at length.".repeat(300)).unwrap();
    let summary = warm(&root).expect("warm build");
    assert!(summary.rendered_again.is_some(), "the build after one page's edit is warm");
    assert_as_cold(&root, &[]);
}
