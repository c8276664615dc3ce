//! The adversarial suite: a test for each failure listed in
//! `../shared/RELIABILITY.md`, grouped by its four categories. Each asserts
//! the exact behaviour: the `file:line:col` in the message, the exit code,
//! what is and is not written, what the server answers.
//! `cargo test --test it adversarial:: -- --list` counts them by category.
//!
//! Where each RELIABILITY.md line is tested:
//! - bad front matter, every file reported at once: `bad_content` (`*_is_located`,
//!   `every_broken_file_is_reported_in_one_run`); encodings, empty files:
//!   `invalid_utf8_*`, `byte_order_mark_*` (and `invalid_utf8`: line:col in
//!   content, `site.toml` and templates, text and JSON), `empty_and_front_matter_only_*`;
//!   bombs: `yaml_alias_bomb_*`, `deeply_nested_arrays_*`;
//! - pathological markdown: `pathological` (each input alone, under a
//!   watchdog, with its stated outcome; `benches/pathological.sh` times them
//!   and fails past 2 s) and
//!   `bad_content::pathological_markdown_*` (all in one site);
//!   the highlighting cap: `escaping::unknown_language_and_long_lines_*`;
//! - a panic in one page: `bad_content::a_panic_while_parsing_*`;
//! - unsafe `slug`/`path`/`aliases`, duplicate URLs, symlinks: `bad_content`;
//! - output folders, pruning, failed builds, torn reads: `output_safety` (every
//!   folder rapport reads, `syntaxes/` and `.obsidian/` too: `every_input_folder_*`);
//!   symlinks in or around the output folder, forged manifests: `output_symlinks`;
//!   the record of what rapport wrote kept out of the published folder, and
//!   copied, moved, damaged or foreign records pruning nothing: `output_records`;
//!   staging folders left by killed builds: `killed_builds`;
//! - one scheme allow-list for redirect_to, markdown links and images, raw
//!   HTML, base_url and the `safe_url` template filter: `url_schemes`;
//! - `init` into a folder holding files (kept, never overwritten): `init_existing_files`;
//! - escaping in HTML, attributes, JSON-LD, feeds, previews and the search
//!   UI, link schemes, fence languages, raw HTML: `escaping`;
//! - traversal, Host and Origin, CORS, editor saves and bursts, files that
//!   vanish mid-rebuild, unwatched output, the error overlay and recovery,
//!   lost watcher events and polling: `dev_server` (and the unit test
//!   `serve::watch::tests::lost_events_and_watcher_errors_ask_for_a_rescan`);
//! - hostile HTTP clients (issue 12): a huge `Content-Length`, slowloris,
//!   500 idle clients, oversized headers, malformed request lines: `http_limits`;
//! - recursive templates (include, extends and import cycles, macros that
//!   never end or recurse too deep) in `build`, `check` and `serve`:
//!   `template_recursion` (and the unit tests in `render::recursion`);
//! - `template`/`page_template` naming no template, or leaving `templates/`:
//!   `template_choice`;
//! - `check` runs every stage `build` runs and fails on template render
//!   errors, broken internal links and anchors; orphans are opt-in: `check_gate`;
//! - `check` and `build` report every problem of every stage and every bad
//!   front matter field in one run: `every_stage`;
//! - decomposed Unicode file names: NFC URLs, wikilinks typed either way,
//!   duplicates across normalisation: `unicode_names`;
//! - control characters from files echoed to the terminal (messages,
//!   snippets, file names, serve's log): `terminal_escapes` (and the unit
//!   test `diagnostic::tests::control_characters_are_escaped_and_the_caret_follows`);
//! - highlighted HTML bounded to a multiple of its code, cut off while
//!   highlighting, with a located warning: `highlight_growth` (and
//!   `highlight::growth` unit tests, which measure real blocks).

mod bad_content;
mod check_gate;
mod dev_server;
mod escaping;
mod every_stage;
mod highlight_growth;
mod http_limits;
mod init_existing_files;
mod invalid_utf8;
#[cfg(unix)]
mod killed_builds;
mod output_records;
mod output_safety;
#[cfg(unix)] // The links are made with `std::os::unix::fs::symlink`.
mod output_symlinks;
mod pathological;
mod template_choice;
mod template_recursion;
mod terminal_escapes;
mod unicode_names;
mod url_schemes;
