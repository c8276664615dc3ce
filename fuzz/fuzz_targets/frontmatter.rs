//! Front matter splitting and parsing never panics, and every error is
//! located: it names the file and a 1-based line and column that exist in the
//! input (the column at most one past the line's last character, for an error
//! at its end).
#![no_main]
use libfuzzer_sys::fuzz_target;
use rapport::diagnostic::Diagnostic;
use std::path::Path;

fn assert_located(data: &str, d: &Diagnostic) {
    let file = Path::new("content/fuzz.md");
    assert_eq!(d.file, file, "{d:?}");
    let lines: Vec<&str> = data.split('\n').collect();
    assert!(d.line >= 1 && d.line <= lines.len(), "line {} of {} lines: {d:?}", d.line, lines.len());
    let chars = lines[d.line - 1].chars().count();
    assert!(d.col >= 1 && d.col <= chars + 1, "column {} of a {chars}-character line: {d:?}", d.col);
}

fuzz_target!(|data: &str| {
    let file = Path::new("content/fuzz.md");
    match rapport::frontmatter::split(file, data) {
        Ok(split) => {
            if let Err(errors) = rapport::frontmatter::parse(file, data, &split, rapport::frontmatter::Typos::Refuse) {
                assert!(!errors.is_empty());
                for d in &errors {
                    assert_located(data, d);
                }
            }
        }
        Err(d) => {
            assert_eq!(d.line, 1, "{d:?}");
            assert_located(data, &d);
        }
    }
});
