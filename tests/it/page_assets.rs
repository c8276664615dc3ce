//! What a built page loads from the site before a reader can use it:
//! stylesheets, classic and module scripts, and every module those import,
//! statically or with `import()`: the search box's `search-ui.js` imports the
//! client named by its form's `data-search-module` (`search/search.js`). Each
//! is checked to come from the site itself (a path, never another origin).

use std::path::Path;

/// Every asset `html` loads, as paths relative to `public`, each once.
pub fn page_assets(public: &Path, html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut modules = Vec::new();
    for tag in tags(html, "link").into_iter().filter(|t| attr(t, "rel") == Some("stylesheet")) {
        add(&mut found, &mut None, attr(tag, "href").expect("a stylesheet link has an href"));
    }
    for tag in tags(html, "script") {
        if let Some(src) = attr(tag, "src") {
            let module = attr(tag, "type") == Some("module");
            add(&mut found, &mut module.then_some(&mut modules), src);
        }
    }
    for tag in tags(html, "form") {
        if let Some(m) = attr(tag, "data-search-module") {
            add(&mut found, &mut Some(&mut modules), m);
        }
    }
    while let Some(module) = modules.pop() {
        let js = std::fs::read_to_string(public.join(&module)).unwrap_or_else(|e| panic!("{module}: {e}"));
        for spec in imports(&js) {
            add(&mut found, &mut Some(&mut modules), &resolve(&module, spec));
        }
    }
    found
}

/// Records `url` (relative to the site root) unless seen; a new module is
/// queued so its own imports are followed.
fn add(found: &mut Vec<String>, modules: &mut Option<&mut Vec<String>>, url: &str) {
    assert!(url.starts_with('/') && !url.starts_with("//"), "asset from outside the site: {url}");
    let rel = url.trim_start_matches('/').to_string();
    if !found.contains(&rel) {
        if let Some(queue) = modules {
            queue.push(rel.clone());
        }
        found.push(rel);
    }
}

/// The opening tags `<name ...>` in `html`.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    html.match_indices(&open).map(|(at, _)| &html[at..at + html[at..].find('>').unwrap()]).collect()
}

/// A double-quoted attribute's value.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    tag[start..].split('"').next()
}

/// The module specifiers `js` imports: `import … from "x"`, `import "x"`,
/// `export … from "x"` and `import("x")` with a string literal, comments skipped.
fn imports(js: &str) -> Vec<&str> {
    let mut specs = Vec::new();
    for line in js.lines().map(str::trim_start).filter(|l| !l.starts_with("//") && !l.starts_with('*')) {
        let static_import = (line.starts_with("import ") || line.starts_with("export "))
            .then(|| line.rsplit_once(" from ").map_or(line.strip_prefix("import "), |(_, s)| Some(s)))
            .flatten();
        let dynamic = line.match_indices("import(").map(|(at, _)| &line[at + "import(".len()..]);
        for quoted in static_import.into_iter().chain(dynamic) {
            let q = quoted.trim_start();
            if let Some(quote) = q.chars().next().filter(|c| *c == '"' || *c == '\'') {
                specs.extend(q[1..].split(quote).next());
            }
        }
    }
    specs
}

/// `spec` as a site path, from the module at `from` (relative to the root).
fn resolve(from: &str, spec: &str) -> String {
    if spec.starts_with('/') || spec.contains("://") {
        return spec.to_string();
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in spec.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

#[test]
fn imports_are_read_from_code_and_not_from_comments() {
    let js = "// import { x } from \"/no.js\";\nimport { a } from \"./a.js\";\nimport './b.js';\n\
              export { c } from \"../c.js\";\nconst d = await import(\"/d.js\");\nconst e = import(url);\n";
    assert_eq!(imports(js), ["./a.js", "./b.js", "../c.js", "/d.js"]);
    assert_eq!(resolve("search/ui.js", "./a.js"), "/search/a.js");
    assert_eq!(resolve("search/ui.js", "../c.js"), "/c.js");
}
