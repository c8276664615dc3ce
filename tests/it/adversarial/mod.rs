//! The adversarial suite: one test (or more) for each failure listed in
//! `../shared/RELIABILITY.md`, grouped by its four categories. Each asserts
//! the exact behaviour: the `file:line:col` in the message, the exit code,
//! what is and is not written, what the server answers.
//! `cargo test adversarial:: -- --list` counts them by category.

mod bad_content;
mod dev_server;
mod escaping;
mod output_safety;
mod pathological;
