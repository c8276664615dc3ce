// Measures search in headless Chromium over the DevTools protocol, for
// benches/search.sh. Usage:
//   node --experimental-websocket benches/search_browser.mjs SITE_DIR ENGINE QUERY...
// ENGINE is `rapport` (/search/search.js) or `pagefind` (/pagefind/pagefind.js).
// SITE_DIR is the built site with bench.html (written by search.sh) at its root; it
// is served here over HTTP/1.1 with keep-alive, as a static host would.
// For each query: a fresh browser context (empty cache) loads bench.html, which
// imports the engine, runs the query and loads the top 10 results with excerpts;
// it reports the bytes served from the index (counted by this server) and the
// time taken (cold). Then, in one page with the engine loaded, each query runs
// once more (warm: the module and what earlier queries fetched are loaded), and
// once again (repeat: everything cached, pure computation). Prints one JSON
// object per line; warm lines carry the result URLs (for relevance). With
// WARM_ONLY=1 the cold runs are skipped.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";

const [site, engine, ...queries] = process.argv.slice(2);
const types = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".css": "text/css" };
// Bytes served, logged per request; the page fetches /__mark between queries.
let log = [];
const server = createServer(async (req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path === "/__mark") {
    log.push({ mark: true });
    return res.writeHead(204, { "cache-control": "no-store" }).end();
  }
  if (path.includes("..")) return res.writeHead(404).end();
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(site, path));
    const ext = path.slice(path.lastIndexOf("."));
    log.push({ path, bytes: body.length });
    res.writeHead(200, { "content-type": types[ext] || "application/octet-stream", "content-length": body.length });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;
const profile = mkdtempSync(join(tmpdir(), "rapport-bench-chromium-"));
const chrome = spawn(process.env.CHROMIUM || "/usr/bin/chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank",
], { stdio: "ignore", detached: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function endpoint() {
  for (let i = 0; i < 300; i++) {
    try {
      const [port, path] = readFileSync(join(profile, "DevToolsActivePort"), "utf8").split("\n");
      if (path) return `ws://127.0.0.1:${port}${path}`;
    } catch {}
    await sleep(50);
  }
  throw new Error("chromium did not start (apt-get install -y chromium)");
}

const ws = new WebSocket(await endpoint());
await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
let nextId = 0;
const pending = new Map();
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (m.id && pending.has(m.id)) {
    const { ok, fail } = pending.get(m.id);
    pending.delete(m.id);
    m.error ? fail(new Error(JSON.stringify(m.error))) : ok(m.result);
  }
};
function call(method, params = {}, sessionId) {
  const id = ++nextId;
  ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  return new Promise((ok, fail) => pending.set(id, { ok, fail }));
}

async function openPage(url) {
  const { browserContextId } = await call("Target.createBrowserContext");
  const { targetId } = await call("Target.createTarget", { url: "about:blank", browserContextId });
  const { sessionId } = await call("Target.attachToTarget", { targetId, flatten: true });
  await call("Page.navigate", { url }, sessionId);
  return { sessionId, close: () => call("Target.disposeBrowserContext", { browserContextId }) };
}

async function result(sessionId) {
  for (let i = 0; i < 1200; i++) {
    const r = await call("Runtime.evaluate", { expression: "JSON.stringify(window.__bench)", returnByValue: true }, sessionId);
    if (r.result.value && r.result.value !== "undefined") return JSON.parse(r.result.value);
    await sleep(25);
  }
  throw new Error("bench page did not finish");
}

/** Bytes and files of the index served per query: log entries after each mark. */
function perQuery() {
  const dir = engine === "rapport" ? "/search/" : "/pagefind/";
  const out = [];
  for (const e of log) {
    if (e.mark) out.push({ bytes: 0, files: 0 });
    else if (out.length && e.path.startsWith(dir)) {
      out[out.length - 1].bytes += e.bytes;
      out[out.length - 1].files += 1;
    }
  }
  return out;
}

try {
  for (const q of process.env.WARM_ONLY ? [] : queries) {
    log = [];
    const page = await openPage(`${base}/bench.html?engine=${engine}&q=${encodeURIComponent(q)}`);
    const r = await result(page.sessionId);
    console.log(JSON.stringify({ mode: "cold", engine, query: q, ...r, ...perQuery()[0] }));
    await page.close();
  }
  log = [];
  const page = await openPage(`${base}/bench.html?engine=${engine}&warm=${encodeURIComponent(JSON.stringify(queries))}`);
  const warm = await result(page.sessionId);
  const served = perQuery();
  warm.forEach((r, i) => console.log(JSON.stringify({ mode: "warm", engine, ...r, ...served[i] })));
  await page.close();
} finally {
  ws.close();
  server.close();
  server.closeAllConnections();
  try { process.kill(-chrome.pid, "SIGKILL"); } catch {}
  rmSync(profile, { recursive: true, force: true });
}
