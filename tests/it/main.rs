//! Integration tests: one binary, one module per feature. Each test runs the
//! real `rapport` binary on its own fixture (`tests/fixtures/<feature>/<case>/`)
//! copied to a temporary folder; see `support`.

mod adversarial;
mod browser;
mod build_cache;
mod cdp;
mod citations;
mod cli;
mod config;
mod content;
mod corpora;
mod csl_json;
mod deploy;
mod diagrams;
mod frontmatter;
mod hugo_frontmatter;
mod incremental;
mod links;
mod manifest;
mod markdown;
mod math;
mod math_browser;
mod obsidian;
mod output;
mod page_assets;
mod progress;
mod reads;
mod reviews;
mod search;
mod search_browser;
mod search_cards;
mod search_contract;
mod search_quality;
mod serve;
mod serve_browser;
mod shortcodes;
mod snapshots;
mod support;
mod templates;
mod theme;
mod theme_browser;
mod theme_settings;
mod zola_fields;
mod zola_sections;
