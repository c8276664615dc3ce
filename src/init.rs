//! `rapport init DIR`: a starter site that builds and serves as it is.
//! Refuses to touch a folder that already holds a site, and never overwrites
//! a file: one that exists (a cloned repository's `.gitignore`, say) is kept
//! and reported. Like Zola, which inits into a folder holding only dotfiles,
//! that lets `git clone` + `rapport init .` work without moving files away.
//! The starter is neutral; `--template knowledge-base` adds the reader
//! disclaimer a clinical guide site wants in its footer.

use crate::error::{Error, IoContext, Result};
use std::path::{Path, PathBuf};

/// What `init` starts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// A neutral site: home page, one section, one page.
    #[default]
    Default,
    /// The same with a footer disclaimer for professional guides.
    KnowledgeBase,
}

const SITE_TOML: &str = r#"title = "My site"
description = "Pages written with rapport."
base_url = "https://example.org/"
language = "en"
theme = "rapport"
taxonomies = ["tags"]

[markdown]
smart_punctuation = true
highlight_code = true

[extra]
"#;

const HOME: &str = r#"+++
title = "Welcome"
description = "Start here."
+++

This site was made with `rapport init`. Edit `content/_index.md` to change this
page, and add markdown files under `content/` to add pages.

Read the first guide: [Getting started](guides/getting-started.md).
"#;

const SECTION: &str = r#"+++
title = "Guides"
description = "Step-by-step guides."
sort_by = "weight"
+++

Guides, in reading order.
"#;

const PAGE: &str = r#"+++
title = "Getting started"
description = "How pages, sections and links work."
date = 2024-01-01
weight = 10
tags = ["basics"]
+++

A folder under `content/` is a section; its `_index.md` is the section page.
Every other markdown file is a page.

## Links

Link to another page with its file path: [the home page](../_index.md).

> [!tip] Front matter
> TOML between `+++` lines or YAML between `---` lines both work.
"#;

/// A file `init` would have written but found already there.
#[derive(Debug)]
pub struct Kept {
    pub path: PathBuf,
    /// What the user may want to add by hand.
    pub hint: Option<&'static str>,
}

const DISCLAIMER: &str = "disclaimer = \"Educational content, not professional advice.\"\n";

fn site_toml(template: Template) -> String {
    match template {
        Template::Default => SITE_TOML.to_string(),
        // Top-level keys must come before the first [table].
        Template::KnowledgeBase => SITE_TOML
            .replacen("title = \"My site\"", "title = \"My knowledge base\"", 1)
            .replacen("taxonomies", &format!("{DISCLAIMER}taxonomies"), 1),
    }
}

/// Creates the starter site in `dir`; returns the files that existed and were kept.
pub fn init(dir: &Path, template: Template) -> Result<Vec<Kept>> {
    if dir.join(crate::config::CONFIG_FILE).exists() || dir.join("content").exists() {
        return Err(Error::Usage(format!(
            "{} already holds a site (site.toml or content/ exists); nothing was changed",
            dir.display()
        )));
    }
    let site_toml = site_toml(template);
    let files = [
        ("site.toml", site_toml.as_str()),
        ("content/_index.md", HOME),
        ("content/guides/_index.md", SECTION),
        ("content/guides/getting-started.md", PAGE),
        ("templates/.keep", ""),
        ("static/.keep", ""),
        (".gitignore", "/public\n"),
    ];
    let mut kept = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        let parent = path.parent().expect("files have parents");
        std::fs::create_dir_all(parent).at_path(parent)?;
        if !write_new(&path, text)? {
            let hint = (rel == ".gitignore" && !mentions_public(&path)).then_some("add `/public` to it");
            kept.push(Kept { path, hint });
        }
    }
    Ok(kept)
}

/// Creates `path` with `text`; false when something (even a dangling link) is already there.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<bool> {
    use std::io::Write;
    match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut file) => file.write_all(text.as_bytes()).at_path(path).map(|()| true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

fn mentions_public(gitignore: &Path) -> bool {
    std::fs::read_to_string(gitignore).is_ok_and(|t| t.lines().any(|l| l.trim().trim_matches('/') == "public"))
}
