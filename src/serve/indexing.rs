//! The search index in `serve`: kept between edits ([`crate::search::live`])
//! and brought up to date on its own thread as soon as the edit's pages are
//! served, so a saved word is searchable moments later while an edit made
//! meanwhile never waits for it. It starts from the index the first build
//! made; each job analyses only the pages an edit changed. One job at a
//! time, so results land in order.

use crate::incremental::{LiveSite, Update};
use crate::output::Output;
use crate::search::live::{Changes, Live};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// How often a running job is looked at.
pub(super) const POLL: Duration = Duration::from_millis(5);

/// What a job gives back: the index, and the files that changed.
enum Done {
    /// The first index: every file.
    All(Live, Vec<Output>),
    /// A later one: only the files that differ.
    Changed(Live, Changes),
}

#[derive(Default)]
pub(super) struct SearchJob {
    /// The index as the last job left it (`None` while a job holds it).
    live: Option<Live>,
    done: Option<Receiver<Done>>,
    started: Option<Instant>,
}

impl SearchJob {
    pub(super) fn running(&self) -> bool {
        self.done.is_some()
    }

    /// Takes the queued index off `site` and brings the live index up to date
    /// with it on another thread.
    pub(super) fn start(&mut self, site: &mut LiveSite) {
        let Some(snapshot) = site.take_search() else { return };
        self.spawn(snapshot);
    }

    /// Takes the index the first build made (at start), or builds one of
    /// `site` as it is on another thread when there is none.
    pub(super) fn prime(&mut self, site: &mut LiveSite) {
        match site.take_search_index() {
            Some(live) => {
                self.live = Some(live);
                eprintln!("search index ready to follow edits");
            }
            None => self.spawn(crate::search::Snapshot::of(&site.site)),
        }
    }

    fn spawn(&mut self, snapshot: crate::search::Snapshot) {
        let (tx, rx) = std::sync::mpsc::channel();
        let live = self.live.take();
        let thread = std::thread::Builder::new().name("search-index".into());
        let spawned = thread.spawn(move || {
            // Its own pool, of as many threads as cores but at a lower
            // priority: in the shared pool an edit's parallel stages would
            // queue behind the index's work; here they take the cores first.
            let work = move || match live {
                Some(live) => {
                    let (live, changes) = live.follow(snapshot);
                    Done::Changed(live, changes)
                }
                None => {
                    let (live, outputs) = Live::new(snapshot);
                    Done::All(live, outputs)
                }
            };
            let pool = rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("search-index-{i}"))
                .start_handler(|_| yield_to_edits());
            let done = match pool.build() {
                Ok(pool) => pool.install(work),
                Err(_) => work(),
            };
            let _ = tx.send(done);
        });
        if let Err(e) = spawned {
            eprintln!("warning: the search index could not be updated ({e}); the next edit rebuilds it");
            return;
        }
        self.done = Some(rx);
        self.started = Some(Instant::now());
    }

    /// Once the job is done, serves its files from `site`; the update says
    /// which files to serve anew.
    pub(super) fn finished(&mut self, site: &mut LiveSite) -> Option<Update> {
        let done = match self.done.as_ref()?.try_recv() {
            Ok(done) => done,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => {
                self.done = None;
                eprintln!("warning: the search index could not be updated (internal error); the next edit rebuilds it");
                return None;
            }
        };
        self.done = None;
        let first = matches!(done, Done::All(..));
        let update = match done {
            Done::All(live, outputs) => {
                self.live = Some(live);
                site.merge_search(outputs)
            }
            Done::Changed(live, changes) => {
                self.live = Some(live);
                site.patch_search(changes.write, &changes.delete)
            }
        };
        let took = self.started.take().map_or(0.0, |s| s.elapsed().as_secs_f64() * 1000.0);
        let n = update.written.len() + update.removed.len();
        if first {
            eprintln!("search index ready to follow edits ({took:.0} ms)");
        } else if n > 0 {
            eprintln!("search index updated: {n} files rewritten in {took:.1} ms");
        }
        Some(update)
    }
}

/// Lowers the calling thread's priority (Linux: a nice value is per thread)
/// so the edit loop's threads run first when both want a core.
fn yield_to_edits() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority has no memory effects; `who` 0 is the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
