//! Test harness: copies a fixture into a temporary folder and runs the real
//! `rapport` binary on it.
//!
//! `SiteTest::from_fixture("frontmatter/typo")` copies
//! `tests/fixtures/frontmatter/typo/` to `<tmp>/site/` (the site root). The
//! temporary folder around it is private to the test, so refusals such as
//! `--output ..` can be checked by comparing the whole folder before and after.

#![allow(dead_code)] // Not every module uses every helper.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `../shared` beside the repository (corpora, benchmarks); CI puts a copy there too.
pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Copies a folder recursively (files are copied, not linked).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()));
        let rel = entry.path().strip_prefix(from).expect("walkdir stays under its root");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", entry.path().display(), target.display()));
        }
    }
}

/// Runs the binary with `args` in `cwd`, with extra environment variables.
/// A watchdog (not a timing goal) kills a run that hangs, so a regression
/// fails its test instead of stalling the whole suite.
pub fn rapport_in(cwd: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    cmd.current_dir(cwd).args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the rapport binary runs");
    let drain = |mut from: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = from.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped")));
    let err = drain(Box::new(child.stderr.take().expect("piped")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting on rapport") {
            break status;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("`rapport {}` still running after {WATCHDOG:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run::from(Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() })
}

/// How long one run of the binary may take before the test fails.
const WATCHDOG: Duration = Duration::from_secs(120);

/// The result of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// A caught panic is reported as an "internal error": never acceptable on any input.
    #[track_caller]
    fn no_internal_error(&self) {
        assert!(!self.stderr.contains("internal error"), "rapport hit an internal error:\n{}", self.stderr);
        assert!(self.code >= 0, "rapport was killed by a signal (crash?):\n{}", self.stderr);
    }

    #[track_caller]
    pub fn ok(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self.no_internal_error();
        self
    }

    #[track_caller]
    pub fn fails(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "expected exit {code}\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self.no_internal_error();
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stderr_lacks(&self, needle: &str) -> &Run {
        assert!(!self.stderr.contains(needle), "stderr has {needle:?}:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Run {
        assert!(self.stdout.contains(needle), "stdout lacks {needle:?}:\n{}", self.stdout);
        self
    }

    /// How many times `needle` occurs in stderr.
    pub fn stderr_count(&self, needle: &str) -> usize {
        self.stderr.matches(needle).count()
    }

    /// Stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not valid JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }

    /// The numbers of the build summary line
    /// (`built … : W written, U unchanged, R removed → …`).
    #[track_caller]
    pub fn summary(&self) -> WriteSummary {
        let line = self
            .stderr
            .lines()
            .find(|l| l.starts_with("built "))
            .unwrap_or_else(|| panic!("no summary line in:\n{}", self.stderr));
        let number_before = |word: &str| -> usize {
            let at = line.find(word).unwrap_or_else(|| panic!("no `{word}` in {line:?}"));
            let number = line[..at].rsplit(' ').next().unwrap_or_default();
            number.parse().unwrap_or_else(|_| panic!("no number before `{word}` in {line:?}"))
        };
        WriteSummary {
            written: number_before(" written"),
            unchanged: number_before(" unchanged"),
            removed: number_before(" removed"),
        }
    }
    /// The `N errors, M warnings` line of `rapport check` (`1 error`, `1 warning` in the singular).
    #[track_caller]
    pub fn check_counts(&self) -> (usize, usize) {
        let line = self
            .stderr
            .lines()
            .rev()
            .find(|l| l.contains(" error") && l.contains(" warning"))
            .unwrap_or_else(|| panic!("no count line in:\n{}", self.stderr));
        let mut numbers = line.split(' ').filter_map(|w| w.parse::<usize>().ok());
        (numbers.next().unwrap(), numbers.next().unwrap())
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Every file under a folder: relative path → (bytes, modification time).
pub type Tree = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

/// A snapshot of every file (and folder, with empty bytes) under `dir`; empty when `dir` is missing.
pub fn snapshot(dir: &Path) -> Tree {
    let mut tree = Tree::new();
    if !dir.exists() {
        return tree;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
        let meta = entry.metadata().unwrap();
        let bytes = if entry.file_type().is_file() { std::fs::read(entry.path()).unwrap() } else { Vec::new() };
        tree.insert(rel, (bytes, meta.modified().unwrap()));
    }
    tree
}

/// Asserts two snapshots are equal, naming the paths that differ (bytes or modification time).
#[track_caller]
pub fn assert_same_tree(before: &Tree, after: &Tree, what: &str) {
    let mut diffs = Vec::new();
    for (path, (bytes, time)) in before {
        match after.get(path) {
            None => diffs.push(format!("removed: {}", path.display())),
            Some((b, _)) if b != bytes => diffs.push(format!("content changed: {}", path.display())),
            Some((_, t)) if t != time => diffs.push(format!("modified (same bytes): {}", path.display())),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        diffs.push(format!("added: {}", path.display()));
    }
    assert!(diffs.is_empty(), "{what}:\n{}", diffs.join("\n"));
}

/// A fixture site in its own temporary folder.
pub struct SiteTest {
    dir: tempfile::TempDir,
    root: PathBuf,
}

impl SiteTest {
    /// Copies `tests/fixtures/<name>/` to a fresh site root.
    #[track_caller]
    pub fn from_fixture(name: &str) -> SiteTest {
        let src = fixtures().join(name);
        assert!(src.is_dir(), "no fixture folder {}", src.display());
        let t = SiteTest::empty();
        copy_dir(&src, &t.root);
        t
    }

    /// A site whose content/ is a copy of the real corpus folder `rel`
    /// (below ../shared/corpora) and whose site.toml is `toml`.
    #[track_caller]
    pub fn from_corpus(rel: &str, toml: &str) -> SiteTest {
        let content = shared().join("corpora").join(rel);
        assert!(
            content.is_dir(),
            "corpus missing at {}: ../shared/corpora must sit beside the repository (CI copies it there)",
            content.display()
        );
        let t = SiteTest::empty();
        copy_dir(&content, &t.path("content"));
        t.write("site.toml", toml);
        t
    }

    /// A copy of the repository's own site: its content, theme, site.toml and bibliography.
    pub fn bundled() -> SiteTest {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let t = SiteTest::empty();
        for part in ["content", "themes", "templates", "static", "syntaxes"] {
            if repo.join(part).is_dir() {
                copy_dir(&repo.join(part), &t.path(part));
            }
        }
        for file in ["site.toml", "references.bib"] {
            std::fs::copy(repo.join(file), t.path(file)).unwrap();
        }
        t
    }

    /// An empty site root (the folder exists, nothing in it).
    pub fn empty() -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        SiteTest { dir, root }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The private temporary folder that holds the site root (`root()/..`).
    pub fn outer(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the site.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// `rapport --root <root> ARGS`, run from the site root.
    pub fn run(&self, args: &[&str]) -> Run {
        let root = self.root.to_string_lossy().into_owned();
        let mut all = vec!["--root", root.as_str()];
        all.extend_from_slice(args);
        rapport_in(&self.root, &all, &[])
    }

    /// `rapport ARGS` (no `--root`), run from the site root, so relative paths
    /// in ARGS are relative to it.
    pub fn run_here(&self, args: &[&str]) -> Run {
        rapport_in(&self.root, args, &[])
    }

    /// `build` and `check` both fail with exit 1, each naming every needle,
    /// and nothing is written.
    #[track_caller]
    pub fn refused_everywhere(&self, needles: &[&str]) {
        let build = self.build();
        build.fails(1);
        let check = self.check();
        check.fails(1);
        for n in needles {
            build.stderr_has(n);
            check.stderr_has(n);
        }
        self.assert_absent("public");
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn check(&self) -> Run {
        self.run(&["check"])
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn write_file(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        self.write(rel, text)
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.path(rel);
        std::fs::remove_file(&p).unwrap_or_else(|e| panic!("cannot remove {}: {e}", p.display()));
        self
    }

    pub fn remove_file(&self, rel: &str) -> &Self {
        self.remove(rel)
    }

    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        let p = self.path(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    #[track_caller]
    pub fn read_bytes(&self, rel: &str) -> Vec<u8> {
        let p = self.path(rel);
        std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    #[track_caller]
    pub fn mtime(&self, rel: &str) -> SystemTime {
        let p = self.path(rel);
        std::fs::metadata(&p).and_then(|m| m.modified()).unwrap_or_else(|e| panic!("no {}: {e}", p.display()))
    }

    #[track_caller]
    pub fn assert_exists(&self, rel: &str) -> &Self {
        assert!(self.exists(rel), "{rel} should exist; the site has:\n{}", self.listing());
        self
    }

    #[track_caller]
    pub fn assert_absent(&self, rel: &str) -> &Self {
        assert!(!self.exists(rel), "{rel} should not exist");
        self
    }

    /// Asserts `rel` contains every needle; returns its text for further checks.
    #[track_caller]
    pub fn assert_contains(&self, rel: &str, needles: &[&str]) -> String {
        self.assert_exists(rel);
        let text = self.read(rel);
        for needle in needles {
            assert!(text.contains(needle), "{rel} lacks {needle:?}:\n{text}");
        }
        text
    }

    /// Asserts `rel` contains none of the needles; returns its text.
    #[track_caller]
    pub fn assert_lacks(&self, rel: &str, needles: &[&str]) -> String {
        self.assert_exists(rel);
        let text = self.read(rel);
        for needle in needles {
            assert!(!text.contains(needle), "{rel} has {needle:?}:\n{text}");
        }
        text
    }

    /// Every file under `rel`, relative to it, sorted.
    pub fn files_under(&self, rel: &str) -> Vec<String> {
        snapshot(&self.path(rel))
            .into_iter()
            .filter(|(p, (_, _))| self.path(rel).join(p).is_file())
            .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
            .collect()
    }

    fn listing(&self) -> String {
        self.files_under(".").join("\n")
    }
}
