//! `rapport build`: the pipeline's stages ([`crate::pipeline`]), every
//! output rendered, then written (config → … → render → output).

pub use crate::built::{BuildOptions, Built};
pub use crate::copy::copy_files;

use crate::build_cache::{self, Cache, Found};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Report};
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::incremental::warm;
use crate::incremental::warm_state::Warm;
use crate::output::{self, Output, WriteStats};
use crate::pipeline::{self, fail_on_errors, Loaded, Memo};
use crate::progress::{self, StageClock};
use crate::render::{self, Made, Templates};
use crate::theme::Theme;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct BuildSummary {
    pub pages: usize,
    pub sections: usize,
    pub stats: WriteStats,
    pub millis: u128,
    pub output_dir: PathBuf,
    pub report: Report,
    /// Nothing changed since the last build: the build cache answered.
    pub cached: bool,
    /// A warm build: how many pages and listings were rendered again, of all.
    pub rendered_again: Option<(usize, usize)>,
    /// What the build held in memory, for the caller to free or not.
    pub held: Held,
}

/// A build's site, outputs and state, handed to the caller rather than freed
/// when the build returns: the command line ends the process without
/// freeing them ([`Held::leave`]), since freeing the site of 10,000 pages
/// piece by piece takes longer than the exit that drops it whole; any other
/// caller drops it as usual.
#[derive(Default)]
pub struct Held {
    _built: Option<Box<Built>>,
}

impl Held {
    /// Leaves the memory to the process's exit.
    pub fn leave(self) {
        std::mem::forget(self)
    }
}

impl std::fmt::Debug for BuildSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildSummary")
            .field("pages", &self.pages)
            .field("sections", &self.sections)
            .field("stats", &self.stats)
            .field("millis", &self.millis)
            .field("output_dir", &self.output_dir)
            .field("report", &self.report)
            .field("cached", &self.cached)
            .field("rendered_again", &self.rendered_again)
            .finish_non_exhaustive()
    }
}

pub fn load_config(root: &Path, opts: &BuildOptions) -> Result<Config> {
    Config::load_with(root, &opts.overrides())
}

/// `rapport build`: ends at once when the build cache says nothing changed
/// ([`crate::build_cache`]); otherwise renders everything in memory, then
/// writes only changes and records them in the cache.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildSummary> {
    let start = Instant::now();
    let config = load_config(root, opts)?;
    output::check_output_dir(root, &config.output_dir)?;
    let mut clock = StageClock::new();
    progress::stage("cache", 0);
    let mut cache = Cache::open(&config, opts);
    let (found, note) = if opts.no_cache { (Found::Nothing, None) } else { cache.lookup() };
    clock.lap("cache");
    let mut stage = None;
    let mut seen = build_cache::Seen::default();
    let warm = match found {
        Found::Unchanged(record) => {
            let leftovers = output::remove_dead_staging(&config.output_dir);
            return Ok(cached(*record, leftovers, config.output_dir, start));
        }
        // Built while the outputs are checked; dropped (nothing written yet)
        // when one was deleted or edited, since the state does not apply then.
        Found::Edited(state, outputs) => {
            let markdown = (cache.markdown_dir(), cache.markdown_dir_to_write());
            let built = warm::build(config.clone(), opts.drafts, state, markdown)?;
            outputs.as_recorded().map(|found| (built, found))
        }
        Found::Nothing => None,
    };
    let mut built = match warm {
        Some((built, found)) => {
            seen = found;
            built
        }
        None => {
            stage = output::open_stage(root, &config.output_dir)?;
            build_in_memory(config, opts.drafts, stage.as_ref())?
        }
    };
    let out_dir = built.site.config.output_dir.clone();
    progress::stage("write", 0);
    clock.lap("built");
    let Built { warm, outputs, kept, .. } = &mut built;
    // What the next build starts from is saved while the output is written.
    let (stats, (state, unsaved)) = std::thread::scope(|s| {
        let keeping = s.spawn(|| keep_warm(&cache, warm));
        let stats = output::write_site(root, &out_dir, outputs, kept, stage);
        (stats, keeping.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let mut stats = stats?;
    clock.lap("w:files");
    let mut report = std::mem::take(&mut built.report);
    report.extend(std::mem::take(&mut stats.warnings));
    let saved = remember(&cache, &built, &report, root, &seen, state).or(unsaved);
    clock.lap("w:cache");
    report.extend(note.into_iter().chain(std::mem::take(&mut built.cache_notes)).chain(saved));
    Ok(BuildSummary {
        pages: built.site.pages.len(),
        sections: built.site.sections.len(),
        stats,
        millis: start.elapsed().as_millis(),
        output_dir: out_dir,
        report,
        cached: false,
        rendered_again: built.rendered_again,
        held: Held { _built: Some(Box::new(built)) },
    })
}

/// Saves what the next build starts from: this build's renderings, then the
/// warm state that names them (put in place by [`remember`]); a note when
/// the renderings could not be saved.
fn keep_warm(cache: &Cache, warm: &mut Warm) -> (build_cache::StateWritten, Option<Diagnostic>) {
    let (settled, unsaved) = warm.settle(|| cache.markdown_dir_to_write());
    (cache.write_state(&|w| settled.write_to(w)), unsaved.map(|e| cache.note_markdown(&e)))
}

/// Records a written build in the cache, with what it reported; a note
/// when the record cannot be written.
fn remember(
    cache: &Cache,
    built: &Built,
    report: &Report,
    root: &Path,
    seen: &build_cache::Seen,
    state: build_cache::StateWritten,
) -> Option<Diagnostic> {
    let site = &built.site;
    let summary =
        build_cache::Summary { pages: site.pages.len(), sections: site.sections.len(), warnings: &report.items };
    let mut written: Vec<&Path> = built.outputs.iter().map(|o| o.path.as_path()).collect();
    written.extend(built.kept.iter().chain(&built.sunk).map(PathBuf::as_path));
    // A copied file that replaced a sunk page is in both.
    written.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    written.dedup();
    let manifest = output::manifest_file(root, &site.config.output_dir);
    cache.save(summary, &written, (&built.kept, seen), &manifest, state)
}

/// The summary of a build the cache answered: every output as it was (and
/// what tidying the staging folders found).
fn cached(
    record: build_cache::Record,
    leftovers: Vec<Diagnostic>,
    output_dir: PathBuf,
    start: Instant,
) -> BuildSummary {
    let stats = WriteStats { unchanged: record.files, ..WriteStats::default() };
    let mut report = Report::default();
    report.extend(record.warnings.into_iter().chain(leftovers));
    BuildSummary {
        pages: record.pages,
        sections: record.sections,
        stats,
        millis: start.elapsed().as_millis(),
        output_dir,
        report,
        cached: true,
        rendered_again: None,
        held: Held::default(),
    }
}

/// Every stage run to the end, whatever they found. When `loaded.report`
/// holds errors the outputs are incomplete and must not be written.
pub struct Staged {
    pub loaded: Loaded,
    pub theme: Theme,
    /// `None` when a template failed to compile (that error is in the report).
    pub templates: Option<Templates>,
    pub highlighter: Highlighter,
    /// Every output rendered, with what it read.
    pub made: Vec<Made>,
    /// Theme and site static files, and the assets beside the content.
    pub copied: Vec<Output>,
}

/// Everything up to (not including) writing files, except what goes into
/// `stage` as it is rendered (see [`Built::sunk`]). Errors stop here,
/// before any output is touched, with every problem of every stage.
pub fn build_in_memory(config: Config, drafts: bool, stage: Option<&output::Stage>) -> Result<Built> {
    let put = |o: &Output| stage.map_or(Ok(()), |s| s.put(o)).map_err(|e| Diagnostic::error(&o.path, e.to_string()));
    let sink: Option<output::Sink<'_>> = stage.map(|_| &put as output::Sink<'_>);
    let Staged { loaded, theme, templates, highlighter, made, copied } =
        run_stages_into(config, drafts, &Memo::default(), sink)?;
    let Loaded { site, mut report, memo, .. } = loaded;
    fail_on_errors(&mut report)?;
    let templates = templates.expect("a template that failed to compile is an error in the report");
    crate::memory::release();
    let mut clock = StageClock::new();
    let warm = Warm::of(&site, &made, &copied, memo);
    clock.lap("records");
    let mut sunk: Vec<PathBuf> = made.iter().flat_map(|m| m.sunk.iter().cloned()).collect();
    let mut outputs: Vec<Output> = made.into_iter().flat_map(|m| m.outputs).collect();
    progress::stage("search", 0);
    let search = crate::search::outputs_into(&site, sink).map_err(|d| Error::Site(vec![d]))?;
    outputs.extend(search.outputs);
    sunk.extend(search.sunk);
    crate::memory::release();
    let warm = warm.with_search(search.sources);
    crate::collisions::copied_files_win(&mut outputs, copied);
    let kept = Vec::new();
    let (rendered_again, cache_notes) = (None, Vec::new());
    Ok(Built { site, outputs, report, theme, templates, highlighter, kept, sunk, warm, rendered_again, cache_notes })
}

/// Every stage of a build, collecting what each finds instead of stopping
/// at the first that fails (`check` reports them all; `build` then refuses).
pub fn run_stages(config: Config, drafts: bool, memo: &Memo) -> Result<Staged> {
    run_stages_into(config, drafts, memo, None)
}

/// [`run_stages`], handing each rendered file to `sink` when given.
fn run_stages_into(config: Config, drafts: bool, memo: &Memo, sink: Option<output::Sink<'_>>) -> Result<Staged> {
    let theme = Theme::load(&config.root, &config.theme)?;
    let (templates, template_errors) = match Templates::new(&theme) {
        Ok(t) => (Some(t), Vec::new()),
        Err(e) => (None, e),
    };
    let highlighter = Highlighter::new(&config.root.join("syntaxes")).map_err(|d| Error::Site(vec![d]))?;
    let mut loaded = pipeline::collect_site(config, drafts, &highlighter, memo, &|_| false);
    loaded.report.extend(template_errors);
    loaded.report.extend(theme.warnings.clone());
    let mut clock = StageClock::new();
    let (made, copied, errors) = match &templates {
        Some(t) => render_and_copy(&loaded, t, &theme, sink)?,
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    loaded.report.extend(errors);
    clock.lap("render");
    loaded.report.sort();
    Ok(Staged { loaded, theme, templates, highlighter, made, copied })
}

/// Renders every output and reads the copied files; template errors and
/// colliding paths are returned beside whatever was rendered.
fn render_and_copy(
    loaded: &Loaded,
    t: &Templates,
    theme: &Theme,
    sink: Option<output::Sink<'_>>,
) -> Result<(Vec<Made>, Vec<Output>, Vec<Diagnostic>)> {
    let targets = render::all_targets(&loaded.site);
    progress::stage("render", targets.len());
    let made = match render::render_targets_into(&loaded.site, t, &targets, sink) {
        Ok(made) => made,
        Err(errors) => return Ok((Vec::new(), Vec::new(), errors)),
    };
    progress::stage("copy", 0);
    let copied = copy_files(&loaded.files, theme)?;
    let rendered: Vec<PathBuf> = made.iter().flat_map(|m| m.paths().cloned()).collect();
    let copied_paths: Vec<PathBuf> = copied.iter().map(|o| o.path.clone()).collect();
    let errors = crate::collisions::check(&loaded.site, &rendered, &copied_paths).err().unwrap_or_default();
    Ok((made, copied, errors))
}
