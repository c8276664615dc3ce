//! Obsidian callouts (`> [!type]+ Title`) and GitHub alerts (`> [!NOTE]`):
//! recognised from the first line of a block quote and rendered as a titled
//! box, or as `<details>` when foldable.

/// A callout marker parsed from the first line of a block quote.
#[derive(Debug, PartialEq)]
pub struct Callout {
    pub kind: String,
    pub title: String,
    pub fold: Fold,
}

#[derive(Debug, PartialEq, Clone, Copy)]
pub enum Fold {
    None,
    Open,
    Closed,
}

/// Parses `[!type]` with an optional `+`/`-` and title. `None` when the line is no marker.
pub fn parse_marker(line: &str) -> Option<Callout> {
    let rest = line.trim_start().strip_prefix("[!")?;
    let end = rest.find(']')?;
    let kind: String = rest[..end].trim().to_lowercase();
    if kind.is_empty() || !kind.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let mut after = &rest[end + 1..];
    let fold = match after.chars().next() {
        Some('+') => Fold::Open,
        Some('-') => Fold::Closed,
        _ => Fold::None,
    };
    if fold != Fold::None {
        after = &after[1..];
    }
    let title = after.trim();
    let title = if title.is_empty() { default_title(&kind) } else { title.to_string() };
    Some(Callout { kind, title, fold })
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

pub fn open_html(c: &Callout) -> String {
    let kind = &c.kind;
    let look = canonical_kind(kind);
    let title = super::text::escape_attr(&c.title);
    match c.fold {
        Fold::None => format!(
            "<div class=\"callout callout-{look}\" data-callout=\"{kind}\">\n<p class=\"callout-title\">{title}</p>\n<div class=\"callout-body\">\n"
        ),
        Fold::Open | Fold::Closed => format!(
            "<details class=\"callout callout-{look}\" data-callout=\"{kind}\"{}>\n<summary class=\"callout-title\">{title}</summary>\n<div class=\"callout-body\">\n",
            if c.fold == Fold::Open { " open" } else { "" }
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
        let c = parse_marker("[!summary] Key points").unwrap();
        assert_eq!((c.kind.as_str(), c.title.as_str(), c.fold), ("summary", "Key points", Fold::None));
        let c = parse_marker("[!Tip]- Hidden").unwrap();
        assert_eq!((c.kind.as_str(), c.fold), ("tip", Fold::Closed));
        assert_eq!(parse_marker("[!NOTE]").unwrap().title, "Note");
        assert!(parse_marker("[link](x)").is_none());
        assert!(parse_marker("[!bad kind]").is_none());
    }

    #[test]
    fn title_is_escaped() {
        let c = parse_marker("[!note] <script>").unwrap();
        assert!(open_html(&c).contains("&lt;script&gt;"));
    }
}
