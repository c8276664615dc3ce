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
//!   symlinks in or around the output folder, forged manifests: `output_symlinks`;
//!   staging folders left by killed builds: `killed_builds`;
//! - one scheme allow-list for redirect_to, markdown links and images, raw
//!   HTML, base_url and the `safe_url` template filter: `url_schemes`;
//! - `init` into a folder holding files (kept, never overwritten): `init_existing_files`;
//! - escaping in HTML, attributes, JSON-LD, feeds, previews and the search
//!   UI, link schemes, fence languages, raw HTML: `escaping`;
//! - traversal, Host and Origin, CORS, editor saves and bursts, files that
//!   vanish mid-rebuild, unwatched output, the error overlay and recovery,
//!   lost watcher events and polling: `dev_server` (and the unit test
//!   `serve::watch::tests::lost_events_and_watcher_errors_ask_for_a_rescan`).

mod bad_content;
mod dev_server;
mod escaping;
mod init_existing_files;
#[cfg(unix)]
mod killed_builds;
mod output_safety;
#[cfg(unix)] // The links are made with `std::os::unix::fs::symlink`.
mod output_symlinks;
mod pathological;
mod url_schemes;
