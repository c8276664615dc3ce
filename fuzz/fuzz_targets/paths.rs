//! URL and path resolution: whatever a slug, path or alias says, an accepted
//! one maps to a file, strictly inside the output folder (the same property
//! as the unit proptest `urls::tests::accepted_paths_stay_inside_the_output`:
//! an accepted one that maps to no file is a failure too).
#![no_main]
use libfuzzer_sys::fuzz_target;
use rapport::urls;
use std::path::{Component, Path};

fn inside(p: &Path) -> bool {
    p.components().all(|c| matches!(c, Component::Normal(_)))
}

fuzz_target!(|data: &str| {
    if urls::check_path(data).is_ok() {
        let file = urls::output_file(&urls::url_of_path(data));
        assert!(file.as_deref().is_some_and(inside), "{data:?} -> {file:?}");
    }
    if urls::check_slug(data).is_ok() {
        let file = urls::output_file(&urls::url_of_content(Path::new("a/b.md"), Some(data)));
        assert!(file.as_deref().is_some_and(inside), "{data:?} -> {file:?}");
    }
    if let Some(file) = urls::output_file(data) {
        assert!(inside(&file), "{data:?} -> {file:?}");
    }
    let _ = urls::resolve_relative(Path::new("a/b"), data);
    let _ = urls::percent_decode(data);
});
