//! Finding rapport's record of what it wrote to an output folder: a file
//! under the site's `.rapport/manifests/` whose `output` line names the folder
//! (relative to the site root), so tests never depend on how it is named.

use crate::support::SiteTest;

/// The record for `output` (e.g. `"public"`), as a path relative to the site root.
pub fn record_of(t: &SiteTest, output: &str) -> String {
    let dir = t.path(".rapport/manifests");
    let found = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten().find(|e| {
        std::fs::read_to_string(e.path()).is_ok_and(|text| text.lines().any(|l| l == format!("output\t{output}")))
    });
    let name = found.unwrap_or_else(|| panic!("no record for {output} in {}", dir.display())).file_name();
    format!(".rapport/manifests/{}", name.to_string_lossy())
}

/// The record for `public/`, as text.
pub fn manifest(t: &SiteTest) -> String {
    t.read(&record_of(t, "public"))
}

/// Appends forged lines to the record for `public/`.
pub fn forge(t: &SiteTest, lines: &str) {
    let rel = record_of(t, "public");
    let text = t.read(&rel);
    t.write(&rel, format!("{text}{lines}"));
}
