//! Planning a batch: how its changes reach the model. One doc edited in
//! place with the same identity is patched; anything else (pages added,
//! removed or renamed, assets, templates, syntaxes, `site.toml`) takes one
//! of the wider paths.

use super::patch::DocRef;
use super::LiveSite;
use crate::changes::{Batch, ChangeKind};
use crate::error::{Error, Result};
use crate::frontmatter::Typos;
use crate::load::{self, SourceKind};
use crate::parse::{self, Doc};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How a batch of changes reaches the model.
pub(super) enum Plan {
    /// `site.toml` or a vault setting: everything is read again.
    Config,
    /// Files added, removed or renamed, assets: the stages run again on the memo.
    Reload,
    Syntaxes,
    /// A shortcode template: the stages run again on the memo, and only the
    /// docs whose markdown ran a changed shortcode are rendered again.
    Shortcodes,
    Templates,
    Statics,
    /// One doc changed in place.
    Doc(DocRef, Box<Doc>),
}

impl LiveSite {
    pub(super) fn plan(&self, batch: &Batch) -> Result<Plan> {
        let kinds: BTreeSet<ChangeKind> = batch.changes.iter().map(|(_, k)| *k).collect();
        if batch.rescan || kinds.contains(&ChangeKind::Config) {
            return Ok(Plan::Config);
        }
        if kinds.contains(&ChangeKind::Syntaxes) {
            return Ok(Plan::Syntaxes);
        }
        if kinds.contains(&ChangeKind::Bibliography) {
            // Read again; the memo renders again only pages citing a changed entry.
            return Ok(Plan::Reload);
        }
        let shortcode = |p: &Path| p.components().any(|c| c.as_os_str() == "shortcodes");
        if batch.changes.iter().any(|(p, k)| *k == ChangeKind::Template && shortcode(p)) {
            return Ok(Plan::Shortcodes);
        }
        if kinds.contains(&ChangeKind::Template) {
            return Ok(if kinds.len() == 1 { Plan::Templates } else { Plan::Reload });
        }
        if !kinds.contains(&ChangeKind::Content) {
            return Ok(Plan::Statics);
        }
        // An editor's temporary file, written and renamed away within the batch, changed nothing.
        let gone_unknown = |p: &Path| !p.exists() && !self.knows_source(p);
        let content: BTreeSet<&PathBuf> = batch
            .changes
            .iter()
            .filter(|(p, k)| *k == ChangeKind::Content && !gone_unknown(p))
            .map(|(p, _)| p)
            .collect();
        // (A batch of only such files still reloads: after a failed reload the
        // site knows none of the files that went since, yet their going matters.)
        if content.len() != 1 || kinds.len() != 1 {
            return Ok(Plan::Reload);
        }
        self.plan_one(content.into_iter().next().expect("one path"))
    }

    /// The page whose source is `rel` (compared as bytes: `Path`'s own
    /// comparison goes component by component, slow over every page).
    pub(super) fn page_at(&self, rel: &Path) -> Option<usize> {
        self.site.pages.iter().position(|p| p.doc.rel.as_os_str() == rel.as_os_str())
    }

    /// True when `path` is the source of a page or section of the site.
    fn knows_source(&self, path: &Path) -> bool {
        let content_dir = self.config().content_dir();
        let content_dir = content_dir.canonicalize().unwrap_or(content_dir);
        let Ok(rel) = path.strip_prefix(&content_dir) else { return false };
        let rel = crate::urls::nfc_path(rel);
        self.site.links.urls.contains_key(&rel)
            || self.site.links.drafts.contains(&rel)
            || self.site.links.unparsed.contains(&rel)
    }

    /// One content file changed: find it, parse it, compare its identity.
    fn plan_one(&self, path: &Path) -> Result<Plan> {
        let content_dir = self.config().content_dir();
        let content_dir = content_dir.canonicalize().unwrap_or(content_dir);
        let Ok(rel) = path.strip_prefix(&content_dir) else { return Ok(Plan::Reload) };
        let kind = load::kind_of(rel);
        let existing = match kind {
            SourceKind::Page => self.page_at(rel).map(DocRef::Page),
            // The home section's doc is merged with `_index.md`'s settings: reload it.
            SourceKind::Section => {
                self.site.sections.iter().position(|s| s.doc.rel == rel && !s.implicit && !s.home).map(DocRef::Section)
            }
            SourceKind::Asset => None,
        };
        let Some(at) = existing.filter(|_| path.is_file()) else { return Ok(Plan::Reload) };
        let file = load::SourceFile { rel: rel.to_path_buf(), abs: path.to_path_buf(), kind };
        let typos = Typos::strict(self.site.config.strict_front_matter);
        let doc = parse::parse_file(&file, typos).map_err(Error::Site)?;
        // Values cascaded from the sections above, as the stages give them.
        let sections = self.memo.section_docs();
        let doc = crate::cascade::apply_one(std::sync::Arc::new(doc), sections, typos).map_err(Error::Site)?;
        let doc = std::sync::Arc::unwrap_or_clone(doc);
        Ok(if same_identity(self.doc(at), &doc) { Plan::Doc(at, Box::new(doc)) } else { Plan::Reload })
    }
}

/// Same URL, aliases and publication state (`render = false` pages are not
/// listed) and the same cascade: the site's shape is unchanged.
fn same_identity(a: &Doc, b: &Doc) -> bool {
    let (x, y) = (&a.fm, &b.fm);
    x.slug == y.slug
        && x.path == y.path
        && x.permalink == y.permalink
        && x.aliases == y.aliases
        && x.draft == y.draft
        && x.publish == y.publish
        && x.redirect_to == y.redirect_to
        && x.render == y.render
        // A cascade reaches the pages below: the stages pass it down again.
        && x.cascade == y.cascade
}
