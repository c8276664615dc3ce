//! `check --external`: asks each distinct outside URL once, a few at a time,
//! with a timeout, and reports those that fail where every link to them is.

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// Requests in flight at once.
pub const CONCURRENCY: usize = 8;
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Where each external URL is linked from: (file, source, line, column).
type Uses<'a> = BTreeMap<&'a str, Vec<(&'a std::path::Path, &'a str, usize, usize)>>;

pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut uses: Uses<'_> = BTreeMap::new();
    let docs =
        site.pages.iter().map(|p| (&p.doc, &p.rendered)).chain(site.sections.iter().map(|s| (&s.doc, &s.rendered)));
    for (doc, rendered) in docs {
        for (url, line, col) in &rendered.external {
            uses.entry(url.as_str()).or_default().push((&doc.file, &doc.source, *line, *col));
        }
    }
    let urls: Vec<&str> = uses.keys().copied().collect();
    let failures = probe_all(&urls);
    let mut out = Vec::new();
    for (url, why) in failures {
        for (file, source, line, col) in &uses[url] {
            out.push(Diagnostic::warning(*file, format!("external link {url}: {why}")).at(source, *line, *col));
        }
    }
    out
}

/// Checks every URL with [`CONCURRENCY`] workers; returns the failures.
fn probe_all<'a>(urls: &[&'a str]) -> Vec<(&'a str, String)> {
    let agent = ureq::AgentBuilder::new().timeout(TIMEOUT).redirects(5).user_agent("rapport-link-check").build();
    let next = Mutex::new(urls.iter());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..CONCURRENCY.min(urls.len()) {
            scope.spawn(|| loop {
                let Some(&url) = next.lock().expect("queue lock").next() else { break };
                if let Err(why) = probe(&agent, url) {
                    failures.lock().expect("failures lock").push((url, why));
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("failures lock");
    failures.sort();
    failures
}

/// HEAD first; servers that refuse HEAD get a GET.
fn probe(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    match agent.head(url).call() {
        Ok(_) => Ok(()),
        Err(ureq::Error::Status(405 | 501, _)) => match agent.get(url).call() {
            Ok(_) => Ok(()),
            Err(e) => Err(describe(e)),
        },
        Err(e) => Err(describe(e)),
    }
}

fn describe(e: ureq::Error) -> String {
    match e {
        ureq::Error::Status(code, _) => format!("HTTP {code}"),
        ureq::Error::Transport(t) => format!("unreachable ({})", t.kind()),
    }
}
