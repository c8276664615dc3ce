//! The search index in `serve`: built from a snapshot on its own thread once
//! edits pause, because on a large site it takes seconds and an edit made
//! meanwhile must not wait for it. One job at a time, so results land in order.

use crate::incremental::{LiveSite, Update};
use crate::output::Output;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// How often a running job is looked at.
pub(super) const POLL: Duration = Duration::from_millis(50);

#[derive(Default)]
pub(super) struct SearchJob {
    done: Option<Receiver<Vec<Output>>>,
    started: Option<Instant>,
}

impl SearchJob {
    pub(super) fn running(&self) -> bool {
        self.done.is_some()
    }

    /// Takes the queued index off `site` and builds it on another thread.
    pub(super) fn start(&mut self, site: &mut LiveSite) {
        let Some(snapshot) = site.take_search() else { return };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Its own one-thread pool: in the shared pool, an edit's parallel
            // stages would queue behind the index's work.
            let outputs = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                Ok(pool) => pool.install(|| snapshot.outputs()),
                Err(_) => snapshot.outputs(),
            };
            let _ = tx.send(outputs);
        });
        self.done = Some(rx);
        self.started = Some(Instant::now());
    }

    /// Once the job is done, merges its files into `site`; the update says
    /// which files to serve anew.
    pub(super) fn finished(&mut self, site: &mut LiveSite) -> Option<Update> {
        let outputs = match self.done.as_ref()?.try_recv() {
            Ok(outputs) => outputs,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => {
                self.done = None;
                eprintln!("warning: the search index could not be rebuilt (internal error); the next edit tries again");
                return None;
            }
        };
        self.done = None;
        let update = site.merge_search(outputs);
        let took = self.started.take().map_or(0.0, |s| s.elapsed().as_secs_f64() * 1000.0);
        let n = update.written.len() + update.removed.len();
        eprintln!("search index rebuilt in the background: {n} files rewritten in {took:.1} ms");
        Some(update)
    }
}
