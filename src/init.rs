//! `rapport init DIR`: a starter site that builds and serves as it is.
//! Refuses to touch a folder that already holds a site.

use crate::error::{Error, IoContext, Result};
use std::path::Path;

const SITE_TOML: &str = r#"title = "My knowledge base"
description = "Guides written with rapport."
base_url = "https://example.org/"
language = "en"
theme = "rapport"
disclaimer = "Educational content, not professional advice."
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

pub fn init(dir: &Path) -> Result<()> {
    if dir.join(crate::config::CONFIG_FILE).exists() || dir.join("content").exists() {
        return Err(Error::Usage(format!(
            "{} already holds a site (site.toml or content/ exists); nothing was changed",
            dir.display()
        )));
    }
    let files = [
        ("site.toml", SITE_TOML),
        ("content/_index.md", HOME),
        ("content/guides/_index.md", SECTION),
        ("content/guides/getting-started.md", PAGE),
        ("templates/.keep", ""),
        ("static/.keep", ""),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        let parent = path.parent().expect("files have parents");
        std::fs::create_dir_all(parent).at_path(parent)?;
        std::fs::write(&path, text).at_path(&path)?;
    }
    std::fs::write(dir.join(".gitignore"), "/public\n").at_path(dir.join(".gitignore"))?;
    Ok(())
}
