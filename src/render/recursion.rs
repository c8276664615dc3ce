//! Template recursion: include, extends and import cycles are refused when the
//! templates load, and a stack guard runs at the start of every macro body
//! and before every include, so a macro that recurses too deeply fails its
//! render with a located error instead of overflowing the stack.
//!
//! Recursive macros are legitimate (the theme's nav tree is one), so the
//! render bound is the stack left on the rendering thread, not a ban; a
//! macro that calls itself on every path can never end and is refused when
//! the templates load, so `check` reports it too.

use crate::diagnostic::Diagnostic;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::Template;

/// The tera function the loader inserts; no template can call it by accident.
pub const GUARD: &str = "__rapport_depth_guard";

/// Stack left below which a render stops. Debug builds spend up to ~40 KiB
/// of stack per macro level; the margin covers the deepest work between two
/// guards with room to unwind and report.
const MARGIN: usize = 256 * 1024;

/// Template name → (file shown in messages, source text).
pub type Origins = BTreeMap<String, (PathBuf, String)>;

/// The error a tripped guard returns, found again in the render error's chain.
#[derive(Debug)]
pub struct TooDeep {
    pub template: String,
    /// The macro whose body tripped the guard; `None` at an include.
    pub macro_name: Option<String>,
    /// The template the include would have rendered.
    pub include: Option<String>,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.macro_name, &self.include) {
            (Some(m), _) => write!(f, "template recursion too deep in macro `{m}` of `{}`", self.template),
            (None, Some(i)) => write!(f, "template recursion too deep at the include of `{i}` in `{}`", self.template),
            (None, None) => write!(f, "template recursion too deep in `{}`", self.template),
        }
    }
}

impl std::error::Error for TooDeep {}

/// Registers the guard function with tera.
pub fn register(tera: &mut tera::Tera) {
    tera.register_function(GUARD, guard);
}

fn guard(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    match stacker::remaining_stack() {
        Some(left) if left < MARGIN => {
            let arg = |k: &str| args.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let deep = TooDeep {
                template: arg("template").unwrap_or_default(),
                macro_name: arg("macro"),
                include: arg("include"),
            };
            Err(tera::Error::chain(deep.to_string(), deep))
        }
        _ => Ok(tera::Value::String(String::new())),
    }
}

/// `{{ __rapport_depth_guard(template=…, …) }}`, rendering nothing.
fn guard_node(template: &str, key: &str, value: &str) -> Node {
    let string = |s: &str| Expr::new(ExprVal::String(s.to_string()));
    let args = HashMap::from([("template".to_string(), string(template)), (key.to_string(), string(value))]);
    Node::VariableBlock(WS::default(), Expr::new(ExprVal::FunctionCall(FunctionCall { name: GUARD.into(), args })))
}

/// Puts a guard at the start of every macro body and before every include.
pub fn insert_guards(t: &mut Template) {
    let name = t.name.clone();
    for (macro_name, def) in t.macros.iter_mut() {
        guard_includes(&name, &mut def.body);
        def.body.insert(0, guard_node(&name, "macro", macro_name));
    }
    guard_includes(&name, &mut t.ast);
    for block in t.blocks.values_mut() {
        guard_includes(&name, &mut block.body);
    }
}

fn guard_includes(template: &str, nodes: &mut Vec<Node>) {
    let mut i = 0;
    while i < nodes.len() {
        if let Node::Include(_, names, _) = &nodes[i] {
            let guard = guard_node(template, "include", names.first().map_or("", String::as_str));
            nodes.insert(i, guard);
            i += 1;
        }
        for body in bodies(&mut nodes[i]) {
            guard_includes(template, body);
        }
        i += 1;
    }
}

/// The node lists nested in a node.
fn bodies(node: &mut Node) -> Vec<&mut Vec<Node>> {
    match node {
        Node::Block(_, b, _) => vec![&mut b.body],
        Node::MacroDefinition(_, m, _) => vec![&mut m.body],
        Node::FilterSection(_, f, _) => vec![&mut f.body],
        Node::Forloop(_, f, _) => std::iter::once(&mut f.body).chain(f.empty_body.as_mut()).collect(),
        Node::If(i, _) => {
            i.conditions.iter_mut().map(|(_, _, b)| b).chain(i.otherwise.as_mut().map(|(_, b)| b)).collect()
        }
        _ => vec![],
    }
}

/// How one template uses another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Use {
    Extends,
    Includes,
    Imports,
}

impl Use {
    fn verb(self) -> &'static str {
        match self {
            Use::Extends => "extends",
            Use::Includes => "includes",
            Use::Imports => "imports",
        }
    }

    /// The tag keyword that makes this use.
    fn keyword(self) -> &'static str {
        match self {
            Use::Extends => "extends",
            Use::Includes => "include",
            Use::Imports => "import",
        }
    }
}

type Graph<'a> = BTreeMap<&'a str, BTreeSet<(&'a str, Use)>>;

/// Which templates each template extends, includes and imports. An include
/// with a list renders the first that exists, so that is its edge.
fn uses<'a>(parsed: &'a BTreeMap<String, Template>) -> Graph<'a> {
    let mut graph = Graph::new();
    for (name, t) in parsed {
        let edges = graph.entry(name.as_str()).or_default();
        if let Some(parent) = &t.parent {
            edges.insert((parent.as_str(), Use::Extends));
        }
        for (file, _) in &t.imported_macro_files {
            edges.insert((file.as_str(), Use::Imports));
        }
        let mut included = Vec::new();
        collect_includes(&t.ast, &mut included);
        for names in included {
            if let Some(first) = names.iter().find(|n| parsed.contains_key(*n)) {
                edges.insert((first.as_str(), Use::Includes));
            }
        }
    }
    graph
}

fn collect_includes<'a>(nodes: &'a [Node], out: &mut Vec<&'a [String]>) {
    for node in nodes {
        match node {
            Node::Include(_, names, _) => out.push(names),
            Node::Block(_, b, _) => collect_includes(&b.body, out),
            Node::MacroDefinition(_, m, _) => collect_includes(&m.body, out),
            Node::FilterSection(_, f, _) => collect_includes(&f.body, out),
            Node::Forloop(_, f, _) => {
                collect_includes(&f.body, out);
                collect_includes(f.empty_body.as_deref().unwrap_or_default(), out);
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    collect_includes(body, out);
                }
                collect_includes(i.otherwise.as_ref().map_or(&[][..], |(_, b)| b), out);
            }
            _ => {}
        }
    }
}

/// One error per cycle of extends, includes and imports: tera would recurse
/// without end loading or rendering any of them. Each names every step with
/// the `file:line:col` of its tag, and is located at the first.
pub fn cycles(parsed: &BTreeMap<String, Template>, origins: &Origins) -> Vec<Diagnostic> {
    let graph = uses(parsed);
    let mut found: BTreeSet<Vec<(&str, Use, &str)>> = BTreeSet::new();
    for &start in graph.keys() {
        let mut path = Vec::new();
        walk(&graph, start, &mut path, &mut BTreeSet::new(), &mut found);
    }
    found.into_iter().map(|cycle| cycle_error(&cycle, origins)).collect()
}

/// Depth-first from `at`; a step back onto the path closes a cycle, kept
/// rotated to start at its smallest name so each is reported once.
fn walk<'a>(
    graph: &Graph<'a>,
    at: &'a str,
    path: &mut Vec<(&'a str, Use, &'a str)>,
    done: &mut BTreeSet<&'a str>,
    found: &mut BTreeSet<Vec<(&'a str, Use, &'a str)>>,
) {
    for &(to, how) in graph.get(at).into_iter().flatten() {
        path.push((at, how, to));
        if let Some(i) = path.iter().position(|(from, _, _)| *from == to) {
            let mut cycle = path[i..].to_vec();
            let first = (0..cycle.len()).min_by_key(|&k| cycle[k].0).unwrap_or(0);
            cycle.rotate_left(first);
            found.insert(cycle);
        } else if !done.contains(to) {
            walk(graph, to, path, done, found);
        }
        path.pop();
    }
    done.insert(at);
}

fn cycle_error(cycle: &[(&str, Use, &str)], origins: &Origins) -> Diagnostic {
    let steps: Vec<String> = cycle
        .iter()
        .map(|&(from, how, to)| {
            let (file, text) = &origins[from];
            let place = match find_tag(text, how.keyword(), to) {
                Some(offset) => {
                    let (line, col) = crate::diagnostic::line_col(text, offset);
                    format!("{}:{line}:{col}", file.display())
                }
                None => file.display().to_string(),
            };
            format!("`{from}` {} `{to}` ({place})", how.verb())
        })
        .collect();
    let (from, how, to) = cycle[0];
    let (file, text) = &origins[from];
    let d = Diagnostic::error(
        file,
        format!("template cycle: {}; rendering would never end, so break the cycle", steps.join(", ")),
    );
    match find_tag(text, how.keyword(), to) {
        Some(offset) => d.at_offset(text, offset),
        None => d,
    }
}

/// Byte offset of the first `{% keyword … "target" … %}` tag in `text`.
pub fn find_tag(text: &str, keyword: &str, target: &str) -> Option<usize> {
    let quoted = [format!("\"{target}\""), format!("'{target}'"), format!("`{target}`")];
    text.match_indices("{%").map(|(at, _)| at).find(|&at| {
        let inner = text[at + 2..].trim_start_matches('-').trim_start();
        let tag = inner.split("%}").next().unwrap_or_default();
        tag.strip_prefix(keyword).is_some_and(|rest| rest.starts_with(|c: char| c.is_whitespace() || c == '"'))
            && quoted.iter().any(|q| tag.contains(q.as_str()))
    })
}

/// Macros that call themselves (directly or through other macros) on every
/// path through their body: the render could only end by overflowing.
pub fn endless_macros(parsed: &BTreeMap<String, Template>, origins: &Origins) -> Vec<Diagnostic> {
    let mut calls: BTreeMap<(&str, &str), BTreeSet<(&str, &str)>> = BTreeMap::new();
    for (name, t) in parsed {
        let namespaces: HashMap<&str, &str> =
            t.imported_macro_files.iter().map(|(file, ns)| (ns.as_str(), file.as_str())).collect();
        for (macro_name, def) in &t.macros {
            let mut made = Vec::new();
            always_called(&def.body, &mut made);
            let resolved = made.into_iter().filter_map(|(ns, m)| {
                let file = if ns == "self" { Some(name.as_str()) } else { namespaces.get(ns).copied() };
                file.map(|f| (f, m))
            });
            calls.insert((name.as_str(), macro_name.as_str()), resolved.collect());
        }
    }
    let mut out = Vec::new();
    for &(file, macro_name) in calls.keys() {
        if reaches(&calls, (file, macro_name)) {
            let (origin, text) = &origins[file];
            let d = Diagnostic::error(
                origin,
                format!(
                    "macro `{macro_name}` calls itself on every path (no `if` or `for` ends it); rendering would never end"
                ),
            );
            out.push(match macro_offset(text, macro_name) {
                Some(offset) => d.at_offset(text, offset),
                None => d,
            });
        }
    }
    out
}

/// True when `start` calls itself again through the unconditional calls.
fn reaches<'a>(calls: &BTreeMap<(&'a str, &'a str), BTreeSet<(&'a str, &'a str)>>, start: (&'a str, &'a str)) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(&str, &str)> = calls.get(&start).into_iter().flatten().copied().collect();
    while let Some(next) = stack.pop() {
        if next == start {
            return true;
        }
        if seen.insert(next) {
            stack.extend(calls.get(&next).into_iter().flatten().copied());
        }
    }
    false
}

/// Byte offset of `{% macro name(` in `text`.
pub fn macro_offset(text: &str, name: &str) -> Option<usize> {
    text.match_indices("{%").map(|(at, _)| at).find(|&at| {
        let inner = text[at + 2..].trim_start_matches('-').trim_start();
        inner
            .strip_prefix("macro")
            .is_some_and(|rest| rest.trim_start().strip_prefix(name).is_some_and(|r| r.trim_start().starts_with('(')))
    })
}

/// Macro calls (namespace, name) made whatever the data: outside `if`
/// branches and loop bodies.
fn always_called<'a>(nodes: &'a [Node], out: &mut Vec<(&'a str, &'a str)>) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, e) => expr_calls(e, out),
            Node::Set(_, s) => expr_calls(&s.value, out),
            Node::Block(_, b, _) => always_called(&b.body, out),
            Node::FilterSection(_, f, _) => always_called(&f.body, out),
            Node::Forloop(_, f, _) => expr_calls(&f.container, out),
            Node::If(i, _) => {
                if let Some((_, first, _)) = i.conditions.first() {
                    expr_calls(first, out);
                }
            }
            _ => {}
        }
    }
}

fn expr_calls<'a>(e: &'a Expr, out: &mut Vec<(&'a str, &'a str)>) {
    match &e.val {
        ExprVal::MacroCall(m) => {
            out.push((m.namespace.as_str(), m.name.as_str()));
            m.args.values().for_each(|a| expr_calls(a, out));
        }
        ExprVal::Math(m) => [&m.lhs, &m.rhs].into_iter().for_each(|x| expr_calls(x, out)),
        // `and` and `or` may skip their right side.
        ExprVal::Logic(l) => expr_calls(&l.lhs, out),
        ExprVal::In(i) => [&i.lhs, &i.rhs].into_iter().for_each(|x| expr_calls(x, out)),
        ExprVal::Test(t) => t.args.iter().for_each(|a| expr_calls(a, out)),
        ExprVal::FunctionCall(f) => f.args.values().for_each(|a| expr_calls(a, out)),
        ExprVal::Array(items) => items.iter().for_each(|a| expr_calls(a, out)),
        _ => {}
    }
    for filter in &e.filters {
        filter.args.values().for_each(|a| expr_calls(a, out));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(templates: &[(&str, &str)]) -> (BTreeMap<String, Template>, Origins) {
        let parsed = templates.iter().map(|(n, s)| (n.to_string(), Template::new(n, None, s).unwrap())).collect();
        let origins = templates
            .iter()
            .map(|(n, s)| (n.to_string(), (PathBuf::from(format!("templates/{n}")), s.to_string())))
            .collect();
        (parsed, origins)
    }

    #[test]
    fn cycles_of_every_kind_are_found_once_and_located() {
        let (p, o) = parsed(&[
            ("a.html", "x\n  {% include \"b.html\" %}"),
            ("b.html", "{%- include 'a.html' -%}"),
            ("self.html", "{% extends \"self.html\" %}"),
            ("m.html", "{% import \"m.html\" as m %}"),
            ("fine.html", "{% include \"a.html\" %}"),
        ]);
        let errors = cycles(&p, &o);
        let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(errors.len(), 3, "{text:#?}");
        assert!(text[0].starts_with("error: templates/a.html:2:3: template cycle: `a.html` includes `b.html` (templates/a.html:2:3), `b.html` includes `a.html` (templates/b.html:1:1)"), "{}", text[0]);
        assert!(text.iter().any(|t| t.contains("`self.html` extends `self.html`")), "{text:#?}");
        assert!(text.iter().any(|t| t.contains("`m.html` imports `m.html`")), "{text:#?}");
    }

    #[test]
    fn only_unconditional_macro_recursion_is_endless() {
        let (p, o) = parsed(&[
            ("a.html", "{% macro m(n) %}{{ self::m(n=n) }}{% endmacro m %}\n{% macro ok(n) %}{% if n > 0 %}{{ self::ok(n=n - 1) }}{% endif %}{% endmacro ok %}"),
            ("b.html", "{% import \"a.html\" as a %}\n{% macro p() %}{% for i in [1] %}{% endfor %}{{ self::q() }}{% endmacro p %}{% macro q() %}{{ self::p() }}{% endmacro q %}"),
        ]);
        let text: Vec<String> = endless_macros(&p, &o).iter().map(|d| d.to_string()).collect();
        assert_eq!(text.len(), 3, "{text:#?}");
        assert!(text[0].starts_with("error: templates/a.html:1:1: macro `m` calls itself"), "{text:#?}");
        assert!(text[1].starts_with("error: templates/b.html:2:1: macro `p`"), "{text:#?}");
    }
}
