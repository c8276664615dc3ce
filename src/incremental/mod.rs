//! Incremental rebuilds: a site kept in memory that takes one batch of
//! changes at a time and renders again exactly the outputs that read what
//! changed.
//!
//! Two steps, kept apart. First the model is brought up to date: a doc
//! edited in place is patched in ([`patch`]); anything else (pages added,
//! removed or renamed, assets, `site.toml`, syntaxes) runs the pipeline's
//! stages again with the last run's [`Memo`], so only changed files are
//! parsed and only markdown whose link lookups answer differently is
//! rendered. Then the outputs: every output recorded what it read when it
//! was rendered ([`records`]); the reads whose value changed name the
//! outputs to render, with no rule here about what a template shows. When
//! many are due, the ones browsers show go first and the rest are queued.
//! The result equals a full build byte for byte: `tests/it/incremental.rs`
//! checks it with random edit sequences.

mod patch;
mod plan;
mod provisional;
mod queue;
mod records;
mod saved_markdown;
mod served;
pub mod warm;
pub mod warm_state;

use crate::build;
use crate::built::BuildOptions;
use crate::changes::{Batch, ChangeKind};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::model::Site;
use crate::output::Output;
use crate::parse::Doc;
use crate::pipeline::Memo;
use crate::render::{self, Target, TargetKey, Templates};
use crate::theme::Theme;
use patch::DocRef;
use plan::Plan;
use records::{Records, Scope};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The search index's manifest: present in every full set of search outputs.
const SEARCH_MANIFEST: &str = "search/index.json";
/// The search results page, which lives beside the index but is a template output.
const SEARCH_PAGE: &str = "search/index.html";
/// Outputs rendered at once after a change; past this, only those browsers
/// show (and those of the changed files) go first and the rest are queued.
const AT_ONCE: usize = 16;

/// What [`Update::how`] says of queued outputs rendered between changes.
pub const QUEUED: &str = "queued pages";

/// The served site: output path → bytes.
pub type Outputs = BTreeMap<PathBuf, Arc<Vec<u8>>>;

/// Work left over after a change, done between later changes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pending {
    Target(TargetKey),
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
    highlighter: Arc<Highlighter>,
    pub site: Site,
    pub outputs: Outputs,
    /// What the first build warned about (shown when `serve` starts).
    pub warnings: Vec<Diagnostic>,
    memo: Memo,
    records: Records,
    /// Copied files read by a reload, served once its outputs are rendered.
    copied: Option<Vec<Output>>,
    /// The changes of a batch that failed: they are still on disk, so they
    /// go again with the next batch (an edit elsewhere must not hide them).
    failed: Vec<(PathBuf, ChangeKind)>,
    /// A batch whose pages were shown early and whose stages are still due.
    deferred: Option<provisional::Deferred>,
    /// Served files as they were before pages were shown early, put back
    /// if the stages then fail.
    before: Vec<provisional::Before>,
    /// Files put back after a failure, for `serve` to publish.
    restored: Option<Update>,
    /// Every output of the site by key, listed again when its shape changes.
    targets: FxHashMap<TargetKey, Target>,
    /// The first build's search index, kept for `serve` to follow edits
    /// with (see [`LiveSite::take_search_index`]) rather than built twice.
    search_index: Option<crate::search::live::Live>,
}

/// What one update did.
#[derive(Debug, Default)]
pub struct Update {
    pub how: &'static str,
    /// How many outputs the change made due (rendered now or queued).
    pub rendered: usize,
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

/// How the model changed: how, what it warned about, what it may have
/// changed, and whether every output is due (templates changed).
type ModelChange = (&'static str, Vec<Diagnostic>, Scope, bool);

/// What bringing the model up to date came to.
enum Step {
    Model(ModelChange),
    /// Only static files changed, in place: they are served already.
    Served(Update),
}

impl LiveSite {
    /// A full build, kept in memory.
    pub fn build(root: &Path, opts: &BuildOptions) -> Result<LiveSite> {
        let config = build::load_config(root, opts)?;
        let staged = build::run_stages(config, opts.drafts, &Memo::default())?;
        let build::Staged { mut loaded, theme, templates, highlighter, made, copied } = staged;
        crate::pipeline::fail_on_errors(&mut loaded.report)?;
        let templates = templates.expect("a template that failed to compile is an error in the report");
        let mut live = LiveSite {
            root: root.to_path_buf(),
            pending: vec![],
            opts: opts.clone(),
            theme,
            templates,
            highlighter: Arc::new(highlighter),
            site: loaded.site,
            outputs: Outputs::new(),
            warnings: loaded.report.items,
            memo: loaded.memo,
            records: Records::default(),
            copied: None,
            failed: Vec::new(),
            deferred: None,
            before: Vec::new(),
            restored: None,
            targets: FxHashMap::default(),
            search_index: None,
        };
        live.records.record(&live.site, &made);
        live.merge_copied("build", copied);
        let mut generated: Vec<Output> = made.into_iter().flat_map(|m| m.outputs).collect();
        let (index, search) = crate::search::live::Live::new(crate::search::Snapshot::of(&live.site));
        generated.extend(search);
        live.search_index = Some(index);
        live.merge("build", generated);
        Ok(live)
    }

    /// The search index the first build made, once: `serve` keeps it
    /// up to date with each edit from then on.
    pub fn take_search_index(&mut self) -> Option<crate::search::live::Live> {
        self.search_index.take()
    }

    pub fn config(&self) -> &Config {
        &self.site.config
    }

    /// Applies a batch of changes, queued outputs included. On error the
    /// served outputs stay as they were.
    pub fn apply(&mut self, batch: &Batch) -> Result<Update> {
        let mut update = self.apply_visited_first(batch, &BTreeSet::new())?;
        while self.has_pending() {
            let more = self.render_pending(usize::MAX)?;
            update.written.extend(more.written);
            update.removed.extend(more.removed);
        }
        Ok(update)
    }

    /// Like [`LiveSite::apply`], but when many outputs are due only those in
    /// `visited` (pages browsers are showing) and those of the changed files
    /// are rendered now; the rest wait in a queue that
    /// [`LiveSite::render_pending`] works through between later changes, so
    /// the author's browser reloads without waiting for the whole site.
    /// Pages added or deleted are shown first on their own, and the
    /// stages that bring the rest up to date are queued ([`provisional`]).
    pub fn apply_visited_first(&mut self, batch: &Batch, visited: &BTreeSet<PathBuf>) -> Result<Update> {
        let mut batch = batch.clone();
        batch.changes.extend(std::mem::take(&mut self.failed));
        if let Some(deferred) = self.deferred.take() {
            batch.changes.extend(deferred.changes);
        }
        batch.changes.sort();
        batch.changes.dedup();
        if let Some(update) = self.provisional(&batch, visited) {
            return Ok(update);
        }
        self.run_batch(batch, visited)
    }

    /// Applies a batch; a failed one goes again with the next, and the
    /// files shown early for it are put back.
    fn run_batch(&mut self, batch: Batch, visited: &BTreeSet<PathBuf>) -> Result<Update> {
        let result = self.apply_batch(&batch, visited);
        match result {
            Ok(mut update) => {
                update.removed.extend(self.drop_shown_early());
                Ok(update)
            }
            Err(e) => {
                self.failed = batch.changes;
                self.restored = Some(self.restore_before()).filter(|u| !u.written.is_empty() || !u.removed.is_empty());
                Err(e)
            }
        }
    }

    /// The files put back after a failed batch, once: `serve` publishes them.
    pub fn take_restored(&mut self) -> Option<Update> {
        self.restored.take()
    }

    fn apply_batch(&mut self, batch: &Batch, visited: &BTreeSet<PathBuf>) -> Result<Update> {
        let content_dir = self.config().content_dir();
        let content_dir = content_dir.canonicalize().unwrap_or(content_dir);
        let changed: BTreeSet<PathBuf> = batch
            .changes
            .iter()
            .filter_map(|(p, _)| p.strip_prefix(&content_dir).ok())
            .map(Path::to_path_buf)
            .collect();
        let (how, warnings, scope, all_due) = match self.update_model(batch, &changed)? {
            Step::Model(change) => change,
            Step::Served(update) => return Ok(update),
        };
        let mut update = self.render_changes(how, &scope, all_due, visited, &changed)?;
        update.warnings.extend(warnings);
        if how != "templates" {
            self.queue_search();
        }
        Ok(update)
    }

    /// Brings the model up to date with a batch; says how, what it warned
    /// about, what it may have changed and whether every output is due.
    /// Static files changed in place are served at once instead.
    fn update_model(&mut self, batch: &Batch, changed: &BTreeSet<PathBuf>) -> Result<Step> {
        let templates_changed = batch.changes.iter().any(|(_, k)| *k == ChangeKind::Template);
        let mut clock = crate::progress::StageClock::new();
        let plan = self.plan(batch)?;
        clock.lap("plan");
        Ok(Step::Model(match plan {
            Plan::Doc(at, doc) => {
                use crate::markdown::links::LinkTargets;
                let body_only = same_front_matter(self.doc(at), &doc);
                let glossary = (!body_only).then(|| self.site.targets().glossary_terms());
                let works = self.site.cited.keys();
                let (warnings, scope) =
                    patch::replace_doc(&mut self.site, &self.highlighter, at, *doc).map_err(Error::Site)?;
                clock.lap("patch");
                if glossary.is_some_and(|g| g != self.site.targets().glossary_terms()) {
                    // A glossary entry's name changed: every page may link it differently.
                    (self.reload(changed, false)?, warnings, Scope::Everything, false)
                } else if works != self.site.cited.keys() {
                    // A work is cited for the first time or no longer: reference
                    // pages come or go, and preview buckets with them.
                    ("citations edit", warnings, Scope::Everything, false)
                } else {
                    (if body_only { "body edit" } else { "front matter edit" }, warnings, scope, false)
                }
            }
            Plan::Config => (self.reload(changed, true)?, vec![], Scope::Everything, false),
            Plan::Reload => (self.reload(changed, false)?, vec![], Scope::Everything, templates_changed),
            Plan::Syntaxes => {
                self.highlighter =
                    Arc::new(Highlighter::new(&self.root.join("syntaxes")).map_err(|d| Error::Site(vec![d]))?);
                self.memo.forget_markdown();
                (self.reload(changed, false)?, vec![], Scope::Everything, false)
            }
            Plan::Shortcodes => {
                let how = self.reload(changed, false)?;
                // A page template may include a shortcode's file: then every output is due.
                let included = self
                    .theme
                    .templates
                    .iter()
                    .any(|(name, t)| !name.starts_with("shortcodes/") && t.text.contains("shortcodes/"));
                (how, vec![], Scope::Everything, included)
            }
            Plan::Templates => {
                let theme = Theme::load(&self.root, &self.config().theme)?;
                self.templates = Templates::new(&theme).map_err(Error::Site)?;
                self.theme = theme;
                ("templates", vec![], Scope::nothing(), true)
            }
            Plan::Statics => match self.statics_changed()? {
                Some(update) => return Ok(Step::Served(update)),
                // Files added or removed can uncover or hide generated ones.
                None => (self.reload(changed, false)?, vec![], Scope::Everything, false),
            },
        }))
    }

    fn doc(&self, at: DocRef) -> &Doc {
        match at {
            DocRef::Page(i) => &self.site.pages[i].doc,
            DocRef::Section(i) => &self.site.sections[i].doc,
        }
    }

    /// Runs the stages again, reusing the memo for every file not in
    /// `changed` (`config`: site.toml changed, nothing is reused). Nothing
    /// changes unless every stage succeeds.
    fn reload(&mut self, changed: &BTreeSet<PathBuf>, config_changed: bool) -> Result<&'static str> {
        let mut clock = crate::progress::StageClock::new();
        let config = build::load_config(&self.root, &self.opts)?;
        let theme = Theme::load(&config.root, &config.theme)?;
        clock.lap("config+theme");
        let templates = Templates::new(&theme).map_err(Error::Site)?;
        clock.lap("templates");
        let mut memo = if config_changed { Memo::default() } else { self.memo.clone() };
        if !config_changed {
            memo.refresh(&self.site);
        }
        let highlighter = if config_changed {
            Arc::new(Highlighter::new(&config.root.join("syntaxes")).map_err(|d| Error::Site(vec![d]))?)
        } else {
            self.highlighter.clone()
        };
        let changed = |rel: &Path| changed.contains(rel);
        clock.lap("memo");
        let mut loaded = crate::pipeline::collect_site(config, self.opts.drafts, &highlighter, &memo, &changed);
        crate::pipeline::fail_on_errors(&mut loaded.report)?;
        let copied = crate::copy::copy_files(&loaded.files, &theme)?;
        clock.lap("copy");
        let files: Vec<PathBuf> = render::all_targets(&loaded.site)
            .into_iter()
            .filter_map(|t| render::target_file(&loaded.site, t))
            .collect();
        let copied_paths: Vec<PathBuf> = copied.iter().map(|o| o.path.clone()).collect();
        crate::collisions::check(&loaded.site, &files, &copied_paths).map_err(Error::Site)?;
        clock.lap("collisions");
        (self.theme, self.templates, self.highlighter) = (theme, templates, highlighter);
        (self.site, self.memo) = (loaded.site, loaded.memo);
        self.warnings = loaded.report.items;
        self.copied = Some(copied);
        Ok(if config_changed { "full reload" } else { "reload" })
    }

    /// Renders what the model's change reached: the targets whose recorded
    /// reads changed, new targets, and (after a template edit) all of them;
    /// drops the outputs of targets that are gone.
    fn render_changes(
        &mut self,
        how: &'static str,
        scope: &Scope,
        all_due: bool,
        visited: &BTreeSet<PathBuf>,
        changed: &BTreeSet<PathBuf>,
    ) -> Result<Update> {
        let mut clock = crate::progress::StageClock::new();
        let delta = self.records.diff(&self.site, scope, &|_, _| None);
        clock.lap("diff");
        let stale = self.records.readers_of(delta.changed.iter());
        let reshaped = scope.reshapes() || self.targets.is_empty();
        if reshaped {
            let site = &self.site;
            self.targets = render::all_targets(site).into_iter().map(|t| (render::target_key(site, t), t)).collect();
        }
        clock.lap("targets");
        let current = &self.targets;
        let gone: Vec<TargetKey> = match reshaped {
            true => self.records.targets().filter(|k| !current.contains_key(k)).copied().collect(),
            false => vec![],
        };
        let mut due: Vec<Target> = if all_due || reshaped {
            let due = |k: &TargetKey| all_due || stale.contains(k) || !self.records.knows(k);
            current.iter().filter(|(k, _)| due(k)).map(|(_, t)| *t).collect()
        } else {
            stale.iter().filter_map(|k| current.get(k).copied()).collect()
        };
        due.sort();
        let due_count = due.len();
        let (now, later) = self.split_now(due, all_due, visited, changed);
        let made = render::render_targets(&self.site, &self.templates, &now).map_err(Error::Site)?;
        clock.lap_with(|| format!("render {} of {due_count} {:?}", now.len(), &now[..now.len().min(4)]));
        // Nothing failed: keep what this change found.
        self.records.commit(delta);
        let mut update = Update { how, rendered: due_count, ..Update::default() };
        for key in gone {
            let files = self.records.forget(&key);
            update.removed.extend(self.drop_files(files));
        }
        if let Some(copied) = self.copied.take() {
            let more = self.merge_copied(how, copied);
            update.written.extend(more.written);
        }
        let more = self.store(how, &made);
        update.written.extend(more.written);
        update.removed.extend(more.removed);
        self.queue(later);
        clock.lap("store");
        Ok(update)
    }

    /// Which due targets to render now: all of them when few, else (and
    /// always after a template edit, which may break on any page) those
    /// browsers show, those of the changed sources and the sections that
    /// hold them (where an author looks next).
    fn split_now(
        &self,
        due: Vec<Target>,
        all_due: bool,
        visited: &BTreeSet<PathBuf>,
        changed: &BTreeSet<PathBuf>,
    ) -> (Vec<Target>, Vec<TargetKey>) {
        if due.len() <= AT_ONCE && !all_due {
            return (due, vec![]);
        }
        let site = &self.site;
        let holders: FxHashSet<usize> =
            site.pages.iter().filter(|p| changed.contains(&p.doc.rel)).map(|p| p.section).collect();
        let first = |t: &Target| {
            let source = match *t {
                Target::Page(i) => Some(site.pages[i].doc.rel.as_path()),
                Target::Section(i) => Some(site.sections[i].doc.rel.as_path()),
                _ => None,
            };
            render::target_file(site, *t).is_some_and(|f| visited.contains(&f))
                || source.is_some_and(|s| changed.contains(s))
                || matches!(*t, Target::Section(i) if holders.contains(&i))
        };
        let (now, later): (Vec<Target>, Vec<Target>) = due.into_iter().partition(first);
        (now, later.into_iter().map(|t| render::target_key(site, t)).collect())
    }

    /// Static files changed: copy the theme's and the site's static files
    /// again. `None` when files were added or removed: a static file may
    /// replace a generated one (`static/robots.txt`), or clash with an alias,
    /// so only a reload gets that right.
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
