//! rapport: a static-site knowledge base generator.
//!
//! The modules follow the pipeline in DESIGN.md: [`config`] → [`load`] →
//! [`parse`] → [`model`] → [`markdown`] → [`render`] and [`search`] → [`output`],
//! driven by [`pipeline`] and [`build`]; [`check`], [`serve`] and [`init`] are the other commands.

// A `pub` item no other module can reach is a leak waiting to happen.
#![warn(unreachable_pub)]

pub mod assembly;
pub mod build;
pub mod build_cache;
pub mod built;
pub mod cascade;
pub mod changes;
pub mod check;
pub mod citations;
pub mod cited;
pub mod collisions;
pub mod config;
pub mod copy;
pub mod dates;
pub mod diagnostic;
pub mod error;
pub mod external;
pub mod frontmatter;
pub mod graph;
pub mod highlight;
pub mod incremental;
pub mod init;
pub mod inputs;
pub mod labels;
pub mod load;
pub mod markdown;
pub mod memory;
pub mod model;
pub mod new;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod prints;
pub mod progress;
pub mod redirects;
pub mod render;
pub mod review_queue;
pub mod reviews;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod shared_text;
pub mod shortcodes;
pub mod theme;
pub mod typography;
pub mod urls;
pub mod vault;
pub mod wiki;

pub use error::{Error, Result};
