//! Deployment files shipped as examples: the GitHub Pages workflow
//! (`docs/examples/github-pages.yml`), the `Dockerfile` and `.dockerignore`,
//! and the README's tutorial from `init` to a build for a deployed site.
//! No GitHub runner or Docker engine runs here, so the tests read the files
//! and run the workflow's own rapport commands on a starter site.

use crate::support::{rapport_in, SiteTest};
use serde_norway::Value;
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn workflow() -> Value {
    serde_norway::from_str(&read("docs/examples/github-pages.yml")).expect("the workflow is valid YAML")
}

/// Every step of every job, in file order.
fn steps(wf: &Value) -> Vec<&Value> {
    let jobs = wf["jobs"].as_mapping().expect("jobs is a mapping");
    jobs.values().flat_map(|job| job["steps"].as_sequence().expect("each job has steps")).collect()
}

fn field<'a>(step: &'a Value, key: &str) -> Option<&'a str> {
    step.get(key).and_then(Value::as_str)
}

#[test]
fn the_pages_workflow_uses_the_official_actions_and_checks_before_it_builds() {
    let wf = workflow();
    let steps = steps(&wf);
    let uses: Vec<&str> = steps.iter().filter_map(|s| field(s, "uses")).collect();
    assert_eq!(
        uses,
        [
            "actions/checkout@v4",
            "actions/configure-pages@v5",
            "actions/upload-pages-artifact@v3",
            "actions/deploy-pages@v4"
        ]
    );
    let runs: Vec<&str> = steps.iter().filter_map(|s| field(s, "run")).collect();
    let at =
        |needle: &str| runs.iter().position(|r| r.contains(needle)).unwrap_or_else(|| panic!("no step runs {needle}"));
    assert!(at("cargo install --locked") < at("rapport check"));
    assert!(at("rapport check") < at("rapport build"), "the site is checked before it is built");
    let build = runs[at("rapport build")];
    assert!(build.contains("--base-url \"${{ steps.pages.outputs.base_url }}\""), "{build}");
    let perms = &wf["permissions"];
    assert_eq!((perms["pages"].as_str(), perms["id-token"].as_str()), (Some("write"), Some("write")));
    let upload = steps.iter().find(|s| field(s, "uses") == Some("actions/upload-pages-artifact@v3")).unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("public"), "uploads the folder the build step writes");
}

/// The workflow is an example for a site's repository: in this one it must
/// never run.
#[test]
fn the_pages_workflow_is_not_a_workflow_of_this_repository() {
    assert!(!repo(".github/workflows").exists());
}

/// The check and build commands the workflow runs, with the URL Pages would
/// give a project site, work on a starter site and prefix every link.
#[test]
fn the_pages_workflow_commands_build_a_project_site_under_its_path() {
    let wf = workflow();
    let steps = steps(&wf);
    let runs: Vec<&str> = steps.iter().filter_map(|s| field(s, "run")).collect();
    let t = SiteTest::empty();
    rapport_in(t.outer(), &["init", "mysite"], &[]).ok();
    let site = t.outer().join("mysite");
    for cmd in runs.iter().filter(|r| r.starts_with("rapport ")) {
        let cmd = cmd.replace("${{ steps.pages.outputs.base_url }}", "https://owner.github.io/repo");
        let args: Vec<&str> = cmd.split_whitespace().skip(1).map(|a| a.trim_matches('"')).collect();
        rapport_in(&site, &args, &[]).ok();
    }
    let index = std::fs::read_to_string(site.join("public/index.html")).expect("the build wrote public/");
    assert!(index.contains("href=\"/repo/style.css\""), "links are not under /repo/");
    let robots = std::fs::read_to_string(site.join("public/robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://owner.github.io/repo/sitemap.xml"), "{robots}");
}

/// Dockerfile instructions, continuation lines joined, comments dropped.
fn dockerfile() -> Vec<(String, String)> {
    let text = read("Dockerfile").replace("\\\n", " ");
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    lines
        .map(|l| {
            let (op, rest) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (op.to_ascii_uppercase(), rest.trim().to_string())
        })
        .collect()
}

#[test]
fn the_dockerfile_builds_in_one_stage_and_runs_rapport_as_a_non_root_user_in_another() {
    let ins = dockerfile();
    let all = |op: &str| ins.iter().filter(|(o, _)| o == op).map(|(_, a)| a.as_str()).collect::<Vec<_>>();
    let last = |op: &str| *all(op).last().unwrap_or_else(|| panic!("no {op}"));
    let froms = all("FROM");
    assert_eq!(froms.len(), 2, "{froms:?}");
    assert_eq!(froms[0], "rust:1-bookworm AS build");
    assert!(all("RUN").iter().any(|r| r.contains("cargo build --release --locked")));
    assert!(all("COPY").iter().any(|c| c.starts_with("--from=build ")), "the final stage copies only the binary");
    let user = last("USER");
    let uid = user.split(':').next().unwrap();
    assert!(!["root", "0"].contains(&uid), "runs as {user}");
    // A USER in the builder stage would not carry over to the image.
    let at = |op: &str| ins.iter().rposition(|(o, _)| o == op).unwrap();
    assert!(at("USER") > at("FROM"), "USER is not in the final stage");
    assert_eq!(last("ENTRYPOINT"), r#"["rapport"]"#);
    assert_eq!(last("CMD"), r#"["build"]"#);
    assert_eq!(last("WORKDIR"), "/site");
}

/// `.dockerignore` keeps the build context small without leaving out a file
/// the release build reads (the embedded theme, `build.rs`, the `[[bench]]`
/// the manifest names).
#[test]
fn the_dockerignore_leaves_out_target_and_git_but_nothing_the_build_needs() {
    let text = read(".dockerignore");
    let rules: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let ignored = |p: &str| rules.iter().any(|r| r.trim_end_matches('/') == p);
    assert!(ignored("target") && ignored(".git"), "{rules:?}");
    for needed in ["Cargo.toml", "Cargo.lock", "build.rs", "src", "themes", "benches"] {
        assert!(!ignored(needed), ".dockerignore leaves out {needed}");
        assert!(repo(needed).exists(), "{needed} is gone: update the Dockerfile test");
    }
    assert!(rules.iter().all(|r| !r.starts_with('*') || r.starts_with("**/")), "a wildcard rule: {rules:?}");
}

/// The README's tutorial runs as written (all but `serve`, which does not
/// end): its commands must follow what `init`, `check` and `build` do now.
#[test]
fn the_readme_tutorial_commands_run_as_written() {
    let readme = read("README.md");
    let start = readme.find("## From zero to a deployed site").expect("the README has the tutorial");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let t = SiteTest::empty();
    let mut cwd = t.outer().to_path_buf();
    let mut ran = Vec::new();
    for line in sh_lines(section) {
        for cmd in line.split("&&").map(str::trim) {
            if let Some(dir) = cmd.strip_prefix("cd ") {
                cwd = cwd.join(dir);
            } else if cmd.starts_with("rapport ") && !cmd.starts_with("rapport serve") {
                let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
                rapport_in(&cwd, &args, &[]).ok();
                ran.push(args[0].to_string());
            }
        }
    }
    assert_eq!(ran, ["init", "check", "build"]);
    let index = std::fs::read_to_string(cwd.join("public/index.html")).expect("the tutorial's build wrote public/");
    assert!(index.contains("href=\"/mysite/style.css\""), "the tutorial's --base-url path is not applied");
}

/// The lines of the ```sh blocks in `text`, without their `# comments`.
fn sh_lines(text: &str) -> Vec<&str> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        match line.trim() {
            "```sh" => inside = true,
            "```" => inside = false,
            l if inside => out.push(l.split(" #").next().unwrap().trim()),
            _ => {}
        }
    }
    out
}
