//! Incremental rebuilds: a site kept in memory that applies one change at a
//! time and re-renders exactly the outputs that read what changed.
//!
//! A change is classified first ([`Plan`]): a body edit re-renders the page,
//! the notes that embed it and the pages whose backlinks or related lists
//! moved; a front matter edit also re-renders what lists the page (section,
//! neighbours, tag pages, pages it links to); anything structural (a page
//! added, removed or moved, several files, assets, `site.toml`) loads the
//! whole site again, renders the pages browsers show at once and queues the
//! rest. Templates and static files have their own cheaper paths. The
//! result must equal a full build byte for byte: `tests/it/incremental.rs`
//! checks it with random edit sequences.

mod dirty;

use crate::build::{self, BuildOptions};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::frontmatter::Typos;
use crate::highlight::Highlighter;
use crate::load::{self, SourceKind};
use crate::model::Site;
use crate::parse::{self, Doc};
use crate::render::{self, Output, Target, Templates};
use crate::serve::watch::{Batch, ChangeKind};
use crate::theme::Theme;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The search index's manifest: present in every full set of search outputs.
const SEARCH_MANIFEST: &str = "search/index.json";
/// The search results page, which lives beside the index but is a template output.
const SEARCH_PAGE: &str = "search/index.html";

/// The served site: output path → bytes.
pub type Outputs = BTreeMap<PathBuf, Arc<Vec<u8>>>;

/// Work left over from a whole-site re-render, done between later changes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pending {
    Target(Target),
    SiteWide,
    /// The search index, rebuilt once edits pause (it reads every page).
    Search,
}

pub struct LiveSite {
    root: PathBuf,
    /// Queued outputs, the next one last.
    pending: Vec<Pending>,
    opts: BuildOptions,
    theme: Theme,
    templates: Templates,
    highlighter: Highlighter,
    pub site: Site,
    pub outputs: Outputs,
    /// What the first build warned about (shown when `serve` starts).
    pub warnings: Vec<Diagnostic>,
}

/// What one update did.
#[derive(Debug, Default)]
pub struct Update {
    pub how: &'static str,
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

impl Update {
    /// True when only stylesheets changed, so pages can swap CSS without reloading.
    pub fn css_only(&self) -> bool {
        !self.written.is_empty()
            && self.removed.is_empty()
            && self.written.iter().all(|p| p.extension().is_some_and(|e| e == "css"))
    }
}

/// How a batch of changes will be applied.
enum Plan {
    Full,
    Templates,
    Statics,
    Body(DocRef, Doc),
    FrontMatter(DocRef, Doc),
}

#[derive(Debug, Clone, Copy)]
enum DocRef {
    Page(usize),
    Section(usize),
}

impl LiveSite {
    /// A full build, kept in memory.
    pub fn build(root: &Path, opts: &BuildOptions) -> Result<LiveSite> {
        let config = build::load_config(root, opts)?;
        let built = build::build_in_memory(config, opts.drafts)?;
        let outputs = built.outputs.into_iter().map(|o| (o.path, Arc::new(o.bytes))).collect();
        Ok(LiveSite {
            root: root.to_path_buf(),
            pending: vec![],
            opts: opts.clone(),
            theme: built.theme,
            templates: built.templates,
            highlighter: built.highlighter,
            site: built.site,
            outputs,
            warnings: built.report.items,
        })
    }

    pub fn config(&self) -> &Config {
        &self.site.config
    }

    /// Applies a batch of changes. On error the site stays as it was.
    pub fn apply(&mut self, batch: &Batch) -> Result<Update> {
        let mut update = self.apply_visited_first(batch, &BTreeSet::new())?;
        while self.has_pending() {
            let more = self.render_pending(usize::MAX)?;
            update.written.extend(more.written);
        }
        Ok(update)
    }

    /// Like [`LiveSite::apply`], but when every page must be rendered again (a
    /// template edit) only the outputs in `visited` (pages browsers are
    /// showing) are rendered now; the rest wait in a queue that
    /// [`LiveSite::render_pending`] works through between later changes, so
    /// the author's browser reloads without waiting for the whole site.
    pub fn apply_visited_first(&mut self, batch: &Batch, visited: &BTreeSet<PathBuf>) -> Result<Update> {
        let plan = self.plan(batch)?;
        if matches!(plan, Plan::Full) {
            self.pending.clear();
        }
        match plan {
            Plan::Full => self.full(visited, batch),
            Plan::Templates => self.templates_changed(visited),
            Plan::Statics => match self.statics_changed()? {
                Some(update) => Ok(update),
                // Files added or removed can uncover or hide generated ones.
                None => self.full(visited, batch),
            },
            Plan::Body(at, doc) => self.doc_changed(at, doc, false),
            Plan::FrontMatter(at, doc) => self.doc_changed(at, doc, true),
        }
    }

    fn plan(&self, batch: &Batch) -> Result<Plan> {
        let kinds: BTreeSet<ChangeKind> = batch.changes.iter().map(|(_, k)| *k).collect();
        if batch.rescan || kinds.contains(&ChangeKind::Config) {
            return Ok(Plan::Full);
        }
        if kinds.contains(&ChangeKind::Template) {
            return Ok(if kinds.len() == 1 { Plan::Templates } else { Plan::Full });
        }
        if !kinds.contains(&ChangeKind::Content) {
            return Ok(Plan::Statics);
        }
        let content: BTreeSet<&PathBuf> =
            batch.changes.iter().filter(|(_, k)| *k == ChangeKind::Content).map(|(p, _)| p).collect();
        if content.len() != 1 || kinds.len() != 1 {
            return Ok(Plan::Full);
        }
        let path = content.into_iter().next().expect("one path");
        self.plan_one(path)
    }

    /// One content file changed: find it, parse it, compare its front matter.
    fn plan_one(&self, path: &Path) -> Result<Plan> {
        let content_dir = self.config().content_dir();
        let content_dir = content_dir.canonicalize().unwrap_or(content_dir);
        let Ok(rel) = path.strip_prefix(&content_dir) else { return Ok(Plan::Full) };
        let kind = load::kind_of(rel);
        let existing = match kind {
            SourceKind::Page => self.site.pages.iter().position(|p| p.doc.rel == rel).map(DocRef::Page),
            SourceKind::Section => {
                self.site.sections.iter().position(|s| s.doc.rel == rel && !s.implicit).map(DocRef::Section)
            }
            SourceKind::Asset => None,
        };
        let Some(at) = existing.filter(|_| path.is_file()) else { return Ok(Plan::Full) };
        let file = load::SourceFile { rel: rel.to_path_buf(), abs: path.to_path_buf(), kind };
        let doc = parse::parse_file(&file, Typos::strict(self.site.config.strict_front_matter)).map_err(Error::Site)?;
        let old = match at {
            DocRef::Page(i) => &self.site.pages[i].doc,
            DocRef::Section(i) => &self.site.sections[i].doc,
        };
        Ok(if same_front_matter(old, &doc) {
            Plan::Body(at, doc)
        } else if same_identity(old, &doc) {
            Plan::FrontMatter(at, doc)
        } else {
            Plan::Full
        })
    }

    /// Anything structural (a page added, removed or moved, `site.toml`):
    /// load the whole site again, render at once only what browsers are
    /// showing plus the cheap site-wide files, and queue the rest like after
    /// a template edit; the search index waits for a pause in the edits.
    /// Everything that can fail on the sources fails before the site changes.
    fn full(&mut self, visited: &BTreeSet<PathBuf>, batch: &Batch) -> Result<Update> {
        let config = build::load_config(&self.root, &self.opts)?;
        let content_dir = config.content_dir().canonicalize().unwrap_or_else(|_| config.content_dir());
        let changed: BTreeSet<&Path> =
            batch.changes.iter().filter_map(|(p, _)| p.strip_prefix(&content_dir).ok()).collect();
        let theme = Theme::load(&config.root, &config.theme)?;
        let templates = Templates::new(&theme).map_err(Error::Site)?;
        let loaded = build::load_site(config, self.opts.drafts)?;
        let (site, highlighter) = (loaded.site, loaded.highlighter);
        let targets: Vec<(Target, Option<PathBuf>)> =
            render::all_targets(&site).into_iter().map(|t| (t, render::target_file(&site, t))).collect();
        let (hot, rest) = viewed_or_changed_first(&site, &targets, visited, &changed);
        let mut now = build::render_targets(&site, &templates, &hot).map_err(Error::Site)?;
        let wide = build::site_wide_but_search(&site);
        let copied = build::copy_files(&loaded.files, &theme)?;
        let mut rendered: Vec<PathBuf> = targets.iter().filter_map(|(_, f)| f.clone()).collect();
        rendered.extend(wide.iter().map(|o| o.path.clone()));
        now.extend(wide);
        let copied_paths: Vec<PathBuf> = copied.iter().map(|o| o.path.clone()).collect();
        crate::collisions::check(&site, &rendered, &copied_paths).map_err(Error::Site)?;
        // From here on nothing fails: swap the new site in.
        let removed = self.remove_all_but(rendered.iter().chain(&copied_paths).collect());
        (self.theme, self.templates, self.highlighter, self.site) = (theme, templates, highlighter, site);
        self.pending = rest.into_iter().rev().map(Pending::Target).collect();
        self.pending.insert(0, Pending::Search);
        let mut update = self.merge("full rebuild", now);
        update.written.extend(self.merge_copied("full rebuild", copied).written);
        update.removed = removed;
        update.warnings = loaded.report.items;
        update.warnings.extend(self.theme.warnings.iter().cloned());
        Ok(update)
    }

    /// Drops every output not in `expected`, except the search index's files,
    /// which stay served until the queued index replaces them.
    fn remove_all_but(&mut self, expected: BTreeSet<&PathBuf>) -> Vec<PathBuf> {
        let index_file = |p: &Path| p.starts_with("search") && p != Path::new(SEARCH_PAGE);
        let removed: Vec<PathBuf> =
            self.outputs.keys().filter(|p| !expected.contains(p) && !index_file(p)).cloned().collect();
        for p in &removed {
            self.outputs.remove(p);
        }
        removed
    }

    /// Templates changed: compile them again and re-render every templated output.
    fn templates_changed(&mut self, visited: &BTreeSet<PathBuf>) -> Result<Update> {
        let theme = Theme::load(&self.root, &self.config().theme)?;
        let templates = Templates::new(&theme).map_err(Error::Site)?;
        let highlighter = Highlighter::new(&self.root.join("syntaxes")).map_err(|d| Error::Site(vec![d]))?;
        let (hot, rest): (Vec<Target>, Vec<Target>) = render::all_targets(&self.site)
            .into_iter()
            .partition(|t| render::target_file(&self.site, *t).is_some_and(|f| visited.contains(&f)));
        let first = build::render_targets(&self.site, &templates, &hot).map_err(Error::Site)?;
        (self.theme, self.templates, self.highlighter) = (theme, templates, highlighter);
        // A search rebuild queued by an earlier edit still has to happen.
        let search = self.pending.contains(&Pending::Search);
        self.pending = rest.into_iter().rev().map(Pending::Target).collect();
        self.pending.insert(0, Pending::SiteWide);
        if search {
            self.pending.insert(0, Pending::Search);
        }
        Ok(self.merge("templates", first))
    }

    /// True while outputs of an earlier whole-site re-render are still queued.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// True when only the search index waits (worth doing once edits pause).
    pub fn only_search_pending(&self) -> bool {
        self.pending == [Pending::Search]
    }

    /// When only the search index waits: takes it off the queue and returns
    /// what building it reads, for another thread; [`LiveSite::merge_search`]
    /// serves the result.
    pub fn take_search(&mut self) -> Option<crate::search::Snapshot> {
        if !self.only_search_pending() {
            return None;
        }
        self.pending.clear();
        Some(crate::search::Snapshot::of(&self.site))
    }

    /// Serves a search index built from a [`LiveSite::take_search`] snapshot.
    pub fn merge_search(&mut self, outputs: Vec<Output>) -> Update {
        self.merge("search index", outputs)
    }

    fn queue_search(&mut self) {
        if !self.pending.contains(&Pending::Search) {
            self.pending.insert(0, Pending::Search);
        }
    }

    /// Renders up to `budget` queued outputs (after a template edit).
    /// A budgeted slice leaves the search index queued on its own, for
    /// `serve` to build on another thread once edits pause.
    pub fn render_pending(&mut self, budget: usize) -> Result<Update> {
        let search_last = budget != usize::MAX && self.pending.len() > 1 && self.pending[0] == Pending::Search;
        let take = budget.min(self.pending.len() - usize::from(search_last));
        let batch: Vec<Pending> = self.pending.split_off(self.pending.len() - take);
        let targets: Vec<Target> = batch
            .iter()
            .filter_map(|p| match p {
                Pending::Target(t) => Some(*t),
                Pending::SiteWide | Pending::Search => None,
            })
            .collect();
        let mut outputs = build::render_targets(&self.site, &self.templates, &targets).map_err(Error::Site)?;
        if batch.contains(&Pending::SiteWide) {
            outputs.extend(build::site_wide_but_search(&self.site));
        }
        if batch.contains(&Pending::Search) {
            outputs.extend(crate::search::outputs(&self.site));
        }
        Ok(self.merge("queued pages", outputs))
    }

    /// Static files changed: copy the theme's and the site's static files
    /// again. `None` when files were added or removed: a static file may
    /// replace a generated one (`static/robots.txt`), or clash with an alias,
    /// so only a full reload gets that right.
    fn statics_changed(&mut self) -> Result<Option<Update>> {
        let theme = Theme::load(&self.root, &self.config().theme)?;
        if !theme.static_files.keys().eq(self.theme.static_files.keys()) {
            return Ok(None);
        }
        let outputs: Vec<Output> =
            theme.static_files.iter().map(|(rel, (_, b))| Output::new(rel.clone(), b.clone())).collect();
        let update = self.merge_copied("static files", outputs);
        self.theme = theme;
        Ok(Some(update))
    }

    /// One page or section changed in place (same URL, same draft state).
    fn doc_changed(&mut self, at: DocRef, doc: Doc, front_matter: bool) -> Result<Update> {
        let (pages, sections) = dirty::rerender_set(&self.site, at, doc.rel.as_path());
        let before = dirty::Snapshot::take(&self.site, &pages);
        match at {
            DocRef::Page(i) => self.site.pages[i].doc = doc,
            DocRef::Section(i) => self.site.sections[i].doc = doc,
        }
        if front_matter {
            dirty::reorder(&mut self.site, at);
        }
        let warnings = build::rerender_markdown(&mut self.site, &self.highlighter, &pages, &sections);
        if warnings.iter().any(Diagnostic::is_error) {
            return Err(Error::Site(warnings));
        }
        let targets = dirty::targets(&mut self.site, &before, at, &pages, &sections, front_matter);
        let outputs = build::render_targets(&self.site, &self.templates, &targets).map_err(Error::Site)?;
        let mut update = self.merge(if front_matter { "front matter edit" } else { "body edit" }, outputs);
        // Feeds and the sitemap read titles, dates and summaries; previews read the edited notes.
        let mut derived = render::previews::previews_of(&self.site, &pages, &sections);
        if matches!(at, DocRef::Section(_)) && front_matter {
            // A section title shows in every preview of its pages (the search
            // index, queued below, is built once edits pause).
            derived.extend(build::site_wide_but_search(&self.site));
        } else if front_matter || before.views_changed(&self.site) {
            derived.extend(build::feeds(&self.site));
        }
        let more = self.merge("", derived);
        update.written.extend(more.written);
        update.removed.extend(self.prune_targets(&before));
        update.warnings = warnings;
        self.queue_search();
        Ok(update)
    }

    /// Drops term pages that no longer exist after a tag edit.
    fn prune_targets(&mut self, before: &dirty::Snapshot) -> Vec<PathBuf> {
        let now: BTreeSet<PathBuf> = dirty::term_files(&self.site).into_iter().collect();
        let mut removed = Vec::new();
        for gone in before.term_files.iter().filter(|f| !now.contains(*f)) {
            if self.outputs.remove(gone).is_some() {
                removed.push(gone.clone());
            }
        }
        removed
    }

    /// Stores generated outputs whose bytes changed; returns their paths. A
    /// copied file at the same path wins (`static/robots.txt`), as in a build.
    /// A new search index replaces the old one whole: shards it no longer has
    /// are dropped.
    fn merge(&mut self, how: &'static str, mut outputs: Vec<Output>) -> Update {
        outputs.retain(|o| !self.theme.static_files.contains_key(&o.path) && !self.site.assets.contains(&o.path));
        self.merge_copied(how, outputs)
    }

    /// Stores outputs whose bytes changed, copied files included.
    fn merge_copied(&mut self, how: &'static str, outputs: Vec<Output>) -> Update {
        let mut update = Update { how, ..Update::default() };
        if outputs.iter().any(|o| o.path == Path::new(SEARCH_MANIFEST)) {
            let fresh: BTreeSet<&PathBuf> = outputs.iter().map(|o| &o.path).collect();
            let stale: Vec<PathBuf> = self
                .outputs
                .keys()
                .filter(|p| p.starts_with("search") && *p != Path::new(SEARCH_PAGE) && !fresh.contains(p))
                .cloned()
                .collect();
            for p in stale {
                self.outputs.remove(&p);
                update.removed.push(p);
            }
        }
        for o in outputs {
            if self.outputs.get(&o.path).is_none_or(|old| **old != o.bytes) {
                update.written.push(o.path.clone());
                self.outputs.insert(o.path, Arc::new(o.bytes));
            }
        }
        update
    }
}

/// Reports as one message (for the browser overlay and the terminal).
pub fn describe_error(e: &Error) -> String {
    match e {
        Error::Site(items) => crate::diagnostic::format_capped(items),
        other => crate::diagnostic::terminal_safe(&other.to_string()).into_owned(),
    }
}

/// The front matter and what stands in for it: a body's opening H1 is the
/// title when front matter gives none.
fn same_front_matter(a: &Doc, b: &Doc) -> bool {
    a.fm == b.fm && a.lead_h1 == b.lead_h1
}

/// Same URL, aliases and publication state: the site's shape is unchanged.
/// The targets of pages being viewed (by output file) and of the sources a
/// batch added or changed, then the rest.
fn viewed_or_changed_first(
    site: &Site,
    targets: &[(Target, Option<PathBuf>)],
    visited: &BTreeSet<PathBuf>,
    changed: &BTreeSet<&Path>,
) -> (Vec<Target>, Vec<Target>) {
    let first = |t: &Target, f: &Option<PathBuf>| {
        let source = match *t {
            Target::Page(i) => Some(site.pages[i].doc.rel.as_path()),
            Target::Section(i) => Some(site.sections[i].doc.rel.as_path()),
            _ => None,
        };
        f.as_ref().is_some_and(|f| visited.contains(f)) || source.is_some_and(|s| changed.contains(s))
    };
    let (hot, rest): (Vec<_>, Vec<_>) = targets.iter().partition(|(t, f)| first(t, f));
    (hot.into_iter().map(|(t, _)| *t).collect(), rest.into_iter().map(|(t, _)| *t).collect())
}

fn same_identity(a: &Doc, b: &Doc) -> bool {
    let (x, y) = (&a.fm, &b.fm);
    x.slug == y.slug
        && x.path == y.path
        && x.permalink == y.permalink
        && x.aliases == y.aliases
        && x.draft == y.draft
        && x.publish == y.publish
        && x.redirect_to == y.redirect_to
}
