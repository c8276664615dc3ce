//! Front matter splitting and parsing never panics, and every error is located.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &str| {
    let file = Path::new("content/fuzz.md");
    match rapport::frontmatter::split(file, data) {
        Ok(split) => {
            if let Err(errors) = rapport::frontmatter::parse(file, data, &split, rapport::frontmatter::Typos::Refuse) {
                assert!(!errors.is_empty());
            }
        }
        Err(d) => assert_eq!(d.line, 1),
    }
});
