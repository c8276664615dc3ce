//! `rapport new PATH`: a page under `content/` with its front matter filled
//! from an archetype, as Hugo does: the site's `archetypes/default.md`, else
//! a built-in one. `{{ title }}` and `{{ date }}` are the only placeholders,
//! replaced as plain text so any front matter format works.

use crate::error::{Error, IoContext, Result};
use std::path::{Component, Path, PathBuf};

/// Where a site keeps its own archetype.
pub const ARCHETYPE: &str = "archetypes/default.md";

const DEFAULT_ARCHETYPE: &str = r#"+++
title = "{{ title }}"
date = {{ date }}
draft = true
+++

"#;

/// Creates `content/<path>` in the site at `root` (`.md` added when the path
/// has no extension); returns the file created. Never overwrites.
pub fn new_page(root: &Path, path: &Path) -> Result<PathBuf> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Error::Usage(format!(
            "no site.toml in {}; run `rapport init DIR` first, or pass --root",
            root.display()
        )));
    }
    let rel = content_relative(path)?;
    let file = root.join("content").join(&rel);
    let title = title_of(&rel);
    let date = chrono::Local::now().format("%Y-%m-%d").to_string();
    let text = archetype(root)?.replace("{{ title }}", &quoted(&title)).replace("{{ date }}", &date);
    let parent = file.parent().expect("a file under content/");
    std::fs::create_dir_all(parent).at_path(parent)?;
    if !crate::init::write_new(&file, &text)? {
        return Err(Error::Usage(format!("{} already exists; nothing was changed", file.display())));
    }
    Ok(file)
}

/// `path` as a markdown file inside `content/`; a path that would leave it is a usage error.
fn content_relative(path: &Path) -> Result<PathBuf> {
    let inside = path.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    // Any other extension would be copied as a file, not rendered as a page.
    let markdown = path.extension().is_none_or(|e| e == "md");
    if !inside || !markdown || path.file_name().is_none() {
        return Err(Error::Usage(format!(
            "{}: give a file path relative to content/, such as guides/my-page.md",
            path.display()
        )));
    }
    Ok(if path.extension().is_some() { path.to_path_buf() } else { path.with_extension("md") })
}

fn archetype(root: &Path) -> Result<String> {
    let path = root.join(ARCHETYPE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DEFAULT_ARCHETYPE.to_string()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// "rupture-and-repair" → "Rupture and repair".
fn title_of(rel: &Path) -> String {
    let stem = rel.file_stem().unwrap_or_default().to_string_lossy().replace(['-', '_'], " ");
    let mut chars = stem.trim().chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Safe inside a TOML or YAML double-quoted string, where archetypes put the title.
fn quoted(title: &str) -> String {
    title.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_file_name() {
        assert_eq!(title_of(Path::new("guides/rupture-and_repair.md")), "Rupture and repair");
        assert_eq!(quoted(r#"a "b" \c"#), r#"a \"b\" \\c"#);
    }

    #[test]
    fn paths_must_stay_inside_content() {
        assert_eq!(content_relative(Path::new("a/b")).unwrap(), Path::new("a/b.md"));
        for bad in ["../x.md", "/tmp/x.md", "a/../../x.md", "", "notes.txt"] {
            assert!(content_relative(Path::new(bad)).is_err(), "{bad}");
        }
    }
}
