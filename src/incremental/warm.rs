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

use super::records::{Records, Saved, Scope};
use super::saved_markdown;
use crate::build::{self, Built};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::model::Site;
use crate::output::Output;
use crate::pipeline::{self, fail_on_errors, Memo};
use crate::progress;
use crate::render::{self, Made, Target, TargetKey, Templates};
use crate::search::reuse::Sources;
use crate::theme::Theme;
use bincode::Options as _;
use rustc_hash::FxHashSet;
use std::path::PathBuf;

/// The state's layout; a state of another layout is not used.
const FORMAT: u32 = 5;

/// What a build leaves for the next, warm one.
pub struct Warm {
    records: Records,
    /// The copied files (static files and assets): an output rendered at
    /// one of their paths is hidden, so its target renders again whenever
    /// the copied files may have changed.
    copied: Vec<PathBuf>,
    /// What each search index file was made from.
    search: Sources,
    /// This build's markdown renderings, to save ([`Warm::settle`]).
    memo: Memo,
    /// The last build's saved renderings' index.
    markdown: saved_markdown::Index,
    /// The renderings saved and the state encoded up to the search sources,
    /// once done ([`Warm::settle`]; a warm build does it while the search
    /// index is made).
    head: Option<Head>,
}

/// The state's bytes up to the search sources (the layout, the saved
/// renderings' index, records and copied files), with the error that kept
/// the renderings from being saved, if one did.
struct Head {
    bytes: Vec<u8>,
    unsaved: Option<std::io::Error>,
}

impl Head {
    /// Saves `memo`'s renderings into `dir` (keeping the buckets of `last`
    /// that still hold), then encodes the state's head naming them; when
    /// they could not be saved, it names none and the next build renders
    /// all markdown.
    fn of(
        (memo, last): (&Memo, &saved_markdown::Index),
        records: &Records,
        copied: &[PathBuf],
        dir: std::io::Result<PathBuf>,
    ) -> Head {
        let (markdown, unsaved) = match dir.and_then(|dir| saved_markdown::save(&dir, memo, last)) {
            Ok(index) => (index, None),
            Err(e) => (saved_markdown::Index::default(), Some(e)),
        };
        let bytes = encoding().serialize(&(FORMAT, &markdown, records.save(), copied)).expect("encodes into memory");
        Head { bytes, unsaved }
    }
}

/// A state ready to write: its head and the search sources that end it.
pub struct Settled<'a> {
    head: &'a [u8],
    search: &'a Sources,
}

impl Settled<'_> {
    /// Writes the state for the next build (read back by [`Warm::from_bytes`]).
    pub fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        w.write_all(self.head)?;
        encoding().serialize_into(w, self.search).map_err(std::io::Error::other)
    }
}

/// The state as saved: its layout, the saved renderings' index (first, so
/// it can be read before the rest), records, copied files and search sources.
type OnDisk = (u32, saved_markdown::Index, Saved, Vec<PathBuf>, Sources);

impl Warm {
    /// What a full build's outputs read (its search index comes next:
    /// [`Warm::with_search`]).
    pub fn of(site: &Site, made: &[Made], copied: &[Output], memo: Memo) -> Warm {
        let mut records = Records::unindexed();
        records.record(site, made);
        let copied = copied.iter().map(|o| o.path.clone()).collect();
        Warm::new(records, copied, Sources::default(), (memo, saved_markdown::Index::default()), None)
    }

    /// With what the search index's files were made from.
    pub fn with_search(self, search: Sources) -> Warm {
        Warm::new(self.records, self.copied, search, (self.memo, self.markdown), self.head)
    }

    /// The state of a build whose copied files are `copied`: a search file
    /// a copied one replaced is not the index's to keep.
    fn new(
        records: Records,
        copied: Vec<PathBuf>,
        mut search: Sources,
        (memo, markdown): (Memo, saved_markdown::Index),
        head: Option<Head>,
    ) -> Warm {
        copied.iter().for_each(|p| search.forget(p));
        Warm { records, copied, search, memo, markdown, head }
    }

    /// Saves this build's renderings into `dir` and encodes the state that
    /// names them, unless that was done while the build ran; the state to
    /// write, and the error that kept the renderings from being saved.
    pub fn settle(&mut self, dir: impl FnOnce() -> std::io::Result<PathBuf>) -> (Settled<'_>, Option<std::io::Error>) {
        let Warm { records, copied, search, memo, markdown, head } = self;
        let head = head.get_or_insert_with(|| Head::of((memo, markdown), records, copied, dir()));
        (Settled { head: &head.bytes, search }, head.unsaved.take())
    }

    /// The state in `bytes`; `None` when it is of another layout.
    pub fn from_bytes(bytes: &[u8]) -> Option<Warm> {
        let (format, markdown, records, copied, search): OnDisk = encoding().deserialize(bytes).ok()?;
        let records = Records::from_saved(records);
        (format == FORMAT).then(|| Warm { records, copied, search, memo: Memo::default(), markdown, head: None })
    }

    /// Only the saved renderings' index, read from the start of the state;
    /// `None` when it is of another layout.
    fn markdown_index(bytes: &[u8]) -> Option<saved_markdown::Index> {
        let (format, index): (u32, saved_markdown::Index) =
            encoding().allow_trailing_bytes().deserialize(bytes).ok()?;
        (format == FORMAT).then_some(index)
    }

    /// A state that knows no target: a build from it renders everything.
    fn empty() -> Warm {
        let (records, search) = (Records::unindexed(), Sources::default());
        Warm { records, copied: Vec::new(), search, memo: Memo::default(), markdown: Default::default(), head: None }
    }
}

/// Variable-length integers: most counts and ids are small, and the state
/// is read and written on every build.
fn encoding() -> impl bincode::Options {
    use bincode::Options;
    bincode::DefaultOptions::new().with_varint_encoding()
}

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
    let copied = build::copy_files(&loaded.files, &theme)?;
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
