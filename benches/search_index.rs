//! Times the search stage alone (`search::outputs`: analysis, stemming,
//! impacts, shards, fragments, compression; not the file writes) on a site
//! already loaded and rendered in memory, and an update of the live index
//! (`search::live`) after one page gains a word. Used by benches/search.sh.
//! Usage: cargo bench --bench search_index -- SITE_ROOT [RUNS]

use rapport::build::{build_in_memory, load_config, BuildOptions};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let root = PathBuf::from(args.first().expect("usage: search_index SITE_ROOT [RUNS]"));
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let config = load_config(&root, &BuildOptions::default()).expect("site config");
    let mut built = build_in_memory(config, false, None).expect("site builds");
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let (mut files, mut bytes) = (0, 0);
    for _ in 0..runs {
        let (start, cpu_start) = (Instant::now(), cpu_seconds());
        let out = rapport::search::outputs(&built.site);
        times.push(start.elapsed().as_secs_f64());
        cpu.push(cpu_seconds() - cpu_start);
        files = out.len();
        bytes = out.iter().map(|o| o.bytes.len()).sum::<usize>();
    }
    live_update(&mut built.site, runs);
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    println!(
        "search index of {} pages: wall median {:.2} s, min-max {:.2}-{:.2} s; CPU median {:.2} s \
         ({runs} runs, {} threads; {files} files, {bytes} bytes)",
        built.site.pages.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        cpu[cpu.len() / 2],
        rayon::current_num_threads(),
    );
}

/// Times `Live::update` after one page gains a new word (each run a new word).
fn live_update(site: &mut rapport::model::Site, runs: usize) {
    use rapport::search::{live::Live, Snapshot};
    let start = Instant::now();
    let (mut live, _) = Live::new(Snapshot::of(site));
    let first = start.elapsed().as_secs_f64();
    let url = Snapshot::of(site).urls().next().expect("an indexed page").to_string();
    let page = site.pages.iter().position(|p| site.full_url(&p.url) == url).expect("the page of the first URL");
    let mut times = Vec::new();
    let mut written = 0;
    for run in 0..runs {
        let section = &mut std::sync::Arc::make_mut(&mut site.pages[page].rendered).sections[0];
        section.text = format!("{} zebrafinch{run}", section.text).into();
        let changed = Snapshot::of(site).only(&[url.clone()].into());
        let start = Instant::now();
        let (next, changes) = live.update(changed, &[]);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        written = changes.write.len();
        live = next;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "live index: first build {first:.2} s; one page edited: median {:.0} ms, min-max {:.0}-{:.0} ms \
         ({runs} runs; {written} files rewritten)",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

/// User + system CPU time of this process so far (Linux; 0 elsewhere). On a
/// shared machine it shows the work done, whatever else competes for the cores.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
