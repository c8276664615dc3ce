//! The theme's nav partial, rendered from the tree alone and once per
//! distinct tree.
//!
//! `partials/nav.html` sees only `site`, `nav`, `nav_more` and
//! `nav_home_current`; where the output sits in the tree is in the tree
//! itself ([`super::context::NavEntry`]'s `open` and `current`). So its HTML
//! is a function of those values, and every output whose values are equal
//! (the pages of one section that the tree does not list: most of a large
//! site) shares one rendering. The memo is keyed by the values themselves,
//! not by a hash of them, so it cannot hand one output another's nav.

use super::context::NavEntry;
use super::templates::Templates;
use crate::diagnostic::Diagnostic;
use rustc_hash::FxHashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The partial rendered here and handed to templates as `nav_html`.
pub const PARTIAL: &str = "partials/nav.html";

/// Renderings of the nav partial for trees that mark nothing current, by
/// what they were rendered from.
#[derive(Default)]
pub struct NavHtml {
    shared: Mutex<FxHashMap<NavOf, Arc<str>>>,
}

/// What the nav partial is rendered from, besides `site`.
#[derive(PartialEq, Eq, Hash)]
pub struct NavOf {
    pub nav: Vec<NavEntry>,
    pub nav_more: usize,
    /// The output is the home page.
    pub home: bool,
}

impl NavHtml {
    /// The partial's HTML for `of`, rendered now or taken from an earlier
    /// output with an equal tree. A tree that marks an output current is
    /// that output's alone, so it is rendered and not kept.
    pub fn html(&self, t: &Templates, site: &tera::Value, of: NavOf, file: &Path) -> Result<Arc<str>, Diagnostic> {
        if of.home || marks_current(&of.nav) {
            return render(t, site, &of, file).map(Arc::from);
        }
        if let Some(html) = self.lock().get(&of) {
            return Ok(html.clone());
        }
        let html: Arc<str> = render(t, site, &of, file)?.into();
        Ok(self.lock().entry(of).or_insert(html).clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<NavOf, Arc<str>>> {
        // A panic while holding the lock cannot leave a half-made entry.
        self.shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn render(t: &Templates, site: &tera::Value, of: &NavOf, file: &Path) -> Result<String, Diagnostic> {
    let mut cx = tera::Context::new();
    cx.insert("site", site);
    cx.insert("nav", &of.nav);
    cx.insert("nav_more", &of.nav_more);
    cx.insert("nav_home_current", &of.home);
    t.render(PARTIAL, &cx, file)
}

fn marks_current(nav: &[NavEntry]) -> bool {
    nav.iter().any(|e| e.current || e.pages.iter().any(|p| p.current) || marks_current(&e.children))
}
