//! The search index on disk: what is indexed, and that a rebuild after one
//! edit rewrites only the index files that edit touches.

use crate::support::SiteTest;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::time::SystemTime;

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("index files are gzip");
    out
}

fn read_gz(t: &SiteTest, rel: &str) -> Vec<u8> {
    gunzip(&std::fs::read(t.root().join("public").join(rel)).unwrap())
}

/// rapport's record of `public/` as path → hash, search files only.
fn search_hashes(t: &SiteTest) -> BTreeMap<String, String> {
    crate::manifest::manifest(t)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(_, path)| path.starts_with("search/"))
        .map(|(hash, path)| (path.to_string(), hash.to_string()))
        .collect()
}

fn mtimes(t: &SiteTest, paths: impl Iterator<Item = String>) -> BTreeMap<String, SystemTime> {
    paths
        .map(|p| (p.clone(), std::fs::metadata(t.root().join("public").join(&p)).unwrap().modified().unwrap()))
        .collect()
}

fn changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> BTreeSet<String> {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter().filter(|k| before.get(*k) != after.get(*k)).cloned().collect()
}

struct Varints<'a>(&'a [u8], usize);

impl Varints<'_> {
    fn next(&mut self) -> u64 {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let b = self.0[self.1];
            self.1 += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return v;
            }
            shift += 7;
        }
    }
    fn skip_str(&mut self) -> String {
        let n = self.next() as usize;
        self.1 += n;
        String::from_utf8_lossy(&self.0[self.1 - n..self.1]).into_owned()
    }
}

/// Document ids in a postings bucket (`p/`) or tail (`t/`) file.
fn posting_ids(path: &str, bytes: &[u8]) -> BTreeSet<u64> {
    let mut r = Varints(bytes, 0);
    let mut ids = BTreeSet::new();
    if path.starts_with("search/t/") {
        let mut id = 0;
        for _ in 0..r.next() {
            id += r.next();
            ids.insert(id);
            r.1 += 1;
        }
        return ids;
    }
    for _ in 0..r.next() {
        r.skip_str();
        r.next();
        r.skip_str();
        for _ in 0..r.next() {
            ids.insert(r.next());
            r.1 += 1;
        }
    }
    ids
}

/// A deterministic site of `n` pages over a vocabulary of made-up words.
fn generated_site(n: usize) -> SiteTest {
    let t = SiteTest::from_fixture("search/site");
    let syllables = ["ka", "lo", "mi", "ten", "sor", "vi", "dra", "pel", "un", "gor", "fa", "zel", "quo", "rin"];
    let mut seed: u64 = 42;
    let mut next = move |m: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % m
    };
    let vocab: Vec<String> = (0..3000)
        .map(|i| {
            (0..2 + i % 3).map(|k| syllables[(i * 7 + k * 5 + i / 14) % syllables.len()]).collect::<String>()
                + &format!("{}", i % 97)
        })
        .collect();
    for p in 0..n {
        let mut words = |k: usize| (0..k).map(|_| vocab[next(vocab.len())].clone()).collect::<Vec<_>>().join(" ");
        let body = format!("{}\n\n## {}\n\n{}\n\n## {}\n\n{}\n", words(60), words(3), words(60), words(2), words(60));
        t.write(&format!("content/gen/page-{p}.md"), format!("+++\ntitle = \"{}\"\n+++\n\n{body}", words(3)));
    }
    t
}

#[test]
fn drafts_and_pages_kept_out_of_search_are_not_indexed() {
    let t = SiteTest::from_fixture("search/site");
    t.build().ok();
    let mut forms = String::new();
    for entry in std::fs::read_dir(t.root().join("public/search/d")).unwrap() {
        forms.push_str(&String::from_utf8(gunzip(&std::fs::read(entry.unwrap().path()).unwrap())).unwrap());
    }
    assert!(forms.contains("\"xssmarker\"") && forms.contains("\"boundaries\""), "{forms}");
    for hidden in ["hiddenword", "draftword", "zolahiddenword"] {
        assert!(!forms.contains(hidden), "{hidden} was indexed");
    }
    for file in ["search/search.js", "search/index.json", "search/tags.json", "search/index.html", "search-ui.js"] {
        assert!(t.exists(&format!("public/{file}")), "missing {file}");
    }
    let page = t.read("public/guides/boundaries/index.html");
    assert!(page.contains("role=\"combobox\"") && page.contains("search-ui.js"), "search box in the header");
    let again = t.build();
    assert!(again.ok().stderr.contains(" 0 written"), "the index is deterministic: {}", again.stderr);
}

#[test]
fn one_edited_page_rewrites_only_the_search_files_it_touches() {
    let t = generated_site(300);
    t.build().ok();
    let before = search_hashes(&t);
    let times = mtimes(&t, before.keys().cloned());
    let page = "content/gen/page-17.md";
    let old = t.read(page);
    let new = old.replacen("\n\n## ", " quibblesnatch\n\n## ", 1);
    t.write(page, &new);
    t.build().ok();
    let after = search_hashes(&t);
    let changed = changed(&before, &after);

    let fragments: Vec<&String> = changed.iter().filter(|p| p.starts_with("search/f/")).collect();
    assert_eq!(fragments.len(), 1, "only the edited page's fragment: {fragments:?}");
    let fragment = String::from_utf8(read_gz(&t, fragments[0])).unwrap();
    assert!(fragment.contains("/gen/page-17/") && fragment.contains("quibblesnatch"), "{fragment}");
    let id: u64 = fragments[0].trim_start_matches("search/f/").trim_end_matches(".frag").parse().unwrap();
    for unchanged in ["search/index.json", "search/search.js", "search/tags.json"] {
        assert!(!changed.contains(unchanged), "{unchanged} was rewritten");
    }
    let page_words: BTreeSet<String> =
        format!("{old} {new}").split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase).collect();
    for path in &changed {
        let bytes = read_gz(&t, path);
        if path.starts_with("search/p/") || path.starts_with("search/t/") {
            assert!(posting_ids(path, &bytes).contains(&id), "{path} changed but holds no posting of the page");
        } else if path.starts_with("search/d/") {
            let shard: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let forms = shard["w"].as_array().unwrap().iter().map(|w| w[0].as_str().unwrap().to_string());
            assert!(forms.into_iter().any(|f| page_words.contains(&f)), "{path} changed but has no word of the page");
        } else if path.starts_with("search/c/") {
            let card: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let ids = card["d"].as_array().unwrap().iter().map(|d| d[0].as_u64().unwrap());
            assert!(ids.into_iter().any(|i| i == id), "{path} changed but does not show the page");
        } else if !path.starts_with("search/f/") {
            panic!("unexpected rewrite of {path}");
        }
    }
    assert!(changed.iter().any(|p| p.starts_with("search/d/")), "the new word's dictionary shard");
    assert!(changed.len() * 5 < before.len(), "{} of {} search files changed", changed.len(), before.len());
    for (path, time) in mtimes(&t, after.keys().filter(|p| !changed.contains(*p)).cloned()) {
        assert_eq!(times[&path], time, "{path} was rewritten with the same bytes");
    }
}

#[test]
fn adding_a_page_keeps_the_other_pages_fragments() {
    let t = generated_site(120);
    t.build().ok();
    let before = search_hashes(&t);
    t.write("content/gen/added.md", "+++\ntitle = \"Added\"\n+++\n\nA new page about quibblesnatch.\n");
    t.build().ok();
    let changed = changed(&before, &search_hashes(&t));
    let fragments: Vec<&String> = changed.iter().filter(|p| p.starts_with("search/f/")).collect();
    let added = fragments.iter().filter(|f| !before.contains_key(**f)).count();
    assert_eq!(added, 1, "{fragments:?}");
    // Ids are hashed from URLs: at most a page whose slot the new one took moves.
    assert!(fragments.len() <= 2, "other pages' fragments were rewritten: {fragments:?}");
}
