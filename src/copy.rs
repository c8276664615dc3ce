//! The files a build copies rather than renders: the theme's and the
//! site's static files, and the assets beside the content, read into
//! outputs (a cold build, a warm one and `serve` all copy the same way).

use crate::error::{Error, Result};
use crate::load::{self, SourceKind};
use crate::output::Output;
use crate::theme::Theme;
use rayon::prelude::*;

/// Theme and site static files, and assets beside the content, mirrored.
pub fn copy_files(files: &[load::SourceFile], theme: &Theme) -> Result<Vec<Output>> {
    let mut outputs: Vec<Output> =
        theme.static_files.iter().map(|(rel, (_, bytes))| Output::new(rel.clone(), bytes.clone())).collect();
    let assets: Vec<Result<Output>> = files
        .par_iter()
        .filter(|f| f.kind == SourceKind::Asset)
        .map(|f| std::fs::read(&f.abs).map(|b| Output::new(f.rel.clone(), b)).map_err(|e| Error::io(&f.abs, e)))
        .collect();
    for a in assets {
        outputs.push(a?);
    }
    Ok(outputs)
}
