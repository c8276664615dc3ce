//! Pages added or deleted, shown at once. Adding or deleting a page runs
//! the pipeline's stages again (hundreds of milliseconds on a large site),
//! so first a deleted page stops being served and an added one is rendered
//! against the site with it put in its section; the site itself is left as
//! it was. The stages then run as queued work and serve the exact result;
//! if they fail, the files served here are put back, so an error still
//! leaves the last good site.

use super::{LiveSite, Update};
use crate::changes::{Batch, ChangeKind};
use crate::load::{self, SourceKind};
use crate::model::{self, Page};
use crate::output::Output;
use crate::parse;
use crate::render::{self, Target};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A batch whose stages still have to run, after [`LiveSite::provisional`].
#[derive(Debug)]
pub(super) struct Deferred {
    pub(super) changes: Vec<(PathBuf, ChangeKind)>,
    pub(super) visited: BTreeSet<PathBuf>,
}

/// A served file as it was before a provisional step: `None` when absent.
pub(super) type Before = (PathBuf, Option<Arc<Vec<u8>>>);

impl LiveSite {
    /// Serves a batch's added and deleted pages at once and defers the
    /// rest; `None` when the batch holds anything else, or nothing could be
    /// shown early (a new folder, an embed, an error: the stages report it).
    pub(super) fn provisional(&mut self, batch: &Batch, visited: &BTreeSet<PathBuf>) -> Option<Update> {
        if batch.rescan || batch.changes.iter().any(|(_, k)| *k != ChangeKind::Content) {
            return None;
        }
        let content_dir = self.config().content_dir();
        let content_dir = content_dir.canonicalize().unwrap_or(content_dir);
        let mut outputs = Vec::new();
        let mut gone = Vec::new();
        for (path, _) in &batch.changes {
            let rel = path.strip_prefix(&content_dir).ok()?;
            match self.page_at(rel) {
                Some(i) if !path.exists() => gone.extend(render::target_file(&self.site, Target::Page(i))),
                Some(_) => return None,
                None if path.is_file() && load::kind_of(rel) == SourceKind::Page => {
                    outputs.extend(self.render_added(path, rel).unwrap_or_default());
                }
                None => {}
            }
        }
        if outputs.is_empty() && gone.is_empty() {
            return None;
        }
        let mut update = Update { how: "page shown, site following", ..Update::default() };
        for file in gone {
            let old = self.outputs.remove(&file);
            if old.is_some() {
                update.removed.push(file.clone());
            }
            self.before.push((file, old));
        }
        self.before.extend(outputs.iter().map(|o| (o.path.clone(), self.outputs.get(&o.path).cloned())));
        update.written.extend(self.merge(update.how, outputs).written);
        self.deferred = Some(Deferred { changes: batch.changes.clone(), visited: visited.clone() });
        Some(update)
    }

    /// An added page's files, rendered with the page put in its section,
    /// the URL map, the note names and the link graph, which are then put
    /// back as they were.
    fn render_added(&mut self, path: &Path, rel: &Path) -> Option<Vec<Output>> {
        let file = load::SourceFile { rel: rel.to_path_buf(), abs: path.to_path_buf(), kind: SourceKind::Page };
        let typos = crate::frontmatter::Typos::strict(self.site.config.strict_front_matter);
        let doc = Arc::new(parse::parse_file(&file, typos).ok()?);
        let doc = Arc::unwrap_or_clone(crate::cascade::apply_one(doc, self.memo.section_docs(), typos).ok()?);
        let folder = model::owning_folder(rel);
        let section = self.site.sections.iter().position(|s| model::folder_of_section(&s.doc.rel) == folder)?;
        let url = model::doc_url(&doc);
        let full = self.site.full_url(&url);
        let draft = doc.fm.draft || doc.fm.publish == Some(false);
        if (draft && !self.opts.drafts) || self.site.links.urls.values().any(|u| *u == full) {
            return None;
        }
        let doc = Arc::new(doc);
        let site = &mut self.site;
        let n = site.pages.len();
        let key = model::key_of(rel);
        let tags = doc.fm.tags.clone();
        site.pages.push(Page {
            doc: doc.clone(),
            key,
            tags,
            url,
            section,
            rendered: Arc::default(),
            redirects: vec![],
        });
        let order = site.sections[section].pages.clone();
        site.sections[section].pages.push(n);
        model::sort_pages(&mut site.sections, section, &site.pages);
        let nfc = crate::urls::nfc_path(rel);
        site.links.urls.insert(nfc.clone(), full);
        let names = site.links.wiki.add_note(rel, &doc.fm.aliases);
        site.graph.add_page_slot();
        let rendered =
            crate::pipeline::render_doc(&site.config, &site.links.shortcodes, &self.highlighter, &site.targets(), &doc);
        let fine = rendered.embeds.is_empty() && !rendered.diagnostics.iter().any(|d| d.is_error());
        site.pages[n].rendered = Arc::new(rendered);
        let made = fine.then(|| render::render_targets(site, &self.templates, &[Target::Page(n)]));
        site.graph.remove_page_slot();
        site.links.wiki.restore(names);
        site.links.urls.remove(&nfc);
        site.sections[section].pages = order;
        site.pages.pop();
        Some(made?.ok()?.into_iter().flat_map(|m| m.outputs).collect())
    }

    /// Once the stages have run: stops serving files shown early that no
    /// output of the site writes (a page added, then deleted before the
    /// stages ran); returns their paths.
    pub(super) fn drop_shown_early(&mut self) -> Vec<PathBuf> {
        let before = std::mem::take(&mut self.before);
        if before.is_empty() {
            return vec![];
        }
        let site = &self.site;
        let written: std::collections::HashSet<PathBuf> =
            self.targets.values().filter_map(|&t| render::target_file(site, t)).collect();
        let stale = before.into_iter().map(|(p, _)| p).filter(|p| !written.contains(p));
        let stale: Vec<PathBuf> = stale.collect::<BTreeSet<_>>().into_iter().collect();
        self.drop_files(stale)
    }

    /// After a failed batch: serves again the files a provisional step
    /// replaced or removed. The update lists them for `serve` to publish.
    pub(super) fn restore_before(&mut self) -> Update {
        let mut update = Update { how: "last good site", ..Update::default() };
        for (path, bytes) in std::mem::take(&mut self.before).into_iter().rev() {
            match bytes {
                Some(b) => {
                    self.outputs.insert(path.clone(), b);
                    update.written.push(path);
                }
                None => {
                    self.outputs.remove(&path);
                    update.removed.push(path);
                }
            }
        }
        update
    }
}
