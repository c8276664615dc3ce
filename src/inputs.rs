//! A site's inputs: which files a build reads, and what each means to it.
//!
//! One definition for both consumers: the watcher classifies each event by
//! it ([`crate::serve`]), and the build cache fingerprints exactly the files
//! it lists ([`crate::build_cache`]), so a file that rebuilds the served site
//! also invalidates a warm `rapport build`, and one that does not, neither.

use crate::changes::ChangeKind;
use crate::config::Config;
use crate::load::{is_ignored_name, Exclusions};
use std::path::{Path, PathBuf};

/// The site's folders a build reads from (recursively) when they exist.
/// `.obsidian` holds vault settings that decide what is published.
pub const FOLDERS: [&str; 6] = ["content", "templates", "themes", "static", "syntaxes", ".obsidian"];

/// The files at the site root a build reads besides the bibliography: the
/// site's settings (`config.toml` is read when there is no `site.toml`).
const SETTINGS: [&str; 2] = ["site.toml", "config.toml"];

/// What a path means to the site. Files the site leaves out (`ignore`, the
/// vault's excluded files and templates) are `Ignored`, so editing one never rebuilds.
pub fn classify(root: &Path, output: &Path, exclusions: &Exclusions, path: &Path) -> ChangeKind {
    if path.starts_with(output) {
        return ChangeKind::Ignored;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return ChangeKind::Ignored;
    };
    if crate::vault::is_settings_file(rel) {
        return ChangeKind::Config;
    }
    let hidden = rel.components().any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
    if hidden || rel.strip_prefix("content").is_ok_and(|r| exclusions.excludes(r)) {
        return ChangeKind::Ignored;
    }
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    match first.as_str() {
        name if SETTINGS.contains(&name) && rel.components().count() == 1 => ChangeKind::Config,
        "content" => ChangeKind::Content,
        "static" => ChangeKind::Static,
        "templates" => ChangeKind::Template,
        "syntaxes" => ChangeKind::Syntaxes,
        "themes" if rel.components().any(|c| c.as_os_str() == "static") => ChangeKind::Static,
        "themes" => ChangeKind::Template,
        _ => ChangeKind::Ignored,
    }
}

/// A site's inputs as one settings file describes them.
#[derive(Debug, Clone)]
pub struct Inputs {
    root: PathBuf,
    output: PathBuf,
    /// Re-read whenever `site.toml` or a vault setting changes.
    exclusions: Exclusions,
    /// The bibliography `site.toml` names (relative to the root).
    bibliography: Option<PathBuf>,
}

impl Inputs {
    /// The inputs of the site at `root` building into `output`, with the
    /// bibliography its settings name (as `serve` starts: they may not load).
    pub fn new(root: &Path, output: &Path, exclusions: Exclusions) -> Inputs {
        let bibliography = Config::load(root).ok().and_then(|c| c.bibliography);
        Inputs::with(root, output, exclusions, bibliography)
    }

    /// The inputs `config` reads.
    pub fn of(config: &Config) -> Inputs {
        let exclusions = Exclusions::of(&config.root, &config.ignore).0;
        Inputs::with(&config.root, &config.output_dir, exclusions, config.bibliography.clone())
    }

    /// Root and output are canonicalized where they exist, as the watcher reports paths.
    fn with(root: &Path, output: &Path, exclusions: Exclusions, bibliography: Option<PathBuf>) -> Inputs {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let output = output.canonicalize().unwrap_or_else(|_| output.to_path_buf());
        Inputs { root, output, exclusions, bibliography }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reads the settings again; until they load, the last exclusions (and
    /// bibliography) stay (the rebuild reports a `site.toml` that does not load).
    pub fn reload(&mut self) {
        if let Ok(config) = Config::load(&self.root) {
            self.exclusions = Exclusions::of(&config.root, &config.ignore).0;
            self.bibliography = config.bibliography;
        }
    }

    /// [`classify`], and the bibliography file (wherever it lies) as such.
    pub fn classify(&self, path: &Path) -> ChangeKind {
        let rel = path.strip_prefix(&self.root).ok();
        if rel.is_some_and(|r| self.bibliography.as_deref() == Some(r)) {
            return ChangeKind::Bibliography;
        }
        classify(&self.root, &self.output, &self.exclusions, path)
    }

    /// Every file a build of the site reads, sorted: each file under
    /// [`FOLDERS`] that [`Inputs::classify`] does not ignore, the settings
    /// and the bibliography. Symbolic links are listed (folders behind them
    /// are not walked); pipes, sockets and devices are not.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = SETTINGS.iter().map(|f| self.root.join(f)).collect();
        files.extend(self.bibliography.iter().map(|b| self.root.join(b)));
        files.retain(|f| f.is_file());
        for dir in FOLDERS.iter().map(|d| self.root.join(d)).filter(|d| d.is_dir()) {
            let walk = walkdir::WalkDir::new(dir).follow_links(false).into_iter().filter_map(|e| e.ok());
            // Regular files and links; never a pipe or device (reading one may block).
            let found =
                walk.filter(|e| e.file_type().is_file() || e.path_is_symlink()).map(walkdir::DirEntry::into_path);
            files.extend(found.filter(|p| self.classify(p) != ChangeKind::Ignored));
        }
        files.sort();
        files.dedup();
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let root = Path::new("/s");
        let out = Path::new("/s/public");
        let classify = |root, out, path| classify(root, out, &Exclusions::default(), path);
        assert_eq!(classify(root, out, Path::new("/s/content/a.md")), ChangeKind::Content);
        assert_eq!(classify(root, out, Path::new("/s/content/.a.md.swp")), ChangeKind::Ignored);
        assert_eq!(classify(root, out, Path::new("/s/content/4913")), ChangeKind::Ignored);
        assert_eq!(classify(root, out, Path::new("/s/public/index.html")), ChangeKind::Ignored);
        assert_eq!(classify(root, out, Path::new("/s/site.toml")), ChangeKind::Config);
        assert_eq!(classify(root, out, Path::new("/s/config.toml")), ChangeKind::Config);
        assert_eq!(classify(root, out, Path::new("/s/content/site.toml")), ChangeKind::Content);
        assert_eq!(classify(root, out, Path::new("/s/themes/t/templates/page.html")), ChangeKind::Template);
        assert_eq!(classify(root, out, Path::new("/s/themes/t/static/style.css")), ChangeKind::Static);
        assert_eq!(classify(root, out, Path::new("/s/content/a.md~")), ChangeKind::Ignored);
        assert_eq!(classify(root, out, Path::new("/s/.rapport/cache/x.json")), ChangeKind::Ignored);
        // Vault settings decide what is published; the rest of `.obsidian/` is Obsidian's own state.
        assert_eq!(classify(root, out, Path::new("/s/content/.obsidian/app.json")), ChangeKind::Config);
        assert_eq!(classify(root, out, Path::new("/s/.obsidian/templates.json")), ChangeKind::Config);
        assert_eq!(classify(root, out, Path::new("/s/content/.obsidian/workspace.json")), ChangeKind::Ignored);
    }

    #[test]
    fn the_files_listed_are_those_a_build_reads() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (rel, text) in [
            ("site.toml", "title = \"t\"\nbibliography = \"refs.bib\"\n"),
            ("refs.bib", ""),
            ("notes.txt", "not read"),
            ("content/a.md", "# A"),
            ("content/.a.md.swp", ""),
            ("content/img/x.png", ""),
            ("templates/page.html", ""),
            ("public/index.html", ""),
            (".git/config", ""),
        ] {
            std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
            std::fs::write(root.join(rel), text).unwrap();
        }
        let config = Config::load(root).unwrap();
        let inputs = Inputs::of(&config);
        let rel: Vec<PathBuf> =
            inputs.files().iter().map(|p| p.strip_prefix(inputs.root()).unwrap().to_path_buf()).collect();
        let want = ["content/a.md", "content/img/x.png", "refs.bib", "site.toml", "templates/page.html"];
        assert_eq!(rel, want.iter().map(PathBuf::from).collect::<Vec<_>>());
    }
}
