//! Themes: templates and static files from `themes/<name>/`, overridden file
//! by file by the site's own `templates/` and `static/`. The default theme is
//! embedded in the binary so `rapport init` and `serve` work anywhere.

use crate::diagnostic::Diagnostic;
use crate::error::{Error, IoContext, Result};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

pub const DEFAULT_THEME: &str = "rapport";
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/rapport");

/// A template's text and the file it came from (for error messages).
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub origin: PathBuf,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Theme {
    /// Template name (`page.html`, `partials/nav.html`) → source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Output-relative path → bytes and the file it came from.
    pub static_files: BTreeMap<PathBuf, (PathBuf, Vec<u8>)>,
    /// Symlinks skipped while reading the site's folders.
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    /// Loads the theme named in the config, then the site's overrides.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut theme = Theme::default();
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            theme.add_dir(&dir.join("templates"), &dir.join("static"), root)?;
        } else if name == DEFAULT_THEME {
            theme.add_embedded();
        } else {
            return Err(Error::Usage(format!(
                "site.toml: theme `{name}` not found: no folder {} (the built-in theme is `{DEFAULT_THEME}`)",
                dir.display()
            )));
        }
        theme.add_dir(&root.join("templates"), &root.join("static"), root)?;
        crate::diagnostic::relative_to(root, &mut theme.warnings);
        Ok(theme)
    }

    fn add_embedded(&mut self) {
        for file in embedded_files(&EMBEDDED) {
            let path = file.path();
            if let Ok(name) = path.strip_prefix("templates") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                let origin = Path::new("(built-in theme)").join(path);
                self.templates.insert(slashed(name), TemplateSource { origin, text });
            } else if let Ok(rel) = path.strip_prefix("static") {
                let origin = Path::new("(built-in theme)").join(path);
                self.static_files.insert(rel.to_path_buf(), (origin, file.contents().to_vec()));
            }
        }
    }

    fn add_dir(&mut self, templates: &Path, statics: &Path, root: &Path) -> Result<()> {
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        for (rel, abs) in files_under(templates, &canonical_root, &mut self.warnings) {
            let origin = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
            let text = crate::load::utf8_text(std::fs::read(&abs).at_path(&abs)?, &origin)?;
            self.templates.insert(slashed(&rel), TemplateSource { origin, text });
        }
        for (rel, abs) in files_under(statics, &canonical_root, &mut self.warnings) {
            let bytes = std::fs::read(&abs).at_path(&abs)?;
            let origin = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
            self.static_files.insert(rel, (origin, bytes));
        }
        Ok(())
    }
}

/// Every file of the embedded default theme, with paths relative to its root.
pub fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        out.extend(d.files());
        stack.extend(d.dirs());
    }
    out.sort_by_key(|f| f.path());
    out
}

pub fn embedded() -> &'static Dir<'static> {
    &EMBEDDED
}

/// Regular files under `dir`, and symlinks to files inside the site; other
/// symlinks (outside the site, to folders, dangling) are skipped with a warning.
fn files_under(dir: &Path, canonical_root: &Path, warnings: &mut Vec<Diagnostic>) -> Vec<(PathBuf, PathBuf)> {
    if !dir.is_dir() {
        return vec![];
    }
    let walker = WalkDir::new(dir).sort_by_file_name().into_iter();
    let walker =
        walker.filter_entry(|e| e.depth() == 0 || !crate::load::is_ignored_name(&e.file_name().to_string_lossy()));
    let mut files = Vec::new();
    // The folder itself may be a symlink (a shared `static/`): only what is inside is checked.
    for entry in walker.filter_map(|e| e.ok()).filter(|e| e.depth() > 0) {
        if entry.path_is_symlink() {
            if let Some(w) = crate::load::check_symlink(entry.path(), canonical_root) {
                warnings.push(w);
                continue;
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        files.push((entry.path().strip_prefix(dir).expect("under dir").to_path_buf(), entry.path().to_path_buf()));
    }
    files
}

fn slashed(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
