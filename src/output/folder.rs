//! Which output folders rapport accepts: never one whose loss or whose
//! contents could hurt the user (the site itself, home, `/`, a source folder),
//! and never one reached through a symbolic link the site could have committed.

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// Refuses output folders that could destroy sources or unrelated data.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::Refused(format!("refusing to use {} as the output folder: {why}", absolute(out).display())))
    };
    if let Some(link) = symlink_leading_to(root, out) {
        // A repository can commit `public -> ~/.config/autostart`; following it
        // would let a build write there. `--output` with the real path still works.
        return refuse(&format!(
            "{} is a symbolic link (pass the folder it points to with --output if you mean it)",
            link.display()
        ));
    }
    let root = absolute(root);
    let out = absolute(out);
    if out.parent().is_none() {
        return refuse("it is the filesystem root");
    }
    if out == root {
        return refuse("it is the site root");
    }
    if std::env::var_os("HOME").is_some_and(|h| absolute(Path::new(&h)) == out) {
        return refuse("it is your home folder");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site");
    }
    // Every folder a build or serve reads: `.obsidian/` holds vault settings.
    // `.rapport/` holds rapport's own records of what it wrote.
    for protected in ["content", "themes", "templates", "static", "syntaxes", ".obsidian", super::STATE_DIR] {
        let p = root.join(protected);
        if out.starts_with(&p) || p.starts_with(&out) {
            return refuse(&format!("it overlaps the site's `{protected}/` folder"));
        }
    }
    if out.exists() && !out.is_dir() {
        return refuse("it is a file, not a folder");
    }
    Ok(())
}

/// The output folder itself when it is a symlink, or a symlinked folder
/// between the site root and it (`build -> /elsewhere` for `build/public`).
/// Links above the site root are the user's own layout and are left alone.
fn symlink_leading_to(root: &Path, out: &Path) -> Option<PathBuf> {
    let (root, out) = (lexical(root), lexical(out));
    let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    if is_link(&out) {
        return Some(out);
    }
    out.ancestors()
        .skip(1)
        .take_while(|a| a.starts_with(&root) && *a != root)
        .find(|a| is_link(a))
        .map(Path::to_path_buf)
}

/// An absolute path with `.` and `..` folded, symlinks untouched.
fn lexical(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// An absolute, lexically normalised path; symlinks in existing parents are resolved.
pub(crate) fn absolute(p: &Path) -> PathBuf {
    let out = lexical(p);
    // Resolve the longest existing prefix so `out/../x` and symlinks compare right.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    // The integration tests try every other refusal through the binary; this
    // one is checked here so a regression can never write into `/`.
    #[test]
    fn filesystem_root_is_refused() {
        let root = std::env::temp_dir().join("rapport-site");
        assert!(matches!(check_output_dir(&root, Path::new("/")), Err(Error::Refused(_))));
        assert!(matches!(check_output_dir(&root, &root.join("content/../..")), Err(Error::Refused(_))));
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
    }
}
