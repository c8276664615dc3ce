//! What a build is asked for ([`BuildOptions`]) and what it holds once
//! every output is made ([`Built`]): shared by the cold build
//! ([`crate::build`]), the warm one ([`crate::incremental::warm`]) and the
//! build cache, which all sit above it, so none of them imports another
//! for these.

use crate::diagnostic::{Diagnostic, Report};
use crate::highlight::Highlighter;
use crate::incremental::warm_state::Warm;
use crate::model::Site;
use crate::output::Output;
use crate::render::Templates;
use crate::theme::Theme;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Skip the build cache's lookup (`--no-cache`): every output is rendered.
    pub no_cache: bool,
}

/// A site in memory: the model, every output file, and what was found on the way.
pub struct Built {
    pub site: Site,
    pub outputs: Vec<Output>,
    pub report: Report,
    /// What the build loaded to render, for `serve` to keep.
    pub theme: Theme,
    pub templates: Templates,
    pub highlighter: Highlighter,
    /// Files the last build wrote that this one leaves as they are (a warm
    /// build's outputs whose reads did not change).
    pub kept: Vec<PathBuf>,
    /// Files already written to the first build's stage as they were
    /// rendered ([`output::Stage`]), not in `outputs`.
    pub sunk: Vec<PathBuf>,
    /// What the outputs read, for the next build to start from.
    pub warm: Warm,
    /// A warm build's count of targets rendered again, and of all targets.
    pub rendered_again: Option<(usize, usize)>,
    /// What the build found of the cache it started from: said once, not
    /// repeated with the build's warnings by a later build the cache answers.
    pub cache_notes: Vec<Diagnostic>,
}

impl BuildOptions {
    /// What these options set over `site.toml`.
    pub fn overrides(&self) -> crate::config::Overrides {
        crate::config::Overrides { base_url: self.base_url.clone(), output: self.output.clone(), strict_links: false }
    }
}
