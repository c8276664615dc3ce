//! The adversarial suite: a test for each failure listed in
//! `../shared/RELIABILITY.md`, grouped by its four categories. Each asserts
//! the exact behaviour: the `file:line:col` in the message, the exit code,
//! what is and is not written, what the server answers.
//! `cargo test --test it adversarial:: -- --list` counts them by category.
//!
//! Where each RELIABILITY.md line is tested:
//! - bad front matter, every file reported at once: `bad_content` (`*_is_located`,
//!   `every_broken_file_is_reported_in_one_run`); encodings, empty files:
//!   `invalid_utf8_*`, `byte_order_mark_*`, `empty_and_front_matter_only_*`;
//!   bombs: `yaml_alias_bomb_*`, `deeply_nested_arrays_*`;
//! - pathological markdown: `pathological` (each input alone, under a
//!   watchdog; `benches/pathological.sh` times them) and
//!   `bad_content::pathological_markdown_*` (all in one site);
//!   the highlighting cap: `escaping::unknown_language_and_long_lines_*`;
//! - a panic in one page: `bad_content::a_panic_while_parsing_*`;
//! - unsafe `slug`/`path`/`aliases`, duplicate URLs, symlinks: `bad_content`;
//! - output folders, pruning, failed builds, torn reads: `output_safety`;
//! - escaping in HTML, attributes, JSON-LD, feeds, previews and the search
//!   UI, link schemes, fence languages, raw HTML: `escaping`;
//! - traversal, Host and Origin, CORS, editor saves and bursts, files that
//!   vanish mid-rebuild, unwatched output, the error overlay and recovery,
//!   lost watcher events and polling: `dev_server` (and the unit test
//!   `serve::watch::tests::lost_events_and_watcher_errors_ask_for_a_rescan`).
//!
//! From issue 12 (hardening):
//! - `check` runs every stage `build` runs and fails on template render
//!   errors, broken internal links and anchors; orphans are opt-in: `check_gate`;
//! - `check` and `build` report every problem of every stage and every bad
//!   front matter field in one run: `every_stage`;
//! - decomposed Unicode file names: NFC URLs, wikilinks typed either way,
//!   duplicates across normalisation: `unicode_names`;
//! - highlighted HTML bounded to a multiple of its code, cut off while
//!   highlighting, with a located warning: `highlight_growth` (and
//!   `highlight::growth` unit tests, which measure real blocks).

mod bad_content;
mod check_gate;
mod dev_server;
mod escaping;
mod every_stage;
mod highlight_growth;
mod output_safety;
mod pathological;
mod unicode_names;
