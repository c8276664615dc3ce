//! `rapport serve`: build in memory, serve it, watch the sources, rebuild on
//! change and tell browsers to reload. The last good site stays served while
//! an edit does not build; browsers show the error in an overlay.
//!
//! Rebuilds are incremental ([`crate::incremental`]): only the outputs that
//! read what changed are rendered again and swapped into the served map.

pub mod http;
mod indexing;
mod lan;
mod listen;
pub mod reload;
pub mod watch;

use crate::build::{self, BuildOptions};
use crate::diagnostic::{count, Verbosity};
use crate::error::{Error, Result};
use crate::incremental::{describe_error, LiveSite, Update, QUEUED};
use http::{Files, Server};
use indexing::SearchJob;
use reload::Hub;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use watch::{Batch, SiteWatcher};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    /// Poll for changes instead of using native file events.
    pub poll: bool,
    /// Quiet keeps the address line and errors; verbose lists every warning.
    pub verbosity: Verbosity,
}

/// How long a burst of events must be quiet before a rebuild starts.
/// Editors write, rename and delete within a millisecond or two; `git checkout`
/// bursts are caught whole or as a few batches (each correct on its own).
const QUIET: Duration = Duration::from_millis(5);

pub fn serve(root: &Path, opts: &ServeOptions) -> Result<()> {
    let build_opts = BuildOptions { drafts: opts.drafts, ..BuildOptions::default() };
    let config = build::load_config(root, &build_opts)?;
    let output = config.output_dir.clone();
    let files: Files = Arc::new(RwLock::new(HashMap::new()));
    let hub = Arc::new(Hub::default());
    // Watching starts before the first build, so no edit made while it runs is missed.
    let exclusions = crate::load::Exclusions::of(&config.root, &config.ignore).0;
    let watcher = SiteWatcher::new(root, &output, exclusions, opts.poll)
        .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
    let start = Instant::now();
    let watch = crate::progress::Watch::start(crate::progress::Bar::unless_quiet(opts.verbosity));
    let first = LiveSite::build(root, &build_opts);
    drop(watch);
    let live = match first {
        Ok(live) => {
            publish_all(&files, &live);
            if let Some(text) = opts.verbosity.format(&live.warnings) {
                eprintln!("{text}");
            }
            if opts.verbosity != Verbosity::Quiet {
                eprintln!("built {} in {} ms", count(live.outputs.len(), "file"), start.elapsed().as_millis());
            }
            Some(live)
        }
        Err(e) => {
            let message = describe_error(&e);
            eprintln!("{message}");
            hub.publish(Some(message), false);
            None
        }
    };
    let address = format!("{}:{}", opts.bind, opts.port);
    let (listener, port) =
        listen::bind(&address).map_err(|e| Error::Usage(format!("cannot listen on {address}: {e}")))?;
    let base_path = config.base_path.clone();
    let urls: Vec<String> = lan::hosts(&opts.bind).iter().map(|h| format!("http://{h}:{port}{base_path}")).collect();
    let url = &urls[0];
    eprintln!("serving {} at {} (Ctrl+C to stop)", crate::diagnostic::terminal_path(root), urls.join(" and "));
    if opts.open {
        let _ = opener::open(url);
    }
    let visited: http::Visited = Arc::default();
    let handler =
        Arc::new(Server { files: files.clone(), visited: visited.clone(), hub: hub.clone(), base_path, port });
    listen::spawn(listener, handler).map_err(|e| Error::Usage(format!("cannot start the dev server: {e}")))?;
    watch_loop(watcher, root, &build_opts, live, &Served { files, visited, hub, verbosity: opts.verbosity })
}

/// What the watch loop shares with the HTTP workers.
struct Served {
    files: Files,
    visited: http::Visited,
    hub: Arc<Hub>,
    verbosity: Verbosity,
}

fn watch_loop(
    mut watcher: SiteWatcher,
    root: &Path,
    opts: &BuildOptions,
    mut live: Option<LiveSite>,
    served: &Served,
) -> Result<()> {
    let (files, hub) = (&served.files, &served.hub);
    let mut indexing = SearchJob::default();
    if let Some(site) = live.as_mut() {
        indexing.prime(site);
    }
    loop {
        if let Some(site) = live.as_mut() {
            if let Some(update) = indexing.finished(site) {
                publish(files, site, &update);
            }
            if !idle_work(site, &mut watcher, &mut indexing, served) {
                continue;
            }
        }
        let Some(batch) = watcher.next_batch(QUIET) else { break };
        if batch.is_empty() {
            continue;
        }
        let start = Instant::now();
        let what = describe(&batch, root);
        let result = match live.as_mut() {
            Some(site) => {
                let visited: BTreeSet<PathBuf> =
                    served.visited.lock().expect("visited lock").iter().map(PathBuf::from).collect();
                site.apply_visited_first(&batch, &visited).map(|update| (update, false))
            }
            None => LiveSite::build(root, opts).map(|mut site| {
                if !indexing.running() {
                    indexing.prime(&mut site);
                }
                live = Some(site);
                (Update { how: "full rebuild", ..Update::default() }, true)
            }),
        };
        match result {
            Ok((update, fresh)) => {
                let site = live.as_ref().expect("a site after a successful update");
                if fresh {
                    publish_all(files, site);
                } else {
                    publish(files, site, &update);
                }
                hub.publish(None, update.css_only());
                let n = if fresh { site.outputs.len() } else { update.written.len() + update.removed.len() };
                log_update(served.verbosity, &what, &update, n, start);
            }
            Err(e) => {
                let message = describe_error(&e);
                eprintln!("{message}\n{what}: the change does not build; still serving the last good site");
                publish_restored(files, live.as_mut());
                hub.publish(Some(message), false);
            }
        }
    }
    Ok(())
}

/// The warnings of a rebuild and its one summary line.
fn log_update(verbosity: Verbosity, what: &str, update: &Update, rewritten: usize, start: Instant) {
    if let Some(text) = verbosity.format(&update.warnings) {
        eprintln!("{text}");
    }
    if verbosity != Verbosity::Quiet {
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        eprintln!("{what}: {}, {} rewritten in {ms:.1} ms", update.how, count(rewritten, "output"));
    }
}

/// Work done while no edit waits: the next slice of queued pages at once,
/// and the search index on its own thread once edits have paused. Returns
/// true when an edit is waiting.
fn idle_work(site: &mut LiveSite, watcher: &mut SiteWatcher, indexing: &mut SearchJob, served: &Served) -> bool {
    let pause = match (site.has_pending(), site.only_search_pending(), indexing.running()) {
        (true, false, _) => Duration::ZERO,
        (true, true, false) => SEARCH_PAUSE,
        (_, _, true) => indexing::POLL,
        (false, _, false) => return true,
    };
    if watcher.wait_for_event(pause) {
        return true;
    }
    if site.only_search_pending() {
        if !indexing.running() {
            indexing.start(site);
        }
    } else if site.has_pending() {
        drain_pending(site, served);
    }
    false
}

/// Renders the next slice of queued outputs and serves them.
/// A queued page that fails to render (a template that breaks on only some
/// pages) shows in the browser overlay, like any other error.
fn drain_pending(site: &mut LiveSite, served: &Served) {
    let (files, hub) = (&served.files, &served.hub);
    let start = Instant::now();
    match site.render_pending(PENDING_SLICE) {
        Ok(update) if update.how != QUEUED => {
            // The stages of a batch whose pages were shown early.
            publish(files, site, &update);
            hub.publish(None, update.css_only());
            let n = update.written.len() + update.removed.len();
            log_update(served.verbosity, "the rest of the change", &update, n, start);
        }
        Ok(update) => {
            publish(files, site, &update);
            if !site.has_pending() && served.verbosity != Verbosity::Quiet {
                eprintln!(
                    "the rest of the site is up to date ({:.1} ms for the last slice)",
                    start.elapsed().as_secs_f64() * 1000.0
                );
            }
        }
        Err(e) => {
            let message = describe_error(&e);
            eprintln!("{message}");
            publish_restored(files, Some(site));
            hub.publish(Some(message), false);
        }
    }
}

/// Serves again what a failed change had shown early.
fn publish_restored(files: &Files, site: Option<&mut LiveSite>) {
    if let Some(site) = site {
        if let Some(update) = site.take_restored() {
            publish(files, site, &update);
        }
    }
}

/// The search index follows an edit once no other has come for this long
/// (a burst of saves is indexed once).
const SEARCH_PAUSE: Duration = Duration::from_millis(20);

/// Queued outputs rendered between two looks at the watcher.
const PENDING_SLICE: usize = 64;

/// Copies the changed outputs of an update into the served map.
fn publish(files: &Files, site: &LiveSite, update: &Update) {
    let mut map = files.write().expect("site lock");
    for path in &update.written {
        if let Some(bytes) = site.outputs.get(path) {
            map.insert(key(path), bytes.clone());
        }
    }
    for path in &update.removed {
        map.remove(&key(path));
    }
}

fn publish_all(files: &Files, site: &LiveSite) {
    let map: HashMap<String, Arc<Vec<u8>>> = site.outputs.iter().map(|(p, b)| (key(p), b.clone())).collect();
    *files.write().expect("site lock") = map;
}

fn key(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn describe(batch: &Batch, root: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut names: Vec<String> = batch
        .changes
        .iter()
        .map(|(p, _)| crate::diagnostic::terminal_path(p.strip_prefix(&root).unwrap_or(p)))
        .collect();
    names.sort();
    match names.len() {
        0 => "rescan".into(),
        1 => names.remove(0),
        n => format!("{} and {} more", names[0], n - 1),
    }
}
