//! `rapport serve`: build in memory, serve it, watch the sources, rebuild on
//! change and tell browsers to reload. The last good site stays served while
//! an edit does not build; browsers show the error in an overlay.
//!
//! Rebuilds are whole-site for now (fast at knowledge-base sizes); the
//! dependency-tracked incremental rebuild is tracked separately.

pub mod http;
pub mod reload;
pub mod watch;

use crate::build::{self, BuildOptions};
use crate::error::{Error, Result};
use http::{Files, Server};
use reload::Hub;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use watch::{ChangeKind, SiteWatcher};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
}

/// How long a burst of events must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(30);
const WORKERS: usize = 8;

pub fn serve(root: &Path, opts: &ServeOptions) -> Result<()> {
    let build_opts = BuildOptions { drafts: opts.drafts, ..BuildOptions::default() };
    let config = build::load_config(root, &build_opts)?;
    let output = config.output_dir.clone();
    let files: Files = Arc::new(RwLock::new(HashMap::new()));
    let hub = Arc::new(Hub::default());
    match rebuild(root, &build_opts, &files) {
        Ok(n) => eprintln!("built {n} files"),
        Err(message) => {
            eprintln!("{message}");
            hub.publish(Some(message), false);
        }
    }
    let address = format!("{}:{}", opts.bind, opts.port);
    let server =
        tiny_http::Server::http(&address).map_err(|e| Error::Usage(format!("cannot listen on {address}: {e}")))?;
    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    let base_path = config.base_path.clone();
    let url = format!("http://{}:{port}{base_path}", opts.bind);
    eprintln!("serving {} at {url} (Ctrl+C to stop)", root.display());
    if opts.open {
        let _ = opener::open(&url);
    }
    let handler = Arc::new(Server { files: files.clone(), hub: hub.clone(), base_path, port });
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let (server, handler) = (server.clone(), handler.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                handler.handle(request);
            }
        });
    }
    watch_loop(root, &output, &build_opts, &files, &hub)
}

fn watch_loop(root: &Path, output: &Path, opts: &BuildOptions, files: &Files, hub: &Hub) -> Result<()> {
    let watcher =
        SiteWatcher::new(root, output).map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
    while let Some(batch) = watcher.next_batch(QUIET) {
        let start = Instant::now();
        let what = describe(&batch.paths, root);
        match rebuild(root, opts, files) {
            Ok(n) => {
                let css_only = batch.kind == Some(ChangeKind::Static)
                    && batch.paths.iter().all(|p| p.extension().is_some_and(|e| e == "css"));
                hub.publish(None, css_only);
                eprintln!("rebuilt ({what}): {n} files in {} ms", start.elapsed().as_millis());
            }
            Err(message) => {
                eprintln!("{message}\nrebuild failed ({what}); still serving the last good build");
                hub.publish(Some(message), false);
            }
        }
    }
    Ok(())
}

/// Builds the whole site in memory and swaps it in. Returns the file count,
/// or the error text (every diagnostic) when the build fails.
fn rebuild(root: &Path, opts: &BuildOptions, files: &Files) -> std::result::Result<usize, String> {
    let config = build::load_config(root, opts).map_err(|e| e.to_string())?;
    let built = match build::build_in_memory(config, opts.drafts) {
        Ok(b) => b,
        Err(Error::Site(items)) => return Err(items.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
        Err(e) => return Err(e.to_string()),
    };
    for d in &built.report.items {
        eprintln!("{d}");
    }
    let map: HashMap<String, Arc<Vec<u8>>> = built
        .outputs
        .into_iter()
        .map(|o| {
            (
                o.path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
                Arc::new(o.bytes),
            )
        })
        .collect();
    let n = map.len();
    *files.write().expect("site lock") = map;
    Ok(n)
}

fn describe(paths: &[PathBuf], root: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut names: Vec<String> =
        paths.iter().map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string()).collect();
    names.sort();
    names.dedup();
    match names.len() {
        0 => "rescan".into(),
        1 => names.remove(0),
        n => format!("{} and {} more", names[0], n - 1),
    }
}
