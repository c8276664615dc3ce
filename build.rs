//! The default theme is embedded with `include_dir!`, which cargo does not
//! track: rebuild when any theme file changes, so the binary never carries a
//! stale theme. Also records the git commit for `rapport --version`; a build
//! without git and outside a packaged crate simply has none.

use std::process::Command;

/// Written by `cargo package`: names the commit the crate was packaged from.
const VCS_INFO: &str = ".cargo_vcs_info.json";

fn main() {
    println!("cargo:rerun-if-changed=themes/rapport");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let version = match commit() {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=RAPPORT_VERSION={version}");
}

/// A packaged crate's own record first: unpacked under a folder that happens
/// to be a git repository (a home folder kept in git), git would name that
/// repository's commit instead.
fn commit() -> Option<String> {
    match std::fs::read_to_string(VCS_INFO) {
        Ok(info) => packaged_commit(&info),
        Err(_) => git_commit(),
    }
}

fn packaged_commit(info: &str) -> Option<String> {
    let after = info.split_once("\"sha1\"")?.1.split_once('"')?.1;
    let sha: String = after.chars().take_while(char::is_ascii_hexdigit).take(7).collect();
    (sha.len() == 7).then_some(sha)
}

fn git_commit() -> Option<String> {
    // Re-run when HEAD moves; the paths only exist inside a git checkout.
    let head = git(&["rev-parse", "--git-path", "HEAD"])?;
    println!("cargo:rerun-if-changed={head}");
    if let Some(branch) = git(&["rev-parse", "--symbolic-full-name", "HEAD"]) {
        if let Some(path) = git(&["rev-parse", "--git-path", &branch]) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    git(&["rev-parse", "--short", "HEAD"])
}

/// One line of git's output, or None without git or outside a repository.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}
