//! Finds shortcode calls in a page body, as Zola writes them: inline
//! `{{ name(a="x", n=2) }}`, with a body `{% name() %}…{% end %}`, their
//! escapes `{{/* … */}}` / `{%/* … */%}`, and Hugo's `{{< … >}}` / `{{% … %}}`,
//! which rapport does not run but must leave as written.
//!
//! A hand-written scanner rather than a grammar crate: the grammar is small,
//! and everything that is not a call (Tera's `{{ page.title }}` in prose) must
//! be left alone, which is easiest to say one byte at a time.

use serde_json::{Number, Value};
use std::ops::Range;

/// One thing found in the body, with its byte span in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub span: Range<usize>,
    pub what: What,
}

#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// A call to run: its name, arguments and body (`None` for inline).
    Call { name: String, args: Vec<(String, Value)>, body: Option<String> },
    /// An escape, printed as this literal text.
    Literal(String),
    /// A Hugo shortcode, left exactly as written.
    Foreign { name: String },
}

/// A malformed call: what is wrong and where (a body offset).
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub at: usize,
    pub message: String,
}

/// Scans `body` outside the `skip` ranges (code), left to right.
pub fn scan(body: &str, skip: &[Range<usize>]) -> (Vec<Found>, Vec<ParseError>) {
    let (mut found, mut errors) = (Vec::new(), Vec::new());
    let bytes = body.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if let Some(r) = skip.iter().find(|r| r.contains(&i)) {
            i = r.end.max(i + 1);
            continue;
        }
        if bytes[i] != b'{' || !matches!(bytes[i + 1], b'{' | b'%') {
            i += 1;
            continue;
        }
        match at(body, i, skip) {
            Ok(Some(f)) => {
                i = f.span.end;
                found.push(f);
            }
            Ok(None) => i += 1,
            Err(e) => {
                errors.push(e);
                i += 2;
            }
        }
    }
    (found, errors)
}

/// What starts at `i` (a `{{` or `{%`), if anything.
fn at(body: &str, i: usize, skip: &[Range<usize>]) -> Result<Option<Found>, ParseError> {
    let rest = &body[i..];
    let block = rest.starts_with("{%");
    let (open, close) = if block { ("{%", "%}") } else { ("{{", "}}") };
    if let Some(inner) = rest.strip_prefix(open).and_then(|r| r.strip_prefix("/*")) {
        let end_mark = format!("*/{close}");
        let Some(end) = inner.find(&end_mark) else { return Ok(None) };
        if !is_call_text(&inner[..end], block) {
            return Ok(None);
        }
        let literal = format!("{open}{}{close}", &inner[..end]);
        let span = i..i + open.len() + 2 + end + end_mark.len();
        return Ok(Some(Found { span, what: What::Literal(literal) }));
    }
    if !block && (rest.starts_with("{{<") || rest.starts_with("{{%")) {
        return Ok(foreign(body, i, skip));
    }
    let mut p = Cursor { s: body, at: i + 2 };
    p.spaces();
    let Some(name) = p.ident() else { return Ok(None) };
    p.spaces();
    if !p.eat("(") {
        return Ok(None);
    }
    let args = p.args()?;
    p.spaces();
    if !p.eat(close) {
        return Err(p.error(format!("expected `{close}` to close the shortcode `{name}`")));
    }
    if !block {
        return Ok(Some(Found { span: i..p.at, what: What::Call { name, args, body: None } }));
    }
    let (body_text, end) = body_of(body, p.at).ok_or_else(|| ParseError {
        at: i,
        message: format!("the shortcode `{name}` has a body but no `{{% end %}}`"),
    })?;
    Ok(Some(Found { span: i..end, what: What::Call { name, args, body: Some(body_text) } }))
}

/// What an escape holds, as Zola's grammar wants it: a call, or `end`.
fn is_call_text(inner: &str, block: bool) -> bool {
    let t = inner.trim();
    if block && t == "end" {
        return true;
    }
    let mut p = Cursor { s: t, at: 0 };
    p.ident().is_some() && {
        p.spaces();
        p.eat("(") && t.ends_with(')')
    }
}

/// The body after an opening `{% name() %}` (one newline trimmed at each
/// end, as Zola does) and where its `{% end %}` finishes.
fn body_of(s: &str, from: usize) -> Option<(String, usize)> {
    let mut search = from;
    while let Some(k) = s[search..].find("{%") {
        let start = search + k;
        let mut p = Cursor { s, at: start + 2 };
        p.spaces();
        if p.eat("end") {
            p.spaces();
            if p.eat("%}") {
                let raw = &s[from..start];
                let raw = raw.strip_prefix("\r\n").or_else(|| raw.strip_prefix('\n')).unwrap_or(raw);
                let raw = raw.strip_suffix('\n').map(|r| r.strip_suffix('\r').unwrap_or(r)).unwrap_or(raw);
                return Some((raw.to_string(), p.at));
            }
        }
        search = start + 2;
    }
    None
}

/// A Hugo shortcode at `i` (`{{< … >}}` or `{{% … %}}`): through its
/// closing tag when it has one. Its name is given as written (`{{% note %}}`).
fn foreign(body: &str, i: usize, skip: &[Range<usize>]) -> Option<Found> {
    let delim = if &body[i + 2..i + 3] == "<" { ('<', '>') } else { ('%', '%') };
    let close = format!("{}}}}}", delim.1);
    let end = i + body[i..].find(&close)? + close.len();
    let inner = body[i + 3..end - close.len()].trim();
    let shown = |name: &str| format!("{{{{{} {name} {}}}}}", delim.0, delim.1);
    if let Some(closing) = inner.strip_prefix('/') {
        // A stray closing tag: left as written too.
        let name = shown(closing.split_whitespace().next().unwrap_or(""));
        return Some(Found { span: i..end, what: What::Foreign { name } });
    }
    let name: String = inner.chars().take_while(|c| !c.is_whitespace()).collect();
    let mut span = i..end;
    for (open, shut) in [('<', '>'), ('%', '%')] {
        let spaced = body[end..].find(&format!("{{{{{open} /{name}")).map(|k| end + k);
        let tight = || body[end..].find(&format!("{{{{{open}/{name}")).map(|k| end + k);
        let Some(k) = spaced.or_else(tight).filter(|k| !skip.iter().any(|r| r.contains(k))) else { continue };
        let tail = format!("{shut}}}}}");
        if let Some(t) = body[k..].find(&tail) {
            span.end = k + t + tail.len();
            break;
        }
    }
    Some(Found { span, what: What::Foreign { name: shown(&name) } })
}

/// Replaces escapes in code, where calls stay literal but escapes print as Zola prints them.
pub fn unescape_in_code(code: &str) -> std::borrow::Cow<'_, str> {
    if !code.contains("/*") {
        return code.into();
    }
    let (found, _) = scan(code, &[]);
    let mut out = String::with_capacity(code.len());
    let mut last = 0;
    for f in found {
        if let What::Literal(text) = f.what {
            out.push_str(&code[last..f.span.start]);
            out.push_str(&text);
            last = f.span.end;
        }
    }
    out.push_str(&code[last..]);
    out.into()
}

/// A reader over the text of a call.
struct Cursor<'s> {
    s: &'s str,
    at: usize,
}

impl<'s> Cursor<'s> {
    fn rest(&self) -> &'s str {
        &self.s[self.at..]
    }

    fn spaces(&mut self) {
        let n = self.rest().len() - self.rest().trim_start().len();
        self.at += n;
    }

    fn eat(&mut self, token: &str) -> bool {
        let ok = self.rest().starts_with(token);
        if ok {
            self.at += token.len();
        }
        ok
    }

    fn ident(&mut self) -> Option<String> {
        let rest = self.rest();
        let first = rest.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '_') {
            return None;
        }
        let n = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        self.at += n;
        Some(rest[..n].to_string())
    }

    fn error(&self, message: String) -> ParseError {
        ParseError { at: self.at, message }
    }

    /// `a="x", n=2` up to and including the `)`.
    fn args(&mut self) -> Result<Vec<(String, Value)>, ParseError> {
        let mut args = Vec::new();
        loop {
            self.spaces();
            if self.eat(")") {
                return Ok(args);
            }
            let key = self.ident().ok_or_else(|| self.error("expected an argument name or `)`".into()))?;
            self.spaces();
            if !self.eat("=") {
                return Err(self.error(format!("expected `=` after the argument `{key}`")));
            }
            self.spaces();
            let value = self.value()?;
            args.push((key, value));
            self.spaces();
            if !self.eat(",") && !self.rest().starts_with(')') {
                return Err(self.error("expected `,` or `)` after an argument".into()));
            }
        }
    }

    /// A string (any of Zola's three quotes), number, boolean or array.
    fn value(&mut self) -> Result<Value, ParseError> {
        let rest = self.rest();
        if let Some(q) = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) {
            let end = rest[1..].find(q).ok_or_else(|| self.error(format!("this string has no closing {q}")))?;
            self.at += end + 2;
            return Ok(Value::String(rest[1..end + 1].to_string()));
        }
        if self.eat("[") {
            let mut items = Vec::new();
            loop {
                self.spaces();
                if self.eat("]") {
                    return Ok(Value::Array(items));
                }
                items.push(self.value()?);
                self.spaces();
                if !self.eat(",") && !self.rest().starts_with(']') {
                    return Err(self.error("expected `,` or `]` in an array".into()));
                }
            }
        }
        for (word, b) in [("true", true), ("false", false)] {
            if self.eat(word) {
                return Ok(Value::Bool(b));
            }
        }
        self.number()
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let rest = self.rest();
        let n = rest
            .char_indices()
            .find(|&(k, c)| !(c.is_ascii_digit() || c == '.' || (k == 0 && matches!(c, '-' | '+'))))
            .map_or(rest.len(), |(k, _)| k);
        let text = &rest[..n];
        let value = if text.contains('.') {
            text.parse::<f64>().ok().and_then(Number::from_f64)
        } else {
            text.parse::<i64>().ok().map(Number::from)
        };
        let value = value.ok_or_else(|| {
            self.error("expected a value: a quoted string, a number, `true`, `false` or an array".into())
        })?;
        self.at += n;
        Ok(Value::Number(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(s: &str) -> What {
        let (found, errors) = scan(s, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        found.into_iter().next().expect("a call").what
    }

    #[test]
    fn arguments_of_every_kind() {
        let What::Call { name, args, body } =
            call("x {{ fig(a=\"q\", b='r', c=`s`, n=-2, f=1.5, t=true, l=[1, \"z\"]) }}")
        else {
            panic!()
        };
        assert_eq!((name.as_str(), body), ("fig", None));
        let json = serde_json::to_string(&args).unwrap();
        assert_eq!(json, r#"[["a","q"],["b","r"],["c","s"],["n",-2],["f",1.5],["t",true],["l",[1,"z"]]]"#);
    }

    #[test]
    fn tera_in_prose_is_no_call_and_escapes_print_literally() {
        assert!(scan("{{ page.title }} {% if x %}", &[]).0.is_empty());
        assert!(scan("by using `{{/*` and `*/}}` instead", &[]).0.is_empty());
        assert_eq!(call("{{/* yt(id=\"a\") */}}"), What::Literal("{{ yt(id=\"a\") }}".into()));
        assert_eq!(unescape_in_code("{%/* q() */%}\nA\n{%/* end */%}"), "{% q() %}\nA\n{% end %}");
    }

    #[test]
    fn bodies_trim_one_newline() {
        let What::Call { body, .. } = call("{% q(a=1) %}\nA *b*\n{% end %}") else { panic!() };
        assert_eq!(body.as_deref(), Some("A *b*"));
    }

    #[test]
    fn bad_arguments_are_located() {
        let (_, errors) = scan("ab {{ f(a=) }}", &[]);
        assert_eq!(errors[0].at, 10, "{errors:?}");
    }

    #[test]
    fn hugo_pairs_span_to_their_closing_tag() {
        let s = "{{< code-toggle file=\"hugo\" >}}\n[a]\nb = 1\n{{< /code-toggle >}} after";
        let (found, _) = scan(s, &[]);
        assert_eq!(found[0].what, What::Foreign { name: "{{< code-toggle >}}".into() });
        assert_eq!(&s[found[0].span.clone()], &s[..s.find(" after").unwrap()]);
    }
}
