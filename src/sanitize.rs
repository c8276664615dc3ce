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
            ])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("img", ["width", "height", "loading"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("th", ["align", "style"])
            .add_tag_attributes("td", ["align", "style"])
            .link_rel(None);
        b
    })
}

/// Removes scripts, event handlers and unsafe URLs from an HTML fragment.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
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
}
