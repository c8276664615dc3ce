//! The record of what rapport wrote to an output folder, kept in the site's
//! state folder (`.rapport/manifests/`), never in the output folder itself.
//!
//! Zola and Hugo publish nothing of their own, and neither does rapport: the
//! output holds only the site. Keeping the record outside it also means a
//! copied or moved output folder brings no record along, so a build into it
//! prunes nothing. Each record names the output folder it is for (relative to
//! the site root when inside it, so moving the whole site keeps it valid); a
//! record that is missing, damaged or names another folder is not trusted:
//! nothing is pruned and a warning says why. `.rapport/` ignores itself in git,
//! as `.pytest_cache/` and `.mypy_cache/` do.

use super::folder::absolute;
use super::symlinks::first_symlink;
use super::{slashed, write_atomic};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, IoContext, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The site's own state folder, beside `site.toml`.
pub const STATE_DIR: &str = ".rapport";
/// Where builds before the state folder kept the record: inside the output.
pub(super) const LEGACY: &str = ".rapport-manifest";
const RECORDS: &str = "manifests";

/// Output path → blake3 hash of the bytes rapport wrote there.
pub(super) type Entries = BTreeMap<String, String>;

/// Where one output folder's record lives, and the name it records.
pub(super) struct Store {
    root: PathBuf,
    /// The output folder as recorded: relative to the root when inside it.
    key: String,
}

/// What the previous build left: entries, and how far they may be trusted.
pub(super) struct Previous {
    pub(super) entries: Entries,
    pub(super) trust: Trust,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Trust {
    /// rapport's own record for this very folder: its entries may be pruned
    /// (hash-checked) and overwritten.
    Own,
    /// A record from elsewhere (the old in-output file): an entry counts only
    /// where the file still holds the bytes it records, and nothing is pruned.
    Verified,
}

impl Store {
    pub(super) fn new(root: &Path, out: &Path) -> Store {
        let (root_abs, out_abs) = (absolute(root), absolute(out));
        let key = match out_abs.strip_prefix(&root_abs) {
            Ok(rel) => slashed(rel),
            Err(_) => out_abs.to_string_lossy().into_owned(),
        };
        Store { root: root.to_path_buf(), key }
    }

    /// `.rapport/manifests/<hash of the recorded name>.txt`, relative to the root.
    fn rel_file(&self) -> PathBuf {
        let name = blake3::hash(self.key.as_bytes()).to_hex();
        Path::new(STATE_DIR).join(RECORDS).join(format!("{}.txt", &name[..16]))
    }

    pub(super) fn file(&self) -> PathBuf {
        self.root.join(self.rel_file())
    }

    /// Refuses a state folder, records folder or record that is (or lies
    /// behind) a symbolic link a repository could have committed.
    pub(super) fn refuse_links(&self) -> Result<()> {
        match first_symlink(&self.root, &self.rel_file()) {
            Some(link) => Err(Error::Refused(format!(
                "refusing to write through {}: it is a symbolic link, and rapport never writes its records through \
                 links (remove it)",
                link.display()
            ))),
            None => Ok(()),
        }
    }

    /// The previous record for `out`, or why there is none to trust (a
    /// warning), falling back to a legacy in-output record.
    pub(super) fn read(&self, out: &Path) -> (Previous, Option<Diagnostic>) {
        let file = self.file();
        let own = |entries| Previous { entries, trust: Trust::Own };
        let none = Previous { entries: Entries::new(), trust: Trust::Verified };
        let distrust = |why: String| Some(Diagnostic::warning(out, format!("nothing pruned: {why}")));
        match std::fs::read_to_string(&file) {
            Ok(text) => match parse(&text) {
                Ok((key, entries)) if key == self.key => (own(entries), None),
                Ok((key, _)) => (none, distrust(format!("{} records another folder ({key})", file.display()))),
                Err(line) => (none, distrust(format!("{} is damaged (line {line})", file.display()))),
            },
            Err(_) => match read_legacy(out) {
                Some(entries) => {
                    let why = format!("its record moved from {LEGACY} to {STATE_DIR}/; files of removed pages stay");
                    (Previous { entries, trust: Trust::Verified }, distrust(why))
                }
                None if is_empty_dir(out) => (none, None),
                None => (none, distrust(format!("rapport has no record of writing here (kept in {STATE_DIR}/)"))),
            },
        }
    }

    /// Records `entries` (only when they changed) and drops a legacy record
    /// from the output folder, unless the site itself publishes that name.
    pub(super) fn write(&self, out: &Path, entries: &Entries) -> Result<()> {
        let file = self.file();
        let records = file.parent().expect("records live in a folder");
        std::fs::create_dir_all(records).at_path(records)?;
        ignore_in_git(&self.root.join(STATE_DIR))?;
        let text = text(&self.key, entries);
        if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
            write_atomic(&file, text.as_bytes())?;
        }
        let legacy = out.join(LEGACY);
        let stray = !entries.contains_key(LEGACY) && std::fs::symlink_metadata(&legacy).is_ok_and(|m| m.is_file());
        if stray {
            std::fs::remove_file(&legacy).at_path(&legacy)?;
        }
        Ok(())
    }
}

/// `.rapport/.gitignore` holding `*`, written once (never through a link:
/// `create_new` refuses an existing entry, a dangling link included).
fn ignore_in_git(state: &Path) -> Result<()> {
    let path = state.join(".gitignore");
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(mut f) => std::io::Write::write_all(&mut f, b"# rapport's own state; never commit it\n*\n").at_path(&path),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

fn text(key: &str, entries: &Entries) -> String {
    let mut s = format!("# files rapport wrote to this output folder; only these are ever pruned\noutput\t{key}\n");
    s.reserve(entries.iter().map(|(path, hash)| path.len() + hash.len() + 2).sum());
    for (path, hash) in entries {
        s.extend([hash.as_str(), "\t", path.as_str(), "\n"]);
    }
    s
}

/// Entries from (path, hash) pairs in any order; of pairs with one path,
/// the last counts. Built in one pass from sorted pairs, which at 33,000
/// entries is several times faster than inserting them one by one.
pub(super) fn entries_of(mut pairs: Vec<(String, String)>) -> Entries {
    pairs.reverse();
    // Stable: of equal paths, the last given is now first, and is kept.
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs.dedup_by(|later, first| later.0 == first.0);
    pairs.into_iter().collect()
}

/// The entries of `previous` whose paths `next` lacks, in one walk of both
/// (each is sorted by path).
pub(super) fn missing<'a>(previous: &'a Entries, next: &Entries) -> Vec<(&'a String, &'a String)> {
    let mut next = next.keys().peekable();
    let mut gone = Vec::new();
    for (path, hash) in previous {
        while next.next_if(|n| *n < path).is_some() {}
        if next.peek() != Some(&path) {
            gone.push((path, hash));
        }
    }
    gone
}

/// The recorded folder and entries, or the 1-based number of the first bad line.
fn parse(text: &str) -> std::result::Result<(String, Entries), usize> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.starts_with('#'));
    let key = match lines.next() {
        Some((n, l)) => l.strip_prefix("output\t").ok_or(n + 1)?.to_string(),
        None => return Err(1),
    };
    let mut pairs = Vec::new();
    for (n, line) in lines {
        let (hash, path) = line.split_once('\t').ok_or(n + 1)?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) || path.is_empty() {
            return Err(n + 1);
        }
        pairs.push((path.to_string(), hash.to_string()));
    }
    Ok((key, entries_of(pairs)))
}

/// The record older builds kept inside the output folder (a regular file only).
fn read_legacy(out: &Path) -> Option<Entries> {
    let path = out.join(LEGACY);
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let entries = text.lines().filter_map(|l| l.split_once('\t'));
    Some(entries_of(entries.map(|(hash, path)| (path.to_string(), hash.to_string())).collect()))
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_and_damage_is_located() {
        let mut entries = Entries::new();
        entries.insert("a/index.html".into(), "ab".repeat(32));
        let written = text("public", &entries);
        assert_eq!(parse(&written), Ok(("public".to_string(), entries)));
        assert_eq!(parse(&written.replace("\tpublic", " public")), Err(2));
        assert_eq!(parse(&format!("{written}nonsense\n")), Err(4));
    }

    #[test]
    fn entries_are_sorted_and_the_last_pair_of_a_path_counts() {
        let pair = |p: &str, h: &str| (p.to_string(), h.to_string());
        let entries = entries_of(vec![pair("b", "1"), pair("a", "2"), pair("b", "3"), pair("c", "4"), pair("a", "5")]);
        let got: Vec<(&str, &str)> = entries.iter().map(|(p, h)| (p.as_str(), h.as_str())).collect();
        assert_eq!(got, [("a", "5"), ("b", "3"), ("c", "4")]);
        let next = entries_of(vec![pair("b", "9"), pair("d", "6")]);
        let gone: Vec<&str> = missing(&entries, &next).iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(gone, ["a", "c"]);
        assert!(missing(&entries, &entries).is_empty());
        assert_eq!(missing(&entries, &Entries::new()).len(), 3);
    }
}
