//! The default theme is embedded with `include_dir!`, which cargo does not
//! track: rebuild when any theme file changes, so the binary never carries a
//! stale theme. Also records the git commit for `rapport --version`; a build
//! outside git (a crates.io package, a tarball) simply has none.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/rapport");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let version = match git(&["rev-parse", "--short", "HEAD"]) {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=RAPPORT_VERSION={version}");
    // Re-run when HEAD moves; the paths only exist inside a git checkout.
    if let Some(head) = git(&["rev-parse", "--git-path", "HEAD"]) {
        println!("cargo:rerun-if-changed={head}");
    }
    if let Some(refs) =
        git(&["rev-parse", "--symbolic-full-name", "HEAD"]).and_then(|r| git(&["rev-parse", "--git-path", &r]))
    {
        println!("cargo:rerun-if-changed={refs}");
    }
}

/// One line of git's output, or None without git or outside a repository.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}
