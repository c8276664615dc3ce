// Time from saving a new word into a page to the moment `rapport serve`'s
// search finds that page for it, as a reader's browser would (issue 18's
// "found within 300 ms of the save"). Usage:
//   node benches/search_live.mjs SITE_DIR [RAPPORT_BINARY] [TRIALS]
// SITE_DIR is a rapport site (for 10,000 pages:
//   python3 ../shared/bench/gen_corpus.py 10000 /tmp/s10k --layouts generic
// then SITE_DIR=/tmp/s10k/generic); it is copied, never edited in place.
// Serve starts on the copy; once its search index is ready to follow edits,
// each trial appends a sentence with a word found nowhere else to one page
// and, from the save on, runs the site's own /search/search.js in headless
// Chromium (a fresh module each time, so nothing is cached) until the page
// is among the results. Prints each trial and the median and min–max.
// Needs chromium and tests/browser's node modules (`cd tests/browser && npm ci`).
// READY=serving measures a rapport from before live indexing (it says nothing when ready).
import { spawn, execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const [siteDir, binary = "target/release/rapport", trialsArg = "10"] = process.argv.slice(2);
if (!siteDir) throw new Error("usage: node benches/search_live.mjs SITE_DIR [RAPPORT_BINARY] [TRIALS]");
const { chromium } = await import(new URL("../tests/browser/node_modules/playwright-core/index.mjs", import.meta.url));
const trials = Number(trialsArg);

const copy = join(mkdtempSync(join(tmpdir(), "search-live-")), "site");
execFileSync("cp", ["-r", siteDir, copy]);
const page = firstPage(join(copy, "content"));
const url = "/" + relative(join(copy, "content"), page).replace(/\.md$/, "/");
const port = 20000 + Math.floor(Math.random() * 20000);

const serve = spawn(binary, ["--root", copy, "serve", "--port", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
process.on("exit", () => serve.kill());
let log = "";
serve.stderr.on("data", (d) => (log += d));
const started = Date.now();
// READY names another line to wait for (an older rapport, whose index is full from the start: "serving").
const ready = process.env.READY || "search index ready to follow edits";
while (!log.includes(ready)) {
  if (serve.exitCode !== null) throw new Error(`serve exited:\n${log}`);
  if (Date.now() - started > 600_000) throw new Error(`serve not ready after 10 min:\n${log}`);
  await sleep(100);
}
console.error(`serve ready in ${((Date.now() - started) / 1000).toFixed(1)} s; editing ${url}`);

const browser = await chromium.launch({ executablePath: process.env.RAPPORT_CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
const tab = await (await browser.newContext()).newPage();
// A page without the live-reload script (every HTML page reloads on a save).
await tab.goto(`http://127.0.0.1:${port}/robots.txt`, { waitUntil: "load" });

const times = [];
for (let i = 0; i < trials; i++) {
  // Random letters: no earlier trial's word is a prefix of it or within two typos of it.
  const word = Array.from({ length: 12 }, () => "abcdefghijklmnopqrstuvwxyz"[Math.floor(Math.random() * 26)]).join("");
  const t0 = performance.now();
  appendFileSync(page, `\n\nA closing note on ${word}.\n`);
  let polls = 0;
  for (;;) {
    polls++;
    const found = await tab.evaluate(async ([w, u, n]) => {
      const m = await import(`/search/search.js?fresh=${n}`);
      return (await m.search(w)).some((r) => r.url.startsWith(u));
    }, [word, url, `${i}-${polls}`]);
    if (found) break;
    if (performance.now() - t0 > 60_000) throw new Error(`${word} not found after 60 s\n${log}`);
  }
  const ms = performance.now() - t0;
  times.push(ms);
  console.log(JSON.stringify({ trial: i + 1, word, ms: Math.round(ms), polls }));
  await sleep(1500);
}
await browser.close();
serve.kill();
if (process.env.SHOW_LOG) console.error(log);
times.sort((a, b) => a - b);
const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
console.log(JSON.stringify({ pages: countPages(join(copy, "content")), trials, median_ms: Math.round(median), min_ms: Math.round(times[0]), max_ms: Math.round(times.at(-1)) }));

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// The first page (not a section) in file-name order, so runs edit the same one.
function firstPage(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const found = firstPage(path);
      if (found) return found;
    } else if (name.endsWith(".md") && name !== "_index.md") {
      return path;
    }
  }
  return null;
}

function countPages(dir) {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) n += countPages(path);
    else if (name.endsWith(".md") && name !== "_index.md") n++;
  }
  return n;
}
