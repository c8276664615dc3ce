//! The incremental engine follows recorded reads: what a template shows is
//! re-rendered when it changes with no rule in the engine naming it, a
//! change that fails leaves every served byte as it was, and a `syntaxes/`
//! edit highlights code again.

use rapport::build::BuildOptions;
use rapport::changes::{Batch, ChangeKind};
use rapport::incremental::LiveSite;
use std::path::{Path, PathBuf};

fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("site.toml"), "title = \"T\"\nbase_url = \"https://e.org/\"\nstrict_links = true\n")
        .unwrap();
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    (dir, root)
}

fn edit(live: &mut LiveSite, root: &Path, rel: &str, text: &str, kind: ChangeKind) -> rapport::Result<()> {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    live.apply(&Batch { changes: vec![(path, kind)], rescan: false }).map(drop)
}

fn served(live: &LiveSite, path: &str) -> String {
    String::from_utf8_lossy(&live.outputs[Path::new(path)]).into_owned()
}

fn same_as_full_build(live: &LiveSite, root: &Path) {
    let differing = crate::incremental::differing_from_full_build(live, root);
    assert!(differing.is_empty(), "differs from a full build in {differing:?}");
}

const PAGE: &str = "+++\ntitle = \"Alpha\"\nupdated = \"2024-01-01\"\n+++\nBody of alpha.\n";

/// A listing template shows `updated`, a field of the page summary the
/// default theme's listing does not show: editing it re-renders the listing.
#[test]
fn a_summary_field_a_listing_shows_is_followed() {
    let list = "{% for p in pages %}<li>{{ p.title }} updated {{ p.updated }}</li>{% endfor %}";
    let (_dir, root) = site(&[
        ("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n"),
        ("content/notes/alpha.md", PAGE),
        ("content/notes/beta.md", "+++\ntitle = \"Beta\"\n+++\nBeta.\n"),
        ("templates/partials/page_list.html", list),
    ]);
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    assert!(served(&live, "notes/index.html").contains("Alpha updated 2024-01-01"));
    let beta_before = served(&live, "notes/beta/index.html");
    edit(&mut live, &root, "content/notes/alpha.md", &PAGE.replace("2024-01-01", "2025-06-30"), ChangeKind::Content)
        .unwrap();
    assert!(served(&live, "notes/index.html").contains("Alpha updated 2025-06-30"), "the listing followed the field");
    assert_eq!(served(&live, "notes/beta/index.html"), beta_before, "a page that does not show it is untouched");
    same_as_full_build(&live, &root);
}

/// A retitle saved with a broken link fails under `strict_links`: nothing
/// served changes, and the save that fixes the link brings the new title
/// everywhere it shows, as a full build would.
#[test]
fn a_failed_edit_changes_nothing_and_its_fix_equals_a_full_build() {
    let (_dir, root) = site(&[
        ("content/notes/alpha.md", PAGE),
        ("content/notes/beta.md", "+++\ntitle = \"Beta\"\n+++\nSee [alpha](alpha.md).\n"),
    ]);
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let before = live.outputs.clone();
    let broken = PAGE.replace("Alpha", "Renamed").replace("Body of alpha.", "See [gone](gone.md).");
    let failed = edit(&mut live, &root, "content/notes/alpha.md", &broken, ChangeKind::Content);
    assert!(failed.is_err(), "a broken link is an error under strict_links");
    assert!(live.outputs == before, "a failed edit changed what is served");
    let fixed = broken.replace("See [gone](gone.md).", "Fixed.");
    edit(&mut live, &root, "content/notes/alpha.md", &fixed, ChangeKind::Content).unwrap();
    assert!(served(&live, "notes/beta/index.html").contains("Renamed"), "the backlink's page shows the new title");
    same_as_full_build(&live, &root);
}

/// A page added while another's link to it was broken: the linking page's
/// markdown is rendered again (its link lookup now answers differently).
#[test]
fn a_page_added_fixes_the_links_that_named_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("site.toml"), "title = \"T\"\nbase_url = \"https://e.org/\"\n").unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/a.md"), "+++\ntitle = \"A\"\n+++\nSee [[Later]].\n").unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    assert!(!served(&live, "a/index.html").contains("href=\"/later/\""));
    edit(&mut live, &root, "content/Later.md", "# Later\nHere now.\n", ChangeKind::Content).unwrap();
    assert!(served(&live, "a/index.html").contains("href=\"/later/\""), "{}", served(&live, "a/index.html"));
    same_as_full_build(&live, &root);
}

/// A syntax added under `syntaxes/` highlights the code written in it.
#[test]
fn a_syntaxes_edit_highlights_code_again() {
    let (_dir, root) = site(&[("content/code.md", "+++\ntitle = \"Code\"\n+++\n```probe\nzap here\n```\n")]);
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let plain = served(&live, "code/index.html");
    let syntax = "%YAML 1.2\n---\nname: Probe\nfile_extensions: [probe]\nscope: source.probe\ncontexts:\n  main:\n    - match: '\\bzap\\b'\n      scope: keyword.control.probe\n";
    edit(&mut live, &root, "syntaxes/probe.sublime-syntax", syntax, ChangeKind::Syntaxes).unwrap();
    let highlighted = served(&live, "code/index.html");
    assert_ne!(plain, highlighted, "the code block was highlighted again");
    same_as_full_build(&live, &root);
}

/// A batch that fails (a new page and a broken link saved together) is not
/// lost: once the link is fixed, the new page is served too, as a full
/// build has it, although the fixing save touched only the other file.
#[test]
fn a_failed_batch_goes_again_with_the_next() {
    let (_dir, root) = site(&[("content/notes/alpha.md", PAGE)]);
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let new = root.join("content/notes/new.md");
    std::fs::write(&new, "+++\ntitle = \"New\"\n+++\nNew page.\n").unwrap();
    let alpha = root.join("content/notes/alpha.md");
    std::fs::write(&alpha, PAGE.replace("Body of alpha.", "See [gone](gone.md).")).unwrap();
    let both = vec![(new, ChangeKind::Content), (alpha.clone(), ChangeKind::Content)];
    assert!(live.apply(&Batch { changes: both, rescan: false }).is_err());
    assert!(!live.outputs.contains_key(Path::new("notes/new/index.html")));
    std::fs::write(&alpha, PAGE).unwrap();
    live.apply(&Batch { changes: vec![(alpha, ChangeKind::Content)], rescan: false }).unwrap();
    assert!(served(&live, "notes/new/index.html").contains("New page."));
    same_as_full_build(&live, &root);
}

/// A page added is served at once, before the stages run, and the site
/// then catches up. A page deleted stops being served at once; when the
/// stages then fail (under `strict_links` another page still links to it)
/// it is served again, and the save that drops the link deletes it for good.
#[test]
fn pages_added_or_deleted_show_at_once_and_a_failed_delete_is_put_back() {
    let (_dir, root) = site(&[
        ("content/notes/alpha.md", PAGE),
        ("content/notes/beta.md", "+++\ntitle = \"Beta\"\n+++\nSee [alpha](alpha.md).\n"),
    ]);
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let none = std::collections::BTreeSet::new();
    let new = root.join("content/notes/new.md");
    std::fs::write(&new, "+++\ntitle = \"New\"\n+++\nNew page.\n").unwrap();
    let shown = live.apply_visited_first(&Batch { changes: vec![(new, ChangeKind::Content)], rescan: false }, &none);
    let shown = shown.unwrap();
    assert_eq!(shown.how, "page shown, site following");
    assert_eq!(shown.written, [PathBuf::from("notes/new/index.html")]);
    assert!(served(&live, "notes/new/index.html").contains("New page."));
    assert!(live.has_pending(), "the stages still have to run");
    while live.has_pending() {
        live.render_pending(usize::MAX).unwrap();
    }
    same_as_full_build(&live, &root);

    let before = live.outputs.clone();
    let alpha = root.join("content/notes/alpha.md");
    std::fs::remove_file(&alpha).unwrap();
    let gone = live.apply_visited_first(&Batch { changes: vec![(alpha, ChangeKind::Content)], rescan: false }, &none);
    assert_eq!(gone.unwrap().removed, [PathBuf::from("notes/alpha/index.html")]);
    assert!(!live.outputs.contains_key(Path::new("notes/alpha/index.html")));
    assert!(live.render_pending(usize::MAX).is_err(), "beta's link to alpha is broken");
    let restored = live.take_restored().expect("the deleted page is put back");
    assert_eq!(restored.written, [PathBuf::from("notes/alpha/index.html")]);
    assert!(live.outputs == before, "a failed change left the site as it was");
    edit(&mut live, &root, "content/notes/beta.md", "+++\ntitle = \"Beta\"\n+++\nNo link.\n", ChangeKind::Content)
        .unwrap();
    assert!(!live.outputs.contains_key(Path::new("notes/alpha/index.html")));
    same_as_full_build(&live, &root);
}

/// A page shown early and deleted before the stages ran is not left
/// behind: once they run, it is no longer served.
#[test]
fn a_page_shown_early_then_deleted_is_not_left_behind() {
    let (_dir, root) = site(&[("content/notes/alpha.md", PAGE)]);
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let none = std::collections::BTreeSet::new();
    let new = root.join("content/notes/new.md");
    std::fs::write(&new, "+++\ntitle = \"New\"\n+++\nNew page.\n").unwrap();
    let batch = Batch { changes: vec![(new.clone(), ChangeKind::Content)], rescan: false };
    assert_eq!(live.apply_visited_first(&batch, &none).unwrap().how, "page shown, site following");
    std::fs::remove_file(&new).unwrap();
    let update = live.apply_visited_first(&batch, &none).unwrap();
    assert!(update.removed.contains(&PathBuf::from("notes/new/index.html")), "{update:?}");
    while live.has_pending() {
        live.render_pending(usize::MAX).unwrap();
    }
    assert!(!live.outputs.contains_key(Path::new("notes/new/index.html")));
    same_as_full_build(&live, &root);
}
