//! `rapport check`: the build pipeline without writing, every diagnostic
//! collected and printed at once, as text or JSON for editors and CI.

use crate::build::{self, BuildOptions};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Every finding of a site, errors and warnings.
pub fn run(root: &Path, drafts: bool) -> Result<Vec<Diagnostic>> {
    let opts = BuildOptions { drafts, ..BuildOptions::default() };
    let config = build::load_config(root, &opts)?;
    match build::build_in_memory(config, drafts) {
        Ok(built) => {
            let mut items = built.report.items;
            items.extend(built.site.graph.orphans().map(|i| {
                Diagnostic::warning(&built.site.pages[i].doc.file, "orphan page: no other page or section links to it")
            }));
            Ok(items)
        }
        Err(Error::Site(items)) => Ok(items),
        Err(other) => Err(other),
    }
}

pub fn print(findings: &[Diagnostic], format: Format) {
    match format {
        Format::Text => {
            for d in findings {
                eprintln!("{d}");
            }
            let errors = findings.iter().filter(|d| d.is_error()).count();
            eprintln!("{errors} error(s), {} warning(s)", findings.len() - errors);
        }
        Format::Json => {
            let json = serde_json::to_string_pretty(findings).expect("diagnostics serialise");
            println!("{json}");
        }
    }
}
