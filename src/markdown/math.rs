//! LaTeX math to MathML at build time: `$…$` inline and `$$…$$` display
//! (pulldown-cmark's math events, which already leave `\$` and "$5 and $10"
//! as text) and ```` ```math ```` fences, which are display math.
//!
//! math-core writes MathML Core, which browsers render natively, so pages
//! need no script and no font download. The converter is built once, the
//! first time a page has math, so sites without math pay nothing for it.

use super::{files, Rewriter};
use pulldown_cmark::{CowStr, Event};
use std::ops::Range;
use std::sync::OnceLock;

/// Inline or display math.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    Inline,
    Block,
}

fn converter() -> &'static math_core::LatexToMathML {
    static CONVERTER: OnceLock<math_core::LatexToMathML> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        math_core::LatexToMathML::new(math_core::MathCoreConfig::default())
            .expect("math-core accepts its default configuration")
    })
}

/// The MathML for `latex`, or what is wrong with it.
pub fn to_mathml(latex: &str, display: Display) -> Result<String, String> {
    let mode = match display {
        Display::Inline => math_core::MathDisplay::Inline,
        Display::Block => math_core::MathDisplay::Block,
    };
    converter().convert_with_local_state(latex, mode).map(|r| r.mathml).map_err(|e| e.error_message())
}

/// What a page shows for math that does not convert: its source, as code.
pub fn as_code(latex: &str, display: Display) -> String {
    let code = pulldown_cmark_escape_text(latex);
    match display {
        Display::Inline => format!("<code class=\"math-error\">${code}$</code>"),
        Display::Block => format!("<pre class=\"math-error\"><code>{code}</code></pre>\n"),
    }
}

fn pulldown_cmark_escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

impl<'s> Rewriter<'s, '_> {
    /// Math as MathML, or its source as code with a warning. The element
    /// goes in after sanitising, like an embedded file's (see [`files`]);
    /// until then the event stays, so plain text (a heading's, the first
    /// paragraph's) keeps the formula's source.
    pub(super) fn math(&mut self, latex: CowStr<'s>, display: Display, range: &Range<usize>) {
        let element = match to_mathml(&latex, display) {
            Ok(mathml) => mathml,
            Err(why) => {
                self.diagnose(crate::diagnostic::Severity::Warning, range, format!("math left as code: {why}"));
                as_code(&latex, display)
            }
        };
        self.rendered.word_count += 1;
        self.section_text(&latex);
        self.math_slots.push(self.files.len());
        self.files.push(element);
        self.out.push(Event::InlineMath(latex));
    }

    /// Each math event in place of the marker of its element.
    pub(super) fn place_math(&self, events: Vec<Event<'s>>) -> Vec<Event<'s>> {
        let mut slots = self.math_slots.iter();
        events
            .into_iter()
            .map(|e| match e {
                Event::InlineMath(_) | Event::DisplayMath(_) => {
                    let slot = slots.next().expect("one slot per math event");
                    Event::InlineHtml(files::marker(*slot).into())
                }
                other => other,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml_and_errors_say_why() {
        let m = to_mathml(r"\frac{a}{b}", Display::Inline).unwrap();
        assert!(m.starts_with("<math") && m.contains("<mfrac>"), "{m}");
        let m = to_mathml(r"\sum_{i=1}^n x_i", Display::Block).unwrap();
        assert!(m.contains("display=\"block\"") && m.contains("∑"), "{m}");
        assert!(to_mathml(r"\frac{1}", Display::Inline).is_err());
        assert_eq!(as_code("a<b", Display::Inline), "<code class=\"math-error\">$a&lt;b$</code>");
    }
}
