//! Raw HTML in markdown is sanitised by default (ammonia), keeping the markup
//! rapport itself emits; `markdown.unsafe_html = true` passes it through.

use std::sync::OnceLock;

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["details", "summary", "input", "figure", "figcaption", "mark", "kbd", "section", "aside"])
            .add_generic_attributes([
                "class",
                "id",
                "title",
                "lang",
                "dir",
                "role",
                "aria-label",
                "aria-hidden",
                "data-lang",
                "data-callout",
                "data-footnote-ref",
                "data-preview",
            ])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("img", ["width", "height", "loading"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("th", ["align", "style"])
            .add_tag_attributes("td", ["align", "style"])
            .link_rel(None)
            // The one allow-list every other URL the site supplies goes through.
            .url_schemes(crate::urls::ALLOWED_SCHEMES.iter().copied().collect());
        b
    })
}

/// Removes scripts, event handlers and unsafe URLs from an HTML fragment.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

/// Deepest element nesting a page holding raw HTML may have. The HTML parser
/// behind the sanitiser scans its stack of open elements for each new one,
/// so its time grows with the square of the depth: 1,000 levels take
/// milliseconds, 50,000 take seconds.
pub const MAX_DEPTH: usize = 1_000;

/// How deep elements nest in `html` as an HTML parser would see it, by a
/// linear scan of its tags: void elements open no level, nor do elements
/// whose end tag is optional (`li`, `p`, `td`…, closed by their next
/// sibling); `/>` closes only inside `svg` and `math`; an end tag closes up
/// to its open element and a stray one is ignored. Comments are skipped.
pub fn nesting_depth(html: &str) -> usize {
    const VOID: [&str; 14] =
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];
    const OPTIONAL_END: [&str; 13] =
        ["li", "p", "td", "th", "tr", "dt", "dd", "option", "optgroup", "tbody", "thead", "tfoot", "colgroup"];
    let mut open: Vec<String> = Vec::new();
    let mut count: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut deepest = 0;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_at = usize::from(closing);
        let name_len = rest[name_at..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len() - name_at);
        if name_len == 0 || !rest[name_at..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name = rest[name_at..name_at + name_len].to_ascii_lowercase();
        // Past the whole tag, so no byte is scanned twice.
        let Some(end) = rest.find('>') else { break };
        let self_closing = rest[..end].ends_with('/');
        rest = &rest[end + 1..];
        if closing {
            if count.get(&name).is_some_and(|&n| n > 0) {
                while let Some(top) = open.pop() {
                    *count.entry(top.clone()).or_default() -= 1;
                    if top == name {
                        break;
                    }
                }
            }
            continue;
        }
        let foreign = count.get("svg").is_some_and(|&n| n > 0) || count.get("math").is_some_and(|&n| n > 0);
        if VOID.contains(&name.as_str()) || OPTIONAL_END.contains(&name.as_str()) || (self_closing && foreign) {
            continue;
        }
        *count.entry(name.clone()).or_default() += 1;
        open.push(name);
        deepest = deepest.max(open.len());
    }
    deepest
}

#[cfg(test)]
mod tests {
    #[test]
    fn scripts_go_structure_stays() {
        let out = super::clean(
            "<p class=\"x\" onclick=\"a()\">hi<script>alert(1)</script></p><a href=\"javascript:x\">l</a>",
        );
        assert!(out.contains("<p class=\"x\">hi</p>"), "{out}");
        assert!(!out.contains("script") && !out.contains("onclick") && !out.contains("javascript"), "{out}");
    }

    #[test]
    fn nesting_depth_counts_open_elements() {
        use super::nesting_depth;
        assert_eq!(nesting_depth("plain"), 0);
        assert_eq!(nesting_depth("<div>a<br>b<img src=x/><em>c</em></div><p>d</p>"), 2);
        assert_eq!(nesting_depth("<!-- <div><div> --><div><input type=checkbox></div>"), 1);
        assert_eq!(nesting_depth(&"<blockquote>".repeat(30)), 30);
        assert_eq!(nesting_depth("a < b and </ c"), 0);
        // Lists of unclosed items are flat; `/>` does not close a `div`;
        // stray end tags close nothing; `/>` closes inside `svg`.
        assert_eq!(nesting_depth(&format!("<ul>{}</ul>", "<li>item".repeat(2_000))), 1);
        assert_eq!(nesting_depth(&"<div/>".repeat(40)), 40);
        assert_eq!(nesting_depth(&"<div></b>".repeat(40)), 40);
        assert_eq!(nesting_depth(&format!("<svg>{}</svg>", "<path d=x/>".repeat(2_000))), 1);
        assert_eq!(nesting_depth("<div><span><b>x</div><p>y</p>"), 3);
    }
}
