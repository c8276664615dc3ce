//! The build cache: a `rapport build` whose inputs and outputs are as the
//! last successful build left them ends after checking that, without
//! parsing or rendering anything.
//!
//! The record lives in the site's state folder, `.rapport/cache/`, beside
//! the output manifests and ignored by git like them: not in the output,
//! which is published, and not in a per-user cache, so deleting or moving the
//! site takes its cache along. One record per output folder, holding
//! - a key: rapport's version and executable, the build options and today's
//!   date (review due dates depend on it);
//! - a fingerprint of every input [`crate::inputs`] lists: each path and the
//!   blake3 hash of its bytes (contents, not modification times, so a
//!   checkout or a copy that keeps the bytes stays warm), with the metadata
//!   each file had, so an input whose metadata is unchanged is not read
//!   again ([`fingerprint`]);
//! - each output file's length and modification time as written, and those
//!   of the output manifest, so a deleted or edited output forces a build
//!   (as for make and cargo, a rewrite to the same length within the
//!   filesystem's timestamp tick of rapport's own write would go unseen;
//!   a warm build runs while they are checked, and is dropped before it
//!   writes anything when one is not as written);
//! - the summary and the warnings, repeated as the full build printed them;
//! - a second fingerprint over the inputs that are not content or static
//!   files (settings, templates, themes, syntaxes, vault settings, the
//!   bibliography), and the hash of the warm state saved beside the record
//!   (`<name>.<hash>.warm`, see [`state`] and [`crate::incremental::warm`]): when only content or
//!   static files changed and every output is as written, the next build is
//!   warm and renders only what the edits reached.
//!
//! Nothing in it is trusted unchecked: a record whose checksum or format does
//! not match (damaged, truncated, another format) or that was written for
//! another site is ignored with a note; one for other options or other inputs
//! is simply out of date. `--no-cache` skips the lookup.

use crate::built::BuildOptions;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use bincode::Options as _;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

mod fingerprint;
mod state;

/// Where records live, under the site's state folder.
const FOLDER: &str = "cache";
/// The record layout; a record of another layout is ignored with a note.
const FORMAT: u32 = 5;

/// One output folder's cache: where its record is and what it must match.
pub struct Cache {
    file: PathBuf,
    out: PathBuf,
    /// The site and output folder the record is for.
    site: String,
    key: String,
    /// `None` when an input could not be read: the build reports it.
    inputs: Option<String>,
    /// The fingerprint of the inputs a warm build cannot follow.
    shape: Option<String>,
    /// Each input's hash with the metadata that stands for it, to record.
    hashed: Vec<fingerprint::Hashed>,
    /// The last build's record as read (not read with `--no-cache`).
    last: Option<Result<Record, &'static str>>,
}

/// What the cache found for a build.
pub enum Found {
    /// No record, or one that does not apply.
    Nothing,
    /// Nothing changed: the last build's record.
    Unchanged(Box<Record>),
    /// Only content or static files changed: the last build's warm state
    /// (checked against the record), and the check, under way, that the
    /// outputs are as that build wrote them (without which the state does
    /// not apply).
    Edited(Vec<u8>, Outputs),
}

/// Each output file compared with its recorded stamp, on another thread,
/// so a warm build can start meanwhile (it writes nothing before asking
/// [`Outputs::as_recorded`]).
pub struct Outputs(std::thread::JoinHandle<Option<Seen>>);

impl Outputs {
    fn check(out: PathBuf, recorded: Vec<Stamp>) -> Outputs {
        Outputs(std::thread::spawn(move || {
            as_written(&out, &recorded).then(|| Seen(recorded.into_iter().map(|s| (s.0.clone(), s)).collect()))
        }))
    }

    /// The outputs' stamps, when every output is as recorded.
    pub fn as_recorded(self) -> Option<Seen> {
        self.0.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// Each output file's stamp as the lookup found it, equal to the record's:
/// a file the build then leaves untouched keeps it in the next record
/// without being looked at again (and a file changed meanwhile by someone
/// else shows as changed to the next build).
#[derive(Default)]
pub struct Seen(FxHashMap<PathBuf, Stamp>);

/// What the last build left: what to say of it again.
#[derive(Serialize, Deserialize, Debug)]
pub struct Record {
    format: u32,
    site: String,
    key: String,
    inputs: String,
    shape: String,
    /// The inputs as hashed, for the next fingerprint (after the JSON).
    #[serde(skip)]
    hashed: Vec<fingerprint::Hashed>,
    /// The hash of the warm state saved with this record ([`crate::prints::checked_name`]).
    warm: Option<String>,
    pub pages: usize,
    pub sections: usize,
    /// How many output files the build wrote or left as they were.
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    /// Each output as written (after the JSON).
    #[serde(skip)]
    stamps: Vec<Stamp>,
    manifest: Stamp,
}

/// A file as written: its path, length and modification time (ns since 1970).
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug)]
struct Stamp(PathBuf, u64, u128);

impl Cache {
    /// The cache of a build of `config` with `opts`: reads the last record
    /// (unless `--no-cache`), and hashes every input it does not vouch for.
    pub fn open(config: &Config, opts: &BuildOptions) -> Cache {
        let root = crate::output::absolute(&config.root);
        let out = crate::output::absolute(&config.output_dir);
        let site = format!("{}\n{}", root.display(), out.display());
        // Named as the output manifest is, by the output folder as seen from
        // the site: a site moved or copied elsewhere finds its record, and
        // the record, naming the old place, is not trusted.
        let named = out.strip_prefix(&root).map(crate::output::slashed).unwrap_or_else(|_| out.display().to_string());
        let name = blake3::hash(named.as_bytes()).to_hex();
        let file = root.join(crate::output::STATE_DIR).join(FOLDER).join(format!("{}.json", &name[..16]));
        let last = (!opts.no_cache).then(|| std::fs::read(&file).ok()).flatten().map(|bytes| parse(&bytes));
        let known = match &last {
            Some(Ok(r)) if r.format == FORMAT && r.site == site => &r.hashed[..],
            _ => &[],
        };
        let fingerprint = fingerprint::of(&crate::inputs::Inputs::of(config), known);
        let (inputs, shape) = fingerprint.as_ref().map(|f| (f.all.clone(), f.shape.clone())).unzip();
        let hashed = fingerprint.map(|f| f.hashed).unwrap_or_default();
        Cache { file, out, site, key: key(config, opts), inputs, shape, hashed, last }
    }

    /// The folder of the renderings the warm state names, beside it.
    pub fn markdown_dir(&self) -> PathBuf {
        self.file.with_extension("md")
    }

    /// [`Cache::markdown_dir`] when it may be written: neither it nor the
    /// folders it is in is a symbolic link (which would be written through).
    pub fn markdown_dir_to_write(&self) -> std::io::Result<PathBuf> {
        let dir = self.markdown_dir();
        let state = self.file.parent().expect("records live in a folder");
        match linked(&dir).or_else(|| linked(state)) {
            Some(link) => Err(std::io::Error::other(format!("{} is a symbolic link", link.display()))),
            None => Ok(dir),
        }
    }

    /// The note for renderings that could not be saved (the next build
    /// renders all markdown).
    pub fn note_markdown(&self, e: &std::io::Error) -> Diagnostic {
        let what = format!("renderings could not be saved ({e}); the next build renders all markdown");
        Diagnostic::warning(self.markdown_dir(), format!("build cache {what}"))
    }

    /// The last build's record when everything it depends on is unchanged,
    /// its warm state when only content or static files changed, and a note
    /// when the record (or its state) is there but cannot be trusted.
    pub fn lookup(&mut self) -> (Found, Option<Diagnostic>) {
        let Some(last) = self.last.take() else { return (Found::Nothing, None) };
        let record = match last {
            Ok(r) if r.format == FORMAT && r.site == self.site => r,
            Ok(r) if r.format == FORMAT => {
                return (Found::Nothing, self.distrust("was written for another site or output folder"))
            }
            Ok(_) => return (Found::Nothing, self.distrust("is of another format")),
            Err(why) => return (Found::Nothing, self.distrust(why)),
        };
        let manifest = || stamp(&record.manifest.0).is_some_and(|now| now == record.manifest);
        let followable = record.key == self.key && self.shape.as_ref() == Some(&record.shape);
        if !(followable && self.inputs.is_some() && manifest()) {
            return (Found::Nothing, None);
        }
        if self.inputs.as_ref() == Some(&record.inputs) {
            let found =
                if as_written(&self.out, &record.stamps) { Found::Unchanged(Box::new(record)) } else { Found::Nothing };
            return (found, None);
        }
        let Some(expected) = record.warm else { return (Found::Nothing, None) };
        let file = state::file(&self.file, &expected);
        match std::fs::read(&file) {
            Ok(bytes) if crate::prints::checked_name(&bytes) == expected => {
                (Found::Edited(bytes, Outputs::check(self.out.clone(), record.stamps)), None)
            }
            _ => (Found::Nothing, self.note_on(&file, "state is damaged or missing; building without it")),
        }
    }

    /// Writes the state the next build starts from (`warm`) beside the
    /// record, under a name no record trusts yet: [`Cache::save`] moves it
    /// into place before the record that names it, so it may be written
    /// while the output is, and a build that then fails leaves the last
    /// record and its state as they were.
    pub fn write_state(&self, warm: WarmState<'_>) -> StateWritten {
        let mut clock = crate::progress::StageClock::new();
        let dir = self.file.parent().expect("records live in a folder");
        if let Some(link) = linked(dir) {
            return StateWritten(Err(
                self.warn(&self.file, &format!("is not written: {} is a symbolic link", link.display()))
            ));
        }
        let next = state::next(&self.file);
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let hashed = |w: &mut dyn Write| {
            let hashing = state::Hashing { inner: w, hasher: &mut hasher };
            let mut buffered = std::io::BufWriter::with_capacity(1 << 16, hashing);
            warm(&mut buffered).and_then(|()| buffered.flush())
        };
        let written = std::fs::create_dir_all(dir)
            .map_err(|e| e.to_string())
            .and_then(|_| crate::output::write_atomic_with(&next, hashed).map_err(|e| e.to_string()));
        clock.lap("c:state");
        StateWritten(match written {
            Ok(()) => Ok((next, crate::prints::checked_name_of(hasher.digest128()))),
            Err(e) => Err(self.warn(&next, &format!("state could not be written ({e})"))),
        })
    }

    /// Records a successful build: `written`, the output files it holds
    /// (relative to the output folder; those in `untouched`, left as the
    /// lookup `seen` them, are not looked at again), `manifest`, the record
    /// of them, and `state`, the warm state [`Cache::write_state`] wrote,
    /// moved into place first: a record never names a state not on disk.
    /// A record that cannot be written is a note, never a failed build.
    pub fn save(
        &self,
        summary: Summary<'_>,
        written: &[&Path],
        (untouched, seen): (&[PathBuf], &Seen),
        manifest: &Path,
        state: StateWritten,
    ) -> Option<Diagnostic> {
        let mut clock = crate::progress::StageClock::new();
        let (inputs, shape) = (self.inputs.clone()?, self.shape.clone()?);
        let files: Vec<PathBuf> = written.iter().map(|p| p.to_path_buf()).collect();
        let untouched: FxHashSet<&Path> = untouched.iter().map(PathBuf::as_path).collect();
        let known = |rel: &Path| seen.0.get(rel).filter(|_| untouched.contains(rel)).map(|s| (s.1, s.2));
        let manifest = stamp(&crate::output::absolute(manifest));
        let Some((stamps, manifest)) = stamps(&self.out, files, &known).zip(manifest) else {
            return self.note("could not be written: an output vanished");
        };
        clock.lap("c:stamps");
        let (next, warm) = match state.0 {
            Ok(written) => written,
            Err(why) => return Some(why),
        };
        if let Err(e) = std::fs::rename(&next, state::file(&self.file, &warm)) {
            return self.note(&format!("state could not be moved into place ({e})"));
        }
        let record = Record {
            format: FORMAT,
            site: self.site.clone(),
            key: self.key.clone(),
            inputs,
            shape,
            hashed: self.hashed.clone(),
            warm: Some(warm),
            pages: summary.pages,
            sections: summary.sections,
            files: written.len(),
            warnings: summary.warnings.to_vec(),
            stamps,
            manifest,
        };
        let mut body = serde_json::to_vec(&record).expect("a record serialises");
        body.push(b'\n');
        let files = encoding().serialize_into(&mut body, &(&record.stamps, &record.hashed));
        files.expect("stamps serialise");
        let mut text = format!("{}\n", blake3::hash(&body).to_hex()).into_bytes();
        text.extend(body);
        if let Err(e) = crate::output::write_atomic(&self.file, &text) {
            return self.note(&format!("could not be written ({e})"));
        }
        clock.lap("c:record");
        state::remove_stale(&self.file, record.warm.as_deref());
        self.name_output();
        remove_records_of_gone_outputs(self.file.parent().expect("records live in a folder"), &self.out_file());
        None
    }

    /// Beside each record, the output folder it is for, so a later build
    /// can tell when that folder is gone ([`remove_records_of_gone_outputs`]).
    fn out_file(&self) -> PathBuf {
        self.file.with_extension("out")
    }

    fn name_output(&self) {
        let named = self.out.as_os_str().as_encoded_bytes();
        if std::fs::read(self.out_file()).ok().as_deref() != Some(named) {
            let _ = crate::output::write_atomic(&self.out_file(), named);
        }
    }

    fn note(&self, what: &str) -> Option<Diagnostic> {
        self.note_on(&self.file, what)
    }

    fn note_on(&self, file: &Path, what: &str) -> Option<Diagnostic> {
        Some(self.warn(file, what))
    }

    fn warn(&self, file: &Path, what: &str) -> Diagnostic {
        Diagnostic::warning(file, format!("build cache {what}"))
    }

    /// A record found but not trusted.
    fn distrust(&self, why: &str) -> Option<Diagnostic> {
        self.note(&format!("{why}; building without it"))
    }
}

/// A warm state written by [`Cache::write_state`], not yet in place: where
/// and its hash, or why it could not be written.
pub struct StateWritten(Result<(PathBuf, String), Diagnostic>);

/// What a full build found, for its record.
pub struct Summary<'a> {
    pub pages: usize,
    pub sections: usize,
    pub warnings: &'a [Diagnostic],
}

/// A record from its file: a checksum line over what follows, a line of
/// JSON (what a person may want to read), then the stamps of the outputs
/// and inputs, in bincode (tens of thousands of them, read on every build).
fn parse(bytes: &[u8]) -> Result<Record, &'static str> {
    let newline = bytes.iter().position(|&b| b == b'\n').ok_or("is damaged (no checksum)")?;
    let (sum, body) = (&bytes[..newline], &bytes[newline + 1..]);
    if sum != blake3::hash(body).to_hex().as_bytes() {
        return Err("is damaged or truncated (checksum mismatch)");
    }
    let split = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
    let (json, files) = (&body[..split], body.get(split + 1..).unwrap_or_default());
    let mut record: Record = serde_json::from_slice(json).map_err(|_| "is of another format")?;
    (record.stamps, record.hashed) = encoding().deserialize(files).map_err(|_| "is of another format")?;
    Ok(record)
}

fn encoding() -> impl bincode::Options {
    bincode::DefaultOptions::new().with_varint_encoding()
}

/// Everything a build's result depends on besides its inputs' bytes.
fn key(config: &Config, opts: &BuildOptions) -> String {
    let exe = std::env::current_exe().ok().and_then(|p| stamp(&p)).map(|s| (s.1, s.2));
    let parts = format!(
        "rapport {}\nexe {exe:?}\ndrafts {}\nbase_url {:?}\ntoday {}",
        env!("CARGO_PKG_VERSION"),
        opts.drafts,
        opts.base_url,
        config.reviews.today
    );
    blake3::hash(parts.as_bytes()).to_hex().to_string()
}

/// Whether every file `recorded` under `out` is as its stamp says.
fn as_written(out: &Path, recorded: &[Stamp]) -> bool {
    stamps(out, recorded.iter().map(|s| s.0.clone()).collect(), &|_| None).is_some_and(|now| now == recorded)
}

/// The stamps of `files` under `out`, in order (the length and time of
/// those `known` gives, without looking); `None` when one is not a regular file.
fn stamps(
    out: &Path,
    files: Vec<PathBuf>,
    known: &(dyn Fn(&Path) -> Option<(u64, u128)> + Sync),
) -> Option<Vec<Stamp>> {
    let stamp_of = |rel: PathBuf| match known(&rel) {
        Some((len, time)) => Some(Stamp(rel, len, time)),
        None => stamp(&out.join(&rel)).map(|s| Stamp(rel, s.1, s.2)),
    };
    files.into_par_iter().map(stamp_of).collect()
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::symlink_metadata(path).ok().filter(|m| m.is_file())?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(Stamp(path.to_path_buf(), meta.len(), modified.as_nanos()))
}

/// Removes the record, warm state and saved renderings of every output
/// folder that no longer exists (but `own`'s): such a record can never be
/// used again, since its outputs are gone, and each holds up to hundreds of
/// megabytes. Records from before output folders were named beside them stay.
fn remove_records_of_gone_outputs(dir: &Path, own: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for named in entries.flatten().map(|e| e.path()) {
        if named.extension().is_none_or(|e| e != "out") || named == own {
            continue;
        }
        let Ok(out) = std::fs::read(&named) else { continue };
        if std::fs::symlink_metadata(path_from_bytes(out)).is_ok() {
            continue;
        }
        let record = named.with_extension("json");
        state::remove_stale(&record, None);
        let _ = std::fs::remove_file(state::next(&record));
        let _ = std::fs::remove_file(&record);
        let _ = std::fs::remove_dir_all(named.with_extension("md"));
        let _ = std::fs::remove_file(&named);
    }
}

/// A path from the bytes [`std::ffi::OsStr::as_encoded_bytes`] gave.
#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// The first of `dir` and its parent that is a symbolic link.
fn linked(dir: &Path) -> Option<PathBuf> {
    [dir, dir.parent()?]
        .into_iter()
        .find(|d| std::fs::symlink_metadata(d).is_ok_and(|m| m.file_type().is_symlink()))
        .map(Path::to_path_buf)
}

/// Writes the warm state a build leaves for the next ([`Cache::save`]).
pub type WarmState<'a> = &'a dyn Fn(&mut dyn Write) -> std::io::Result<()>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_or_truncated_record_is_refused() {
        let body = br#"{"format":1}"#;
        let good = [blake3::hash(body).to_hex().as_bytes(), b"\n", body].concat();
        assert!(matches!(parse(&good), Err("is of another format")), "an intact record of another layout");
        assert!(parse(&good[..good.len() - 2]).unwrap_err().contains("checksum"));
        assert!(parse(b"no newline").unwrap_err().contains("no checksum"));
    }
}
