//! Incremental rebuilds equal full builds, byte for byte, for random edit sequences.

use proptest::prelude::*;
use rapport::build::BuildOptions;
use rapport::changes::{Batch, ChangeKind};
use rapport::incremental::{LiveSite, Outputs, Update};
use std::path::{Path, PathBuf};

const PAGES: usize = 6;

pub(crate) fn page_path(root: &Path, i: usize) -> PathBuf {
    let section = if i.is_multiple_of(2) { "alpha" } else { "beta" };
    root.join(format!("content/{section}/p{i}.md"))
}

fn page_text(i: usize, title: &str, weight: i64, tags: &[&str], body: &str) -> String {
    let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
    format!("+++\ntitle = \"{title}\"\nweight = {weight}\ntags = [{}]\n+++\n\nPage {i}. {body}\n", tags.join(", "))
}

/// A small site whose pages link, embed and tag each other.
pub(crate) fn make_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("site.toml"), "title = \"T\"\nbase_url = \"https://e.org/\"\n").unwrap();
    for s in ["alpha", "beta"] {
        std::fs::create_dir_all(root.join("content").join(s)).unwrap();
        std::fs::write(
            root.join(format!("content/{s}/_index.md")),
            format!("+++\ntitle = \"{s}\"\n+++\nSection {s}.\n"),
        )
        .unwrap();
    }
    std::fs::write(root.join("content/_index.md"), "+++\ntitle = \"Home\"\n+++\nSee [[p0]].\n").unwrap();
    for i in 0..PAGES {
        let body = format!("Links to [[p{}]] and [next](../alpha/p{}.md).", (i + 1) % PAGES, (i + 2) % PAGES / 2 * 2);
        std::fs::write(page_path(root, i), page_text(i, &format!("Page {i}"), i as i64, &["shared"], &body)).unwrap();
    }
    dir
}

#[derive(Debug, Clone)]
pub(crate) enum Edit {
    Body(usize, String),
    Link(usize, usize),
    /// A wikilink in a front matter property (a backlink of its target).
    PropertyLink(usize, usize),
    Embed(usize, usize),
    Title(usize, String),
    Weight(usize, i64),
    Tags(usize, Vec<&'static str>),
    InlineTag(usize),
    Description(usize, String),
    Date(usize, u8),
    Alias(usize, String),
    Slug(usize, String),
    /// A fenced block in a language only `syntaxes/` defines.
    Code(usize),
    /// Inline math, and a Mermaid flowchart.
    Math(usize, String),
    Diagram(usize, String),
    /// A review date and period (whether it is overdue shows on the page).
    Reviewed(usize, u8, u8),
    SectionBody(bool, String),
    SectionTitle(bool, String),
    Create(usize),
    Delete(usize),
    Rename(usize),
    /// A section folder with its `_index.md` and one page, added or removed.
    NewSection(String),
    DropSection,
    /// `templates/page.html` overridden with a variant, or the override removed.
    Template(Option<String>),
    /// `templates/partials/page_list.html` overridden with a variant.
    Partial(String),
    Static(String),
    /// A `.sublime-syntax` file added or changed.
    Syntax(String),
    SiteTitle(String),
    /// Page front matter that does not parse, saved and then fixed.
    Break(usize),
}

pub(crate) fn edit() -> impl Strategy<Value = Edit> {
    let page = 0..PAGES;
    let word = "[a-z]{1,8}";
    let content = prop_oneof![
        (page.clone(), word).prop_map(|(p, w)| Edit::Body(p, w)),
        (page.clone(), 0..PAGES).prop_map(|(p, q)| Edit::Link(p, q)),
        (page.clone(), 0..PAGES).prop_map(|(p, q)| Edit::PropertyLink(p, q)),
        (page.clone(), 0..PAGES).prop_map(|(p, q)| Edit::Embed(p, q)),
        (page.clone(), word).prop_map(|(p, w)| Edit::Title(p, w)),
        (page.clone(), -3i64..10).prop_map(|(p, w)| Edit::Weight(p, w)),
        (page.clone(), proptest::sample::subsequence(vec!["shared", "x", "y"], 0..3))
            .prop_map(|(p, t)| Edit::Tags(p, t)),
        page.clone().prop_map(Edit::InlineTag),
        (page.clone(), word).prop_map(|(p, w)| Edit::Description(p, w)),
        (page.clone(), 1u8..28).prop_map(|(p, d)| Edit::Date(p, d)),
        (page.clone(), word).prop_map(|(p, w)| Edit::Alias(p, w)),
        (page.clone(), word).prop_map(|(p, w)| Edit::Slug(p, w)),
        page.clone().prop_map(Edit::Code),
        (page.clone(), word).prop_map(|(p, w)| Edit::Math(p, w)),
        (page.clone(), word).prop_map(|(p, w)| Edit::Diagram(p, w)),
        (page.clone(), 1u8..28, 1u8..30).prop_map(|(p, d, n)| Edit::Reviewed(p, d, n)),
        (any::<bool>(), word).prop_map(|(a, w)| Edit::SectionBody(a, w)),
        (any::<bool>(), word).prop_map(|(a, w)| Edit::SectionTitle(a, w)),
    ];
    let structure = prop_oneof![
        (6usize..9).prop_map(Edit::Create),
        // Pages 6..9 are the ones `Create` makes.
        (0usize..9).prop_map(Edit::Delete),
        page.prop_map(Edit::Rename),
        word.prop_map(Edit::NewSection),
        Just(Edit::DropSection),
    ];
    let site = prop_oneof![
        proptest::option::of(word).prop_map(Edit::Template),
        word.prop_map(Edit::Partial),
        word.prop_map(Edit::Static),
        word.prop_map(Edit::Syntax),
        word.prop_map(Edit::SiteTitle),
    ];
    prop_oneof![6 => content, 2 => structure, 2 => site, 1 => (0..PAGES).prop_map(Edit::Break)]
}

/// A page template that shows what the theme's does, plus a marker.
fn page_template(marker: &str) -> String {
    format!(
        "{{% extends \"base.html\" %}}{{% block content %}}<p>{marker}</p><h1>{{{{ page.title }}}}</h1>{{{{ page.content | safe }}}}{{% for b in page.backlinks %}}<a href=\"{{{{ b.url }}}}\">{{{{ b.title }}}}</a>{{% endfor %}}{{% endblock content %}}"
    )
}

/// A listing partial that shows every field of a page summary.
fn page_list(marker: &str) -> String {
    format!(
        "<ul data-m=\"{marker}\">{{% for p in pages %}}<li><a href=\"{{{{ p.url }}}}\">{{{{ p.title }}}}</a> {{{{ p.description | default(value='') }}}} {{{{ p.date | default(value='') }}}} {{{{ p.updated | default(value='') }}}} {{{{ p.summary | safe }}}} {{{{ p.reading_time }}}}{{% for t in p.tags %}} {{{{ t.title }}}}{{% endfor %}}</li>{{% endfor %}}</ul>"
    )
}

fn syntax(name: &str) -> String {
    format!(
        "%YAML 1.2\n---\nname: Probe\nfile_extensions: [probe]\nscope: source.probe\ncontexts:\n  main:\n    - match: '\\b{name}\\b'\n      scope: keyword.control.probe\n"
    )
}

/// Applies an edit to the files; returns the paths it touched, as the watcher classifies them.
pub(crate) fn apply_edit(root: &Path, e: &Edit) -> Vec<(PathBuf, ChangeKind)> {
    let rewrite = |path: PathBuf, f: &dyn Fn(String) -> String| {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| page_text(0, "Revived", 0, &[], ""));
        std::fs::write(&path, f(text)).unwrap();
        vec![(path, ChangeKind::Content)]
    };
    let front = |path: PathBuf, key: &str, line: String| {
        rewrite(path, &|t| {
            if t.contains(&format!("\n{key} = ")) {
                replace_line(&t, &format!("{key} = "), &line)
            } else {
                t.replacen("+++\n", &format!("+++\n{line}\n"), 1)
            }
        })
    };
    let write = |rel: &str, text: &str, kind: ChangeKind| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        vec![(path, kind)]
    };
    let section = |alpha: bool| root.join(format!("content/{}/_index.md", if alpha { "alpha" } else { "beta" }));
    match e {
        Edit::Body(p, w) => rewrite(page_path(root, *p), &|t| format!("{t}\nMore {w} text.\n")),
        Edit::Link(p, q) => rewrite(page_path(root, *p), &|t| format!("{t}\nAlso [[p{q}]] here.\n")),
        Edit::PropertyLink(p, q) => front(page_path(root, *p), "related", format!("related = \"[[p{q}]]\"")),
        Edit::Embed(p, q) => rewrite(page_path(root, *p), &|t| format!("{t}\n![[p{q}]]\n")),
        Edit::InlineTag(p) => rewrite(page_path(root, *p), &|t| format!("{t}\nTagged #inline here.\n")),
        Edit::Title(p, w) => front(page_path(root, *p), "title", format!("title = \"{w}\"")),
        Edit::Weight(p, w) => front(page_path(root, *p), "weight", format!("weight = {w}")),
        Edit::Tags(p, tags) => {
            let list: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
            front(page_path(root, *p), "tags", format!("tags = [{}]", list.join(", ")))
        }
        Edit::Description(p, w) => front(page_path(root, *p), "description", format!("description = \"{w}\"")),
        Edit::Date(p, d) => front(page_path(root, *p), "date", format!("date = \"2024-03-{d:02}\"")),
        Edit::Alias(p, w) => front(page_path(root, *p), "aliases", format!("aliases = [\"/old/{w}/\"]")),
        Edit::Slug(p, w) => front(page_path(root, *p), "slug", format!("slug = \"{w}-{p}\"")),
        Edit::Code(p) => rewrite(page_path(root, *p), &|t| format!("{t}\n```probe\nalpha beta\n```\n")),
        Edit::Math(p, w) => rewrite(page_path(root, *p), &|t| format!("{t}\nSo $x_{{{w}}} = \\frac{{1}}{{2}}$.\n")),
        Edit::Diagram(p, w) => {
            rewrite(page_path(root, *p), &|t| format!("{t}\n```mermaid\nflowchart LR\n  A[{w}] --> B[end]\n```\n"))
        }
        Edit::Reviewed(p, d, n) => {
            front(page_path(root, *p), "reviewed", format!("reviewed = \"2026-{:02}-{d:02}\"", n % 12 + 1));
            front(page_path(root, *p), "review_every", format!("review_every = \"{n} weeks\""))
        }
        Edit::SectionBody(a, w) => rewrite(section(*a), &|t| format!("{t}\nSection note {w}.\n")),
        Edit::SectionTitle(a, w) => front(section(*a), "title", format!("title = \"{w}\"")),
        Edit::Create(p) => {
            let path = page_path(root, *p);
            std::fs::write(&path, page_text(*p, "New", 1, &["x"], "Links [[p0]].")).unwrap();
            vec![(path, ChangeKind::Content)]
        }
        Edit::Delete(p) => {
            let path = page_path(root, *p);
            let _ = std::fs::remove_file(&path);
            vec![(path, ChangeKind::Content)]
        }
        Edit::Rename(p) => {
            let from = page_path(root, *p);
            let to = from.with_file_name(format!("moved{p}.md"));
            match std::fs::rename(&from, &to) {
                Ok(()) => vec![(from, ChangeKind::Content), (to, ChangeKind::Content)],
                Err(_) => vec![],
            }
        }
        Edit::NewSection(w) => {
            let mut changes =
                write("content/gamma/_index.md", &format!("+++\ntitle = \"{w}\"\n+++\nGamma.\n"), ChangeKind::Content);
            changes.extend(write(
                "content/gamma/g.md",
                &page_text(9, w, 0, &["y"], "See [[p1]]."),
                ChangeKind::Content,
            ));
            changes
        }
        Edit::DropSection => {
            let dir = root.join("content/gamma");
            let _ = std::fs::remove_dir_all(&dir);
            vec![(dir.join("_index.md"), ChangeKind::Content), (dir.join("g.md"), ChangeKind::Content)]
        }
        Edit::Template(Some(w)) => write("templates/page.html", &page_template(w), ChangeKind::Template),
        Edit::Template(None) => {
            let path = root.join("templates/page.html");
            let _ = std::fs::remove_file(&path);
            vec![(path, ChangeKind::Template)]
        }
        Edit::Partial(w) => write("templates/partials/page_list.html", &page_list(w), ChangeKind::Template),
        Edit::Static(w) => write("static/extra.css", &format!(".{w} {{ color: red }}\n"), ChangeKind::Static),
        Edit::Syntax(w) => write("syntaxes/probe.sublime-syntax", &syntax(w), ChangeKind::Syntaxes),
        Edit::SiteTitle(w) => {
            write("site.toml", &format!("title = \"{w}\"\nbase_url = \"https://e.org/\"\n"), ChangeKind::Config)
        }
        Edit::Break(p) => rewrite(page_path(root, *p), &|t| t.replacen("+++\n", "+++\ntitle = \n", 1)),
    }
}

fn replace_line(text: &str, prefix: &str, line: &str) -> String {
    text.lines()
        .map(|l| if l.starts_with(prefix) { line.to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The served files that differ from a fresh full build of `root`.
pub(crate) fn differing_from_full_build(live: &LiveSite, root: &Path) -> Vec<PathBuf> {
    let fresh = LiveSite::build(root, &BuildOptions::default()).expect("full build");
    let paths: std::collections::BTreeSet<&PathBuf> = fresh.outputs.keys().chain(live.outputs.keys()).collect();
    paths.into_iter().filter(|p| fresh.outputs.get(*p) != live.outputs.get(*p)).cloned().collect()
}

fn assert_same(live: &LiveSite, root: &Path, history: &[Edit]) {
    let differing = differing_from_full_build(live, root);
    assert!(differing.is_empty(), "after {history:?}\nincremental differs from a full build in {differing:?}");
}

/// The number of cases: `PROPTEST_CASES` when set, else 100.
pub(crate) fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(100)
}

/// What `serve` publishes: the files an update names, copied from the site.
fn publish(served: &mut Outputs, live: &LiveSite, update: &Update) {
    for path in &update.written {
        served.insert(path.clone(), live.outputs[path].clone());
    }
    for path in &update.removed {
        served.remove(path);
    }
}

/// Saves an edit and applies it as `serve` does: the visited page first,
/// then `slices` slices of queued work of `budget` outputs each. An edit
/// that breaks front matter must fail and change nothing served; then it
/// is fixed.
fn serve_edit(live: &mut LiveSite, served: &mut Outputs, root: &Path, e: &Edit, how: (&Visited, usize, usize)) {
    let (visited, slices, budget) = how;
    if let Edit::Break(p) = e {
        let Ok(good) = std::fs::read_to_string(page_path(root, *p)) else { return };
        drain(live, served, budget);
        let before = live.outputs.clone();
        let failed = live.apply_visited_first(&Batch { changes: apply_edit(root, e), rescan: false }, visited);
        assert!(failed.is_err(), "broken front matter applied");
        assert!(live.take_restored().is_none() && live.outputs == before, "a failed edit changed the site");
        std::fs::write(page_path(root, *p), good).unwrap();
    }
    let changes =
        if let Edit::Break(p) = e { vec![(page_path(root, *p), ChangeKind::Content)] } else { apply_edit(root, e) };
    let update = live.apply_visited_first(&Batch { changes, rescan: false }, visited).expect("edit applies");
    publish(served, live, &update);
    for _ in 0..slices {
        if live.has_pending() {
            let update = live.render_pending(budget).expect("queued work renders");
            publish(served, live, &update);
        }
    }
}

fn drain(live: &mut LiveSite, served: &mut Outputs, budget: usize) {
    while live.has_pending() {
        let update = live.render_pending(budget).expect("queued work renders");
        publish(served, live, &update);
    }
}

type Visited = std::collections::BTreeSet<PathBuf>;

fn assert_published(served: &Outputs, live: &LiveSite) {
    let paths: std::collections::BTreeSet<&PathBuf> = served.keys().chain(live.outputs.keys()).collect();
    let differing: Vec<&&PathBuf> = paths.iter().filter(|p| served.get(**p) != live.outputs.get(**p)).collect();
    assert!(differing.is_empty(), "serve published other files than the site holds: {differing:?}");
}

proptest! {
    // 100 cases unless PROPTEST_CASES says otherwise (proptest reads it).
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    /// Serve's own path: visited pages first, pages added or deleted shown
    /// early, queued slices between edits, failing edits; the files it
    /// publishes end equal to a full build.
    #[test]
    fn served_edits_end_equal_to_a_full_build(
        edits in proptest::collection::vec(edit(), 1..7),
        slices in proptest::collection::vec(0usize..3, 7),
        seen in 0..PAGES,
        budget in proptest::sample::select(vec![1usize, 3, usize::MAX]),
    ) {
        let dir = make_site();
        let root = dir.path().canonicalize().unwrap();
        let mut live = LiveSite::build(&root, &BuildOptions::default()).expect("initial build");
        let mut served = live.outputs.clone();
        let page = page_path(&root, seen);
        let visited: Visited = [page.strip_prefix(root.join("content")).unwrap().with_extension("").join("index.html")].into();
        for (k, e) in edits.iter().enumerate() {
            serve_edit(&mut live, &mut served, &root, e, (&visited, slices[k], budget));
            if !live.has_pending() {
                assert_published(&served, &live);
                assert_same(&live, &root, &edits[..=k]);
            }
        }
        drain(&mut live, &mut served, budget);
        assert_published(&served, &live);
        assert_same(&live, &root, &edits);
    }
}

#[test]
fn body_edit_rewrites_only_what_reads_it() {
    let dir = make_site();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let update =
        live.apply(&Batch { changes: apply_edit(&root, &Edit::Body(3, "fresh".into())), rescan: false }).unwrap();
    assert_eq!(update.how, "body edit");
    let pages: Vec<String> =
        update.written.iter().map(|p| p.display().to_string()).filter(|p| p.ends_with(".html")).collect();
    assert!(pages.contains(&"beta/p3/index.html".to_string()), "{pages:?}");
    assert!(pages.len() < 6, "a body edit re-rendered too much: {pages:?}");
    // The page and its preview bucket read its body; the sitemap (every page's
    // URL, dates and whether it has a page) does not, so it is not even rendered.
    assert_eq!(update.rendered, 2, "due: the page and its previews, not the sitemap");
}

/// Sections longer than the nav's page list: edits beyond and across its cut-off.
#[test]
fn long_sections_stay_exact_around_the_nav_cut_off() {
    let dir = make_site();
    let root = dir.path().canonicalize().unwrap();
    for i in 10..80 {
        let path = root.join(format!("content/alpha/q{i}.md"));
        std::fs::write(path, page_text(i, &format!("Q {i}"), i as i64, &["shared"], "Body.")).unwrap();
    }
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let edits: [(usize, &str, &str); 4] = [
        (75, "title = ", "title = \"Far title\""),
        (12, "title = ", "title = \"Near title\""),
        (78, "weight = ", "weight = -5"),
        (11, "weight = ", "weight = 99"),
    ];
    let mut history = Vec::new();
    for (i, prefix, line) in edits {
        let path = root.join(format!("content/alpha/q{i}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, replace_line(&text, prefix, line)).unwrap();
        live.apply(&Batch { changes: vec![(path, ChangeKind::Content)], rescan: false }).unwrap();
        history.push(Edit::Title(i, line.to_string()));
        assert_same(&live, &root, &history);
    }
}

/// A structural change renders the pages being viewed and the pages it
/// created at once and queues the rest; static files that change in the same batch (a `git checkout`) are
/// served new, a static file over a generated one still wins, and once the
/// queue is done the site equals a full build.
#[test]
fn structural_batches_render_visited_first_and_end_equal_to_a_full_build() {
    let dir = make_site();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/robots.txt"), "mine\n").unwrap();
    // Enough pages that the new one's place in the nav reaches more pages than are rendered at once.
    for i in 10..70 {
        let path = root.join(format!("content/beta/q{i}.md"));
        std::fs::write(path, page_text(i, &format!("Q {i}"), i as i64, &[], "Body.")).unwrap();
    }
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let mut changes = apply_edit(&root, &Edit::Create(7));
    changes.extend(apply_edit(&root, &Edit::Delete(2)));
    std::fs::write(root.join("static/extra.css"), "a { color: red }\n").unwrap();
    std::fs::write(root.join("static/robots.txt"), "still mine\n").unwrap();
    let batch = Batch {
        changes: vec![
            changes[0].clone(),
            changes[1].clone(),
            (root.join("static/extra.css"), ChangeKind::Static),
            (root.join("static/robots.txt"), ChangeKind::Static),
        ],
        rescan: false,
    };
    let visited: std::collections::BTreeSet<PathBuf> = [PathBuf::from("alpha/p0/index.html")].into();
    let update = live.apply_visited_first(&batch, &visited).unwrap();
    assert_eq!(update.how, "reload");
    let html: Vec<&PathBuf> = update.written.iter().filter(|p| p.extension().is_some_and(|e| e == "html")).collect();
    assert!(html.iter().any(|p| **p == Path::new("alpha/p0/index.html")), "the visited page first: {html:?}");
    assert!(html.iter().any(|p| **p == Path::new("beta/p7/index.html")), "and the page just created: {html:?}");
    assert!(!html.iter().any(|p| **p == Path::new("beta/q50/index.html")), "the rest waits: {html:?}");
    assert!(update.removed.iter().any(|p| p == Path::new("alpha/p2/index.html")), "{:?}", update.removed);
    assert!(live.has_pending());
    assert_eq!(&**live.outputs[Path::new("extra.css")].clone(), b"a { color: red }\n".as_slice());
    assert_eq!(&**live.outputs[Path::new("robots.txt")].clone(), b"still mine\n".as_slice());
    while live.has_pending() {
        live.render_pending(usize::MAX).unwrap();
    }
    assert_same(&live, &root, &[Edit::Create(7), Edit::Delete(2)]);
}

/// A template edit re-queues every page, but keeps a search rebuild that an
/// earlier edit queued: the index must still learn that edit.
#[test]
fn a_template_edit_keeps_a_queued_search_rebuild() {
    let dir = make_site();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let none = std::collections::BTreeSet::new();
    let changes = apply_edit(&root, &Edit::Body(3, "zebra".into()));
    live.apply_visited_first(&Batch { changes, rescan: false }, &none).unwrap();
    assert!(live.only_search_pending(), "a body edit queues the search index");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let template = root.join("templates/page.html");
    std::fs::write(&template, "{% extends \"base.html\" %}{% block content %}T{% endblock content %}").unwrap();
    let update =
        live.apply_visited_first(&Batch { changes: vec![(template, ChangeKind::Template)], rescan: false }, &none);
    assert_eq!(update.unwrap().how, "templates");
    while live.has_pending() && !live.only_search_pending() {
        live.render_pending(256).unwrap();
    }
    assert!(live.only_search_pending(), "the queued search rebuild survived the template edit");
}
