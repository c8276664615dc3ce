//! Integration tests: each runs the real `rapport` binary on a fixture copied
//! to a temporary folder (see `support`).

mod browser;
mod build;
mod cli;
mod config;
mod corpora;
mod frontmatter;
mod markdown;
mod output;
mod search;
mod search_browser;
mod serve;
mod support;
