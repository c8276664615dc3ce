//! Warm builds: a `rapport build` after edits to content or static files
//! renders again only the outputs whose recorded reads now give another
//! value, from the records the last build saved; every other output is left
//! as that build wrote it. The stages before rendering run in full on fresh
//! input, so the model is a cold build's; the search index reuses each
//! page's analysis and keeps the files made from the same inputs
//! ([`crate::search::reuse`]). What to render is decided as in `serve`
//! ([`Records::diff`]), with the page stamps compared by print, since the
//! last build's docs are not in memory. The build cache ([`crate::build_cache`]) decides when a build may
//! be warm: same rapport, options, settings and templates, outputs untouched.
//! The state a warm build starts from and leaves is [`super::warm_state`].

use super::records::{Records, Scope};
use super::saved_markdown;
use super::warm_state::{Head, Warm};
use crate::built::Built;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::model::Site;
use crate::output::Output;
use crate::pipeline::{self, fail_on_errors, Memo};
use crate::progress;
use crate::render::{self, Made, Target, TargetKey, Templates};
use crate::theme::Theme;
use rustc_hash::FxHashSet;
use std::path::PathBuf;

/// A build that renders only the targets whose reads changed (and those
/// new or next to a copied file); the rest keep their files, listed in
/// [`Built::kept`].
///
/// The last build's state (`state`) is decoded on another thread while the
/// stages run; one of another layout (`None`) knows no target, so
/// everything is rendered, as in a full build.
pub fn build(
    config: Config,
    drafts: bool,
    state: Vec<u8>,
    (markdown, markdown_out): (PathBuf, std::io::Result<PathBuf>),
) -> Result<Built> {
    let saved = saved_markdown::load(markdown, Warm::markdown_index(&state).unwrap_or_default());
    let decoding = std::thread::spawn(move || Warm::from_bytes(&state));
    let theme = Theme::load(&config.root, &config.theme)?;
    let templates = Templates::new(&theme).map_err(Error::Site)?;
    let highlighter = Highlighter::new(&config.root.join("syntaxes")).map_err(|d| Error::Site(vec![d]))?;
    let mut loaded = pipeline::collect_site(config, drafts, &highlighter, &Memo::of_saved(saved.clone()), &|_| false);
    loaded.report.extend(theme.warnings.clone());
    let cache_notes = saved.unusable().iter().map(|file| {
        Diagnostic::warning(file, "build cache: saved renderings are damaged or missing; their pages render again")
    });
    let cache_notes = cache_notes.collect();
    loaded.report.sort();
    fail_on_errors(&mut loaded.report)?;
    progress::stage("copy", 0);
    let copied = crate::copy::copy_files(&loaded.files, &theme)?;
    let warm = decoding.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)).unwrap_or_else(Warm::empty);
    let Warm { records, copied: copied_before, search: last_search, markdown: last_markdown, .. } = warm;
    let site = &loaded.site;
    let copied_now: Vec<PathBuf> = copied.iter().map(|o| o.path.clone()).collect();
    // The search index does not depend on what is rendered: both at once,
    // and the renderings are saved while the index is still being made.
    let (redone, search) = rayon::join(
        || {
            let redone = render_due(site, &templates, records, (&copied_before, &copied), &loaded.memo)?;
            let head = Head::of((&loaded.memo, &last_markdown), &redone.records, &copied_now, markdown_out);
            Ok::<_, Error>((redone, head))
        },
        || crate::search::outputs_since(site, &last_search),
    );
    let (Redone { records, made, mut kept, rendered_again }, head) = redone?;
    let mut outputs: Vec<Output> = made.into_iter().flat_map(|m| m.outputs).collect();
    outputs.extend(search.outputs);
    // A kept page is never at a copied file's path (such targets are due),
    // and search files copied ones replaced are not in `last_search`.
    let copied_set: FxHashSet<&PathBuf> = copied_now.iter().collect();
    kept.extend(search.kept.into_iter().filter(|p| !copied_set.contains(p)));
    crate::collisions::copied_files_win(&mut outputs, copied);
    let pipeline::Loaded { site, report, memo, .. } = loaded;
    let next = Warm::new(records, copied_now, search.sources, (memo, last_markdown), Some(head));
    Ok(Built {
        site,
        outputs,
        report,
        theme,
        templates,
        highlighter,
        kept,
        sunk: Vec::new(),
        warm: next,
        rendered_again,
        cache_notes,
    })
}

/// What rendering the due targets again came to.
struct Redone {
    /// The records after it, for the next build.
    records: Records,
    made: Vec<Made>,
    /// The files of the targets not rendered again.
    kept: Vec<PathBuf>,
    rendered_again: Option<(usize, usize)>,
}

/// Renders the targets whose recorded reads changed, the new ones, and
/// those with a file at a copied file's path (before or now), and brings
/// the records up to date; targets that are gone are forgotten.
fn render_due(
    site: &Site,
    templates: &Templates,
    mut records: Records,
    (copied_before, copied): (&[PathBuf], &[Output]),
    memo: &Memo,
) -> Result<Redone> {
    let mut clock = progress::StageClock::new();
    let delta = records.diff(site, &Scope::Everything, &|doc, rendered| memo.saved_prints(doc, rendered));
    let stale = records.readers_of(delta.changed.iter());
    let hiding: FxHashSet<&PathBuf> = copied_before.iter().chain(copied.iter().map(|o| &o.path)).collect();
    let targets: Vec<(TargetKey, Target)> =
        render::all_targets(site).into_iter().map(|t| (render::target_key(site, t), t)).collect();
    let due = |k: &TargetKey| {
        stale.contains(k) || !records.knows(k) || records.files_of(k).iter().any(|f| hiding.contains(f))
    };
    let (due, left): (Vec<_>, Vec<_>) = targets.iter().partition(|(k, _)| due(k));
    clock.lap("diff");
    progress::stage("render", due.len());
    let due: Vec<Target> = due.into_iter().map(|&(_, t)| t).collect();
    let made = render::render_targets(site, templates, &due).map_err(Error::Site)?;
    clock.lap("render");
    records.commit(delta);
    let current: FxHashSet<&TargetKey> = targets.iter().map(|(k, _)| k).collect();
    let gone: Vec<TargetKey> = records.targets().filter(|k| !current.contains(k)).copied().collect();
    for key in &gone {
        records.forget(key);
    }
    let kept: Vec<PathBuf> = left.iter().flat_map(|(k, _)| records.files_of(k).iter().cloned()).collect();
    check_collisions(site, &made, &kept, copied)?;
    records.record(site, &made);
    Ok(Redone { records, made, kept, rendered_again: Some((due.len(), targets.len())) })
}

/// Two outputs at one path, or an output at a copied file's: the files of
/// the targets left as they were count, as a full build's would.
fn check_collisions(site: &Site, made: &[Made], kept: &[PathBuf], copied: &[Output]) -> Result<()> {
    let rendered: Vec<PathBuf> = made.iter().flat_map(|m| m.paths().cloned()).chain(kept.iter().cloned()).collect();
    let copied: Vec<PathBuf> = copied.iter().map(|o| o.path.clone()).collect();
    crate::collisions::check(site, &rendered, &copied).map_err(Error::Site)
}
