//! Where a key or its value sits in a TOML or YAML source, so an error about
//! a setting (in `site.toml` or in front matter) names its line and column.

use super::CONFIG_FILE;
use crate::diagnostic::Diagnostic;

/// A diagnostic placed at the value `key` is set to in `site.toml`.
pub(super) fn value_error(source: &str, key: &str, message: String) -> Diagnostic {
    let d = Diagnostic::error(CONFIG_FILE, message);
    match find_value(source, key) {
        Some(offset) => d.at_offset(source, offset),
        None => d,
    }
}

/// A diagnostic placed on the line where `key` is set in `site.toml`.
pub(super) fn key_error(source: &str, key: &str, message: String) -> Diagnostic {
    let d = Diagnostic::error(CONFIG_FILE, message);
    match find_key(source, key) {
        Some(offset) => d.at_offset(source, offset),
        None => d,
    }
}

/// Byte offset of the first line that assigns `key` (TOML `key =` or YAML `key:`).
pub fn find_key(source: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let unquoted = trimmed.trim_start_matches(['"', '\'']);
        if let Some(rest) = unquoted.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if rest.starts_with('=') || rest.starts_with(':') {
                return Some(offset + indent);
            }
        }
        offset += line.len();
    }
    None
}

/// Byte offset of the value `key` is set to (inside its quotes), for errors
/// about the value rather than the key.
pub fn find_value(source: &str, key: &str) -> Option<usize> {
    let at = find_key(source, key)?;
    let line = &source[at..source[at..].find('\n').map_or(source.len(), |n| at + n)];
    let sep = line[key.len()..].find(['=', ':'])? + key.len() + 1;
    let value = &line[sep..];
    let skipped = value.len() - value.trim_start().trim_start_matches(['"', '\'']).len();
    Some(at + sep + skipped)
}
