//! Obsidian callouts (`> [!type]+ Title`) and GitHub alerts (`> [!NOTE]`):
//! recognised from the first line of a block quote and rendered as a titled
//! box, or as `<details>` when foldable.

/// A callout marker parsed from the first line of a block quote. Its
/// title is the rest of the line, rendered by the caller as markdown.
#[derive(Debug, PartialEq)]
pub struct Callout {
    pub kind: String,
    pub fold: Fold,
}

#[derive(Debug, PartialEq, Clone, Copy)]
pub enum Fold {
    None,
    Open,
    Closed,
}

/// Parses `[!type]` with an optional `+`/`-`; also gives the marker's
/// length in bytes of `line`. `None` when the line is no marker.
pub fn parse_marker(line: &str) -> Option<(Callout, usize)> {
    let indent = line.len() - line.trim_start().len();
    let rest = line.trim_start().strip_prefix("[!")?;
    let end = rest.find(']')?;
    let kind: String = rest[..end].trim().to_lowercase();
    if kind.is_empty() || !kind.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let fold = match rest[end + 1..].chars().next() {
        Some('+') => Fold::Open,
        Some('-') => Fold::Closed,
        _ => Fold::None,
    };
    let len = indent + 2 + end + 1 + usize::from(fold != Fold::None);
    Some((Callout { kind, fold }, len))
}

fn default_title(kind: &str) -> String {
    let mut chars = kind.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>().replace(['-', '_'], " "),
        None => String::new(),
    }
}

/// The canonical look for a callout type: aliases map to the standard types,
/// anything unknown keeps its own name and falls back to the default look in CSS.
pub fn canonical_kind(kind: &str) -> &str {
    match kind {
        "abstract" | "summary" | "tldr" => "summary",
        "info" => "info",
        "todo" => "todo",
        "tip" | "hint" | "important" => "tip",
        "success" | "check" | "done" => "success",
        "question" | "help" | "faq" => "question",
        "warning" | "caution" | "attention" => "warning",
        "failure" | "fail" | "missing" => "failure",
        "danger" | "error" => "danger",
        "bug" => "bug",
        "example" => "example",
        "quote" | "cite" => "quote",
        _ => "note",
    }
}

/// The HTML before and after the title. With no title of its own, the
/// callout is titled by its type ("Note", "Key points" for `key-points`).
pub fn open_html(c: &Callout, has_title: bool) -> (String, String) {
    let kind = &c.kind;
    let look = canonical_kind(kind);
    let fallback = if has_title { String::new() } else { super::text::escape_attr(&default_title(kind)) };
    match c.fold {
        Fold::None => (
            format!("<div class=\"callout callout-{look}\" data-callout=\"{kind}\">\n<p class=\"callout-title\">{fallback}"),
            "</p>\n<div class=\"callout-body\">\n".to_string(),
        ),
        Fold::Open | Fold::Closed => (
            format!(
                "<details class=\"callout callout-{look}\" data-callout=\"{kind}\"{}>\n<summary class=\"callout-title\">{fallback}",
                if c.fold == Fold::Open { " open" } else { "" }
            ),
            "</summary>\n<div class=\"callout-body\">\n".to_string(),
        ),
    }
}

pub fn close_html(fold: Fold) -> &'static str {
    match fold {
        Fold::None => "</div>\n</div>\n",
        _ => "</div>\n</details>\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let (c, len) = parse_marker("[!summary] Key points").unwrap();
        assert_eq!((c.kind.as_str(), c.fold, len), ("summary", Fold::None, 10));
        let (c, len) = parse_marker("[!Tip]- Hidden").unwrap();
        assert_eq!((c.kind.as_str(), c.fold, len), ("tip", Fold::Closed, 7));
        assert!(parse_marker("[link](x)").is_none());
        assert!(parse_marker("[!bad kind]").is_none());
    }

    #[test]
    fn a_callout_without_a_title_is_titled_by_its_type() {
        let (c, _) = parse_marker("[!key-points]").unwrap();
        assert!(open_html(&c, false).0.ends_with(">Key points"));
        assert!(open_html(&c, true).0.ends_with("callout-title\">"));
    }
}
